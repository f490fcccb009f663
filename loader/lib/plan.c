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

#include <string.h>

enum { VISITED = 1, REQUIRED = 2 };

static void probe(const struct blob *b, struct plan *p, unsigned mod);

static void append(struct plan *p, unsigned mod)
{
	if (p->n < PLAN_MAX) {
		p->required[p->n] = (p->visited[mod] & REQUIRED) != 0;
		p->mod[p->n++] = mod;
	} else
		p->overflow = 1;
}

/* A softdep names a module or an alias: every module it resolves to. */
static void soft(const struct blob *b, struct plan *p, const char *name)
{
	struct hit h[LOOKUP_MAX];
	int n = lookup(b, p->extra, name, h, LOOKUP_MAX);
	for (int i = 0; i < n; i++)
		if (h[i].mod >= 0)
			probe(b, p, (unsigned)h[i].mod);
}

static unsigned blob_softdeps(const struct blob *b, unsigned mod, int post, const char **names,
			      unsigned max)
{
	struct blob_extra x = blob_mod_extra(b, mod);
	uint32_t off = post ? x.soft_post : x.soft_pre, n = blob_slist_count(b, off);
	unsigned k = 0;
	for (uint32_t i = 0; i < n && k < max; i++)
		names[k++] = blob_slist_item(b, off, i);
	return k;
}

static void place(const struct blob *b, struct plan *p, unsigned mod)
{
	const char *const *pre = NULL, *const *post = NULL;
	const char *bpre[64], *bpost[64];
	unsigned npre = 0, npost = 0;

	if (!p->softdeps || !p->softdeps(p->ctx, mod, &pre, &npre, &post, &npost)) {
		npre = blob_softdeps(b, mod, 0, bpre, 64);
		npost = blob_softdeps(b, mod, 1, bpost, 64);
		pre = bpre;
		post = bpost;
	}
	for (unsigned i = 0; i < npre; i++)
		soft(b, p, pre[i]);
	append(p, mod);
	for (unsigned i = 0; i < npost; i++)
		soft(b, p, post[i]);
}

static void probe(const struct blob *b, struct plan *p, unsigned mod)
{
	uint32_t n;
	const uint8_t *deps;

	if (mod >= blob_nmods(b) || (p->visited[mod] & VISITED))
		return;
	p->visited[mod] |= VISITED;
	deps = blob_list(b, blob_mod(b, mod)->deps, &n);
	for (uint32_t i = 0; i < n; i++)
		place(b, p, blob_u16(deps + 2 * i));
	place(b, p, mod);
}

void plan_module(const struct blob *b, struct plan *p, unsigned mod)
{
	uint32_t n;
	const uint8_t *deps = blob_list(b, blob_mod(b, mod)->deps, &n);

	p->visited[mod] |= REQUIRED;
	for (uint32_t i = 0; i < n; i++)
		p->visited[blob_u16(deps + 2 * i)] |= REQUIRED;
	probe(b, p, mod);
}
