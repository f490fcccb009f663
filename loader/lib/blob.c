/* blob.c: open, validate and read the module database (format in blob.h).
 * Validation happens once at open; accessors still clamp, so a blob that
 * passed the check cannot make a reader step outside the mapping. */
#include "blob.h"
#include "fmt.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Eight running sums of 64-bit words, one per word position modulo 8, mixed
 * at the end: about 1.3 instructions per 8 bytes, cheap enough to run at
 * every start, and any changed, zeroed or truncated byte changes a sum. */
uint32_t blob_checksum(const uint8_t *p, size_t n)
{
	uint64_t a[8] = { 0x6d6f646c6f6164ull, 0, 0, 0, 0, 0, 0, 0 }, x = 0;
	size_t i = 0;

	for (; i + 64 <= n; i += 64) {
		/* Little-endian words at any alignment (the summed range starts
		 * at byte 20). Spelled out: -Os would keep an inner loop here. */
		a[0] += blob_le64(p + i);
		a[1] += blob_le64(p + i + 8);
		a[2] += blob_le64(p + i + 16);
		a[3] += blob_le64(p + i + 24);
		a[4] += blob_le64(p + i + 32);
		a[5] += blob_le64(p + i + 40);
		a[6] += blob_le64(p + i + 48);
		a[7] += blob_le64(p + i + 56);
	}
	for (; i < n; i++)
		a[i % 8] += (uint64_t)p[i] << (8 * (i % 8));
	for (int k = 0; k < 8; k++)
		x = (x ^ a[k]) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(x ^ (x >> 32));
}

uint32_t blob_hash_str(const char *s, size_t n)
{
	uint32_t h = BLOB_HASH_INIT;
	for (size_t i = 0; i < n; i++)
		h = blob_hash_step(h, (uint8_t)s[i]);
	return blob_hash_final(h);
}

uint32_t blob_hash_gram(const char *s)
{
	uint32_t w = blob_u32((const uint8_t *)s); /* LE: the same key on every host */
	return (w * 2654435761u) ^ (w >> 13);
}

/* Each check below returns NULL or what is wrong; blob_check turns that into
 * -EBADMSG. They run once, at open, and bound every count and section by
 * what the fields that index it can address, so that the readers need only
 * the per-entry checks listed in blob.h. */

/* Sections lie in the file in enum order, 4-byte aligned, after the header,
 * and do not overlap: no section can alias another. */
static const char *check_layout(const struct blob *b)
{
	const struct blob_header *h = &b->h;
	uint32_t end = BLOB_HDR_SIZE;

	for (int s = 0; s < BLOB_NSEC; s++) {
		uint32_t off = h->sec[s].off, len = h->sec[s].len;
		if (off % 4 || off < end || off > b->size || len > b->size - off)
			return "section outside the file, misaligned or overlapping another";
		end = off + len;
	}
	return NULL;
}

/* STR: starts with the empty string (offset 0) and ends with a NUL, so
 * every offset inside it names a string terminated inside it. */
static const char *check_strings(const struct blob *b)
{
	uint32_t len;
	const uint8_t *s = blob_sec(b, SEC_STR, &len);

	if (len == 0 || s[0] || s[len - 1])
		return "string table not terminated";
	if (b->h.kver >= len)
		return "kernel release outside the string table";
	return NULL;
}

/* A table of u32 STR offsets (CFGALIAS, CFGOPTS, CFGCMDS): whole entries, each
 * naming a string. Config tables are a few lines, so every entry is
 * checked here. */
static int str_table_ok(const struct blob *b, enum blob_section s, uint32_t unit)
{
	uint32_t len, slen;
	const uint8_t *t = blob_sec(b, s, &len);

	blob_sec(b, SEC_STR, &slen);
	if (len % unit)
		return 0;
	for (uint32_t off = 0; off < len; off += 4)
		if (blob_u32(t + off) >= slen)
			return 0;
	return 1;
}

/* MOD, LIST, EXTRA, SLIST, DIRS: the per-module tables, sized so that the
 * 15-bit module numbers and the u16 LIST, EXTRA and DIRS indices of a
 * record can reach all of them and nothing else. */
static const char *check_modules(const struct blob *b)
{
	const struct blob_header *h = &b->h;
	uint32_t len;
	const uint8_t *p;

	if (h->nmods > BLOB_MAX_MODS || h->sec[SEC_MOD].len != h->nmods * BLOB_MOD_SIZE)
		return "module table size mismatch (or more than 32767 modules)";
	p = blob_sec(b, SEC_LIST, &len);
	if (len % 2 || len < 2 || len > BLOB_MAX_LIST || blob_u16(p))
		return "dependency list table malformed (odd size, too large, or no empty list "
		       "0)";
	p = blob_sec(b, SEC_EXTRA, &len);
	if (len % BLOB_EXTRA_SIZE || len < BLOB_EXTRA_SIZE ||
	    len / BLOB_EXTRA_SIZE > BLOB_MAX_EXTRA ||
	    blob_u32(p) | blob_u32(p + 4) | blob_u32(p + 8))
		return "extra records table malformed (not whole records, too many, or no empty "
		       "record 0)";
	p = blob_sec(b, SEC_SLIST, &len);
	if (len < 2 || blob_u16(p))
		return "string list table malformed (no empty list 0)";
	/* Whole entries; each is checked where blob_mod_path reads it (there
	 * are hundreds, and a start-up pays for every entry checked here). */
	blob_sec(b, SEC_DIRS, &len);
	if (len % 4 || len / 4 > BLOB_MAX_DIRS)
		return "directory table malformed";
	return NULL;
}

/* Are all n bytes at p in 0x01..0x7f? Eight at a time: no byte has its top
 * bit set, and then (w - 0x01..) & ~w & 0x80.. is non-zero exactly when one
 * of them is 0. */
static int plain(const uint8_t *p, uint32_t n)
{
	const uint64_t lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
	uint32_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w = blob_le64(p + i);
		if ((w & hi) || ((w - lo) & ~w & hi))
			return 0;
	}
	for (; i < n; i++)
		if (p[i] == 0 || p[i] >= 0x80)
			return 0;
	return 1;
}

/* TOKENS: 128 u16 start offsets, non-decreasing, from just past themselves
 * to at most the section's end (which ends the last token). A token's
 * bytes are plain pattern bytes (1..0x7f): no token holds another, so
 * expansion has no depth and no loops. */
static const char *check_tokens(const struct blob *b)
{
	uint32_t len, prev = 2 * BLOB_NTOKENS;
	const uint8_t *t = blob_sec(b, SEC_TOKENS, &len);

	if (len < 2 * BLOB_NTOKENS || len > BLOB_MAX_TOKENS)
		return "token table truncated or too large";
	for (uint32_t i = 0; i < BLOB_NTOKENS; i++) {
		uint32_t off = blob_u16(t + 2 * i);
		if (off < prev || off > len || (i == 0 && off != 2 * BLOB_NTOKENS))
			return "token offsets out of order or outside the token table";
		prev = off;
	}
	if (!plain(t + 2 * BLOB_NTOKENS, len - 2 * BLOB_NTOKENS))
		return "token holds a NUL or another token";
	return NULL;
}

/* PREFIX or GRAMS with nb buckets: nb + 1 u16 starts, the last of them
 * (total) the number of u16 ids that follow, then one tag byte per id. */
static int bucket_table_ok(const struct blob *b, enum blob_section s, uint32_t nb)
{
	uint32_t len;
	const uint8_t *p = blob_sec(b, s, &len);

	if (nb == 0 || nb > BLOB_MAX_BUCKETS || (nb & (nb - 1)) || len < 2 * (nb + 1))
		return 0;
	uint32_t total = blob_u16(p + 2 * nb);
	return total <= b->h.naliases && len == 2 * (nb + 1) + 3 * total;
}

/* The alias sections: alias numbers are u16 (candidate lists, PREFIX,
 * GRAMS and ALWAYS store them so), one ABLOCKS entry per block, and every
 * entry takes at least 4 bytes of ALIASES. */
static const char *check_aliases(const struct blob *b)
{
	const struct blob_header *h = &b->h;

	if (h->naliases > BLOB_MAX_ALIASES)
		return "more aliases than 16-bit alias numbers can address";
	if (h->sec[SEC_ABLOCKS].len != 4 * ((h->naliases + BLOB_ABLOCK - 1) / BLOB_ABLOCK))
		return "alias block table size mismatch";
	if (h->sec[SEC_ALIASES].len < 4 * h->naliases)
		return "alias table shorter than its entries";
	if (!bucket_table_ok(b, SEC_PREFIX, h->prefix_buckets) ||
	    !bucket_table_ok(b, SEC_GRAMS, h->gram_buckets))
		return "hash table malformed (size not a power of two up to 65536, or not its "
		       "entries)";
	if (h->max_prefix > BLOB_MAX_PATTERN)
		return "longest alias prefix longer than any alias";
	if (h->sec[SEC_ALWAYS].len % 2 || h->sec[SEC_ALWAYS].len / 2 > h->naliases)
		return "always-tried alias list malformed";
	return check_tokens(b);
}

/* The header, read word by word (little-endian, any alignment): every
 * field after the magic is a 32-bit word, in struct blob_header's order. */
_Static_assert(sizeof(struct blob_header) == sizeof(((struct blob_header *)0)->word),
	       "struct blob_header is the header's words, in order");
static void decode_header(struct blob *b)
{
	for (unsigned i = 0; i < sizeof b->h.word / 4; i++)
		b->h.word[i] = blob_u32(b->base + BLOB_H_VERSION + 4 * i);
}

static int check(struct blob *b, const char **why)
{
	const struct blob_header *h = &b->h;
	const char *r;

	if (b->size < BLOB_HDR_SIZE || memcmp(b->base + BLOB_H_MAGIC, BLOB_MAGIC, 8) != 0)
		return *why = "not a modload blob (bad magic)", -EBADMSG;
	decode_header(b);
	if (h->version != BLOB_VERSION)
		return *why = "unsupported blob format version", -EPROTO;
	if (h->size != b->size)
		return *why = "truncated or extended (size mismatch)", -EBADMSG;
	if (blob_checksum(b->base + BLOB_SUMMED_FROM, b->size - BLOB_SUMMED_FROM) != h->checksum)
		return *why = "checksum mismatch (corrupt)", -EBADMSG;
	if ((r = check_layout(b)) || (r = check_strings(b)) || (r = check_modules(b)) ||
	    (r = check_aliases(b)))
		return *why = r, -EBADMSG;
	if (!str_table_ok(b, SEC_CFGALIAS, 8) || !str_table_ok(b, SEC_CFGOPTS, 8) ||
	    !str_table_ok(b, SEC_CFGCMDS, 16))
		return *why = "configuration table malformed", -EBADMSG;
	return 0;
}

int blob_check(struct blob *b, const char **why)
{
	int err;

	memset(&b->h, 0, sizeof b->h);
	err = check(b, why);
	if (err) /* a refused blob reads as empty, should anyone read it anyway */
		memset(&b->h, 0, sizeof b->h);
	return err;
}

int blob_open(struct blob *b, const char *path, const char **why)
{
	struct stat st;
	void *m;
	int fd, err;

	memset(b, 0, sizeof *b);
	b->path = path;
	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (st.st_size < BLOB_HDR_SIZE || st.st_size > (off_t)INT32_MAX)
		*why = "too small or too large to be a blob", err = -EBADMSG;
	else if ((m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		err = -errno;
	else
		err = 0;
	close(fd); /* the mapping outlives the descriptor */
	if (err)
		return err;
	b->base = m;
	b->size = (size_t)st.st_size;
	err = blob_check(b, why);
	if (err)
		blob_close(b);
	return err;
}

void blob_close(struct blob *b)
{
	if (b->base)
		munmap((void *)b->base, b->size);
	b->base = NULL;
	b->size = 0;
	memset(&b->h, 0, sizeof b->h);
}

const char *blob_str(const struct blob *b, uint32_t off)
{
	uint32_t len;
	const char *s = (const char *)blob_sec(b, SEC_STR, &len);
	return off < len ? s + off : "";
}

const char *blob_kver(const struct blob *b)
{
	return blob_str(b, b->h.kver);
}

uint32_t blob_nmods(const struct blob *b)
{
	return b->h.nmods;
}

/* Record idx's bytes; idx < nmods. */
static const uint8_t *mod_rec(const struct blob *b, uint32_t idx)
{
	return blob_sec(b, SEC_MOD, NULL) + (size_t)BLOB_MOD_SIZE * idx;
}

struct blob_mod blob_mod(const struct blob *b, uint32_t idx)
{
	struct blob_mod m = { 0, 0, 0, 0, 0, 0 };

	if (idx < b->h.nmods) {
		const uint8_t *r = mod_rec(b, idx);
		m.name = blob_u32(r + BLOB_M_NAME);
		m.deps = blob_u16(r + BLOB_M_DEPS);
		m.extra = blob_u16(r + BLOB_M_EXTRA);
		m.dir = blob_u16(r + BLOB_M_DIR);
		m.order = blob_u16(r + BLOB_M_ORDER);
		m.flags = blob_u16(r + BLOB_M_FLAGS);
	}
	return m;
}

/* Only the name: the binary search reads nothing else. */
const char *blob_mod_name(const struct blob *b, uint32_t idx)
{
	return idx < b->h.nmods ? blob_str(b, blob_u32(mod_rec(b, idx) + BLOB_M_NAME)) : "";
}

int blob_find_mod(const struct blob *b, const char *name)
{
	uint32_t lo = 0, hi = b->h.nmods;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(blob_mod_name(b, mid), name);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A linear walk: only symbol: requests (rare, from a few drivers) come here,
 * and front coding keeps the section small. An entry running past the
 * section, or sharing more than the name before it has, ends the walk (a
 * corrupt section finds nothing). */
int blob_find_symbol(const struct blob *b, const char *name)
{
	static char cur[256 + BLOB_MAX_PATTERN];
	uint32_t len;
	const uint8_t *p = blob_sec(b, SEC_SYMBOLS, &len), *end = p + len;

	while (end - p > 2) {
		unsigned mod = blob_u16(p);
		size_t have = 0;
		for (p += 2; p < end && *p != 0xff;) {
			size_t k = *p++;
			if (k > have)
				return -1;
			do {
				if (p == end || k > BLOB_MAX_PATTERN + 254)
					return -1;
				cur[k++] = (char)(*p & 0x7f);
			} while (!(*p++ & 0x80));
			cur[have = k] = '\0';
			if (!strcmp(cur, name))
				return mod < b->h.nmods ? (int)mod : -1;
		}
		p++;
	}
	return -1;
}

const uint8_t *blob_list(const struct blob *b, uint32_t units, uint32_t *n)
{
	uint32_t len, off = 2 * units;
	const uint8_t *l = blob_sec(b, SEC_LIST, &len);

	*n = 0;
	if (off > len || len - off < 2)
		return l;
	uint32_t cnt = blob_u16(l + off);
	if (cnt > (len - off - 2) / 2)
		return l;
	for (uint32_t i = 0; i < cnt; i++) /* every entry must name a module */
		if (blob_u16(l + off + 2 + 2 * i) >= b->h.nmods)
			return l;
	*n = cnt;
	return l + off + 2;
}

/* Record number rec of EXTRA into *e: -EBADMSG when there is none (EXTRA is
 * whole records, at least one: blob_check). */
static int extra_rec(const struct blob *b, uint32_t rec, struct blob_extra *e)
{
	uint32_t len;
	const uint8_t *x = blob_sec(b, SEC_EXTRA, &len);

	memset(e, 0, sizeof *e);
	if (rec >= len / BLOB_EXTRA_SIZE)
		return -EBADMSG;
	x += (size_t)BLOB_EXTRA_SIZE * rec;
	e->file = blob_u32(x + BLOB_X_FILE);
	e->soft_pre = blob_u32(x + BLOB_X_SOFT_PRE);
	e->soft_post = blob_u32(x + BLOB_X_SOFT_POST);
	return 0;
}

struct blob_extra blob_mod_extra(const struct blob *b, uint32_t idx)
{
	struct blob_extra e;
	(void)extra_rec(b, blob_mod(b, idx).extra, &e); /* none: all zero */
	return e;
}

uint32_t blob_slist_count(const struct blob *b, uint32_t off)
{
	uint32_t len;
	const uint8_t *l = blob_sec(b, SEC_SLIST, &len);
	if (off > len || len - off < 2)
		return 0;
	uint32_t cnt = blob_u16(l + off);
	return cnt <= (len - off - 2) / 4 ? cnt : 0;
}

const char *blob_slist_item(const struct blob *b, uint32_t off, uint32_t i)
{
	const uint8_t *l = blob_sec(b, SEC_SLIST, NULL);
	if (i >= blob_slist_count(b, off))
		return "";
	return blob_str(b, blob_u32(l + off + 2 + 4 * i));
}

static const char mod_ext[][8] = { ".ko.zst", ".ko", ".ko.xz", ".ko.gz" };

/* STR offset off into *s: -EBADMSG when it is outside STR. */
static int str_at(const struct blob *b, uint32_t off, const char **s)
{
	uint32_t len;
	const char *str = (const char *)blob_sec(b, SEC_STR, &len);

	*s = off < len ? str + off : "";
	return off < len ? 0 : -EBADMSG;
}

int blob_mod_path(const struct blob *b, uint32_t idx, char *buf, size_t len)
{
	struct blob_mod m = blob_mod(b, idx);
	uint32_t dlen;
	const uint8_t *dirs = blob_sec(b, SEC_DIRS, &dlen);
	struct blob_extra x;
	const char *stem, *dir;
	size_t n;

	unsigned ext = (m.flags & BM_EXT_MASK) >> BM_EXT_SHIFT;
	if (idx >= b->h.nmods || (m.flags & BM_BUILTIN))
		return -ENOENT; /* no such module, or no file to name */
	/* A record naming a directory, EXTRA record or string that is not
	 * there is corrupt: say so, not that the path is too long. */
	if (m.dir >= dlen / 4 || extra_rec(b, m.extra, &x) < 0 ||
	    str_at(b, blob_u32(dirs + 4 * m.dir), &dir) < 0 ||
	    str_at(b, x.file ? x.file : m.name, &stem) < 0)
		return -EBADMSG;
	n = (size_t)fmt_snprintf(buf, len, "%s%s%s%s", dir, *dir ? "/" : "", stem, mod_ext[ext]);
	if (n >= len)
		return -ENAMETOOLONG;
	if (m.flags & BM_DASHFILE && !x.file)
		for (char *p = buf + strlen(dir); *p && p < buf + n - strlen(mod_ext[ext]); p++)
			if (*p == '_')
				*p = '-';
	return 0;
}

int blob_use(struct blob *b, const void *data, size_t size, const char **why)
{
	memset(b, 0, sizeof *b);
	b->base = data;
	b->size = size;
	*why = NULL;
	if (size < BLOB_HDR_SIZE)
		return *why = "too small to be a blob", -EBADMSG;
	return blob_check(b, why);
}
