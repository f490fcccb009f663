/* plan.c: load order for one module including softdeps (see plan.h). */
#include "plan.h"

#include <string.h>

static void probe(const struct blob *b, struct plan *p, unsigned mod, int required);

static void append(struct plan *p, unsigned mod, int required)
{
	if (p->n < PLAN_MAX) {
		p->required[p->n] = (unsigned char)required;
		p->mod[p->n++] = mod;
	} else
		p->overflow = 1;
}

/* Softdeps come as names or aliases; each resolves to every module it matches. */
static void soft(const struct blob *b, struct plan *p, const char *name)
{
	struct hit h[LOOKUP_MAX];
	int n = lookup(b, p->extra, name, h, LOOKUP_MAX);
	for (int i = 0; i < n; i++)
		if (h[i].mod >= 0)
			probe(b, p, (unsigned)h[i].mod, 0);
}

static int blob_softdeps(const struct blob *b, unsigned mod, int post, const char **names, int max)
{
	struct blob_extra x = blob_mod_extra(b, mod);
	uint32_t off = post ? x.soft_post : x.soft_pre, n = blob_slist_count(b, off);
	int k = 0;
	for (uint32_t i = 0; i < n && k < max; i++)
		names[k++] = blob_slist_item(b, off, i);
	return k;
}

static void with_softdeps(const struct blob *b, struct plan *p, unsigned mod, int required)
{
	const char *const *pre = NULL, *const *post = NULL;
	const char *bpre[64], *bpost[64];
	unsigned npre = 0, npost = 0;

	if (!p->softdeps || !p->softdeps(p->ctx, mod, &pre, &npre, &post, &npost)) {
		npre = (unsigned)blob_softdeps(b, mod, 0, bpre, 64);
		npost = (unsigned)blob_softdeps(b, mod, 1, bpost, 64);
		pre = bpre;
		post = bpost;
	}
	for (unsigned i = 0; i < npre; i++)
		soft(b, p, pre[i]);
	probe(b, p, mod, required);
	for (unsigned i = 0; i < npost; i++)
		soft(b, p, post[i]);
}

static void probe(const struct blob *b, struct plan *p, unsigned mod, int required)
{
	uint32_t n;
	const uint8_t *deps;

	if (mod >= blob_nmods(b) || p->visited[mod])
		return;
	p->visited[mod] = 1;
	deps = blob_list(b, blob_mod(b, mod)->deps, &n);
	for (uint32_t i = 0; i < n; i++)
		with_softdeps(b, p, blob_u16(deps + 2 * i), required);
	append(p, mod, required);
}

void plan_module(const struct blob *b, struct plan *p, unsigned mod)
{
	with_softdeps(b, p, mod, 1);
}
