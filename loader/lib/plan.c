/* plan.c: load order for one module, built exactly as kmod's modprobe
 * builds it (so that --show-depends prints the same lines):
 *
 *   probe(M):    once per module: for each dependency D of M in load order,
 *                place(D); then place(M).
 *   place(M):    probe() every module a "pre" softdep of M names, append M
 *                (even if it is already in the list: kmod repeats it too),
 *                then probe() every module a "post" softdep names.
 *
 * A module's softdeps are those of the first configuration line whose
 * pattern matches its name, else its own (.modinfo) first softdep line.
 * The module asked for and its dependencies are required; a module only
 * reached through softdeps is not, so its failure is not fatal. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

enum { VISITED = 1, REQUIRED = 2 };

static void probe(struct ml_ctx *c, struct plan *p, unsigned mod);

static void append(struct ml_ctx *c, struct plan *p, unsigned mod)
{
	if (p->n < PLAN_MAX) {
		p->required[p->n] = (c->visited[mod] & REQUIRED) != 0;
		p->mod[p->n++] = mod;
	} else
		p->overflow = 1;
}

/* A softdep names a module or an alias: every module it resolves to. */
static void soft(struct ml_ctx *c, struct plan *p, unsigned mod, int post)
{
	const char **names;
	unsigned n = ctx_softdeps(c, mod, post, &names);

	for (unsigned i = 0; i < n; i++) {
		struct modlist hits;
		modlist_init(&hits);
		lookup_mods(&c->b, &c->extra, names[i], &hits); /* none on error */
		for (unsigned j = 0; j < hits.n; j++)
			probe(c, p, hits.v[j]);
		modlist_free(&hits);
	}
	free(names);
}

static void place(struct ml_ctx *c, struct plan *p, unsigned mod)
{
	soft(c, p, mod, 0);
	append(c, p, mod);
	soft(c, p, mod, 1);
}

static void probe(struct ml_ctx *c, struct plan *p, unsigned mod)
{
	uint32_t n;
	const uint8_t *deps;

	if (mod >= blob_nmods(&c->b) || (c->visited[mod] & VISITED))
		return;
	c->visited[mod] |= VISITED;
	deps = blob_list(&c->b, blob_mod(&c->b, mod).deps, &n);
	for (uint32_t i = 0; i < n; i++)
		place(c, p, blob_u16(deps + 2 * i));
	place(c, p, mod);
}

void plan_module(struct ml_ctx *c, struct plan *p, unsigned mod)
{
	uint32_t n;
	const uint8_t *deps = blob_list(&c->b, blob_mod(&c->b, mod).deps, &n);

	memset(c->visited, 0, blob_nmods(&c->b));
	p->n = 0;
	p->overflow = 0;
	c->visited[mod] |= REQUIRED;
	for (uint32_t i = 0; i < n; i++)
		c->visited[blob_u16(deps + 2 * i)] |= REQUIRED;
	probe(c, p, mod);
}
