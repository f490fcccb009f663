/* alias.c: alias normalisation and matching against the blob's alias tables.
 *
 * Every pattern was filed at build time (initramfs/modpack/gramindex.c)
 * either under its literal prefix or under one 4-byte literal piece ("gram")
 * that any string it matches must contain. A lookup probes the hash of every
 * prefix of the string and of every 4-byte window, and runs fnmatch only on
 * the patterns filed there (plus the few with neither key). */
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
	unsigned *out;
	int max, n;
};

static void add_match(struct matcher *m, unsigned mod)
{
	const struct blob_mod *bm = blob_mod(m->b, mod);
	int i;

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

/* fnmatch(pat, s, 0) for a pattern whose only special character is '*':
 * the first piece must start s, the last must end it (unless the pattern
 * ends in '*'), and the pieces between are found leftmost, in order, which
 * is enough for '*'-only patterns. Most aliases are of this kind, and this
 * is linear where a general matcher backtracks. */
static int star_match(const char *pat, const char *s)
{
	const char *star = strchr(pat, '*');
	size_t slen = strlen(s), n;

	if (!star)
		return strcmp(pat, s) == 0;
	n = (size_t)(star - pat);
	if (strncmp(pat, s, n) != 0)
		return 0;
	const char *lo = s + n, *end = s + slen;
	pat = star + 1;
	while ((star = strchr(pat, '*'))) {
		n = (size_t)(star - pat);
		const char *at = n ? memmem(lo, (size_t)(end - lo), pat, n) : lo;
		if (!at)
			return 0;
		lo = at + n;
		pat = star + 1;
	}
	n = strlen(pat); /* the last piece must end s, after what was matched */
	return (size_t)(end - lo) >= n && memcmp(end - n, pat, n) == 0;
}

static int matches(const char *pat, const char *s)
{
	return strpbrk(pat, "?[\\") ? fnmatch(pat, s, 0) == 0 : star_match(pat, s);
}

/* Candidates tried once each: a pattern can be reached from several
 * windows. A small open-addressing set; past its size, duplicates only cost
 * a second fnmatch, and a duplicate match is dropped by the ordered insert. */
#define SEEN_SLOTS 512

struct seen {
	uint16_t id[SEEN_SLOTS]; /* alias number + 1; 0 = empty */
	unsigned n;
};

static int first_visit(struct seen *v, unsigned id)
{
	unsigned h = (id * 40503u) & (SEEN_SLOTS - 1);
	if (v->n >= SEEN_SLOTS / 2)
		return 1;
	while (v->id[h]) {
		if (v->id[h] == id + 1)
			return 0;
		h = (h + 1) & (SEEN_SLOTS - 1);
	}
	v->id[h] = (uint16_t)(id + 1);
	v->n++;
	return 1;
}

static void try_alias(struct matcher *m, struct seen *v, unsigned id)
{
	char pat[ALIAS_MAX];
	unsigned mod;

	if (!first_visit(v, id) || alias_get(m->b, id, pat, sizeof pat, &mod) < 0)
		return;
	if (matches(pat, m->s))
		add_match(m, mod);
}

/* One of the two key tables, its bounds checked once per lookup. */
struct table {
	const uint8_t *starts, *ids, *tags;
	uint32_t mask, total;
};

static int table_init(struct table *t, const struct blob *b, enum blob_section s, uint32_t nb)
{
	uint32_t len;
	const uint8_t *p = blob_sec(b, s, &len);

	t->starts = p;
	t->mask = nb - 1;
	t->total = blob_u16(p + 2 * nb);
	t->ids = p + 2 * (nb + 1);
	t->tags = t->ids + 2 * t->total;
	return 2 * (nb + 1) + 3 * (size_t)t->total <= len ? 0 : -EBADMSG;
}

/* Try the entries of bucket h whose tag matches. */
static inline void probe(struct matcher *m, struct seen *v, const struct table *t, uint32_t h)
{
	uint32_t b = h & t->mask, lo = blob_u16(t->starts + 2 * b), hi = blob_u16(t->starts + 2 * b + 2);

	if (hi > t->total)
		return;
	for (uint32_t k = lo; k < hi; k++)
		if (t->tags[k] == BLOB_TAG(h))
			try_alias(m, v, blob_u16(t->ids + 2 * k));
}

int alias_match(const struct blob *b, const char *s, unsigned *out, int max)
{
	struct matcher m = { b, s, out, max, 0 };
	struct seen v;
	size_t len = strlen(s);
	uint32_t n, h = BLOB_HASH_INIT;

	struct table prefix, grams;

	if (table_init(&prefix, b, SEC_PREFIX, b->h->prefix_buckets) < 0 ||
	    table_init(&grams, b, SEC_GRAMS, b->h->gram_buckets) < 0)
		return 0;
	memset(&v, 0, sizeof v);
	/* Every prefix of s, including s itself: exact and prefix-keyed patterns. */
	for (size_t l = 0; l < len; l++) {
		h = blob_hash_step(h, (uint8_t)s[l]);
		probe(&m, &v, &prefix, blob_hash_final(h));
	}
	for (size_t i = 0; i + BLOB_GRAM <= len; i++)
		probe(&m, &v, &grams, blob_hash_gram(s + i));
	const uint8_t *always = blob_sec(b, SEC_ALWAYS, &n);
	for (uint32_t k = 0; k + 2 <= n; k += 2)
		try_alias(&m, &v, blob_u16(always + k));
	return m.n;
}
