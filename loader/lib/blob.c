/* blob.c: open, validate and read the module database (format in blob.h).
 * Validation happens once at open; accessors still clamp, so a blob that
 * passed the check cannot make a reader step outside the mapping. */
#include "blob.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Unaligned little-endian loads (the summed range starts at byte 20). */
typedef uint64_t u64_unaligned __attribute__((aligned(1), may_alias));

/* Eight running sums of 64-bit words, one per word position modulo 8, mixed
 * at the end: about 1.3 instructions per 8 bytes, cheap enough to run at
 * every start, and any changed, zeroed or truncated byte changes a sum. */
uint32_t blob_checksum(const uint8_t *p, size_t n)
{
	uint64_t a[8] = { 0x6d6f646c6f6164ull, 0, 0, 0, 0, 0, 0, 0 }, x = 0;
	size_t i = 0;

	for (; i + 64 <= n; i += 64) {
		const u64_unaligned *w = (const u64_unaligned *)(p + i);
		/* Spelled out: -Os would keep an inner loop here. */
		a[0] += w[0];
		a[1] += w[1];
		a[2] += w[2];
		a[3] += w[3];
		a[4] += w[4];
		a[5] += w[5];
		a[6] += w[6];
		a[7] += w[7];
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
	uint32_t w;
	memcpy(&w, s, 4);
	return (w * 2654435761u) ^ (w >> 13);
}

static int sec_ok(const struct blob_header *h, size_t size, int s)
{
	uint32_t off = h->sec[s].off, len = h->sec[s].len;
	return off >= sizeof *h && off % 4 == 0 && off <= size && len <= size - off;
}

/* EXTRA: whole records, at least the all-zero record 0 that "no extra"
 * points to, and no more than a u16 record number can reach. */
static int extra_ok(const struct blob *b)
{
	uint32_t len;
	const uint8_t *x = blob_sec(b, SEC_EXTRA, &len);
	static const uint8_t zero[sizeof(struct blob_extra)];

	return len % sizeof zero == 0 && len >= sizeof zero && len / sizeof zero <= 0x10000 &&
	       memcmp(x, zero, sizeof zero) == 0;
}

int blob_check(const struct blob *b, const char **why)
{
	const struct blob_header *h = (const void *)b->base;
	uint32_t len;

	if (b->size < sizeof *h || memcmp(h->magic, BLOB_MAGIC, 8) != 0)
		return *why = "not a modload blob (bad magic)", -EBADMSG;
	if (h->version != BLOB_VERSION)
		return *why = "unsupported blob format version", -EPROTO;
	if (h->size != b->size)
		return *why = "truncated or extended (size mismatch)", -EBADMSG;
	if (blob_checksum(b->base + BLOB_SUMMED_FROM, b->size - BLOB_SUMMED_FROM) != h->checksum)
		return *why = "checksum mismatch (corrupt)", -EBADMSG;
	for (int s = 0; s < BLOB_NSEC; s++)
		if (!sec_ok(h, b->size, s))
			return *why = "section outside the file", -EBADMSG;
	if (h->sec[SEC_MOD].len != h->nmods * sizeof(struct blob_mod) || h->nmods > BLOB_MAX_MODS)
		return *why = "module table size mismatch", -EBADMSG;
	if (h->sec[SEC_STR].len == 0 || b->base[h->sec[SEC_STR].off + h->sec[SEC_STR].len - 1])
		return *why = "string table not terminated", -EBADMSG;
	if (h->sec[SEC_ABLOCKS].len != 4 * ((h->naliases + BLOB_ABLOCK - 1) / BLOB_ABLOCK))
		return *why = "alias block table size mismatch", -EBADMSG;
	if ((h->prefix_buckets & (h->prefix_buckets - 1)) ||
	    (h->gram_buckets & (h->gram_buckets - 1)) || !h->prefix_buckets || !h->gram_buckets)
		return *why = "hash table size not a power of two", -EBADMSG;
	if (h->sec[SEC_PREFIX].len < 2 * (h->prefix_buckets + 1) ||
	    h->sec[SEC_GRAMS].len < 2 * (h->gram_buckets + 1) || h->prefix_buckets > 0x10000 ||
	    h->gram_buckets > 0x10000)
		return *why = "hash table truncated", -EBADMSG;
	if (blob_sec(b, SEC_TOKENS, &len), len < 2 * BLOB_NTOKENS)
		return *why = "token table truncated", -EBADMSG;
	if (h->kver >= h->sec[SEC_STR].len)
		return *why = "kernel release outside the string table", -EBADMSG;
	if (!extra_ok(b))
		return *why = "extra records table malformed (not whole records, or no empty "
			      "record "
			      "0)",
		       -EBADMSG;
	return 0;
}

int blob_open(struct blob *b, const char *path, const char **why)
{
	struct stat st;
	int fd, err;

	memset(b, 0, sizeof *b);
	b->path = path;
	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (st.st_size < (off_t)sizeof(struct blob_header) || st.st_size > (off_t)INT32_MAX) {
		close(fd);
		*why = "too small or too large to be a blob";
		return -EBADMSG;
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = m == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	b->base = m;
	b->size = (size_t)st.st_size;
	b->h = m;
	err = blob_check(b, why);
	if (err)
		blob_close(b);
	return err;
	return 0;
}

void blob_close(struct blob *b)
{
	if (b->base)
		munmap((void *)b->base, b->size);
	b->base = NULL;
	b->h = NULL;
	b->size = 0;
}

const char *blob_str(const struct blob *b, uint32_t off)
{
	uint32_t len;
	const char *s = (const char *)blob_sec(b, SEC_STR, &len);
	return off < len ? s + off : "";
}

const char *blob_kver(const struct blob *b)
{
	return blob_str(b, b->h->kver);
}

uint32_t blob_nmods(const struct blob *b)
{
	return b->h->nmods;
}

const struct blob_mod *blob_mod(const struct blob *b, uint32_t idx)
{
	const struct blob_mod *m = (const void *)blob_sec(b, SEC_MOD, NULL);
	return idx < b->h->nmods ? m + idx : NULL;
}

const char *blob_mod_name(const struct blob *b, uint32_t idx)
{
	const struct blob_mod *m = blob_mod(b, idx);
	return m ? blob_str(b, m->name) : "";
}

int blob_find_mod(const struct blob *b, const char *name)
{
	uint32_t lo = 0, hi = b->h->nmods;
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
		if (blob_u16(l + off + 2 + 2 * i) >= b->h->nmods)
			return l;
	*n = cnt;
	return l + off + 2;
}

struct blob_extra blob_mod_extra(const struct blob *b, uint32_t idx)
{
	struct blob_extra e = { 0, 0, 0 };
	const struct blob_mod *m = blob_mod(b, idx);
	uint32_t len;
	const uint8_t *x = blob_sec(b, SEC_EXTRA, &len);

	/* len is whole records, at least one (blob_check): no wrap here. */
	if (m && m->extra && m->extra < len / sizeof e)
		memcpy(&e, x + m->extra * sizeof e, sizeof e);
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

static const char *const mod_ext[] = { ".ko.zst", ".ko", ".ko.xz", ".ko.gz" };

int blob_mod_path(const struct blob *b, uint32_t idx, char *buf, size_t len)
{
	const struct blob_mod *m = blob_mod(b, idx);
	uint32_t dlen;
	const uint8_t *dirs = blob_sec(b, SEC_DIRS, &dlen);
	struct blob_extra x = blob_mod_extra(b, idx);
	const char *stem, *dir;
	size_t n;

	unsigned ext = m ? (m->flags & BM_EXT_MASK) >> BM_EXT_SHIFT : 0;
	if (!m || (m->flags & BM_BUILTIN) || (uint32_t)m->dir * 4 + 4 > dlen)
		return -ENOENT;
	dir = blob_str(b, blob_u32(dirs + 4 * m->dir));
	stem = x.file ? blob_str(b, x.file) : blob_str(b, m->name);
	n = (size_t)snprintf(buf, len, "%s%s%s%s", dir, *dir ? "/" : "", stem, mod_ext[ext]);
	if (n >= len)
		return -ENAMETOOLONG;
	if (m->flags & BM_DASHFILE && !x.file)
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
	b->h = data;
	*why = NULL;
	if (size < sizeof(struct blob_header))
		return *why = "too small to be a blob", -EBADMSG;
	return blob_check(b, why);
}
