/* report.h: the one place where what became of a module turns into words.
 * (insert_strerror turns an insert's errno into words; this adds the
 * module, its file and why.) The words are kmod's where kmod has them. */
#ifndef MODLOAD_REPORT_H
#define MODLOAD_REPORT_H

#include "ctx.h"

enum outcome {
	OUT_INSERT_FAILED,   /* err: what the insert returned */
	OUT_SOFTDEP_FAILED,  /* the same for a softdep: not fatal */
	OUT_NEEDS,	     /* other: the dependency that did not load */
	OUT_FORBIDDEN,	     /* forbidden by configuration */
	OUT_NEEDS_FORBIDDEN, /* other: the forbidden dependency */
	OUT_BLACKLISTED,     /* other: the name it was asked for by */
	OUT_LOADING,	     /* still initialising at the timeout */
	OUT_WAITING,	     /* still waiting for what it needs at the timeout */
	OUT_HUNG,	     /* err: ms its init has been running, past the deadline */
	OUT_LATE,	     /* err: what its insert returned, after it was said hung */
	OUT_NOMATCH,	     /* only recorded: no module matches a modalias */
	OUT_LOADED,	     /* only recorded: inserted */
};

/* Words for why a module's file cannot be named (blob_mod_path's errors). */
const char *report_path_strerror(int err);

/* The record of a boot (coldplug --record FILE, read by `modload status`):
 * append-only text, one line per outcome, "KIND NAME WORDS", KIND one of
 * failed, softdep-failed, skipped, forbidden, blacklisted, pending, hung,
 * late, nomatch (NAME is the modalias), loaded; WORDS are what the log
 * said. At most 64 KiB a run; failures to open or write are not said (the
 * boot must not depend on /run). Nothing is recorded before the open. */
void report_record_open(const char *path);
void report_record(enum outcome what, const char *name, const char *msg);

/* One line about module mod at log priority prio. */
void report(const struct ml_ctx *c, int prio, enum outcome what, unsigned mod, const char *other,
	    int err);

#endif
