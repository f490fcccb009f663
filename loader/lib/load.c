/* load.c: carry out load plans, inserting each module at most once per run. */
#include "load.h"

#include "alias.h"
#include "fmt.h"
#include "log.h"
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Configured options (build time, runtime file, command line: see
 * ctx_open) for the module or the alias it was asked for by, then what the
 * caller gave: the kernel keeps the last value of a parameter given twice.
 * malloc'd, as long as they are; NULL when memory ran out. */
static char *module_options(const struct ml_ctx *c, unsigned mod, const char *alias,
			    const char *params)
{
	char *cfg, *all;

	if (config_options(&c->cfg, blob_mod_name(&c->b, mod), alias, &cfg) < 0)
		return NULL;
	if (!params || !*params)
		return cfg;
	all = fmt_alloc("%s%s%s", cfg, *cfg ? " " : "", params);
	free(cfg);
	return all;
}

/* Why blob_mod_path could not name a module's file (see blob.h). */
static const char *path_strerror(int err)
{
	switch (err) {
	case -EBADMSG: return "its record in " BLOB_FILE " is corrupt";
	case -ENAMETOOLONG: return "the path of its file is too long";
	case -ENOENT: return "it has no file (built in)";
	default: return insert_strerror(err);
	}
}

const char *load_strerror(const struct ml_ctx *c, unsigned mod, int err)
{
	char rel[PATH_MAX];
	int perr = blob_mod_path(&c->b, mod, rel, sizeof rel);
	return perr < 0 ? path_strerror(perr) : insert_strerror(err);
}

void load_report(const struct ml_ctx *c, unsigned mod, int err)
{
	char rel[PATH_MAX];
	int perr = blob_mod_path(&c->b, mod, rel, sizeof rel);

	if (perr < 0) /* the insert failed before any file: say why */
		log_err("could not insert '%s' (%s/%s): %s", blob_mod_name(&c->b, mod), c->dir,
			BLOB_FILE, path_strerror(perr));
	else
		log_err("could not insert '%s' (%s/%s): %s", blob_mod_name(&c->b, mod), c->dir, rel,
			insert_strerror(err));
}

int load_insert(const struct ml_ctx *c, unsigned mod, const char *alias, const char *params,
		struct insert_buf *buf)
{
	char rel[PATH_MAX], path[2 * PATH_MAX], *opts;
	int err = blob_mod_path(&c->b, mod, rel, sizeof rel);

	if (err < 0)
		return err; /* corrupt record, too long, or no file: load_strerror says which */
	if ((size_t)fmt_snprintf(path, sizeof path, "%s/%s", c->dir, rel) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!(opts = module_options(c, mod, alias, params)))
		return -ENOMEM;
	if (c->flags & CTX_VERBOSE)
		log_msg(LOG_N, "insmod %s %s", path, opts);
	err = insert_module(path, opts, buf);
	free(opts);
	return err;
}

/* --show-depends and -n -v: one line per plan entry, repeats included,
 * formatted as kmod prints them. */
static void show_one(const struct ml_ctx *c, unsigned mod, const char *alias, const char *params)
{
	struct blob_mod m = blob_mod(&c->b, mod);
	char rel[PATH_MAX], *opts;

	if (!(c->flags & CTX_SHOW) && c->state[mod] == MS_LIVE)
		return; /* a dry run skips what is loaded; --show-depends does not */
	if (!(c->flags & (CTX_SHOW | CTX_VERBOSE)))
		return;
	if (m.flags & BM_BUILTIN) {
		fd_printf(1, "builtin %s\n", blob_str(&c->b, m.name));
		return;
	}
	int err = blob_mod_path(&c->b, mod, rel, sizeof rel);
	if (err < 0) {
		log_err("%s: %s", blob_str(&c->b, m.name), path_strerror(err));
		return;
	}
	if (!(opts = module_options(c, mod, alias, params))) {
		log_err("%s: %s", blob_str(&c->b, m.name), strerror(ENOMEM));
		return;
	}
	fd_printf(1, "insmod %s/%s %s%s\n", c->dir, rel, opts, *opts ? " " : "");
	free(opts);
}

static int insert_one(struct ml_ctx *c, unsigned mod, const char *alias, const char *params,
		      int required)
{
	struct blob_mod m = blob_mod(&c->b, mod);
	const char *name = blob_str(&c->b, m.name);
	int err;

	if (c->state[mod] == MS_LIVE)
		return 0;
	if (c->state[mod] == MS_FAILED)
		return -EAGAIN;
	if (m.flags & BM_BUILTIN) {
		c->state[mod] = MS_LIVE;
		c->builtin++;
		return 0;
	}
	err = load_insert(c, mod, alias, params, &c->buf);
	if (err == -EEXIST) {
		c->state[mod] = MS_LIVE;
		c->already++;
		return 0;
	}
	if (err < 0 && !required) {
		c->state[mod] = MS_FAILED;
		log_info("softdep %s not loaded: %s", name, load_strerror(c, mod, err));
		return err;
	}
	if (err < 0) {
		c->state[mod] = MS_FAILED;
		c->failed++;
		load_report(c, mod, err);
		return err;
	}
	c->state[mod] = MS_LIVE;
	c->loaded++;
	return 0;
}

/* Load one module and its plan; alias (or NULL) is the name it was asked for
 * by, whose configured options apply too. */
static int load_module(struct ml_ctx *c, unsigned mod, const char *alias, const char *params)
{
	static struct plan p;
	struct blob_mod m = blob_mod(&c->b, mod);

	if (mod >= blob_nmods(&c->b))
		return -ENOENT;
	if (ctx_forbidden(c, mod)) {
		log_msg(c->flags & CTX_QUIET ? LOG_D : LOG_N,
			"%s: not loaded: forbidden by configuration", blob_str(&c->b, m.name));
		c->skipped++;
		return -EPERM;
	}
	plan_module(c, &p, mod);
	if (p.overflow)
		log_warn("%s: dependency plan longer than %d modules, truncated",
			 blob_str(&c->b, m.name), PLAN_MAX);
	if (c->flags & (CTX_SHOW | CTX_DRY_RUN)) {
		if (!(c->flags & CTX_SHOW) && c->state[mod] == MS_LIVE)
			return 0; /* kmod: nothing to do for a loaded module */
		for (int i = 0; i < p.n; i++)
			show_one(c, p.mod[i], p.mod[i] == mod ? alias : NULL,
				 p.mod[i] == mod ? params : NULL);
		return 0;
	}
	for (int i = 0; i < p.n; i++) {
		int target = p.mod[i] == mod;
		int err = insert_one(c, p.mod[i], target ? alias : NULL, target ? params : NULL,
				     p.required[i]);
		if (err < 0 && p.required[i])
			return err; /* like modprobe: a required module's failure ends the chain */
	}
	return 0;
}

/* Load what a lookup of name found (n hits, or its error). */
static int load_hits(struct ml_ctx *c, const char *name, const char *params, const struct hit *h,
		     int n)
{
	int err = 0;

	if (n <= 0)
		return n < 0 ? n : -ENOENT;
	for (int i = 0; i < n; i++) {
		if (h[i].kind == HIT_UNKNOWN) {
			log_err("%s: alias of %s, which is not in %s", name, h[i].name, c->dir);
			err = -ENOENT;
			continue;
		}
		/* As kmod: blacklist stops alias loads always, name loads with -b. */
		if ((h[i].via_alias || (c->flags & CTX_BLACKLIST)) &&
		    ctx_blacklisted(c, (unsigned)h[i].mod)) {
			log_dbg("%s: %s is blacklisted", name, h[i].name);
			c->skipped++;
			continue;
		}
		char norm[ALIAS_MAX];
		modname_normalize(name, norm, sizeof norm);
		int e = load_module(c, (unsigned)h[i].mod, h[i].via_alias ? norm : NULL, params);
		if (e < 0 && !err)
			err = e;
	}
	return err;
}

int load_name(struct ml_ctx *c, const char *name, const char *params)
{
	struct hits hl;
	int n, err;

	hits_init(&hl);
	n = lookup(&c->b, &c->extra, name, &hl);
	err = load_hits(c, name, params, hl.v, n);
	hits_free(&hl);
	return err;
}
