/* test_blob.c: the blob format's reader (loader/lib/blob.c, alias.c,
 * lookup.c) against crafted bad blobs, and the writer
 * (initramfs/modpack/blobwrite.c) against the documented layout.
 *
 *   test_blob [CASE...]    (default: every case)
 *
 * Each blob is built by the real writer from a small hand-made pack, then
 * damaged on purpose with its checksum recomputed (so the damage gets past
 * the checksum to blob_check and the readers), in a malloc'ed buffer of
 * exactly its size so that ASan sees any read past the end. Every case runs
 * in a child process: a sanitizer report or a crash in one is reported as
 * that case's failure and the others still run. Prints one FAIL line per
 * failed check and a summary line; the exit status is 0 when all pass. */
#include "alias.h"
#include "blob.h"
#include "buf.h"
#include "exec.h"
#include "report.h"
#include "lookup.h"
#include "modtree.h"
#include "pack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* ---- little-endian bytes, independent of blob.h's helpers ------------- */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Header offsets as blob.h documents them. */
enum {
	H_VERSION = 8,
	H_SIZE = 12,
	H_CHECKSUM = 16,
	H_KVER = 20,
	H_NMODS = 24,
	H_NALIASES = 28,
	H_PREFIX_BUCKETS = 32,
	H_GRAM_BUCKETS = 36,
	H_MAX_PREFIX = 40,
	H_SEC = 44,
	H_END = 44 + 8 * BLOB_NSEC,
	MOD_SIZE = 16,
	EXTRA_SIZE = 12,
};

/* ---- test blobs, made by the real writer ------------------------------ */

/* One module of a test pack. Lists are space-separated names. */
struct spec {
	const char *name;
	const char *relpath; /* NULL: built in */
	unsigned order;
	const char *aliases;
	const char *load; /* dependency closure in load order */
	const char *pre, *post;
};

/* Everything a built pack owns. */
struct built {
	struct pack p;
	struct mt_module *mods;
	struct mt_builtin *bins;
	char **strs; /* every malloc'ed string, freed at the end */
	size_t nstrs;
};

static char *keep(struct built *b, char *s)
{
	b->strs = xrealloc(b->strs, (b->nstrs + 1) * sizeof *b->strs);
	b->strs[b->nstrs++] = s;
	return s;
}

/* Split a space-separated list into a malloc'ed array of owned strings. */
static size_t split(struct built *b, const char *list, char ***out)
{
	size_t n = 0;
	char *copy = xstrdup(list ? list : ""), *save = NULL;

	*out = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = keep(b, xstrdup(w));
	}
	free(copy);
	return n;
}

static void add_info(struct built *b, char ***info, size_t *n, const char *aliases)
{
	char **v;
	size_t nv = split(b, aliases, &v);

	*info = xrealloc(NULL, (nv + 1) * sizeof **info);
	for (size_t i = 0; i < nv; i++) {
		char *e = xrealloc(NULL, strlen(v[i]) + 7);
		sprintf(e, "alias=%s", v[i]);
		(*info)[i] = keep(b, e);
	}
	*n = nv;
	free(v);
}

static int find_spec(const struct spec *s, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return (int)i;
	return -1;
}

/* The symbols test modules of these names export (SYMBOLS): ata_port_desc
 * twice, as symbol tables of real kernels sometimes have it. */
static const char *exports_of(const char *name)
{
	static const char *const v[][2] = { { "jbd2", "jbd2_journal_start" },
					    { "libahci", "ahci_do_softreset ata_port_desc" },
					    { "libata", "ata_port_desc ata_host_alloc" } };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (!strcmp(v[i][0], name))
			return v[i][1];
	return NULL;
}

/* specs must be sorted by name (the writer wants the pack that way). */
static void build_pack(struct built *b, const struct spec *s, size_t n)
{
	memset(b, 0, sizeof *b);
	b->p.kver = "6.1.0-test";
	static const char *cfg_alias[] = { "my-disk", "ahci" };
	static const char *cfg_options[] = { "ahci", "mobile_lpm_policy=1" };
	b->p.cfg_alias = cfg_alias;
	b->p.ncfg_alias = 2;
	b->p.cfg_options = cfg_options;
	b->p.ncfg_options = 2;
	b->p.m = xrealloc(NULL, (n + 1) * sizeof *b->p.m);
	b->mods = xrealloc(NULL, (n + 1) * sizeof *b->mods);
	b->bins = xrealloc(NULL, (n + 1) * sizeof *b->bins);
	memset(b->p.m, 0, (n + 1) * sizeof *b->p.m);
	memset(b->mods, 0, (n + 1) * sizeof *b->mods);
	memset(b->bins, 0, (n + 1) * sizeof *b->bins);
	b->p.n = n;
	for (size_t i = 0; i < n; i++) {
		struct pmod *m = &b->p.m[i];
		m->name = s[i].name;
		m->order = s[i].order;
		if (s[i].relpath) {
			m->relpath = s[i].relpath;
			m->src = &b->mods[i];
			add_info(b, &b->mods[i].info, &b->mods[i].ninfo, s[i].aliases);
			b->mods[i].nexports = split(b, exports_of(s[i].name), &b->mods[i].exports);
		} else {
			m->builtin = 1;
			m->bsrc = &b->bins[i];
			add_info(b, &b->bins[i].info, &b->bins[i].ninfo, s[i].aliases);
		}
		char **v;
		m->nload = split(b, s[i].load, &v);
		m->load = xrealloc(NULL, (m->nload + 1) * sizeof *m->load);
		for (size_t k = 0; k < m->nload; k++)
			m->load[k] = (unsigned)find_spec(s, n, v[k]);
		free(v);
		m->npre = split(b, s[i].pre, (char ***)&m->pre);
		m->npost = split(b, s[i].post, (char ***)&m->post);
	}
}

static void free_built(struct built *b)
{
	for (size_t i = 0; i < b->p.n; i++) {
		free(b->p.m[i].load);
		free(b->p.m[i].pre);
		free(b->p.m[i].post);
		free(b->mods[i].info);
		free(b->mods[i].exports);
		free(b->bins[i].info);
	}
	for (size_t i = 0; i < b->nstrs; i++)
		free(b->strs[i]);
	free(b->strs);
	free(b->p.m);
	free(b->mods);
	free(b->bins);
}

/* FNV-1a 64 of the writer's blob of the small pack (see case_layout). */
#define GOLDEN 0xd63d3b4a977e1229ull

static const struct spec small[] = {
	{ "ahci", "kernel/drivers/ata/ahci.ko", 3,
	  "pci:v*d*sv*sd*bc01sc06i01* pci:v00008086d00002922sv*sd*bc*sc*i*", "libata libahci", NULL,
	  NULL },
	{ "crc32c_generic", NULL, 9, "crypto-crc32c crypto-crc32c-generic", NULL, NULL, NULL },
	{ "ext4", "kernel/fs/ext4/ext4.ko.zst", 5, "fs-ext4 fs-ext3 fs-ext2", "mbcache jbd2",
	  "crc32c", NULL },
	{ "jbd2", "kernel/fs/jbd2/jbd2.ko.zst", 4, NULL, NULL, NULL, NULL },
	{ "libahci", "kernel/drivers/ata/libahci.ko", 2, NULL, "libata", NULL, NULL },
	{ "libata", "kernel/drivers/ata/libata.ko", 1, NULL, NULL, NULL, NULL },
	{ "mbcache", "kernel/fs/mbcache.ko.zst", 6, NULL, NULL, NULL, NULL },
	{ "odd_name", "extra/Odd-File.ko.xz", 0xffffffffu, "odd:* *odd*", NULL, NULL, "ahci" },
	{ "snd_hda_intel", "kernel/sound/pci/hda/snd-hda-intel.ko.gz", 7,
	  "pci:v00008086d*sv*sd*bc04sc03i00* pci:v*d*sv*sd*bc04sc03i80*", NULL, NULL, NULL },
	{ "virtio_blk", "kernel/drivers/block/virtio_blk.ko", 8, "virtio:d00000002v*", NULL, NULL,
	  NULL },
};
#define NSMALL (sizeof small / sizeof *small)

/* A blob in an exact-size heap buffer. */
struct tblob {
	uint8_t *p;
	size_t n;
};

static struct tblob make_blob(const struct spec *s, size_t n)
{
	struct built b;
	struct tblob t;

	build_pack(&b, s, n);
	if (pack_write_blob(&b.p, &t.p, &t.n) < 0) {
		printf("FAIL [%s] the writer refused the test pack\n", tcase);
		exit(1);
	}
	free_built(&b);
	uint8_t *exact = xrealloc(NULL, t.n);
	memcpy(exact, t.p, t.n);
	free(t.p);
	t.p = exact;
	return t;
}

static uint32_t sec_off(const struct tblob *t, int s)
{
	return rd32(t->p + H_SEC + 8 * s);
}

static uint32_t sec_len(const struct tblob *t, int s)
{
	return rd32(t->p + H_SEC + 8 * s + 4);
}

static void set_sec(struct tblob *t, int s, uint32_t off, uint32_t len)
{
	wr32(t->p + H_SEC + 8 * s, off);
	wr32(t->p + H_SEC + 8 * s + 4, len);
}

/* Give section s newlen bytes (cut, or zero-filled at its end), moving the
 * sections after it: a damaged blob whose layout is still well formed. */
static void resize_sec(struct tblob *t, int s, uint32_t newlen)
{
	uint8_t *q = xrealloc(NULL, t->n + newlen + 4 * BLOB_NSEC);
	size_t n = H_END;

	memcpy(q, t->p, H_END);
	for (int k = 0; k < BLOB_NSEC; k++) {
		uint32_t off = sec_off(t, k), len = sec_len(t, k), want = k == s ? newlen : len;
		while (n % 4)
			q[n++] = 0;
		memset(q + n, 0, want);
		memcpy(q + n, t->p + off, len < want ? len : want);
		wr32(q + H_SEC + 8 * k, (uint32_t)n);
		wr32(q + H_SEC + 8 * k + 4, want);
		n += want;
	}
	wr32(q + H_SIZE, (uint32_t)n);
	free(t->p);
	t->p = xrealloc(NULL, n);
	memcpy(t->p, q, n);
	t->n = n;
	free(q);
}

/* Byte i of section s. */
static uint8_t *sec_at(struct tblob *t, int s, uint32_t i)
{
	return t->p + sec_off(t, s) + i;
}

/* Recompute the checksum so that damage reaches the structural checks. */
static void fix_sum(struct tblob *t)
{
	wr32(t->p + H_CHECKSUM, blob_checksum(t->p + BLOB_SUMMED_FROM, t->n - BLOB_SUMMED_FROM));
}

/* Open t (checksum fixed first); returns blob_use's result, *why its reason. */
static int use(struct tblob *t, struct blob *b, const char **why)
{
	fix_sum(t);
	*why = NULL;
	int err = blob_use(b, t->p, t->n, why);
	if (!*why)
		*why = "";
	return err;
}

/* Module record i's byte offset in the file. */
static uint8_t *mod_rec(struct tblob *t, uint32_t i)
{
	return t->p + sec_off(t, SEC_MOD) + MOD_SIZE * i;
}

/* Every reader over every module and alias: what a fuzzer would do. */
static void exercise(const struct blob *b)
{
	static const char *const q[] = { "ahci",
					 "ext4",
					 "fs-ext4",
					 "crypto-crc32c",
					 "odd:x",
					 "virtio:d00000002v00001AF4",
					 "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01" };
	char buf[ALIAS_MAX];
	volatile size_t sink = 0;

	for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
		struct hits h;
		hits_init(&h);
		int n = lookup(b, NULL, q[i], &h);
		for (int k = 0; k < n; k++)
			sink += strlen(h.v[k].name);
		hits_free(&h);
	}
	for (uint32_t i = 0; i < blob_nmods(b); i++) {
		struct blob_extra x = blob_mod_extra(b, i);
		sink += strlen(blob_mod_name(b, i)) + strlen(blob_str(b, x.file));
		for (uint32_t k = 0; k < blob_slist_count(b, x.soft_pre); k++)
			sink += strlen(blob_slist_item(b, x.soft_pre, k));
		if (blob_mod_path(b, i, buf, sizeof buf) == 0)
			sink += strlen(buf);
	}
	for (uint32_t i = 0; i < rd32(b->base + H_NALIASES) && i < 0x10000; i++) {
		unsigned mod;
		if (alias_get(b, i, buf, sizeof buf, &mod) >= 0)
			sink += mod;
	}
	(void)sink;
}

/* ---- the documented layout, decoded here independently ---------------- */

/* blob_checksum as blob.h specifies it, byte by byte: eight 64-bit sums of
 * little-endian words by position modulo 8, the tail bytes shifted into
 * place, then mixed. */
static uint32_t ref_checksum(const uint8_t *p, size_t n)
{
	uint64_t a[8] = { 0x6d6f646c6f6164ull, 0, 0, 0, 0, 0, 0, 0 }, x = 0;
	size_t i = 0;

	for (; i < n / 64 * 64; i += 8) { /* whole 64-byte chunks */
		uint64_t w = 0;
		for (int k = 7; k >= 0; k--)
			w = w << 8 | p[i + (size_t)k];
		a[(i / 8) % 8] += w;
	}
	for (; i < n; i++)
		a[i % 8] += (uint64_t)p[i] << (8 * (i % 8));
	for (int k = 0; k < 8; k++)
		x = (x ^ a[k]) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(x ^ (x >> 32));
}

static uint32_t ref_hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h ^ (h >> 15);
}

static uint32_t ref_hash_gram(const char *s)
{
	uint32_t w = rd32((const uint8_t *)s);
	return (w * 2654435761u) ^ (w >> 13);
}

static const char *str_at(const struct tblob *t, uint32_t off)
{
	return off < sec_len(t, SEC_STR) ? (const char *)t->p + sec_off(t, SEC_STR) + off
					 : "(outside STR)";
}

/* Decode alias entry by entry from ALIASES and TOKENS as documented; fills
 * pat[i] (malloc'ed) and mod[i]; returns the count or -1. */
static int ref_aliases(const struct tblob *t, char **pat, unsigned *mod, uint32_t max)
{
	const uint8_t *al = t->p + sec_off(t, SEC_ALIASES), *tok = t->p + sec_off(t, SEC_TOKENS);
	uint32_t alen = sec_len(t, SEC_ALIASES), tlen = sec_len(t, SEC_TOKENS), n = 0, at = 0;
	char prev[BLOB_MAX_PATTERN + 1] = "";

	while (at < alen && n < max) {
		char cur[BLOB_MAX_PATTERN + 1];
		uint32_t k = al[at++];
		if (n % BLOB_ABLOCK == 0) {
			if (k != 0 ||
			    rd32(t->p + sec_off(t, SEC_ABLOCKS) + 4 * (n / BLOB_ABLOCK)) != at - 1)
				return -1;
		}
		memcpy(cur, prev, k);
		for (; at < alen && al[at]; at++) {
			if (al[at] < 0x80) {
				cur[k++] = (char)al[at];
				continue;
			}
			uint32_t i = al[at] - 0x80u, lo = rd16(tok + 2 * i),
				 hi = i + 1 < BLOB_NTOKENS ? rd16(tok + 2 * i + 2) : tlen;
			memcpy(cur + k, tok + lo, hi - lo);
			k += hi - lo;
		}
		cur[k] = '\0';
		at++;
		mod[n] = rd16(al + at);
		at += 2;
		pat[n++] = xstrdup(cur);
		memcpy(prev, cur, k + 1);
	}
	return (int)n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is alias id in bucket key & (nb - 1) of the PREFIX or GRAMS table at
 * off, with key's tag? */
static int in_bucket(const struct tblob *t, int s, uint32_t nb, uint32_t key, unsigned id)
{
	const uint8_t *p = t->p + sec_off(t, s);
	uint32_t b = key & (nb - 1), total = rd16(p + 2 * nb);
	for (uint32_t k = rd16(p + 2 * b); k < rd16(p + 2 * b + 2); k++)
		if (rd16(p + 2 * (nb + 1) + 2 * k) == id &&
		    p[2 * (nb + 1) + 2 * total + k] == (uint8_t)(key >> 24))
			return 1;
	return 0;
}

static int literal(char c)
{
	return !strchr("*?[]\\", c);
}

/* Every alias is filed where a lookup will probe for it: under the hash of
 * its literal prefix in PREFIX, or of one of its 4-byte literal runs in
 * GRAMS, or in ALWAYS. */
static void check_filed(const struct tblob *t, char **pat, uint32_t n)
{
	uint32_t pb = rd32(t->p + H_PREFIX_BUCKETS), gb = rd32(t->p + H_GRAM_BUCKETS);

	for (uint32_t i = 0; i < n; i++) {
		size_t plen = 0, len = strlen(pat[i]);
		while (pat[i][plen] && literal(pat[i][plen]))
			plen++;
		int found = in_bucket(t, SEC_PREFIX, pb, ref_hash_str(pat[i], plen), i);
		for (size_t j = 0; !found && j + 4 <= len; j++)
			if (literal(pat[i][j]) && literal(pat[i][j + 1]) &&
			    literal(pat[i][j + 2]) && literal(pat[i][j + 3]))
				found = in_bucket(t, SEC_GRAMS, gb, ref_hash_gram(pat[i] + j), i);
		for (uint32_t k = 0; !found && k < sec_len(t, SEC_ALWAYS); k += 2)
			found = rd16(t->p + sec_off(t, SEC_ALWAYS) + k) == i;
		CHECK(found, "alias %u '%s' is in no bucket a lookup probes", i, pat[i]);
	}
}

/* The header, field by field at its documented offset. */
static void check_header(const struct tblob *t)
{
	CHECK(!memcmp(t->p, "MODLOAD\x1a", 8), "magic");
	CHECK(rd32(t->p + H_VERSION) == BLOB_VERSION && t->p[H_VERSION] == BLOB_VERSION,
	      "version %u, not little-endian %u", rd32(t->p + H_VERSION), BLOB_VERSION);
	CHECK(rd32(t->p + H_SIZE) == t->n, "size %u, file %zu", rd32(t->p + H_SIZE), t->n);
	CHECK(rd32(t->p + H_CHECKSUM) == ref_checksum(t->p + 20, t->n - 20),
	      "checksum %#x, recomputed byte by byte %#x", rd32(t->p + H_CHECKSUM),
	      ref_checksum(t->p + 20, t->n - 20));
	CHECK(!strcmp(str_at(t, rd32(t->p + H_KVER)), "6.1.0-test"), "kver '%s'",
	      str_at(t, rd32(t->p + H_KVER)));
	CHECK(rd32(t->p + H_NMODS) == NSMALL, "nmods %u", rd32(t->p + H_NMODS));
	CHECK((int)BLOB_HDR_SIZE == (int)H_END && H_END == 172, "header size %d",
	      (int)BLOB_HDR_SIZE);
	uint32_t end = H_END;
	for (int s = 0; s < BLOB_NSEC; s++) {
		CHECK(sec_off(t, s) % 4 == 0 && sec_off(t, s) >= end && sec_off(t, s) - end < 4,
		      "section %d at %u (previous ends at %u): not the next 4-byte boundary", s,
		      sec_off(t, s), end);
		end = sec_off(t, s) + sec_len(t, s);
	}
	CHECK(end == t->n, "the last section ends at %u, the file at %zu", end, t->n);
}

/* One module record against its spec. */
static void check_module(const struct tblob *t, uint32_t i, const struct spec *sp)
{
	const uint8_t *r = t->p + sec_off(t, SEC_MOD) + MOD_SIZE * i;
	uint16_t flags = rd16(r + 12), order = rd16(r + 10);
	const char *ext = sp->relpath ? strrchr(sp->relpath, '.') : NULL;
	static const char *const exts[] = { ".zst", ".ko", ".xz", ".gz" };

	CHECK(!strcmp(str_at(t, rd32(r)), sp->name), "module %u is '%s', want '%s'", i,
	      str_at(t, rd32(r)), sp->name);
	CHECK(order == (sp->order > 0xfffe ? 0xffff : sp->order), "%s: order %u", sp->name, order);
	CHECK(rd16(r + 14) == 0, "%s: reserved field %u", sp->name, rd16(r + 14));
	CHECK(!(flags & BM_BUILTIN) == !!sp->relpath, "%s: flags %#x", sp->name, flags);
	if (ext)
		CHECK(!strcmp(ext, exts[(flags & BM_EXT_MASK) >> BM_EXT_SHIFT]),
		      "%s: suffix bits %u for %s", sp->name, (flags & BM_EXT_MASK) >> BM_EXT_SHIFT,
		      sp->relpath);

	/* deps: LIST position in 2-byte units, a count then module numbers. */
	const uint8_t *l = t->p + sec_off(t, SEC_LIST) + 2 * rd16(r + 4);
	char got[512] = "";
	for (uint16_t k = 0; k < rd16(l); k++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "",
			 str_at(t,
				rd32(t->p + sec_off(t, SEC_MOD) + MOD_SIZE * rd16(l + 2 + 2 * k))));
	CHECK(!strcmp(got, sp->load ? sp->load : ""), "%s: deps '%s', want '%s'", sp->name, got,
	      sp->load ? sp->load : "");

	/* EXTRA: file stem and softdeps, through SLIST. */
	uint16_t rec = rd16(r + 6);
	const uint8_t *x = t->p + sec_off(t, SEC_EXTRA) + EXTRA_SIZE * rec;
	const uint8_t *pre = t->p + sec_off(t, SEC_SLIST) + rd32(x + 4);
	const uint8_t *post = t->p + sec_off(t, SEC_SLIST) + rd32(x + 8);
	CHECK(!strcmp(rd16(pre) ? str_at(t, rd32(pre + 2)) : "", sp->pre ? sp->pre : "") &&
		      !strcmp(rd16(post) ? str_at(t, rd32(post + 2)) : "",
			      sp->post ? sp->post : ""),
	      "%s: softdeps do not read back", sp->name);
	if (!strcmp(sp->name, "odd_name"))
		CHECK(rec && !strcmp(str_at(t, rd32(x)), "Odd-File"), "%s: file stem '%s'",
		      sp->name, rec ? str_at(t, rd32(x)) : "(no record)");
	if (!strcmp(sp->name, "snd_hda_intel"))
		CHECK(flags & BM_DASHFILE, "%s: not marked as a dashed file name", sp->name);

	/* dir: DIRS index of the directory part of its path. */
	if (sp->relpath) {
		const char *dir = str_at(t, rd32(t->p + sec_off(t, SEC_DIRS) + 4 * rd16(r + 8)));
		CHECK(!strncmp(dir, sp->relpath, strlen(dir)) && sp->relpath[strlen(dir)] == '/' &&
			      !strchr(sp->relpath + strlen(dir) + 1, '/'),
		      "%s: directory '%s' for %s", sp->name, dir, sp->relpath);
	}
}

/* The writer's bytes follow blob.h's layout, read here at the documented
 * offsets with explicit little-endian reads and without blob.c, and they
 * are the same bytes whatever host wrote them (the golden hash below was
 * taken on x86_64; a big-endian or 32-bit writer must give it too). */
static void case_layout(void)
{
	struct tblob t = make_blob(small, NSMALL);
	char *pat[64], *want[64];
	unsigned mod[64];
	size_t nwant = 0;

	check_header(&t);
	/* The pack is meant to use every kind of table. */
	CHECK(sec_len(&t, SEC_TOKENS) > 2 * BLOB_NTOKENS, "no tokens");
	CHECK(sec_len(&t, SEC_ALWAYS) > 0, "no always-tried alias");
	CHECK(rd16(t.p + sec_off(&t, SEC_GRAMS) + 2 * rd32(t.p + H_GRAM_BUCKETS)) > 0,
	      "no gram-keyed alias");
	CHECK(sec_len(&t, SEC_CFGALIAS) == 8 && sec_len(&t, SEC_CFGOPTS) == 8,
	      "config tables %u and %u bytes", sec_len(&t, SEC_CFGALIAS), sec_len(&t, SEC_CFGOPTS));
	for (uint32_t i = 0; i < NSMALL; i++)
		check_module(&t, i, &small[i]);

	/* Every (alias, module) pair, decoded here, is the spec's, sorted. */
	for (size_t i = 0; i < NSMALL; i++) {
		char **v;
		struct built b;
		memset(&b, 0, sizeof b);
		size_t nv = split(&b, small[i].aliases, &v);
		for (size_t k = 0; k < nv; k++) {
			char norm[ALIAS_MAX], *w = xrealloc(NULL, ALIAS_MAX + 24);
			alias_normalize(v[k], norm, sizeof norm);
			snprintf(w, ALIAS_MAX + 24, "%s %s", norm, small[i].name);
			want[nwant++] = w;
		}
		free(v);
		free_built(&b);
	}
	qsort(want, nwant, sizeof *want, cmp_str);
	int n = ref_aliases(&t, pat, mod, 64);
	CHECK(n == (int)nwant && (uint32_t)n == rd32(t.p + H_NALIASES),
	      "%d aliases decoded, want %zu", n, nwant);
	for (int i = 0; i < n && (size_t)i < nwant; i++) {
		char got[ALIAS_MAX + 24];
		snprintf(got, sizeof got, "%s %s", pat[i],
			 str_at(&t,
				rd32(t.p + sec_off(&t, SEC_MOD) + MOD_SIZE * (mod[i] & 0x7fff))));
		CHECK(!strcmp(got, want[i]), "alias %d is '%s', want '%s'", i, got, want[i]);
		CHECK(!(mod[i] & BLOB_FNMATCH) == !strpbrk(pat[i], "?[\\"),
		      "alias %d: fnmatch bit %#x", i, mod[i]);
	}
	if (n > 0)
		check_filed(&t, pat, (uint32_t)n);
	for (int i = 0; i < n; i++)
		free(pat[i]);
	for (size_t i = 0; i < nwant; i++)
		free(want[i]);

	/* SYMBOLS: per module (jbd2 3, libahci 4, libata 5), each name front
	 * coded within its group and ended by its top bit; a symbol two
	 * modules export kept by the later one in modules.order (libahci, 2,
	 * over libata, 1). */
	static const uint8_t syms[] = "\3\0\0jbd2_journal_star"
				      "\xf4\xff"
				      "\4\0\0ahci_do_softrese"
				      "\xf4\1ta_port_des"
				      "\xe3\xff"
				      "\5\0\0ata_host_allo"
				      "\xe3\xff";
	CHECK(sec_len(&t, SEC_SYMBOLS) == sizeof syms - 1 &&
		      !memcmp(t.p + sec_off(&t, SEC_SYMBOLS), syms, sizeof syms - 1),
	      "SYMBOLS is %u bytes, not the %zu expected", sec_len(&t, SEC_SYMBOLS),
	      sizeof syms - 1);

	/* Golden: FNV-1a 64 of the whole file. A deliberate change to the
	 * writer or the format changes it: check the layout above still
	 * passes, then put the new value here. */
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < t.n; i++)
		h = (h ^ t.p[i]) * 0x100000001b3ull;
	CHECK(h == GOLDEN, "blob bytes hash to %#llx, not the recorded %#llx",
	      (unsigned long long)h, (unsigned long long)GOLDEN);
	free(t.p);
}

/* ---- cases ------------------------------------------------------------ */

/* The writer's blob opens and reads back what went in. */
static void case_good(void)
{
	struct tblob t = make_blob(small, NSMALL);
	struct blob b;
	const char *why;
	char path[256];

	CHECK(use(&t, &b, &why) == 0, "the good blob does not open: %s", why);
	CHECK(blob_nmods(&b) == NSMALL, "nmods %u", blob_nmods(&b));
	int i = blob_find_mod(&b, "odd_name");
	CHECK(i >= 0 && blob_mod_path(&b, (uint32_t)i, path, sizeof path) == 0 &&
		      !strcmp(path, "extra/Odd-File.ko.xz"),
	      "odd_name's path: %s", i >= 0 ? path : "(not found)");
	i = blob_find_mod(&b, "snd_hda_intel");
	CHECK(i >= 0 && blob_mod_path(&b, (uint32_t)i, path, sizeof path) == 0 &&
		      !strcmp(path, "kernel/sound/pci/hda/snd-hda-intel.ko.gz"),
	      "snd_hda_intel's path: %s", i >= 0 ? path : "(not found)");
	/* symbol:NAME is the exporter, through an alias (blacklist applies). */
	static const struct {
		const char *q;
		int mod;
	} sq[] = { { "symbol:ata_port_desc", 4 },
		   { "symbol:ata_host_alloc", 5 },
		   { "symbol:jbd2_journal_start", 3 },
		   { "symbol:ata_port", -1 },
		   { "symbol:", -1 } };
	for (size_t k = 0; k < sizeof sq / sizeof *sq; k++) {
		struct hits h;
		hits_init(&h);
		int n = lookup(&b, NULL, sq[k].q, &h);
		CHECK(sq[k].mod < 0 ? n == 0
				    : n == 1 && h.v[0].mod == sq[k].mod && h.v[0].via_alias,
		      "%s: %d hits, first %d; want module %d", sq[k].q, n, n > 0 ? h.v[0].mod : -1,
		      sq[k].mod);
		hits_free(&h);
	}
	exercise(&b);
	free(t.p);
}

/* Every field is read byte by byte, so a blob at any address reads the
 * same (UBSan reports any misaligned load a struct overlay would make). */
static void case_unaligned(void)
{
	struct tblob t = make_blob(small, NSMALL);
	fix_sum(&t);
	for (size_t shift = 1; shift < 8; shift++) {
		uint8_t *q = xrealloc(NULL, t.n + shift);
		struct blob b;
		const char *why;
		char path[256];

		memcpy(q + shift, t.p, t.n);
		int err = blob_use(&b, q + shift, t.n, &why);
		CHECK(err == 0, "at offset %zu: %s", shift, why ? why : "?");
		if (err == 0) {
			int i = blob_find_mod(&b, "odd_name");
			CHECK(i >= 0 && blob_mod_path(&b, (uint32_t)i, path, sizeof path) == 0 &&
				      !strcmp(path, "extra/Odd-File.ko.xz"),
			      "at offset %zu: odd_name's path", shift);
			exercise(&b);
		}
		free(q);
	}
	free(t.p);
}

/* Defect 1: an EXTRA section shorter than one record made
 * `m->extra <= len / sizeof e - 1` wrap, and blob_mod_extra (reached by
 * every insert through blob_mod_path) read far past the section. */
static void case_extra_short(void)
{
	static const uint32_t lens[] = { 0, 4, 8, 11 };
	for (size_t k = 0; k < sizeof lens / sizeof *lens; k++) {
		struct tblob t = make_blob(small, NSMALL);
		struct blob b;
		const char *why;
		char path[256];
		int odd = find_spec(small, NSMALL, "odd_name");
		uint32_t off = sec_off(&t, SEC_EXTRA);

		/* The record number that puts the read just past the buffer's end. */
		set_sec(&t, SEC_EXTRA, off, lens[k]);
		wr16(mod_rec(&t, (uint32_t)odd) + 6, (uint16_t)((t.n - off) / EXTRA_SIZE));
		int err = use(&t, &b, &why);
		CHECK(err == -EBADMSG && strstr(why, "extra"),
		      "EXTRA of %u bytes: blob_use gave %d (%s), want -EBADMSG naming the extra "
		      "records",
		      lens[k], err, why);
		if (err == 0) /* the reader must stay in bounds even so */
			(void)blob_mod_path(&b, (uint32_t)odd, path, sizeof path);
		free(t.p);
	}
}

/* Defect 2: 4 * ((naliases + 15) / 16) wrapped for counts near 2^32, so an
 * empty ABLOCKS section was accepted and every alias lookup read out of
 * bounds in cursor_seek. */
static void case_naliases_wrap(void)
{
	static const uint32_t counts[] = { 0xfffffff1u, 0xfffffff8u, 0xffffffffu };
	for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
		struct tblob t = make_blob(small, NSMALL);
		struct blob b;
		const char *why;

		wr32(t.p + H_NALIASES, counts[k]);
		set_sec(&t, SEC_ABLOCKS, sec_off(&t, SEC_ABLOCKS), 0);
		int err = use(&t, &b, &why);
		CHECK(err == -EBADMSG && strstr(why, "alias"),
		      "naliases %#x, ABLOCKS empty: blob_use gave %d (%s), want -EBADMSG",
		      counts[k], err, why);
		if (err == 0)
			exercise(&b);
		free(t.p);
	}
}

/* Every count and table bound blob_check enforces (blob.h), one damage at
 * a time; each returns the words the refusal must contain. */
static const char *b_nmods(struct tblob *t)
{
	wr32(t->p + H_NMODS, BLOB_MAX_MODS + 1); /* 15-bit module numbers */
	return "module table";
}

static const char *b_nmods_len(struct tblob *t)
{
	wr32(t->p + H_NMODS, rd32(t->p + H_NMODS) - 1);
	return "module table";
}

static const char *b_naliases(struct tblob *t)
{
	resize_sec(t, SEC_ABLOCKS, 4 * 0x1000); /* the right size for the count */
	wr32(t->p + H_NALIASES, 0x10000);	/* u16 alias numbers */
	return "16-bit alias numbers";
}

static const char *b_aliases_short(struct tblob *t)
{
	resize_sec(t, SEC_ALIASES, 4 * rd32(t->p + H_NALIASES) - 1);
	return "alias table shorter";
}

static const char *b_prefix_pow2(struct tblob *t)
{
	wr32(t->p + H_PREFIX_BUCKETS, 3);
	return "hash table";
}

static const char *b_prefix_huge(struct tblob *t)
{
	wr32(t->p + H_PREFIX_BUCKETS, 0x20000);
	return "hash table";
}

static const char *b_grams_zero(struct tblob *t)
{
	wr32(t->p + H_GRAM_BUCKETS, 0);
	return "hash table";
}

static const char *b_prefix_len(struct tblob *t)
{
	resize_sec(t, SEC_PREFIX, sec_len(t, SEC_PREFIX) - 1); /* drops a tag byte */
	return "hash table";
}

static const char *b_grams_total(struct tblob *t)
{
	/* The total (last start) says more ids than the section holds. */
	uint32_t nb = rd32(t->p + H_GRAM_BUCKETS);
	wr16(sec_at(t, SEC_GRAMS, 2 * nb), (uint16_t)(rd16(sec_at(t, SEC_GRAMS, 2 * nb)) + 1));
	return "hash table";
}

static const char *b_max_prefix(struct tblob *t)
{
	wr32(t->p + H_MAX_PREFIX, BLOB_MAX_PATTERN + 1);
	return "prefix";
}

static const char *b_str_end(struct tblob *t)
{
	*sec_at(t, SEC_STR, sec_len(t, SEC_STR) - 1) = 'x';
	return "string table";
}

static const char *b_str_start(struct tblob *t)
{
	*sec_at(t, SEC_STR, 0) = 'x';
	return "string table";
}

static const char *b_kver(struct tblob *t)
{
	wr32(t->p + H_KVER, sec_len(t, SEC_STR));
	return "kernel release";
}

static const char *b_list_odd(struct tblob *t)
{
	resize_sec(t, SEC_LIST, sec_len(t, SEC_LIST) + 1);
	return "dependency list";
}

static const char *b_list_zero(struct tblob *t)
{
	wr16(sec_at(t, SEC_LIST, 0), 1); /* offset 0 must stay the empty list */
	return "dependency list";
}

static const char *b_list_huge(struct tblob *t)
{
	resize_sec(t, SEC_LIST, BLOB_MAX_LIST + 2);
	return "dependency list";
}

static const char *b_extra_zero(struct tblob *t)
{
	*sec_at(t, SEC_EXTRA, 5) = 1; /* record 0 ("none") must be empty */
	return "extra records";
}

static const char *b_extra_many(struct tblob *t)
{
	resize_sec(t, SEC_EXTRA, EXTRA_SIZE * (BLOB_MAX_EXTRA + 1));
	return "extra records";
}

static const char *b_slist_empty(struct tblob *t)
{
	resize_sec(t, SEC_SLIST, 0);
	return "string list";
}

static const char *b_slist_zero(struct tblob *t)
{
	wr16(sec_at(t, SEC_SLIST, 0), 1);
	return "string list";
}

static const char *b_dirs_part(struct tblob *t)
{
	resize_sec(t, SEC_DIRS, sec_len(t, SEC_DIRS) + 2);
	return "directory table";
}

static const char *b_dirs_many(struct tblob *t)
{
	resize_sec(t, SEC_DIRS, 4 * (BLOB_MAX_DIRS + 1));
	return "directory table";
}

static const char *b_tokens_short(struct tblob *t)
{
	resize_sec(t, SEC_TOKENS, 2 * BLOB_NTOKENS - 2);
	return "token table";
}

static const char *b_tokens_huge(struct tblob *t)
{
	resize_sec(t, SEC_TOKENS, BLOB_MAX_TOKENS + 1);
	return "token table";
}

static const char *b_token_first(struct tblob *t)
{
	wr16(sec_at(t, SEC_TOKENS, 0), 2 * BLOB_NTOKENS - 2); /* inside the offsets */
	return "token offsets";
}

static const char *b_token_order(struct tblob *t)
{
	resize_sec(t, SEC_TOKENS, 2 * BLOB_NTOKENS + 4);
	wr16(sec_at(t, SEC_TOKENS, 2 * 5), 2 * BLOB_NTOKENS + 4);
	wr16(sec_at(t, SEC_TOKENS, 2 * 6), 2 * BLOB_NTOKENS + 2); /* goes backwards */
	return "token offsets";
}

static const char *b_token_past(struct tblob *t)
{
	wr16(sec_at(t, SEC_TOKENS, 2 * (BLOB_NTOKENS - 1)), (uint16_t)(sec_len(t, SEC_TOKENS) + 1));
	return "token offsets";
}

/* A token whose bytes name another token: expansion must have no depth. */
static const char *b_token_nested(struct tblob *t)
{
	uint32_t len = sec_len(t, SEC_TOKENS);
	resize_sec(t, SEC_TOKENS, len + 2);
	wr16(sec_at(t, SEC_TOKENS, 2 * (BLOB_NTOKENS - 1)), (uint16_t)len);
	*sec_at(t, SEC_TOKENS, len) = 'a';
	*sec_at(t, SEC_TOKENS, len + 1) = 0x80 + BLOB_NTOKENS - 1; /* itself: a loop */
	return "token holds";
}

static const char *b_token_nul(struct tblob *t)
{
	uint32_t len = sec_len(t, SEC_TOKENS);
	resize_sec(t, SEC_TOKENS, len + 1);
	wr16(sec_at(t, SEC_TOKENS, 2 * (BLOB_NTOKENS - 1)), (uint16_t)len); /* the new byte: 0 */
	return "token holds";
}

static const char *b_always_odd(struct tblob *t)
{
	resize_sec(t, SEC_ALWAYS, sec_len(t, SEC_ALWAYS) + 1);
	return "always-tried";
}

static const char *b_always_many(struct tblob *t)
{
	resize_sec(t, SEC_ALWAYS, 2 * rd32(t->p + H_NALIASES) + 2);
	return "always-tried";
}

static const char *b_cfg_part(struct tblob *t)
{
	resize_sec(t, SEC_CFGALIAS, sec_len(t, SEC_CFGALIAS) + 4);
	return "configuration table";
}

static const char *b_cfg_str(struct tblob *t)
{
	wr32(sec_at(t, SEC_CFGOPTS, 4), 0xfffffff0u);
	return "configuration table";
}

static const char *b_sec_order(struct tblob *t)
{
	/* Two sections swapped: each inside the file, but out of order. */
	uint32_t o1 = sec_off(t, SEC_LIST), l1 = sec_len(t, SEC_LIST);
	set_sec(t, SEC_LIST, sec_off(t, SEC_EXTRA), sec_len(t, SEC_EXTRA));
	set_sec(t, SEC_EXTRA, o1, l1);
	return "section outside";
}

static const char *b_sec_overlap(struct tblob *t)
{
	set_sec(t, SEC_ABLOCKS, sec_off(t, SEC_ALIASES), sec_len(t, SEC_ABLOCKS));
	return "section outside";
}

static const char *b_sec_align(struct tblob *t)
{
	set_sec(t, SEC_CFGOPTS, sec_off(t, SEC_CFGOPTS) + 2, 0);
	return "section outside";
}

static const char *b_sec_past(struct tblob *t)
{
	set_sec(t, SEC_CFGOPTS, sec_off(t, SEC_CFGOPTS), (uint32_t)t->n);
	return "section outside";
}

static const char *b_sec_wrap(struct tblob *t)
{
	set_sec(t, SEC_CFGOPTS, sec_off(t, SEC_CFGOPTS), 0xffffffffu); /* off + len wraps */
	return "section outside";
}

static const char *b_sec_header(struct tblob *t)
{
	set_sec(t, SEC_STR, 40, sec_len(t, SEC_STR)); /* inside the header */
	return "section outside";
}

static const struct bound {
	const char *name;
	const char *(*damage)(struct tblob *t);
} bounds[] = {
	{ "nmods > 32767", b_nmods },
	{ "nmods vs MOD size", b_nmods_len },
	{ "naliases > 65535", b_naliases },
	{ "ALIASES shorter than its entries", b_aliases_short },
	{ "prefix_buckets 3", b_prefix_pow2 },
	{ "prefix_buckets 0x20000", b_prefix_huge },
	{ "gram_buckets 0", b_grams_zero },
	{ "PREFIX one byte short", b_prefix_len },
	{ "GRAMS total past its ids", b_grams_total },
	{ "max_prefix > longest pattern", b_max_prefix },
	{ "STR not NUL-terminated", b_str_end },
	{ "STR offset 0 not empty", b_str_start },
	{ "kver outside STR", b_kver },
	{ "LIST odd size", b_list_odd },
	{ "LIST offset 0 not empty", b_list_zero },
	{ "LIST past u16 positions", b_list_huge },
	{ "EXTRA record 0 not empty", b_extra_zero },
	{ "EXTRA past u16 record numbers", b_extra_many },
	{ "SLIST empty", b_slist_empty },
	{ "SLIST offset 0 not empty", b_slist_zero },
	{ "DIRS part of an entry", b_dirs_part },
	{ "DIRS past u16 indices", b_dirs_many },
	{ "TOKENS shorter than its offsets", b_tokens_short },
	{ "TOKENS past u16 offsets", b_tokens_huge },
	{ "token 0 not after the offsets", b_token_first },
	{ "token offsets backwards", b_token_order },
	{ "token offset past TOKENS", b_token_past },
	{ "token holding a token", b_token_nested },
	{ "token holding a NUL", b_token_nul },
	{ "ALWAYS odd size", b_always_odd },
	{ "ALWAYS more than naliases", b_always_many },
	{ "CFGALIAS part of a pair", b_cfg_part },
	{ "CFGOPTS entry outside STR", b_cfg_str },
	{ "sections out of order", b_sec_order },
	{ "sections overlapping", b_sec_overlap },
	{ "section misaligned", b_sec_align },
	{ "section past the end", b_sec_past },
	{ "section off + len wraps", b_sec_wrap },
	{ "section inside the header", b_sec_header },
};

static void case_bounds(void)
{
	for (size_t k = 0; k < sizeof bounds / sizeof *bounds; k++) {
		struct tblob t = make_blob(small, NSMALL);
		struct blob b;
		const char *why, *want = bounds[k].damage(&t);
		int err = use(&t, &b, &why);
		CHECK(err == -EBADMSG && strstr(why, want),
		      "%s: blob_use gave %d (%s), want -EBADMSG and \"%s\"", bounds[k].name, err,
		      why, want);
		if (err == 0)
			exercise(&b);
		free(t.p);
	}
}

/* Defect 5: the insert (load_insert, now exec_kernel) turned every blob_mod_path error into
 * ENAMETOOLONG, and blob_mod_path itself called a corrupt record "no
 * file" (or built a wrong path from it). Each reason is its own now. */
static void case_path_errors(void)
{
	static const struct {
		const char *what, *mod;
		int field; /* record field offset, or -1 and -2 for the cases below */
	} bad[] = {
		{ "dir index past DIRS", "odd_name", 8 },
		{ "extra record past EXTRA", "odd_name", 6 },
		{ "name outside STR", "virtio_blk", 0 },
		{ "DIRS entry outside STR", "odd_name", -1 },
		{ "file stem outside STR", "odd_name", -2 },
	};
	int odd = find_spec(small, NSMALL, "odd_name");
	char path[256];

	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		struct tblob t = make_blob(small, NSMALL);
		struct blob b;
		const char *why;
		int i = find_spec(small, NSMALL, bad[k].mod);
		uint8_t *r = mod_rec(&t, (uint32_t)i);

		if (bad[k].field == 8)
			wr16(r + 8, (uint16_t)(sec_len(&t, SEC_DIRS) / 4));
		else if (bad[k].field == 6)
			wr16(r + 6, (uint16_t)(sec_len(&t, SEC_EXTRA) / EXTRA_SIZE));
		else if (bad[k].field == 0)
			wr32(r, sec_len(&t, SEC_STR));
		else if (bad[k].field == -1)
			wr32(sec_at(&t, SEC_DIRS, 4 * rd16(r + 8)), sec_len(&t, SEC_STR));
		else
			wr32(sec_at(&t, SEC_EXTRA, EXTRA_SIZE * rd16(r + 6)), 0xfffffff0u);
		CHECK(use(&t, &b, &why) == 0, "%s: refused at open (%s)", bad[k].what, why);
		int err = blob_mod_path(&b, (uint32_t)i, path, sizeof path);
		CHECK(err == -EBADMSG, "%s: blob_mod_path gave %d, want -EBADMSG", bad[k].what,
		      err);

		/* What an insert reports: the record, not a long name. (Were the
		 * record read as good, the insert would find no file in a
		 * directory that does not exist: nothing reaches the kernel.) */
		struct ml_ctx c;
		memset(&c, 0, sizeof c);
		snprintf(c.dir, sizeof c.dir, "/nonexistent/modload-test");
		c.b = b;
		struct insert_buf ib = { 0 };
		err = exec_kernel.insert(NULL, &c, (unsigned)i, "", &ib);
		insert_buf_free(&ib);
		CHECK(err == -EBADMSG && strstr(report_path_strerror(err), "corrupt"),
		      "%s: the kernel insert gave %d (%s), want -EBADMSG and a corrupt record",
		      bad[k].what, err, report_path_strerror(err));
		free(t.p);
	}

	/* The other reasons, on the good blob. */
	struct tblob t = make_blob(small, NSMALL);
	struct blob b;
	const char *why;
	CHECK(use(&t, &b, &why) == 0, "good blob: %s", why);
	int builtin = find_spec(small, NSMALL, "crc32c_generic");
	CHECK(blob_mod_path(&b, (uint32_t)builtin, path, sizeof path) == -ENOENT,
	      "a built-in module has a file");
	CHECK(blob_mod_path(&b, NSMALL, path, sizeof path) == -ENOENT, "module %zu has a file",
	      NSMALL);
	CHECK(blob_mod_path(&b, (uint32_t)odd, path, 8) == -ENAMETOOLONG,
	      "an 8-byte buffer held a path");
	CHECK(blob_mod_path(&b, (uint32_t)odd, path, sizeof path) == 0, "odd_name has no path");
	free(t.p);
}

/* Defect 4: alias matches were capped at 64, and add_match overwrote the
 * last slot past it, so even the kept 64 were not the first 64. A string
 * every one of 100 modules matches (every tenth through two patterns, so
 * reported twice, as kmod does) must give all 110, in modules.order order
 * (ties by module number). The orders are shuffled so that matches come
 * in neither order: the old cap then kept a wrong set. */
#define NMANY 100
static void case_many(void)
{
	struct spec sp[NMANY];
	char names[NMANY][8], paths[NMANY][32];
	unsigned want[NMANY + NMANY / 10], nwant = 0;

	for (unsigned i = 0; i < NMANY; i++) {
		snprintf(names[i], sizeof names[i], "m%03u", i);
		snprintf(paths[i], sizeof paths[i], "kernel/m/m%03u.ko", i);
		sp[i] = (struct spec){ names[i],
				       paths[i],
				       (i * 37 % NMANY) / 2,
				       i % 10 ? "shared:thing" : "shared:thing shared:*",
				       NULL,
				       NULL,
				       NULL };
	}
	/* Orders shuffled (37 is prime to 100), two modules each: expected by
	 * order, then module number. */
	for (int ord = 0; ord < NMANY / 2; ord++)
		for (unsigned i = 0; i < NMANY; i++)
			if (sp[i].order == (unsigned)ord)
				for (int k = 0; k < (i % 10 ? 1 : 2); k++)
					want[nwant++] = i;

	struct tblob t = make_blob(sp, NMANY);
	struct blob b;
	const char *why;
	CHECK(use(&t, &b, &why) == 0, "the blob does not open: %s", why);

	struct hits h;
	hits_init(&h);
	int n = lookup(&b, NULL, "shared:thing", &h);
	CHECK(n == (int)nwant, "lookup found %d, want %u", n, nwant);
	int same = n == (int)nwant;
	for (int i = 0; same && i < n; i++)
		same = h.v[i].mod == (int)want[i] && h.v[i].kind == HIT_MODULE && h.v[i].via_alias;
	CHECK(same, "the hits are not every module in modules.order order");
	hits_free(&h);

	/* lookup_mods appends, the same modules in the same order. */
	struct modlist l;
	modlist_init(&l);
	modlist_push(&l, 12345);
	n = lookup_mods(&b, NULL, "shared:thing", &l);
	same = n == (int)nwant && l.n == nwant + 1 && l.v[0] == 12345;
	for (unsigned i = 0; same && i < nwant; i++)
		same = l.v[1 + i] == want[i];
	CHECK(same, "lookup_mods appended %d (list now %u), not the %u hits after the first", n,
	      l.n, nwant);
	modlist_free(&l);

	/* A name that is no alias: nothing, and the list emptied. */
	hits_init(&h);
	CHECK(lookup(&b, NULL, "shared:thing", &h) > 0 && lookup(&b, NULL, "nothing", &h) == 0 &&
		      h.n == 0,
	      "lookup of an unknown name left %u hits", h.n);
	hits_free(&h);
	free(t.p);
}

/* Strings that themselves hold '*', '?' or '[' get kmod's answers, which
 * depend on where its trie of patterns branches (README, "Known
 * differences" no more): a pattern is reported once per wildcard at which
 * the rest of it matches, going on past a wildcard only where the trie
 * branches, and once more for a walk that reaches its end. Expected counts
 * worked out by hand from kmod's index walk (libkmod-index.c). */
static void case_wild_query(void)
{
	static const struct spec sp[] = {
		{ "m0", "kernel/w/m0.ko", 0, "w:a*b*c", NULL, NULL, NULL },
		{ "m1", "kernel/w/m1.ko", 1, "w:a*bz", NULL, NULL, NULL }, /* branch at 5 */
		{ "m2", "kernel/w/m2.ko", 2, "w:ax", NULL, NULL, NULL },   /* branch at 3 */
		{ "m3", "kernel/w/m3.ko", 3, "v:q*r", NULL, NULL, NULL },  /* no branch */
		{ "m4", "kernel/w/m4.ko", 4, "u:d0[0-2]*", NULL, NULL, NULL },
		{ "m5", "kernel/w/m5.ko", 5, "u:d0x", NULL, NULL, NULL }, /* branch at 4 */
		{ "m6", "kernel/w/m6.ko", 6, "t:k[ab]", NULL, NULL, NULL },
		{ "m7", NULL, 7, "t:kz", NULL, NULL, NULL }, /* the other trie */
	};
	static const struct {
		const char *q, *want; /* module numbers in order */
	} qs[] = {
		{ "w:a*b*c", "000" }, { "w:a*bz", "11" }, { "w:aXbYc", "0" },	 { "w:aXbz", "1" },
		{ "v:q*r", "3" },     { "v:qXr", "3" },	  { "u:d0[0-2]*", "4" }, { "u:d01x", "4" },
		{ "t:k[ab]", "" },    { "t:ka", "6" },
	};
	struct tblob t = make_blob(sp, sizeof sp / sizeof *sp);
	struct blob b;
	const char *why;
	CHECK(use(&t, &b, &why) == 0, "the blob does not open: %s", why);
	for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
		char got[16] = "";
		struct hits h;
		hits_init(&h);
		int n = lookup(&b, NULL, qs[i].q, &h);
		for (int k = 0; k < n && k < 15; k++)
			got[k] = (char)('0' + h.v[k].mod);
		CHECK(!strcmp(got, qs[i].want), "%s: modules %s, want %s", qs[i].q, got,
		      qs[i].want);
		hits_free(&h);
	}
	free(t.p);
}

/* The writer's own limits are errors or respected, never silent: aliases
 * with a long periodic tail make byte-pair tokens double (ab, abab, ...)
 * past the 255 bytes a token can hold; every alias must still read back
 * as it went in (the writer checks, and so does this). */
static void case_long_tokens(void)
{
	struct spec sp[8];
	char names[8][8], paths[8][32], al[8][700];

	for (unsigned i = 0; i < 8; i++) {
		snprintf(names[i], sizeof names[i], "t%u", i);
		snprintf(paths[i], sizeof paths[i], "kernel/t/t%u.ko", i);
		int n = snprintf(al[i], sizeof al[i], "long%u:", i);
		for (int k = 0; k < 300; k++)
			n += snprintf(al[i] + n, sizeof al[i] - (size_t)n, "ab");
		sp[i] = (struct spec){ names[i], paths[i], i, al[i], NULL, NULL, NULL };
	}
	struct built bp;
	uint8_t *p;
	size_t n;
	build_pack(&bp, sp, 8);
	int err = pack_write_blob(&bp.p, &p, &n);
	free_built(&bp);
	CHECK(err == 0, "the writer refused aliases with long repeats: %d", err);
	if (err)
		return;
	struct tblob t = { p, n };
	struct blob b;
	const char *why;
	CHECK(use(&t, &b, &why) == 0, "blob refused: %s", why);
	for (unsigned i = 0; i < 8; i++) {
		char buf[ALIAS_MAX];
		unsigned mod;
		CHECK(alias_get(&b, i, buf, sizeof buf, &mod) >= 0 && !strcmp(buf, al[i]) &&
			      mod == i,
		      "alias %u reads back as %.40s... (%zu bytes), want %zu bytes", i, buf,
		      strlen(buf), strlen(al[i]));
		struct hits h;
		hits_init(&h);
		CHECK(lookup(&b, NULL, al[i], &h) == 1 && h.v[0].mod == (int)i,
		      "alias %u does not find its module", i);
		hits_free(&h);
	}
	free(p);
}

struct tcase {
	const char *name;
	void (*run)(void);
};

static const struct tcase cases[] = {
	{ "good", case_good },
	{ "layout", case_layout },
	{ "unaligned", case_unaligned },
	{ "extra-short", case_extra_short },
	{ "naliases-wrap", case_naliases_wrap },
	{ "bounds", case_bounds },
	{ "path-errors", case_path_errors },
	{ "many", case_many },
	{ "long-tokens", case_long_tokens },
	{ "wild-query", case_wild_query },
};

/* Run one case in a child: a sanitizer abort there is that case's failure. */
static int run_case(const struct tcase *c)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return perror("fork"), 1;
	if (pid == 0) {
		tcase = c->name;
		c->run();
		printf("case %s: %d checks, %d failed\n", c->name, ncheck, nfail);
		fflush(stdout);
		_exit(nfail ? 2 : 0); /* 1 is what the sanitizers exit with */
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return perror("waitpid"), 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 2)
		printf("FAIL [%s] crashed (status %#x; sanitizer report on stderr)\n", c->name,
		       status);
	return 1;
}

int main(int argc, char **argv)
{
	int failed = 0, ran = 0;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int want = argc < 2;
		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], cases[i].name);
		if (!want)
			continue;
		ran++;
		failed += run_case(&cases[i]);
	}
	printf("test_blob: %d cases, %d failed\n", ran, failed);
	return failed ? 1 : 0;
}
