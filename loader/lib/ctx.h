/* ctx.h: what every applet works with: the packed directory, its blob, and
 * per-run state (which modules this process already handled). */
#ifndef MODLOAD_CTX_H
#define MODLOAD_CTX_H

#include "blob.h"
#include "config.h"
#include "insert.h"
#include "lookup.h"

#include <limits.h>

/* The runtime configuration file inside an image. */
#define RUNTIME_CONFIG "/etc/modload.conf"

/* The runtime configuration file inside an image. */
#define RUNTIME_CONFIG "/etc/modload.conf"

enum mod_state { MS_NONE, MS_QUEUED, MS_LOADING, MS_LIVE, MS_FAILED, MS_SKIPPED };

enum {
	CTX_DRY_RUN = 1 << 0,	/* print, do not insert */
	CTX_BLACKLIST = 1 << 1, /* honour blacklist for alias loads (modprobe -b, coldplug) */
	CTX_QUIET = 1 << 2,
	CTX_VERBOSE = 1 << 3,
	CTX_SHOW = 1 << 4, /* --show-depends: print insmod lines */
};

struct ml_ctx {
	char dir[PATH_MAX];
	struct blob b;
	unsigned flags;
	unsigned char *state;	/* enum mod_state per blob module */
	unsigned char *visited; /* scratch for plans */
	struct insert_buf buf;
	struct alias_list extra; /* cfg's aliases, as lookup takes them */
	struct config cfg;	 /* runtime configuration (file, command line) */
	unsigned loaded, failed, skipped, already, builtin;
};

/* Open dir (NULL: /lib/modules/`uname -r`) and its blob. On error a one-line
 * message naming the file has been logged. */
int ctx_open(struct ml_ctx *c, const char *dir, const char *kver);
void ctx_close(struct ml_ctx *c);
/* Add the runtime configuration: a file (missing is fine) and, when
 * cmdline is not NULL, kernel command line text. */
void ctx_configure(struct ml_ctx *c, const char *file, const char *cmdline);
/* Before inserting anything: is the blob built for the running kernel?
 * Returns 0, or -EXDEV after logging which kernel it is for. */
int ctx_check_kernel(const struct ml_ctx *c);
/* /proc/cmdline, all of it, malloc'd ("" when unreadable; NULL when out of
 * memory); the caller frees it. */
char *ctx_read_cmdline(void);
/* Is mod blacklisted / forbidden by the blob or the runtime configuration? */
int ctx_blacklisted(const struct ml_ctx *c, unsigned mod);
int ctx_forbidden(const struct ml_ctx *c, unsigned mod);

/* The names in mod's "pre" (post = 0) or "post" softdep: those of the
 * runtime configuration's first matching softdep line, else the blob's (which
 * already holds the build-time configuration's). Returns how many, all of
 * them, in *names (malloc'd: the caller frees it; NULL and 0 when there are
 * none or memory ran out). */
unsigned ctx_softdeps(const struct ml_ctx *c, unsigned mod, int post, const char ***names);

/* Mark modules listed in /proc/modules as live (nothing to do for them). */
void ctx_scan_loaded(struct ml_ctx *c);

#endif
