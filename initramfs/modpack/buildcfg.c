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

static void flag_all(struct pack *p, char *const *names, unsigned n, unsigned flag, const char *what)
{
	for (unsigned i = 0; i < n; i++) {
		struct pmod *m = find(p, names[i], what);
		if (m)
			m->flags |= flag;
	}
}

static void add_options(struct pack *p, const struct config *c)
{
	for (unsigned i = 0; i < c->noptions; i++) {
		int k = pack_find(p, c->options[i].mod);
		if (k < 0)
			continue; /* options for an alias: applied at run time only */
		struct pmod *m = &p->m[k];
		size_t len = (m->options ? strlen(m->options) + 1 : 0) + strlen(c->options[i].opts) + 1;
		char *o = xrealloc(NULL, len);
		snprintf(o, len, "%s%s%s", m->options ? m->options : "", m->options ? " " : "",
			 c->options[i].opts);
		free((char *)m->options);
		m->options = o;
	}
}

static const char **copy_list(char *const *v, unsigned n)
{
	const char **out = xrealloc(NULL, (n + 1) * sizeof *out);
	for (unsigned i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static void set_softdeps(struct pack *p, const struct config *c)
{
	for (unsigned i = 0; i < c->nsoftdeps; i++) {
		const struct cfg_softdep *sd = config_softdep(c, c->softdeps[i].mod);
		struct pmod *m = sd == &c->softdeps[i] ? find(p, sd->mod, "softdep") : NULL;
		if (!m)
			continue;
		pmod_free_softdeps(m);
		m->pre = copy_list(sd->pre, sd->npre);
		m->npre = sd->npre;
		m->post = copy_list(sd->post, sd->npost);
		m->npost = sd->npost;
		m->flags |= BM_SOFTDEP_CFG;
	}
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
