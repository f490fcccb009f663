/* aliaspack.c: build the blob's alias sections (layout in loader/lib/blob.h).
 *
 * Size: patterns are sorted and front coded (each stores only what differs
 * from the previous one), and the remaining bytes are shortened with 128
 * tokens found by byte-pair encoding, which turns the long repeated tails of
 * bus aliases ("sv*sd*bc*sc*i*", "dc*dsc*dp*ic*isc*ip*in*") into a byte or
 * two. Speed: see loader/lib/alias.c for how the gram index is used. */
#include "aliaspack.h"

#include "alias.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pair_cmp(const void *a, const void *b)
{
	const struct apair *x = a, *y = b;
	int c = strcmp(x->pat, y->pat);
	return c ? c : (x->mod > y->mod) - (x->mod < y->mod);
}

/* Sorted, duplicates kept: a module that lists the same alias twice is
 * reported twice by kmod, so it is here too. */
static size_t sort_pairs(struct apair *p, size_t n)
{
	qsort(p, n, sizeof *p, pair_cmp);
	return n;
}

/* Symbols: 0..255 bytes, 256 + t for token t. */
struct seq {
	uint16_t *s;
	size_t n;
};

#define NSYM (256 + BLOB_NTOKENS)
/* Longest token text: what struct tokens holds (the format allows more). */
#define TOKEN_MAX 255

/* Expansion of every token as plain bytes. */
struct tokens {
	char text[BLOB_NTOKENS][TOKEN_MAX + 1];
	size_t len[BLOB_NTOKENS];
	unsigned n;
};

static size_t sym_len(const struct tokens *t, unsigned sym)
{
	return sym < 256 ? 1 : t->len[sym - 256];
}

/* The most frequent pair whose expansion still fits a token. */
static int best_pair(struct seq *q, size_t nq, const struct tokens *t, unsigned *a, unsigned *b)
{
	static unsigned cnt[NSYM * NSYM];
	unsigned best = 0;

	memset(cnt, 0, sizeof cnt);
	for (size_t i = 0; i < nq; i++)
		for (size_t j = 0; j + 1 < q[i].n; j++)
			cnt[q[i].s[j] * NSYM + q[i].s[j + 1]]++;
	for (unsigned k = 0; k < NSYM * NSYM; k++)
		if (cnt[k] > best && sym_len(t, k / NSYM) + sym_len(t, k % NSYM) <= TOKEN_MAX) {
			best = cnt[k];
			*a = k / NSYM;
			*b = k % NSYM;
		}
	return best >= 4; /* a token must pay for its dictionary entry */
}

static void replace_pair(struct seq *q, size_t nq, unsigned a, unsigned b, uint16_t sym)
{
	for (size_t i = 0; i < nq; i++) {
		size_t w = 0;
		for (size_t r = 0; r < q[i].n; r++) {
			if (r + 1 < q[i].n && q[i].s[r] == a && q[i].s[r + 1] == b) {
				q[i].s[w++] = sym;
				r++;
			} else
				q[i].s[w++] = q[i].s[r];
		}
		q[i].n = w;
	}
}

/* Append sym's bytes; best_pair only picks pairs that fit TOKEN_MAX. */
static void expand_sym(const struct tokens *t, unsigned sym, char *out, size_t *len)
{
	if (sym < 256) {
		out[(*len)++] = (char)sym;
		return;
	}
	memcpy(out + *len, t->text[sym - 256], t->len[sym - 256]);
	*len += t->len[sym - 256];
}

static void learn_tokens(struct seq *q, size_t nq, struct tokens *t)
{
	unsigned a, b;
	for (t->n = 0; t->n < BLOB_NTOKENS && best_pair(q, nq, t, &a, &b); t->n++) {
		size_t len = 0;
		char tmp[TOKEN_MAX + 1];
		expand_sym(t, a, tmp, &len);
		expand_sym(t, b, tmp, &len);
		memcpy(t->text[t->n], tmp, len);
		t->len[t->n] = len;
		replace_pair(q, nq, a, b, (uint16_t)(256 + t->n));
	}
}

static void write_tokens(const struct tokens *t, struct buf *out)
{
	uint32_t off = 2 * BLOB_NTOKENS;
	for (unsigned i = 0; i < BLOB_NTOKENS; i++) {
		buf_u16(out, (uint16_t)off);
		off += i < t->n ? (uint32_t)t->len[i] : 0;
	}
	for (unsigned i = 0; i < t->n; i++)
		buf_put(out, t->text[i], t->len[i]);
}

static size_t shared_prefix(const char *a, const char *b)
{
	size_t k = 0;
	while (a[k] && a[k] == b[k] && k < 255)
		k++;
	return k;
}

static void front_code(struct apair *p, size_t n, struct seq *q, uint8_t *pre)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = i % BLOB_ABLOCK ? shared_prefix(p[i - 1].pat, p[i].pat) : 0;
		const char *rest = p[i].pat + k;
		pre[i] = (uint8_t)k;
		q[i].n = strlen(rest);
		q[i].s = xrealloc(NULL, (q[i].n + 1) * sizeof *q[i].s);
		for (size_t j = 0; j < q[i].n; j++)
			q[i].s[j] = (uint8_t)rest[j];
	}
}

static void write_entries(const struct apair *p, size_t n, struct seq *q, const uint8_t *pre,
			  struct alias_tables *t)
{
	for (size_t i = 0; i < n; i++) {
		if (i % BLOB_ABLOCK == 0)
			buf_u32(&t->ablocks, (uint32_t)t->aliases.len);
		buf_u8(&t->aliases, pre[i]);
		for (size_t j = 0; j < q[i].n; j++)
			buf_u8(&t->aliases,
			       (uint8_t)(q[i].s[j] < 256 ? q[i].s[j] : 0x80 + q[i].s[j] - 256));
		buf_u8(&t->aliases, 0);
		buf_u16(&t->aliases,
			(uint16_t)(p[i].mod | (strpbrk(p[i].pat, "?[\\") ? BLOB_FNMATCH : 0)));
	}
}

/* Write a bucketed table: u16 starts[nb + 1], the u16 ids grouped by
 * bucket, then one tag byte per id (more bits of its key) so that a lookup
 * can skip most entries of a shared bucket without decoding them. */
void alias_write_table(struct buf *out, uint32_t nb, const uint32_t *key, const int *use, size_t n)
{
	uint32_t *start = xrealloc(NULL, (nb + 1) * sizeof *start);
	uint32_t *fill = xrealloc(NULL, nb * sizeof *fill);
	uint16_t *ids = xrealloc(NULL, (n + 1) * sizeof *ids);

	memset(start, 0, (nb + 1) * sizeof *start);
	for (size_t i = 0; i < n; i++)
		if (use[i])
			start[(key[i] & (nb - 1)) + 1]++;
	for (uint32_t k = 0; k < nb; k++)
		start[k + 1] += start[k];
	memcpy(fill, start, nb * sizeof *fill);
	for (size_t i = 0; i < n; i++)
		if (use[i])
			ids[fill[key[i] & (nb - 1)]++] = (uint16_t)i;
	for (uint32_t k = 0; k <= nb; k++)
		buf_u16(out, (uint16_t)start[k]);
	for (uint32_t k = 0; k < start[nb]; k++)
		buf_u16(out, ids[k]);
	for (uint32_t k = 0; k < start[nb]; k++)
		buf_u8(out, BLOB_TAG(key[ids[k]]));
	free(start);
	free(fill);
	free(ids);
}

uint32_t alias_pow2(size_t n)
{
	uint32_t v = 1;
	while (v < n)
		v <<= 1;
	return v;
}

int aliaspack_build(struct apair *pairs, size_t *count, struct alias_tables *t)
{
	size_t n = *count;
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < n; i++)
		for (const char *c = pairs[i].pat; *c; c++)
			if ((unsigned char)*c >= 0x80) {
				fprintf(stderr, "modpack: alias '%s' has a non-ASCII byte\n",
					pairs[i].pat);
				return -EINVAL;
			}
	n = *count = sort_pairs(pairs, n);
	if (n > 0xffff)
		return -E2BIG;
	t->naliases = (uint32_t)n;

	struct seq *q = xrealloc(NULL, (n + 1) * sizeof *q);
	uint8_t *pre = xrealloc(NULL, n + 1);
	struct tokens *tok = xrealloc(NULL, sizeof *tok);
	front_code(pairs, n, q, pre);
	learn_tokens(q, n, tok);
	write_tokens(tok, &t->tokens);
	write_entries(pairs, n, q, pre, t);
	for (size_t i = 0; i < n; i++)
		free(q[i].s);
	free(q);
	free(pre);
	free(tok);

	gram_tables_build(pairs, n, t);
	return 0;
}

void alias_tables_free(struct alias_tables *t)
{
	buf_free(&t->tokens);
	buf_free(&t->aliases);
	buf_free(&t->ablocks);
	buf_free(&t->prefix);
	buf_free(&t->grams);
	buf_free(&t->always);
}
