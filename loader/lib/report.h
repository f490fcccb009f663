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
};

/* Words for why a module's file cannot be named (blob_mod_path's errors). */
const char *report_path_strerror(int err);

/* One line about module mod at log priority prio. */
void report(const struct ml_ctx *c, int prio, enum outcome what, unsigned mod, const char *other,
	    int err);

#endif
