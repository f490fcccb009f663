/* ctx.h: what every applet works with: the packed directory, its blob and
 * the configuration. Read-only once configured, so the planner and the
 * executor's workers share it without a lock; per-run module state lives in
 * the executor (exec.h). */
#ifndef MODLOAD_CTX_H
#define MODLOAD_CTX_H

#include "blob.h"
#include "config.h"
#include "lookup.h"

#include <limits.h>

/* The runtime configuration file inside an image. */
#define RUNTIME_CONFIG "/etc/modload.conf"

enum {
	CTX_DRY_RUN = 1 << 0,	/* print, do not insert */
	CTX_BLACKLIST = 1 << 1, /* honour blacklist for name loads too (modprobe -b) */
	CTX_QUIET = 1 << 2,
	CTX_VERBOSE = 1 << 3,
	CTX_SHOW = 1 << 4,   /* --show-depends: print insmod lines */
	CTX_NO_CMD = 1 << 5, /* modprobe -i: no install/remove command */
};

struct ml_ctx {
	char dir[PATH_MAX];
	struct blob b;
	unsigned flags;
	struct alias_list extra; /* cfg's aliases, as lookup takes them */
	struct config cfg;	 /* runtime configuration (file, command line) */
	const char *file;	 /* modprobe PATH: module file_mod is inserted from file */
	unsigned file_mod;
};

/* Open dir (NULL: /lib/modules/`uname -r`) and its blob. On error a one-line
 * message naming the file has been logged. */
int ctx_open(struct ml_ctx *c, const char *dir, const char *kver);
void ctx_close(struct ml_ctx *c);
/* ROOT/lib/modules/KVER into out (root NULL: from /; kver NULL: the
 * running kernel's release). 0, or uname's -errno. */
int ctx_modules_dir(char *out, size_t cap, const char *root, const char *kver);
/* The path of mod's file: c->file for c->file_mod, else dir/its blob path.
 * Returns 0, or blob_mod_path's error, or -ENAMETOOLONG. */
int ctx_mod_path(const struct ml_ctx *c, unsigned mod, char *buf, size_t cap);
/* Add the runtime configuration: a file (missing is fine) and, when
 * cmdline is not NULL, kernel command line text. */
void ctx_configure(struct ml_ctx *c, const char *file, const char *cmdline);
/* Before inserting anything: is the blob built for the running kernel?
 * Returns 0, or -EXDEV after logging which kernel it is for. */
int ctx_check_kernel(const struct ml_ctx *c);
/* ctx_configure with file and the kernel command line of /proc/cmdline
 * (none when it cannot be read). */
void ctx_configure_boot(struct ml_ctx *c, const char *file);
/* lookup() of name through the blob and the configuration's aliases, into
 * h (made ready here; hits_free it after). */
int ctx_lookup(const struct ml_ctx *c, const char *name, struct hits *h);
/* mod's dependencies (blob_list: *n of them, read through blob_u16). */
const uint8_t *ctx_deps(const struct ml_ctx *c, unsigned mod, uint32_t *n);
/* Is mod blacklisted / forbidden by the blob or the runtime configuration? */
int ctx_blacklisted(const struct ml_ctx *c, unsigned mod);
int ctx_forbidden(const struct ml_ctx *c, unsigned mod);

/* mod's "pre" (post = 0) or "post" softdep names: those of the runtime
 * configuration's first matching softdep line, else the blob's (which
 * already holds the build-time configuration's). Every name is followed. */
struct softdep_names {
	const struct cfg_softdep *sd; /* the runtime line, or NULL */
	uint32_t off;		      /* else the blob's SLIST */
	int post;
	unsigned n;
};
void ctx_softdeps(const struct ml_ctx *c, unsigned mod, int post, struct softdep_names *s);
const char *ctx_softdep(const struct ml_ctx *c, const struct softdep_names *s, unsigned i);

/* mod's install command, or NULL: the first install line matching its name
 * (for mod == blob_nmods(), a name that is no module: exactly name), unless
 * it has softdeps (kmod then inserts it). */
const struct cfg_cmd *ctx_install(const struct ml_ctx *c, unsigned mod, const char *name);

/* The parameter string for inserting mod: its configured options (build
 * time, runtime file, command line), those given for alias (the name it was
 * asked for by, or NULL), then params (or NULL): the kernel keeps the last
 * value of a parameter given twice. malloc'd, any length; NULL only when out
 * of memory. */
char *ctx_options(const struct ml_ctx *c, unsigned mod, const char *alias, const char *params);

#endif
