/* symorder.c: order each module's direct dependencies the way depmod does:
 * by where in the module's symbol table the first symbol each dependency
 * provides is used. (Which modules are dependencies is depends=; this only
 * settles their order, which decides modprobe's load order.) */
#include "pack.h"

#include "blob.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

struct owners {
	const char **name;
	unsigned *mod;
	size_t cap;
};

static size_t slot_of(const struct owners *o, const char *name)
{
	size_t i = blob_hash_str(name, strlen(name)) & (o->cap - 1);
	while (o->name[i] && strcmp(o->name[i], name))
		i = (i + 1) & (o->cap - 1);
	return i;
}

static void owners_build(struct owners *o, const struct pack *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += p->m[i].src ? p->m[i].src->nexports : 0;
	for (o->cap = 1024; o->cap < 2 * n; o->cap *= 2)
		;
	o->name = calloc(o->cap, sizeof *o->name);
	o->mod = xrealloc(NULL, o->cap * sizeof *o->mod);
	if (!o->name)
		o->name = xrealloc(NULL, 0); /* xrealloc reports and exits */
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; p->m[i].src && k < p->m[i].src->nexports; k++) {
			size_t s = slot_of(o, p->m[i].src->exports[k]);
			if (!o->name[s]) { /* the first exporter keeps the symbol */
				o->name[s] = p->m[i].src->exports[k];
				o->mod[s] = (unsigned)i;
			}
		}
}

static void order_one(struct pmod *m, const struct owners *o)
{
	unsigned *rank = xrealloc(NULL, (m->ndeps + 1) * sizeof *rank), next = 0;

	for (size_t k = 0; k < m->ndeps; k++)
		rank[k] = ~0u;
	for (size_t u = 0; u < m->src->nundef && next < m->ndeps; u++) {
		size_t s = slot_of(o, m->src->undef[u]);
		if (!o->name[s])
			continue;
		for (size_t k = 0; k < m->ndeps; k++)
			if (m->deps[k] == o->mod[s] && rank[k] == ~0u)
				rank[k] = next++;
	}
	for (size_t i = 1; i < m->ndeps; i++) /* stable insertion sort by rank */
		for (size_t k = i; k > 0 && rank[k - 1] > rank[k]; k--) {
			unsigned t = rank[k];
			rank[k] = rank[k - 1];
			rank[k - 1] = t;
			t = m->deps[k];
			m->deps[k] = m->deps[k - 1];
			m->deps[k - 1] = t;
		}
	free(rank);
}

void pack_order_by_symbols(struct pack *p)
{
	struct owners o;

	owners_build(&o, p);
	for (size_t i = 0; i < p->n; i++)
		if (p->m[i].src && p->m[i].ndeps > 1)
			order_one(&p->m[i], &o);
	free(o.name);
	free(o.mod);
}
