/* ctx.h: what every applet works with: the packed directory, its blob, and
 * per-run state (which modules this process already handled). */
#ifndef MODLOAD_CTX_H
#define MODLOAD_CTX_H

#include "blob.h"
#include "insert.h"
#include "lookup.h"

#include <limits.h>

enum mod_state { MS_NONE, MS_LOADING, MS_LIVE, MS_FAILED, MS_SKIPPED };

enum {
	CTX_DRY_RUN = 1 << 0,   /* print, do not insert */
	CTX_BLACKLIST = 1 << 1, /* honour blacklist for alias loads (modprobe -b, coldplug) */
	CTX_QUIET = 1 << 2,
	CTX_VERBOSE = 1 << 3,
	CTX_SHOW = 1 << 4,      /* --show-depends: print insmod lines */
};

struct ml_ctx {
	char dir[PATH_MAX];
	struct blob b;
	unsigned flags;
	unsigned char *state;   /* enum mod_state per blob module */
	unsigned char *visited; /* scratch for plans */
	struct insert_buf buf;
	struct alias_list extra;
	unsigned loaded, failed, skipped, already, builtin;
};

/* Open dir (NULL: /lib/modules/`uname -r`) and its blob. On error a one-line
 * message naming the file has been logged. */
int ctx_open(struct ml_ctx *c, const char *dir, const char *kver);
void ctx_close(struct ml_ctx *c);
/* Mark modules listed in /proc/modules as live (nothing to do for them). */
void ctx_scan_loaded(struct ml_ctx *c);

#endif
