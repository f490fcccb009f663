/* pack.c: turn a module tree into the packer's model (names, dependencies,
 * softdeps) before selection and serialisation. */
#include "pack.h"

#include "alias.h"
#include "blob.h"
#include "buf.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct pmod *)a)->name, ((const struct pmod *)b)->name);
}

int pack_find(const struct pack *p, const char *name)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->m[mid].name, name);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* "pre: a b post: c" -> the words after each keyword (kmod's softdep syntax). */
static void parse_softdep(const char *v, struct pmod *m)
{
	const char ***list = NULL;
	size_t *count = NULL;
	char *copy = xstrdup(v), *save = NULL;

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(w, "pre:")) {
			list = &m->pre;
			count = &m->npre;
		} else if (!strcmp(w, "post:")) {
			list = &m->post;
			count = &m->npost;
		} else if (list) {
			*list = xrealloc(*list, (*count + 1) * sizeof **list);
			(*list)[(*count)++] = xstrdup(w);
		}
	}
	free(copy);
}

static void direct_deps(struct pack *p, struct pmod *m)
{
	const char **vals;
	size_t nv = mt_values(m->src->info, m->src->ninfo, "depends", &vals);

	for (size_t k = 0; k < nv; k++) {
		char *copy = xstrdup(vals[k]), *save = NULL;
		for (char *d = strtok_r(copy, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
			char norm[ALIAS_MAX];
			modname_normalize(d, norm, sizeof norm);
			int idx = pack_find(p, norm);
			if (idx < 0 || p->m[idx].builtin) {
				if (idx < 0)
					log_warn("%s: depends on unknown module %s", m->relpath,
						 norm);
				continue;
			}
			m->deps = xrealloc(m->deps, (m->ndeps + 1) * sizeof *m->deps);
			m->deps[m->ndeps++] = (unsigned)idx;
		}
		free(copy);
	}
	free(vals);
}

/* After sorting: a module file and built-in code of the same name (6.12's
 * drivers/misc/c2port/core.ko and the parameters of a built-in "core") are
 * one name to kmod, whose modules.dep lookup finds the file first; a
 * depends= names the file too. Keep the file, drop the built-in entry. */
static void drop_shadowed_builtins(struct pack *p)
{
	size_t k = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct pmod *m = &p->m[i];
		int twin = (i > 0 && !strcmp(p->m[i - 1].name, m->name)) ||
			   (i + 1 < p->n && !strcmp(p->m[i + 1].name, m->name));
		if (twin && m->builtin) {
			log_warn("module %s is both built in and a file; using the file", m->name);
			continue;
		}
		p->m[k++] = *m;
	}
	p->n = k;
}

int pack_from_tree(struct pack *p, const struct modtree *t)
{
	memset(p, 0, sizeof *p);
	p->kver = t->kver;
	p->m = calloc(t->nmods + t->nbuiltins + 1, sizeof *p->m);
	if (!p->m)
		return -12;
	for (size_t i = 0; i < t->nmods; i++) {
		struct pmod *m = &p->m[p->n++];
		m->name = t->mods[i].name;
		m->relpath = t->mods[i].relpath;
		m->order = t->mods[i].order;
		m->src = &t->mods[i];
	}
	for (size_t i = 0; i < t->nbuiltins; i++) {
		struct pmod *m = &p->m[p->n++];
		m->name = t->builtins[i].name;
		m->order = t->builtins[i].order;
		m->builtin = 1;
		m->bsrc = &t->builtins[i];
		/* kmod knows a built-in name from modules.builtin only; code
		 * with records in modules.builtin.modinfo alone ("workqueue",
		 * "debugfs") is found through its aliases, never by name. */
		if (!t->builtins[i].in_builtin_list)
			m->flags |= BM_NONAME;
	}
	qsort(p->m, p->n, sizeof *p->m, by_name);
	drop_shadowed_builtins(p);
	for (size_t i = 0; i < p->n; i++) {
		struct pmod *m = &p->m[i];
		const char **vals;
		size_t nv;
		if (!m->src)
			continue;
		direct_deps(p, m);
		/* kmod honours a module's first softdep line only. */
		nv = mt_values(m->src->info, m->src->ninfo, "softdep", &vals);
		if (nv > 0)
			parse_softdep(vals[0], m);
		free(vals);
	}
	pack_order_by_symbols(p);
	pack_order_deps(p);
	return 0;
}

void pmod_free_softdeps(struct pmod *m)
{
	for (size_t k = 0; k < m->npre; k++)
		free((char *)m->pre[k]);
	for (size_t k = 0; k < m->npost; k++)
		free((char *)m->post[k]);
	free(m->pre);
	free(m->post);
	m->pre = m->post = NULL;
	m->npre = m->npost = 0;
}

void pack_free(struct pack *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct pmod *m = &p->m[i];
		pmod_free_softdeps(m);
		free(m->deps);
		free(m->load);
	}
	free(p->m);
	free(p->cfg_alias);
	free(p->cfg_options);
	free(p->cfg_cmds);
	memset(p, 0, sizeof *p);
}
