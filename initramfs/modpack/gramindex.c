/* gramindex.c: choose each wildcard pattern's gram and write the lookup tables.
 *
 * A gram is 4 consecutive literal bytes of the pattern (no * ? [ ] \ inside).
 * Any string the pattern matches contains it, so filing the pattern under
 * that gram is safe. Among a pattern's grams the one shared by the fewest
 * other patterns is chosen, so that few patterns are tried per lookup. */
#include "aliaspack.h"

#include "alias.h"

#include <stdlib.h>
#include <string.h>

static int literal(char c)
{
	return c != '*' && c != '?' && c != '[' && c != ']' && c != '\\';
}

/* Open-addressing counter: gram -> number of patterns containing it. */
struct gcount {
	uint32_t *key, *cnt;
	size_t cap;
};

static uint32_t *slot(struct gcount *g, uint32_t k)
{
	size_t i = (k * 2654435761u) & (g->cap - 1);
	while (g->cnt[i] && g->key[i] != k)
		i = (i + 1) & (g->cap - 1);
	g->key[i] = k;
	return &g->cnt[i];
}

static int gram_at(const char *p, size_t i, uint32_t *g)
{
	for (size_t k = 0; k < BLOB_GRAM; k++)
		if (!p[i + k] || !literal(p[i + k]))
			return 0;
	memcpy(g, p + i, 4);
	return 1;
}

static void count_grams(const struct apair *pairs, size_t n, struct gcount *g)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = pairs[i].pat;
		size_t len = strlen(p);
		if (!alias_is_pattern(p))
			continue;
		for (size_t j = 0; j + BLOB_GRAM <= len; j++) {
			uint32_t k;
			int dup = 0;
			if (!gram_at(p, j, &k))
				continue;
			for (size_t e = 0; e < j && !dup; e++) /* count each pattern once */
				dup = !memcmp(p + e, p + j, BLOB_GRAM);
			if (!dup)
				(*slot(g, k))++;
		}
	}
}

/* The rarest gram of p, as the 4 bytes' position; -1 when it has none. */
static long rarest(const char *p, struct gcount *g)
{
	long best = -1;
	uint32_t bestc = 0;
	for (size_t j = 0; j + BLOB_GRAM <= strlen(p); j++) {
		uint32_t k, c;
		if (!gram_at(p, j, &k))
			continue;
		c = *slot(g, k);
		if (best < 0 || c < bestc) {
			best = (long)j;
			bestc = c;
		}
	}
	return best;
}

void gram_tables_build(const struct apair *pairs, size_t n, struct alias_tables *t)
{
	struct gcount g = { 0, 0, alias_pow2(n * 64 + 1024) };
	uint32_t *key = xrealloc(NULL, (n + 1) * sizeof *key);
	int *exact = xrealloc(NULL, (n + 1) * sizeof *exact);
	int *wild = xrealloc(NULL, (n + 1) * sizeof *wild);
	size_t nexact = 0, nwild = 0;

	g.key = xrealloc(NULL, g.cap * sizeof *g.key);
	g.cnt = calloc(g.cap, sizeof *g.cnt);
	if (!g.cnt)
		g.cnt = xrealloc(NULL, 0); /* xrealloc exits on failure */
	count_grams(pairs, n, &g);

	for (size_t i = 0; i < n; i++) {
		const char *p = pairs[i].pat;
		exact[i] = wild[i] = 0;
		if (!alias_is_pattern(p)) {
			exact[i] = 1;
			key[i] = blob_hash_str(p, strlen(p));
			nexact++;
			continue;
		}
		long at = rarest(p, &g);
		if (at < 0) {
			buf_u16(&t->always, (uint16_t)i);
			continue;
		}
		wild[i] = 1;
		nwild++;
	}
	t->exact_buckets = alias_pow2(nexact);
	alias_write_table(&t->exact, t->exact_buckets, key, exact, n);
	for (size_t i = 0; i < n; i++)
		if (wild[i])
			key[i] = blob_hash_gram(pairs[i].pat + rarest(pairs[i].pat, &g));
	t->gram_buckets = alias_pow2(nwild);
	alias_write_table(&t->grams, t->gram_buckets, key, wild, n);
	free(key);
	free(exact);
	free(wild);
	free(g.key);
	free(g.cnt);
}
