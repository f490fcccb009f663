/* buildcfg.c: apply a build-time configuration to the pack, so that the
 * blob carries it: options, blacklist/forbid/load flags, softdeps and
 * aliases. Names the tree does not have are reported, not fatal: a shared
 * config may mention modules another kernel has. */
#include "pack.h"

#include "blob.h"
#include "buf.h"
#include "config.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pmod *find(struct pack *p, const char *name, const char *what)
{
	int i = pack_find(p, name);
	if (i >= 0)
		return &p->m[i];
	if (!p->quiet_config)
		log_warn("config: %s %s: no such module in this kernel", what, name);
	return NULL;
}

static void flag_all(struct pack *p, char *const *names, unsigned n, unsigned flag,
		     const char *what)
{
	for (unsigned i = 0; i < n; i++) {
		struct pmod *m = find(p, names[i], what);
		if (m)
			m->flags |= flag;
	}
}

/* Options lines go into the blob as they are: they may name an alias, and
 * the loader applies them to a module loaded through that alias too. */
static void add_options(struct pack *p, const struct config *c)
{
	p->cfg_options = xrealloc(NULL, (2 * c->noptions + 1) * sizeof *p->cfg_options);
	for (unsigned i = 0; i < c->noptions; i++) {
		p->cfg_options[2 * i] = c->options[i].mod;
		p->cfg_options[2 * i + 1] = c->options[i].opts;
	}
	p->ncfg_options = 2 * c->noptions;
	p->cfg_cmds = xrealloc(NULL, (4 * c->ncmds + 1) * sizeof *p->cfg_cmds);
	for (unsigned i = 0; i < c->ncmds; i++) {
		p->cfg_cmds[4 * i] = c->cmds[i].remove ? "remove" : "install";
		p->cfg_cmds[4 * i + 1] = c->cmds[i].mod;
		p->cfg_cmds[4 * i + 2] = c->cmds[i].cmd;
		p->cfg_cmds[4 * i + 3] = c->cmds[i].where;
	}
	p->ncfg_cmds = 4 * c->ncmds;
}

static const char **copy_list(char *const *v, unsigned n)
{
	const char **out = xrealloc(NULL, (n + 1) * sizeof *out);
	for (unsigned i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

/* Config softdep lines come before the modules' own, and the first line
 * whose pattern matches a module's name is the one that counts (kmod). */
static void set_softdeps(struct pack *p, const struct config *c)
{
	for (size_t i = 0; i < p->n; i++) {
		struct pmod *m = &p->m[i];
		const struct cfg_softdep *sd = config_softdep(c, m->name);
		/* As kmod: a module's own softdeps are read as modules.softdep,
		 * in name order with the configuration files. */
		if (!sd || m->builtin || (!sd->early && (m->npre || m->npost)))
			continue;
		pmod_free_softdeps(m);
		m->pre = copy_list(sd->pre, sd->npre);
		m->npre = sd->npre;
		m->post = copy_list(sd->post, sd->npost);
		m->npost = sd->npost;
		m->flags |= BM_SOFTDEP_CFG;
	}
	for (unsigned i = 0; i < c->nsoftdeps; i++)
		if (!strpbrk(c->softdeps[i].mod, "*?[") && pack_find(p, c->softdeps[i].mod) < 0)
			find(p, c->softdeps[i].mod, "softdep"); /* says it is unknown */
}

int pack_apply_config(struct pack *p, const struct config *c)
{
	flag_all(p, c->blacklist, c->nblacklist, BM_BLACKLIST, "blacklist");
	flag_all(p, c->forbid, c->nforbid, BM_FORBID, "forbid");
	flag_all(p, c->load, c->nload, BM_LOAD, "load");
	add_options(p, c);
	set_softdeps(p, c);
	p->cfg_alias = xrealloc(NULL, (2 * c->nalias + 1) * sizeof *p->cfg_alias);
	for (unsigned i = 0; i < c->nalias; i++) {
		p->cfg_alias[2 * i] = c->alias_pat[i];
		p->cfg_alias[2 * i + 1] = c->alias_mod[i];
	}
	p->ncfg_alias = 2 * c->nalias;
	return 0;
}
