/* ctx.c: open the packed directory, configure, and answer from the configuration. */
#include "ctx.h"

#include "alias.h"
#include "fmt.h"
#include "log.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Build-time options lines become the first lines of the configuration. */
static int ctx_blob_options(struct ml_ctx *c)
{
	uint32_t len;
	const uint8_t *o = blob_sec(&c->b, SEC_CFGOPTS, &len);

	for (uint32_t off = 0; off + 8 <= len; off += 8) {
		if (config_add_options(&c->cfg, blob_str(&c->b, blob_u32(o + off)),
				       blob_str(&c->b, blob_u32(o + off + 4))) < 0)
			return -ENOMEM;
	}
	o = blob_sec(&c->b, SEC_CFGCMDS, &len);
	for (uint32_t off = 0; off + 16 <= len; off += 16)
		if (config_add_cmd(&c->cfg, blob_str(&c->b, blob_u32(o + off))[0] == 'r',
				   blob_str(&c->b, blob_u32(o + off + 4)),
				   blob_str(&c->b, blob_u32(o + off + 8)),
				   blob_str(&c->b, blob_u32(o + off + 12))) < 0)
			return -ENOMEM;
	return 0;
}

int ctx_modules_dir(char *out, size_t cap, const char *root, const char *kver)
{
	struct utsname u;

	if (!kver) {
		if (uname(&u) < 0)
			return -errno;
		kver = u.release;
	}
	fmt_snprintf(out, cap, "%s/lib/modules/%s", root ? root : "", kver);
	return 0;
}

int ctx_open(struct ml_ctx *c, const char *dir, const char *kver)
{
	char path[PATH_MAX + 32];
	const char *why;
	int err;

	memset(c, 0, sizeof *c);
	if (!dir) {
		if ((err = ctx_modules_dir(c->dir, sizeof c->dir, NULL, kver)) < 0)
			return err;
	} else
		fmt_snprintf(c->dir, sizeof c->dir, "%s", dir);
	fmt_snprintf(path, sizeof path, "%s/%s", c->dir, BLOB_FILE);
	err = blob_open(&c->b, path, &why);
	if (err) {
		log_err("%s: %s", path, why ? why : strerror(-err));
		return err;
	}
	if ((err = ctx_blob_options(c)) < 0)
		ctx_close(c);
	return err;
}

int ctx_mod_path(const struct ml_ctx *c, unsigned mod, char *buf, size_t cap)
{
	char rel[PATH_MAX];
	int own = c->file && mod == c->file_mod;
	int err = own ? 0 : blob_mod_path(&c->b, mod, rel, sizeof rel);

	if (err < 0)
		return err;
	return (size_t)fmt_snprintf(buf, cap, "%s%s%s", own ? c->file : c->dir, own ? "" : "/",
				    own ? "" : rel) < cap
		       ? 0
		       : -ENAMETOOLONG;
}

void ctx_configure(struct ml_ctx *c, const char *file, const char *cmdline)
{
	if (file)
		config_parse_path(&c->cfg, file);
	if (cmdline)
		config_parse_cmdline(&c->cfg, cmdline);
	c->extra.pat = (const char *const *)c->cfg.alias_pat;
	c->extra.mod = (const char *const *)c->cfg.alias_mod;
	c->extra.n = c->cfg.nalias;
}

void ctx_configure_boot(struct ml_ctx *c, const char *file)
{
	char *text = NULL;
	size_t len;

	read_whole_file(AT_FDCWD, "/proc/cmdline", 1u << 20, &text, &len);
	ctx_configure(c, file, text);
	free(text);
}

/* Does the blob flag mod so (flag), or the runtime configuration's list? */
static int listed(const struct ml_ctx *c, unsigned mod, unsigned flag, char *const *list,
		  unsigned n)
{
	struct blob_mod m = blob_mod(&c->b, mod);
	return mod < blob_nmods(&c->b) &&
	       ((m.flags & flag) || config_has(list, n, blob_str(&c->b, m.name)));
}

int ctx_blacklisted(const struct ml_ctx *c, unsigned mod)
{
	return listed(c, mod, BM_BLACKLIST, c->cfg.blacklist, c->cfg.nblacklist);
}

int ctx_forbidden(const struct ml_ctx *c, unsigned mod)
{
	return listed(c, mod, BM_FORBID, c->cfg.forbid, c->cfg.nforbid);
}

const uint8_t *ctx_deps(const struct ml_ctx *c, unsigned mod, uint32_t *n)
{
	return blob_list(&c->b, blob_mod(&c->b, mod).deps, n);
}

int ctx_lookup(const struct ml_ctx *c, const char *name, struct hits *h)
{
	hits_init(h);
	return lookup(&c->b, &c->extra, name, h);
}

int ctx_check_kernel(const struct ml_ctx *c)
{
	struct utsname u;

	if (uname(&u) < 0 || !strcmp(u.release, blob_kver(&c->b)))
		return 0;
	log_err("%s/%s: built for kernel %s, but this is %s: its modules would not load", c->dir,
		BLOB_FILE, blob_kver(&c->b), u.release);
	return -EXDEV;
}

void ctx_softdeps(const struct ml_ctx *c, unsigned mod, int post, struct softdep_names *s)
{
	struct blob_extra x = blob_mod_extra(&c->b, mod);

	s->sd = config_softdep(&c->cfg, blob_mod_name(&c->b, mod));
	/* As kmod: a module's own softdeps come as the file modules.softdep,
	 * read in name order with the configuration files. */
	if (s->sd && !s->sd->early && !(blob_mod(&c->b, mod).flags & BM_SOFTDEP_CFG) &&
	    (blob_slist_count(&c->b, x.soft_pre) || blob_slist_count(&c->b, x.soft_post)))
		s->sd = NULL;
	s->off = post ? x.soft_post : x.soft_pre;
	s->post = post;
	s->n = s->sd ? (post ? s->sd->npost : s->sd->npre) : blob_slist_count(&c->b, s->off);
}

const char *ctx_softdep(const struct ml_ctx *c, const struct softdep_names *s, unsigned i)
{
	if (s->sd)
		return s->post ? s->sd->post[i] : s->sd->pre[i];
	return blob_slist_item(&c->b, s->off, i);
}

const struct cfg_cmd *ctx_install(const struct ml_ctx *c, unsigned mod, const char *name)
{
	struct softdep_names pre, post;

	if (mod < blob_nmods(&c->b)) {
		ctx_softdeps(c, mod, 0, &pre);
		ctx_softdeps(c, mod, 1, &post);
		if (pre.n || post.n)
			return NULL;
		return config_cmd(&c->cfg, blob_mod_name(&c->b, mod), 0);
	}
	for (unsigned i = 0; name && i < c->cfg.ncmds; i++)
		if (!c->cfg.cmds[i].remove && !strcmp(c->cfg.cmds[i].mod, name))
			return &c->cfg.cmds[i];
	return NULL;
}

char *ctx_options(const struct ml_ctx *c, unsigned mod, const char *alias, const char *params)
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

void ctx_close(struct ml_ctx *c)
{
	config_free(&c->cfg);
	blob_close(&c->b);
}
