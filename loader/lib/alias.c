/* alias.c: alias normalisation and matching against the blob's alias tables.
 *
 * Every pattern was filed at build time (initramfs/modpack/gramindex.c)
 * either under its literal prefix or under one 4-byte literal piece ("gram")
 * that any string it matches must contain. A lookup probes the hash of every
 * prefix of the string (up to the longest key) and of every 4-byte window,
 * gathers the patterns filed there (plus the few with neither key), and
 * matches only those, in alias order so that each front-coded block is
 * decoded once. Lookups use static buffers: one thread at a time. */
#include "alias.h"

#include "wildmatch.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
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

void modname_from_path(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	size_t i = 0;

	base = base ? base + 1 : path;
	for (; base[i] && base[i] != '.' && i + 1 < cap; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[i] = '\0';
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
		/* Offsets in order and inside TOKENS, bytes plain (blob_check). */
		uint32_t t = *p - 0x80u, off = blob_u16(tok + 2 * t);
		uint32_t stop = t + 1 < BLOB_NTOKENS ? blob_u16(tok + 2 * t + 2) : tlen;
		if (pos + (stop - off) + 1 >= cap)
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

/* Sequential decoding of the front-coded alias list: each entry needs the
 * one before it, so a cursor moving forward inside a block never decodes an
 * entry twice. */
struct cursor {
	const struct blob *b;
	const uint8_t *p, *end; /* next entry to decode */
	unsigned next;		/* its number */
	int len;		/* length of the string in buf */
	unsigned mod;
	int fnm; /* the pattern needs wildmatch (has ? [ or \) */
	char buf[ALIAS_MAX];
};

static int cursor_seek(struct cursor *c, unsigned i)
{
	uint32_t alen;
	const uint8_t *al = blob_sec(c->b, SEC_ALIASES, &alen);

	if (i >= c->b->h.naliases)
		return -EBADMSG;
	if (!c->p || i < c->next || i / BLOB_ABLOCK != c->next / BLOB_ABLOCK ||
	    c->next % BLOB_ABLOCK == 0) {
		uint32_t off = blob_u32(blob_sec(c->b, SEC_ABLOCKS, NULL) + 4 * (i / BLOB_ABLOCK));
		if (off >= alen)
			return -EBADMSG;
		c->p = al + off;
		c->end = al + alen;
		c->next = i - i % BLOB_ABLOCK;
		c->len = 0;
	}
	for (; c->next <= i; c->next++) {
		if (c->p >= c->end || *c->p > c->len)
			return -EBADMSG;
		c->len = expand(c->b, c->p + 1, c->end, c->buf, *c->p, sizeof c->buf, &c->p);
		if (c->len < 0 || c->end - c->p < 2)
			return -EBADMSG;
		c->mod = blob_u16(c->p) & BLOB_MAX_MODS;
		c->fnm = (blob_u16(c->p) & BLOB_FNMATCH) != 0;
		c->p += 2;
	}
	return c->mod < c->b->h.nmods ? c->len : -EBADMSG;
}

int alias_get(const struct blob *b, unsigned i, char *buf, size_t cap, unsigned *mod)
{
	static struct cursor c; /* ALIAS_MAX bytes: off the stack */
	int len;

	c.b = b;
	c.p = NULL;
	len = cursor_seek(&c, i);
	if (len < 0 || (size_t)len >= cap)
		return -EBADMSG;
	memcpy(buf, c.buf, (size_t)len + 1);
	*mod = c.mod;
	return len;
}

void *list_grow(void *v, const void *local, unsigned n, unsigned *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return v;
	if (*cap > UINT_MAX / 2 || (size_t)*cap * 2 > SIZE_MAX / size)
		return NULL;
	p = v == local ? malloc((size_t)*cap * 2 * size) : realloc(v, (size_t)*cap * 2 * size);
	if (!p)
		return NULL;
	if (v == local)
		memcpy(p, local, (size_t)n * size);
	*cap *= 2;
	return p;
}

void modlist_init(struct modlist *l)
{
	l->v = l->local;
	l->n = 0;
	l->cap = MODLIST_LOCAL;
}

void modlist_free(struct modlist *l)
{
	if (l->v != l->local)
		free(l->v);
	modlist_init(l);
}

int modlist_push(struct modlist *l, unsigned x)
{
	unsigned *v = list_grow(l->v, l->local, l->n, &l->cap, sizeof *l->v);

	if (!v)
		return -ENOMEM;
	l->v = v;
	l->v[l->n++] = x;
	return 0;
}

struct matcher {
	const struct blob *b;
	const char *s;
	size_t len;
	struct modlist *out; /* sort keys until alias_match ends */
};

/* Matches are kept as sort keys, modules.order then module number (kmod's
 * order; a module matched twice stays twice), and sorted at the end. */
static int add_match(struct matcher *m, unsigned mod)
{
	return modlist_push(m->out, (unsigned)blob_mod(m->b, mod).order << 16 | mod);
}

/* Heapsort of the keys: n log n for a pathological string matching
 * thousands of patterns, and no qsort (musl's adds 2 KB to the binary). */
static void sift(unsigned *v, unsigned i, unsigned n)
{
	for (unsigned c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && v[c + 1] > v[c])
			c++;
		if (v[i] >= v[c])
			return;
		unsigned t = v[i];
		v[i] = v[c];
		v[c] = t;
	}
}

static void heap_sort(unsigned *v, unsigned n)
{
	for (unsigned i = n / 2; i-- > 0;)
		sift(v, i, n);
	for (unsigned k = n; k-- > 1;) {
		unsigned t = v[0];
		v[0] = v[k];
		v[k] = t;
		sift(v, 0, k);
	}
}

/* Keys to module numbers, in key order. */
static void sort_matches(struct modlist *l)
{
	heap_sort(l->v, l->n);
	for (unsigned i = 0; i < l->n; i++)
		l->v[i] &= 0xffff;
}

/* Leftmost place of piece (n > 0 bytes) in [lo, end), or NULL. Pieces are
 * short and strings like cpu feature lists repeat the same few bytes, so a
 * plain loop testing the first and last byte before comparing beats a
 * general substring search. */
static const char *find_piece(const char *lo, const char *end, const char *piece, size_t n)
{
	const char first = piece[0], last = piece[n - 1];
	for (const char *c = lo; (size_t)(end - c) >= n; c++)
		if (c[0] == first && c[n - 1] == last && memcmp(c, piece, n) == 0)
			return c;
	return NULL;
}

/* wildmatch() for a pattern that starts with '*' and has no other special
 * character than '*' (kmod_hits calls it at the first wildcard of such a
 * pattern), faster: the pieces between the stars are found leftmost, in
 * order, which is enough for '*'-only patterns, and the last must end s.
 * Most aliases are of this kind, and this is linear where a general matcher
 * backtracks. */
static int star_match(const char *pat, const char *s, size_t slen)
{
	const char *star, *end = s + slen, *lo = s;
	size_t n;

	while ((star = strchr(++pat, '*'))) { /* pat is at a star: skip it */
		n = (size_t)(star - pat);
		const char *at = n ? find_piece(lo, end, pat, n) : lo;
		if (!at)
			return 0;
		lo = at + n;
		pat = star;
	}
	n = strlen(pat); /* the last piece must end s, after what was matched */
	return (size_t)(end - lo) >= n && memcmp(end - n, pat, n) == 0;
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* Whether kmod's index of pattern id's kind (it keeps module and built-in
 * aliases in two tries) branches at byte d of the pattern p: at the root, or
 * where another pattern shares exactly p's first d bytes. The patterns are
 * sorted, so the ones sharing d bytes or more are a run around p: go back
 * a block at a time (a block's first pattern is stored whole) to before the
 * run, then through it in order. */
static int trie_branches(const struct blob *b, unsigned id, unsigned mod, const char *p, size_t d)
{
	static struct cursor k;
	unsigned builtin = blob_mod(b, mod).flags & BM_BUILTIN, j = id - id % BLOB_ABLOCK;

	k.b = b;
	k.p = NULL;
	if (d == 0)
		return 1;
	while (j >= BLOB_ABLOCK && cursor_seek(&k, j) >= 0 && common_prefix(p, k.buf) >= d)
		j -= BLOB_ABLOCK;
	for (; j < b->h.naliases && cursor_seek(&k, j) >= 0; j++) {
		size_t l = common_prefix(p, k.buf);
		if (l < d && j > id)
			break; /* past the run */
		if (l == d && (blob_mod(b, k.mod).flags & BM_BUILTIN) == builtin)
			return 1; /* not p itself: p is longer than d */
	}
	return 0;
}

/* How many times kmod reports pattern c (number id) for s. Its index walk
 * follows s byte by byte down the trie of patterns; at each wildcard it
 * fnmatches the rest of the pattern against the rest of s, and it goes on
 * past that wildcard only when s holds the same byte there and the trie
 * branches there (else the wildcard sits inside a trie node, where the walk
 * stops); a walk reaching the pattern's end with s reports it once more. A
 * string without '*', '?' or '[' gets 1 or 0: whether the pattern matches.
 * One that holds them can get the same module twice, as from kmod. */
static unsigned kmod_hits(const struct matcher *m, const struct cursor *c, unsigned id)
{
	const char *p = c->buf, *s = m->s;
	unsigned n = 0;

	for (size_t i = 0;; i++) {
		if (p[i] == '*' || p[i] == '?' || p[i] == '[') {
			n += (unsigned)(c->fnm ? wildmatch(p + i, s + i)
					       : star_match(p + i, s + i, m->len - i));
			if (s[i] != p[i] || !trie_branches(c->b, id, c->mod, p, i))
				return n;
		} else if (s[i] != p[i])
			return n;
		else if (!p[i])
			return n + 1;
	}
}

/* The patterns a lookup will try, gathered before any is decoded. */
#define MAX_CANDIDATES 1024

struct candidates {
	unsigned id[MAX_CANDIDATES];
	unsigned n;
	int overflow;
};

static void add_candidate(struct candidates *v, unsigned id)
{
	if (v->n == MAX_CANDIDATES)
		v->overflow = 1;
	else
		v->id[v->n++] = id;
}

/* In alias order, each once: a pattern can be reached from several windows. */
static void sort_unique(struct candidates *v)
{
	unsigned k = 0;

	heap_sort(v->id, v->n);
	for (unsigned i = 0; i < v->n; i++)
		if (k == 0 || v->id[k - 1] != v->id[i])
			v->id[k++] = v->id[i];
	v->n = k;
}

/* Try the candidates; with all set, every pattern (the overflow fallback).
 * 0 or -ENOMEM. */
static int try_candidates(struct matcher *m, const struct candidates *v, int all)
{
	static struct cursor c;
	unsigned n = all ? m->b->h.naliases : v->n;

	c.b = m->b;
	c.p = NULL;
	for (unsigned k = 0; k < n; k++) {
		unsigned id = all ? k : v->id[k];
		for (unsigned hits = cursor_seek(&c, id) >= 0 ? kmod_hits(m, &c, id) : 0; hits;
		     hits--)
			if (add_match(m, c.mod) < 0)
				return -ENOMEM;
	}
	return 0;
}

/* One of the two key tables. blob_check made sure that the section holds
 * exactly the starts, ids and tags its header count and total say. */
struct table {
	const uint8_t *starts, *ids, *tags;
	uint32_t mask, total;
};

static void table_init(struct table *t, const struct blob *b, enum blob_section s, uint32_t nb)
{
	const uint8_t *p = blob_sec(b, s, NULL);

	t->starts = p;
	t->mask = nb - 1;
	t->total = blob_u16(p + 2 * nb);
	t->ids = p + 2 * (nb + 1);
	t->tags = t->ids + 2 * t->total;
}

/* Gather the entries of bucket h whose tag matches. */
static inline void probe(struct candidates *v, const struct table *t, uint32_t h)
{
	uint32_t b = h & t->mask, lo = blob_u16(t->starts + 2 * b),
		 hi = blob_u16(t->starts + 2 * b + 2);

	if (hi > t->total)
		return;
	for (uint32_t k = lo; k < hi; k++)
		if (t->tags[k] == BLOB_TAG(h))
			add_candidate(v, blob_u16(t->ids + 2 * k));
}

int alias_match(const struct blob *b, const char *s, struct modlist *out)
{
	static struct candidates v;
	size_t len = strlen(s);
	struct matcher m = { b, s, len, out };
	struct table prefix, grams;
	uint32_t n, h = BLOB_HASH_INIT;

	table_init(&prefix, b, SEC_PREFIX, b->h.prefix_buckets);
	table_init(&grams, b, SEC_GRAMS, b->h.gram_buckets);
	v.n = 0;
	v.overflow = 0;
	/* Every prefix of s up to the longest key: exact and prefix-keyed patterns. */
	for (size_t l = 0; l < len && l < b->h.max_prefix; l++) {
		h = blob_hash_step(h, (uint8_t)s[l]);
		probe(&v, &prefix, blob_hash_final(h));
	}
	for (size_t i = 0; i + BLOB_GRAM <= len; i++)
		probe(&v, &grams, blob_hash_gram(s + i));
	const uint8_t *always = blob_sec(b, SEC_ALWAYS, &n);
	for (uint32_t k = 0; k + 2 <= n; k += 2)
		add_candidate(&v, blob_u16(always + k));
	if (!v.overflow)
		sort_unique(&v);
	out->n = 0;
	int err = try_candidates(&m, &v, v.overflow); /* overflow: a pathological string */
	if (err < 0) {
		out->n = 0;
		return err;
	}
	sort_matches(out);
	return (int)out->n;
}
