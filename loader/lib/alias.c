/* alias.c: alias normalisation and matching against the blob's alias tables.
 *
 * Matching has two parts. Patterns without wildcards sit in a hash table
 * keyed by the whole string. Every wildcard pattern was given, at build time,
 * one 4-byte literal piece ("gram") that any string it matches must contain;
 * patterns are hashed by that gram. A lookup hashes every 4-byte window of
 * the string, gathers the patterns filed under those windows (plus the few
 * with no gram at all), and runs fnmatch only on those candidates. */
#include "alias.h"

#include <errno.h>
#include <fnmatch.h>
#include <string.h>

int alias_normalize(const char *in, char *out, size_t cap)
{
	size_t i = 0;

	for (; in[i]; i++) {
		if (i + 1 >= cap)
			return -ENAMETOOLONG;
		if (in[i] == ']')
			return -EINVAL;
		if (in[i] != '[') {
			out[i] = in[i] == '-' ? '_' : in[i];
			continue;
		}
		while (in[i] && in[i] != ']') {
			if (i + 1 >= cap)
				return -ENAMETOOLONG;
			out[i] = in[i];
			i++;
		}
		if (!in[i])
			return -EINVAL;
		out[i] = ']';
	}
	out[i] = '\0';
	return (int)i;
}

void modname_normalize(const char *in, char *out, size_t cap)
{
	size_t i = 0;
	for (; in[i] && i + 1 < cap; i++)
		out[i] = in[i] == '-' ? '_' : in[i];
	out[i] = '\0';
}

int alias_is_pattern(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

/* Expand the token-coded bytes at p into buf starting at pos. */
static int expand(const struct blob *b, const uint8_t *p, const uint8_t *end, char *buf, size_t pos,
		  size_t cap, const uint8_t **next)
{
	uint32_t tlen;
	const uint8_t *tok = blob_sec(b, SEC_TOKENS, &tlen);

	for (; p < end && *p; p++) {
		if (*p < 0x80) {
			if (pos + 1 >= cap)
				return -EBADMSG;
			buf[pos++] = (char)*p;
			continue;
		}
		uint32_t t = *p - 0x80u, off = blob_u16(tok + 2 * t);
		uint32_t stop = t + 1 < BLOB_NTOKENS ? blob_u16(tok + 2 * t + 2) : tlen;
		if (off > stop || stop > tlen || pos + (stop - off) + 1 >= cap)
			return -EBADMSG;
		memcpy(buf + pos, tok + off, stop - off);
		pos += stop - off;
	}
	if (p >= end)
		return -EBADMSG;
	*next = p + 1;
	buf[pos] = '\0';
	return (int)pos;
}

int alias_get(const struct blob *b, unsigned i, char *buf, size_t cap, unsigned *mod)
{
	uint32_t alen, blen;
	const uint8_t *al = blob_sec(b, SEC_ALIASES, &alen);
	const uint8_t *blocks = blob_sec(b, SEC_ABLOCKS, &blen);
	const uint8_t *end = al + alen, *p;
	int len = 0;

	if (i >= b->h->naliases)
		return -EBADMSG;
	uint32_t off = blob_u32(blocks + 4 * (i / BLOB_ABLOCK));
	if (off >= alen)
		return -EBADMSG;
	p = al + off;
	for (unsigned k = 0; k <= i % BLOB_ABLOCK; k++) {
		if (p >= end || *p > len)
			return -EBADMSG;
		len = expand(b, p + 1, end, buf, *p, cap, &p);
		if (len < 0 || end - p < 2)
			return -EBADMSG;
		*mod = blob_u16(p);
		p += 2;
	}
	return *mod < b->h->nmods ? len : -EBADMSG;
}

struct matcher {
	const struct blob *b;
	const char *s;
	enum alias_kind kind;
	unsigned *out;
	int max, n;
};

static void add_match(struct matcher *m, unsigned mod)
{
	const struct blob_mod *bm = blob_mod(m->b, mod);
	int builtin = (bm->flags & BM_BUILTIN) != 0;
	int i;

	if (builtin != (m->kind == ALIAS_BUILTIN))
		return;
	/* Insertion sort by modules.order, then name: the lists are short. */
	i = m->n < m->max ? m->n : m->max - 1;
	if (i < 0) {
		m->n++;
		return;
	}
	while (i > 0) {
		const struct blob_mod *prev = blob_mod(m->b, m->out[i - 1]);
		if (prev->order < bm->order || (prev->order == bm->order && m->out[i - 1] <= mod))
			break;
		if (i < m->max)
			m->out[i] = m->out[i - 1];
		i--;
	}
	if (i < m->max)
		m->out[i] = mod;
	m->n++;
}

static void try_alias(struct matcher *m, unsigned id, int exact)
{
	char pat[ALIAS_MAX];
	unsigned mod;

	if (alias_get(m->b, id, pat, sizeof pat, &mod) < 0)
		return;
	if (exact ? strcmp(pat, m->s) == 0 : fnmatch(pat, m->s, 0) == 0)
		add_match(m, mod);
}

/* The ids filed under bucket h of a table (EXACT or GRAMS). */
static const uint8_t *bucket(const struct blob *b, enum blob_section s, uint32_t nb, uint32_t h,
			     uint32_t *n)
{
	uint32_t len;
	const uint8_t *t = blob_sec(b, s, &len);
	uint32_t lo = blob_u16(t + 2 * (h & (nb - 1))), hi = blob_u16(t + 2 * ((h & (nb - 1)) + 1));
	uint32_t room = (len - 2 * (nb + 1)) / 2;

	*n = lo <= hi && hi <= room ? hi - lo : 0;
	return t + 2 * (nb + 1) + 2 * lo;
}

#define MAX_CANDIDATES 1024

static int seen_before(const uint16_t *c, int n, uint16_t id)
{
	for (int i = 0; i < n; i++)
		if (c[i] == id)
			return 1;
	return 0;
}

/* Every wildcard pattern, for the rare string with too many candidates. */
static void scan_all(struct matcher *m)
{
	for (unsigned id = 0; id < m->b->h->naliases; id++) {
		char pat[ALIAS_MAX];
		unsigned mod;
		if (alias_get(m->b, id, pat, sizeof pat, &mod) >= 0 && alias_is_pattern(pat) &&
		    fnmatch(pat, m->s, 0) == 0)
			add_match(m, mod);
	}
}

static void match_wild(struct matcher *m, size_t len)
{
	uint16_t cand[MAX_CANDIDATES];
	int nc = 0;
	uint32_t n;

	for (size_t i = 0; i + BLOB_GRAM <= len; i++) {
		const uint8_t *ids = bucket(m->b, SEC_GRAMS, m->b->h->gram_buckets,
					    blob_hash_gram(m->s + i), &n);
		for (uint32_t k = 0; k < n; k++) {
			uint16_t id = blob_u16(ids + 2 * k);
			if (seen_before(cand, nc, id))
				continue;
			if (nc == MAX_CANDIDATES)
				return scan_all(m);
			cand[nc++] = id;
		}
	}
	for (int k = 0; k < nc; k++)
		try_alias(m, cand[k], 0);
	const uint8_t *always = blob_sec(m->b, SEC_ALWAYS, &n);
	for (uint32_t k = 0; k + 2 <= n; k += 2)
		try_alias(m, blob_u16(always + k), 0);
}

int alias_match(const struct blob *b, const char *s, enum alias_kind kind, unsigned *out, int max)
{
	struct matcher m = { b, s, kind, out, max, 0 };
	size_t len = strlen(s);
	uint32_t n;

	const uint8_t *ids = bucket(b, SEC_EXACT, b->h->exact_buckets, blob_hash_str(s, len), &n);
	for (uint32_t k = 0; k < n; k++)
		try_alias(&m, blob_u16(ids + 2 * k), 1);
	match_wild(&m, len);
	return m.n;
}
