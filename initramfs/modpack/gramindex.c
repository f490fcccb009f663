/* gramindex.c: file every pattern under a key a lookup can find cheaply.
 *
 * Two tables (layout in loader/lib/blob.h). PREFIX holds each pattern under
 * its literal prefix, the bytes before its first wildcard (a pattern without
 * wildcards is all prefix); a lookup probes every prefix of the string.
 * GRAMS holds a wildcard pattern under one 4-byte literal run ("gram") that
 * any string it matches must contain; a lookup probes every 4-byte window.
 * Each wildcard pattern goes where fewer patterns share its key: pci:v...d...
 * ids are best found by their long prefix, class matches like
 * pci:v*d*sv*sd*bc01sc06i01* by a rare gram such as "sc06". Patterns with
 * neither a prefix nor a gram go to ALWAYS and are tried on every lookup. */
#include "aliaspack.h"

#include "alias.h"

#include <stdlib.h>
#include <string.h>

static int literal(char c)
{
	return c != '*' && c != '?' && c != '[' && c != ']' && c != '\\';
}

static size_t prefix_len(const char *p)
{
	size_t n = 0;
	while (p[n] && literal(p[n]))
		n++;
	return n;
}

/* Open-addressing counter keyed by a 32-bit hash (collisions only make a
 * choice slightly worse, never a lookup wrong). */
struct counter {
	uint32_t *key, *cnt;
	size_t cap;
};

static uint32_t *slot(struct counter *g, uint32_t k)
{
	size_t i = (k * 2654435761u) & (g->cap - 1);
	while (g->cnt[i] && g->key[i] != k)
		i = (i + 1) & (g->cap - 1);
	g->key[i] = k;
	return &g->cnt[i];
}

static uint32_t gram_key(const char *p)
{
	return blob_hash_gram(p);
}

static int gram_at(const char *p, size_t i)
{
	for (size_t k = 0; k < BLOB_GRAM; k++)
		if (!p[i + k] || !literal(p[i + k]))
			return 0;
	return 1;
}

static void count_keys(const struct apair *pairs, size_t n, struct counter *grams,
		       struct counter *prefixes)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = pairs[i].pat;
		size_t len = strlen(p), plen = prefix_len(p);
		if (plen)
			(*slot(prefixes, blob_hash_str(p, plen)))++;
		if (plen == len)
			continue;
		for (size_t j = 0; j + BLOB_GRAM <= len; j++) {
			int dup = 0;
			if (!gram_at(p, j))
				continue;
			for (size_t e = 0; e < j && !dup; e++) /* count each pattern once */
				dup = !memcmp(p + e, p + j, BLOB_GRAM);
			if (!dup)
				(*slot(grams, gram_key(p + j)))++;
		}
	}
}

/* The rarest gram of p as its hash; 0 count when p has none. */
static uint32_t rarest(const char *p, struct counter *g, uint32_t *count)
{
	uint32_t best = 0;
	*count = 0;
	for (size_t j = 0; j + BLOB_GRAM <= strlen(p); j++) {
		if (!gram_at(p, j))
			continue;
		uint32_t k = gram_key(p + j), c = *slot(g, k);
		if (*count == 0 || c < *count) {
			best = k;
			*count = c;
		}
	}
	return best;
}

static void counter_init(struct counter *c, size_t n)
{
	c->cap = alias_pow2(n);
	c->key = xrealloc(NULL, c->cap * sizeof *c->key);
	c->cnt = xrealloc(NULL, c->cap * sizeof *c->cnt);
	memset(c->cnt, 0, c->cap * sizeof *c->cnt);
}

void gram_tables_build(const struct apair *pairs, size_t n, struct alias_tables *t)
{
	struct counter grams, prefixes;
	uint32_t *pkey = xrealloc(NULL, (n + 1) * sizeof *pkey);
	uint32_t *gkey = xrealloc(NULL, (n + 1) * sizeof *gkey);
	int *by_prefix = xrealloc(NULL, (n + 1) * sizeof *by_prefix);
	int *by_gram = xrealloc(NULL, (n + 1) * sizeof *by_gram);
	size_t np = 0, ng = 0;

	counter_init(&grams, n * 64 + 1024);
	counter_init(&prefixes, n * 2 + 1024);
	count_keys(pairs, n, &grams, &prefixes);
	for (size_t i = 0; i < n; i++) {
		const char *p = pairs[i].pat;
		size_t plen = prefix_len(p);
		uint32_t gcount = 0, pcount = plen ? *slot(&prefixes, blob_hash_str(p, plen)) : 0;
		by_prefix[i] = by_gram[i] = 0;
		pkey[i] = blob_hash_str(p, plen);
		gkey[i] = plen == strlen(p) ? 0 : rarest(p, &grams, &gcount);
		if (plen == strlen(p) || (plen && (gcount == 0 || pcount <= gcount))) {
			by_prefix[i] = 1;
			if (plen > t->max_prefix)
				t->max_prefix = (uint32_t)plen;
			np++;
		} else if (gcount) {
			by_gram[i] = 1;
			ng++;
		} else
			buf_u16(&t->always, (uint16_t)i);
	}
	/* Two to four keys a bucket: the tag bytes filter out the others. */
	t->prefix_buckets = alias_pow2(np / 4 + 1);
	alias_write_table(&t->prefix, t->prefix_buckets, pkey, by_prefix, n);
	t->gram_buckets = alias_pow2(ng / 4 + 1);
	alias_write_table(&t->grams, t->gram_buckets, gkey, by_gram, n);
	free(pkey);
	free(gkey);
	free(by_prefix);
	free(by_gram);
	free(grams.key);
	free(grams.cnt);
	free(prefixes.key);
	free(prefixes.cnt);
}
