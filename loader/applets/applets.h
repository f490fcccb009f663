/* applets.h: the programs inside the modload binary. */
#ifndef MODLOAD_APPLETS_H
#define MODLOAD_APPLETS_H

/* Set by `modload -d DIR`: the packed directory, or NULL for the default. */
extern const char *applet_dir;

int modprobe_main(int argc, char **argv);
int coldplug_main(int argc, char **argv);
int resolve_main(int argc, char **argv);
int deps_main(int argc, char **argv);
int insmod_main(int argc, char **argv);
int rmmod_main(int argc, char **argv);
int lsmod_main(int argc, char **argv);
int modinfo_main(int argc, char **argv);
int findroot_main(int argc, char **argv);
int status_main(int argc, char **argv);
int scan_main(int argc, char **argv);
int switchroot_main(int argc, char **argv);

/* rmmod.c: kmod's words for a remove_module() outcome (remove.h), logged:
 * rmmod's (remove_report), or those of style (remove_words' RW_* flags:
 * RW_MODPROBE for modprobe -r). name is the module, arg what the user gave.
 * Returns 0 when kmod counts it a success (removed; not loaded, for modprobe
 * -r without --first-time), else -1. */
#include "remove.h"
int remove_report(const char *name, const char *arg, enum remove_result r, const char *who,
		  int err);
int remove_report_style(unsigned style, const char *name, const char *arg, enum remove_result r,
			const char *who, int err);

/* query.c: print what name resolves to (-ENOENT: nothing), or a plan's
 * insmod lines (with e, a dry run: what is live is left out). */
#include "exec.h"
int show_resolve(const struct ml_ctx *c, const char *name);
int show_plan(const struct ml_ctx *c, const struct plan *p, struct exec *e);

/* Exit codes, as skarnet's tools use them. */
enum { EXIT_USAGE = 100, EXIT_SYSTEM = 111 };

#endif
