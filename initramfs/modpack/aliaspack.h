/* aliaspack.h: build the alias sections of a blob from (pattern, module) pairs. */
#ifndef MODPACK_ALIASPACK_H
#define MODPACK_ALIASPACK_H

#include "blob.h"
#include "buf.h"

struct apair {
	char *pat; /* normalised */
	unsigned mod;
};

struct alias_tables {
	struct buf tokens, aliases, ablocks, prefix, grams, always;
	uint32_t naliases, prefix_buckets, gram_buckets, max_prefix;
};

/* Sorts pairs in place (duplicates stay: kmod reports them). Returns 0 or a
 * negative errno. */
int aliaspack_build(struct apair *pairs, size_t *count, struct alias_tables *t);
void alias_tables_free(struct alias_tables *t);

/* gramindex.c: the EXACT, GRAMS and ALWAYS sections for sorted pairs. */
void gram_tables_build(const struct apair *pairs, size_t n, struct alias_tables *t);

/* Shared by both: a bucketed u16 table, and the next power of two. */
void alias_write_table(struct buf *out, uint32_t nb, const uint32_t *key, const int *use, size_t n);
uint32_t alias_pow2(size_t n);

#endif
