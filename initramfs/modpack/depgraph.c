/* depgraph.c: dependency closures in the order kmod loads them.
 *
 * depmod numbers modules by a topological sort that starts from modules
 * nobody depends on (taken last-first in modules.order order, as a stack)
 * and lists a module's whole closure by that number; modprobe then loads the
 * list back to front. Reproducing that order keeps `deps` identical to
 * `modprobe --show-depends`. */
#include "pack.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* Indices sorted by modules.order (unlisted ones after, by name): depmod's
 * module array. */
static const struct pack *sort_pack;

static int by_order(const void *a, const void *b)
{
	const struct pmod *x = &sort_pack->m[*(const unsigned *)a];
	const struct pmod *y = &sort_pack->m[*(const unsigned *)b];
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void topo_rank(const struct pack *p, const unsigned *arr, size_t n, unsigned *rank)
{
	unsigned *users = calloc(p->n + 1, sizeof *users);
	unsigned *stack = xrealloc(NULL, (p->n + 1) * sizeof *stack);
	size_t top = 0, next = 0;

	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < p->m[i].ndeps; k++)
			users[p->m[i].deps[k]]++;
	for (size_t i = 0; i < n; i++)
		if (users[arr[i]] == 0)
			stack[top++] = arr[i];
	while (top > 0) {
		unsigned s = stack[--top];
		rank[s] = (unsigned)next++;
		for (size_t k = 0; k < p->m[s].ndeps; k++)
			if (--users[p->m[s].deps[k]] == 0)
				stack[top++] = p->m[s].deps[k];
	}
	/* Modules in a dependency cycle never reach zero users: rank them last. */
	for (size_t i = 0; i < n; i++)
		if (users[arr[i]])
			rank[arr[i]] = (unsigned)next++;
	free(users);
	free(stack);
}

static const unsigned *sort_rank;

static int by_rank_desc(const void *a, const void *b)
{
	unsigned x = sort_rank[*(const unsigned *)a], y = sort_rank[*(const unsigned *)b];
	return (x < y) - (x > y);
}

static void closure(struct pack *p, unsigned m, unsigned char *seen, unsigned *stack)
{
	struct pmod *pm = &p->m[m];
	size_t top = 0;

	pm->nload = 0;
	pm->load = xrealloc(NULL, (p->n + 1) * sizeof *pm->load);
	memset(seen, 0, p->n);
	seen[m] = 1;
	for (size_t k = 0; k < pm->ndeps; k++)
		stack[top++] = pm->deps[k];
	while (top > 0) {
		unsigned d = stack[--top];
		if (seen[d])
			continue;
		seen[d] = 1;
		pm->load[pm->nload++] = d;
		for (size_t k = 0; k < p->m[d].ndeps; k++)
			if (!seen[p->m[d].deps[k]])
				stack[top++] = p->m[d].deps[k];
	}
	qsort(pm->load, pm->nload, sizeof *pm->load, by_rank_desc);
}

void pack_order_deps(struct pack *p)
{
	unsigned *arr = xrealloc(NULL, (p->n + 1) * sizeof *arr);
	unsigned *rank = xrealloc(NULL, (p->n + 1) * sizeof *rank);
	unsigned char *seen = xrealloc(NULL, p->n + 1);
	size_t edges = 0;

	for (size_t i = 0; i < p->n; i++) {
		arr[i] = (unsigned)i;
		edges += p->m[i].ndeps;
	}
	unsigned *stack = xrealloc(NULL, (2 * edges + 2) * sizeof *stack);
	sort_pack = p;
	qsort(arr, p->n, sizeof *arr, by_order);
	topo_rank(p, arr, p->n, rank);
	sort_rank = rank;
	for (size_t i = 0; i < p->n; i++)
		closure(p, (unsigned)i, seen, stack);
	free(arr);
	free(rank);
	free(seen);
	free(stack);
}
