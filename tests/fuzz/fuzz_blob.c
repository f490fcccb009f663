/* fuzz_blob.c: structure-aware libFuzzer harness for the blob reader.
 *
 * fuzz-link: loader/lib/blob.c loader/lib/alias.c loader/lib/wildmatch.c loader/lib/lookup.c
 * fuzz-link: loader/lib/fmt.c
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iloader/lib \
 *       <the files above> tests/fuzz/fuzz_blob.c -o fuzz_blob
 *   mkdir -p /tmp/fuzz-blob && ./fuzz_blob -max_total_time=60 /tmp/fuzz-blob tests/fuzz/corpus/blob
 *
 * (libFuzzer adds what it finds to the first directory: a scratch one, so
 * the seeds stay as they are; the seeds' README is read as an input too, and
 * refused as a blob.)
 *
 * An input is a blob followed by an edit script. The blob is the first
 * `size` bytes, size being its own header field (a modpack blob alone, as
 * the seeds in tests/fuzz/corpus/blob/ are, is a blob with an empty script);
 * an input too short for that, or whose size field points past its end, is
 * tried as a blob as it is. The script is a list of OP_SIZE-byte edits of
 * the blob's structure: header fields, section descriptors (off, len),
 * counts, whole sections resized with the layout kept well formed, bytes,
 * u16 and u32 words inside a section, module and EXTRA record fields, cuts.
 * Values come from edge tables (0, 1, 0x7fff, 0xffff, 0x10000, 2^32 - 15,
 * ...), small steps from the old value, or the file's own sizes. Then the
 * size field and the checksum are recomputed (unless an edit says not to),
 * so that the damage reaches blob_check and, when the blob is accepted,
 * every reader: each module's record, name, list, EXTRA record, softdeps
 * and path, every alias entry, lookups of fixed strings, of every
 * module name and alias pattern and of the script's bytes. Invariants the
 * readers promise (blob.h) are asserted, so a wrong answer aborts too.
 *
 * A custom mutator adds, changes and drops edits (libFuzzer's own mutations
 * still run on the rest), so the fuzzer explores structure instead of
 * flipping bytes that the checksum would reject. */
#include "alias.h"
#include "blob.h"
#include "lookup.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* ---- the edit script -------------------------------------------------- */

/* One edit: kind, target (which field, section or record), mode (how the
 * value is formed), arg (a width, a byte, or flags), then a LE u32 v. */
enum { OP_SIZE = 8 };
enum op_kind {
	K_HDR,	   /* header u32 field number target */
	K_SEC_OFF, /* section target's off */
	K_SEC_LEN, /* section target's len */
	K_RESIZE,  /* section target to a new length, the sections after it moved */
	K_BYTES,   /* in section target at v: arg & 3 = 1, 2 or 4 bytes set, or a xor */
	K_MOD,	   /* module record v % nmods, field target */
	K_EXTRA,   /* EXTRA record v % nrecords, field target */
	K_CUT,	   /* the file cut short */
	K_FLAGS,   /* arg bit 0: keep the checksum as it is; bit 1: keep the size field */
	K_COPY,	   /* arg bytes from section target to section v >> 24 */
	K_COUNT,   /* nmods, naliases or a bucket count, its table's size to match */
	NKINDS
};

static const uint32_t edge[] = {
	0,	    1,		2,	    3,		4,	    7,		8,
	11,	    12,		15,	    16,		0x7f,	    0x80,	0xff,
	0x100,	    0x7fff,	0x8000,	    0xfffe,	0xffff,	    0x10000,	0x10001,
	0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffff1, 0xfffffff8, 0xfffffffe, 0xffffffff,
};
#define NEDGE (sizeof edge / sizeof *edge)

struct op {
	uint8_t kind, target, mode, arg;
	uint32_t v;
};

static struct op op_at(const uint8_t *p)
{
	struct op o = { p[0], p[1], p[2], p[3], blob_u32(p + 4) };
	return o;
}

/* The blob being edited: a heap buffer that may grow. */
struct work {
	uint8_t *p;
	size_t n, cap;
	int keep_sum, keep_size;
};

static uint32_t get32(const struct work *w, size_t off)
{
	return off + 4 <= w->n ? blob_u32(w->p + off) : 0;
}

/* The value an edit sets: literal, an edge, a step from old, the file
 * size less a little, or a step from another section's offset or length. */
static uint32_t value(const struct op *o, uint32_t old, const struct work *w)
{
	switch (o->mode % 6) {
	case 0: return o->v;
	case 1: return edge[o->v % NEDGE];
	case 2: return old + (o->v % 33) - 16;
	case 3: return (uint32_t)w->n - o->v % 64;
	case 4: return get32(w, BLOB_H_SEC + 4 * (o->v % (2 * BLOB_NSEC))) + o->v / 256 % 9 - 4;
	default: return old ^ (1u << (o->v % 32));
	}
}

static void put32(struct work *w, size_t off, uint32_t v)
{
	for (int i = 0; i < 4 && off + (size_t)i < w->n; i++)
		w->p[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static void put16(struct work *w, size_t off, uint16_t v)
{
	for (int i = 0; i < 2 && off + (size_t)i < w->n; i++)
		w->p[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static uint32_t sec_off(const struct work *w, int s)
{
	return get32(w, BLOB_H_SEC_OFF(s));
}

static uint32_t sec_len(const struct work *w, int s)
{
	return get32(w, BLOB_H_SEC_LEN(s));
}

/* Is [off, off + len) inside the buffer? */
static int inside(const struct work *w, uint64_t off, uint64_t len)
{
	return off <= w->n && len <= w->n - off;
}

static void reserve(struct work *w, size_t n)
{
	if (n <= w->cap)
		return;
	w->cap = n * 2;
	w->p = realloc(w->p, w->cap);
	if (!w->p)
		abort();
}

/* Section s to newlen bytes (cut, or zero-filled), every section re-laid in
 * order: the layout stays well formed, only the contents are damaged. Only
 * when the descriptors are sane enough to copy from. */
static void resize(struct work *w, int s, uint32_t newlen)
{
	uint8_t *q;
	size_t n = BLOB_HDR_SIZE, total = BLOB_HDR_SIZE + newlen + 4 * BLOB_NSEC;

	for (int k = 0; k < BLOB_NSEC; k++) {
		if (!inside(w, sec_off(w, k), sec_len(w, k)))
			return;
		total += sec_len(w, k);
	}
	if (newlen > (1u << 20) || w->n < BLOB_HDR_SIZE)
		return;
	q = calloc(1, total);
	if (!q)
		abort();
	memcpy(q, w->p, BLOB_HDR_SIZE);
	for (int k = 0; k < BLOB_NSEC; k++) {
		uint32_t len = sec_len(w, k), want = k == s ? newlen : len;
		n = (n + 3) & ~(size_t)3;
		memcpy(q + n, w->p + sec_off(w, k), len < want ? len : want);
		for (int i = 0; i < 4; i++) {
			q[BLOB_H_SEC_OFF(k) + i] = (uint8_t)(n >> (8 * i));
			q[BLOB_H_SEC_LEN(k) + i] = (uint8_t)(want >> (8 * i));
		}
		n += want;
	}
	free(w->p);
	w->p = q;
	w->n = n;
	w->cap = total;
}

/* Bytes, a u16 or a u32 at v inside section s. */
static void edit_bytes(struct work *w, const struct op *o)
{
	int s = o->target % BLOB_NSEC;
	uint32_t off = sec_off(w, s), len = sec_len(w, s);

	if (!len || !inside(w, off, len))
		return;
	size_t at = off + o->v % len;
	switch (o->arg & 3) {
	case 0: w->p[at] ^= (uint8_t)(o->v >> 8 | 1); break;
	case 1: w->p[at] = (uint8_t)value(o, w->p[at], w); break;
	case 2:
		put16(w, at, (uint16_t)value(o, at + 2 <= w->n ? blob_u16(w->p + at) : 0, w));
		break;
	default: put32(w, at, value(o, get32(w, at), w)); break;
	}
}

/* A field of record v of MOD (fields: name, deps, extra, dir, order,
 * flags, reserved) or of EXTRA (file, soft_pre, soft_post). */
static void edit_record(struct work *w, const struct op *o, int extra)
{
	static const uint8_t mod_field[] = { BLOB_M_NAME,  BLOB_M_DEPS,	 BLOB_M_EXTRA,	 BLOB_M_DIR,
					     BLOB_M_ORDER, BLOB_M_FLAGS, BLOB_M_RESERVED };
	int s = extra ? SEC_EXTRA : SEC_MOD;
	uint32_t size = extra ? BLOB_EXTRA_SIZE : BLOB_MOD_SIZE, off = sec_off(w, s),
		 len = sec_len(w, s);

	if (len < size || !inside(w, off, len))
		return;
	size_t rec = off + (size_t)(o->v % (len / size)) * size;
	if (extra) {
		size_t at = rec + 4 * (o->target % 3);
		put32(w, at, value(o, get32(w, at), w));
		return;
	}
	uint8_t f = mod_field[o->target % sizeof mod_field];
	size_t at = rec + f;
	if (f == BLOB_M_NAME)
		put32(w, at, value(o, get32(w, at), w));
	else
		put16(w, at, (uint16_t)value(o, at + 2 <= w->n ? blob_u16(w->p + at) : 0, w));
}

/* A count and the size its table must then have, as a writer computing it
 * in 32 bits would (so 4 * ((naliases + 15) / 16) wraps to 0 near 2^32):
 * the descriptor's len set (arg bit 0: the section resized to it, when it is
 * not huge, the layout kept well formed). */
static void edit_count(struct work *w, const struct op *o)
{
	static const struct {
		uint16_t field;
		uint8_t sec;
	} counts[] = { { BLOB_H_NMODS, SEC_MOD },
		       { BLOB_H_NALIASES, SEC_ABLOCKS },
		       { BLOB_H_PREFIX_BUCKETS, SEC_PREFIX },
		       { BLOB_H_GRAM_BUCKETS, SEC_GRAMS } };
	int k = o->target % 4, s = counts[k].sec;
	uint32_t old = get32(w, counts[k].field), n = value(o, old, w), len;

	put32(w, counts[k].field, n);
	if (k == 0)
		len = n * BLOB_MOD_SIZE;
	else if (k == 1)
		len = 4 * ((n + BLOB_ABLOCK - 1) / BLOB_ABLOCK);
	else /* the starts, then the ids and tags already there */
		len = 2 * (n + 1) + (sec_len(w, s) - 2 * (old + 1));
	if ((o->arg & 1) && len <= (1u << 17))
		resize(w, s, len);
	else
		put32(w, BLOB_H_SEC_LEN(s), len);
}

static void apply(struct work *w, const struct op *o)
{
	int s = o->target % BLOB_NSEC;

	switch (o->kind % NKINDS) {
	case K_HDR: {
		size_t at = 8 + 4 * (size_t)(o->target % ((BLOB_HDR_SIZE - 8) / 4));
		put32(w, at, value(o, get32(w, at), w));
		break;
	}
	case K_SEC_OFF: put32(w, BLOB_H_SEC_OFF(s), value(o, sec_off(w, s), w)); break;
	case K_SEC_LEN: put32(w, BLOB_H_SEC_LEN(s), value(o, sec_len(w, s), w)); break;
	case K_RESIZE: resize(w, s, value(o, sec_len(w, s), w) % (1u << 17)); break;
	case K_BYTES: edit_bytes(w, o); break;
	case K_MOD: edit_record(w, o, 0); break;
	case K_EXTRA: edit_record(w, o, 1); break;
	case K_CUT:
		if (w->n)
			w->n = o->v % w->n;
		break;
	case K_COUNT: edit_count(w, o); break;
	case K_FLAGS:
		w->keep_sum |= o->arg & 1;
		w->keep_size |= (o->arg >> 1) & 1;
		break;
	default: { /* K_COPY */
		int d = (o->v >> 24) % BLOB_NSEC;
		uint32_t so = sec_off(w, s), sl = sec_len(w, s), dof = sec_off(w, d),
			 dl = sec_len(w, d), n = o->arg;
		if (!sl || !dl || !inside(w, so, sl) || !inside(w, dof, dl))
			break;
		uint32_t from = so + (o->v & 0xfff) % sl, to = dof + ((o->v >> 12) & 0xfff) % dl;
		if (n > so + sl - from)
			n = so + sl - from;
		if (n > dof + dl - to)
			n = dof + dl - to;
		memmove(w->p + to, w->p + from, n);
		break;
	}
	}
}

/* Where the script starts: after the blob its size field says, if that is
 * inside the input; else the input is all blob. */
static size_t script_start(const uint8_t *d, size_t n)
{
	if (n < BLOB_HDR_SIZE)
		return n;
	uint32_t size = blob_u32(d + BLOB_H_SIZE);
	return size >= BLOB_HDR_SIZE && size <= n ? size : n;
}

/* ---- the readers ------------------------------------------------------ */

static volatile size_t sink;

#define REQUIRE(cond)                                                                         \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			fprintf(stderr, "fuzz_blob: %s:%d: invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);                                             \
			abort();                                                              \
		}                                                                             \
	} while (0)

static void check_hits(const struct blob *b, const struct hits *h, int n)
{
	REQUIRE(n >= 0 || n == -EINVAL || n == -ENOMEM);
	REQUIRE(n < 0 || (unsigned)n == h->n);
	for (int i = 0; i < n; i++) {
		const struct hit *x = &h->v[i];
		REQUIRE(x->mod < (int)blob_nmods(b) && x->name);
		REQUIRE(x->mod >= 0 || x->kind == HIT_UNKNOWN);
		sink += strlen(x->name);
	}
}

static void look(const struct blob *b, const struct alias_list *extra, const char *s)
{
	struct hits h;
	struct modlist l;

	hits_init(&h);
	check_hits(b, &h, lookup(b, extra, s, &h));
	hits_free(&h);
	modlist_init(&l);
	int n = lookup_mods(b, extra, s, &l);
	REQUIRE(n < 0 || (unsigned)n == l.n);
	for (unsigned i = 0; i < l.n; i++)
		REQUIRE(l.v[i] < blob_nmods(b));
	modlist_free(&l);
}

/* One module: record, name, deps, EXTRA, softdeps, path. */
static void read_module(const struct blob *b, uint32_t i)
{
	struct blob_mod m = blob_mod(b, i);
	const char *name = blob_mod_name(b, i);
	char path[4096];
	uint32_t n;

	sink += strlen(name) + m.flags + m.order;
	int found = blob_find_mod(b, name);
	REQUIRE(found >= -1 && found < (int)blob_nmods(b));
	const uint8_t *l = blob_list(b, m.deps, &n);
	for (uint32_t k = 0; k < n; k++) {
		REQUIRE(blob_u16(l + 2 * k) < blob_nmods(b));
		sink += strlen(blob_mod_name(b, blob_u16(l + 2 * k)));
	}
	struct blob_extra x = blob_mod_extra(b, i);
	sink += strlen(blob_str(b, x.file));
	for (int post = 0; post < 2; post++) {
		uint32_t off = post ? x.soft_post : x.soft_pre;
		for (uint32_t k = 0; k < blob_slist_count(b, off); k++)
			sink += strlen(blob_slist_item(b, off, k));
	}
	for (size_t cap = 1; cap <= sizeof path; cap = cap < 64 ? cap * 8 : sizeof path * 2) {
		int err = blob_mod_path(b, i, path, cap > sizeof path ? sizeof path : cap);
		REQUIRE(err == 0 || err == -ENOENT || err == -EBADMSG || err == -ENAMETOOLONG);
		if (err == 0)
			REQUIRE(strlen(path) < (cap > sizeof path ? sizeof path : cap));
	}
}

/* Every alias entry, and a few of them looked up as strings. */
static void read_aliases(const struct blob *b)
{
	char buf[ALIAS_MAX];

	for (uint32_t i = 0; i < b->h.naliases; i++) {
		unsigned mod;
		int len = alias_get(b, i, buf, sizeof buf, &mod);
		if (len < 0)
			continue;
		REQUIRE(mod < blob_nmods(b) && (size_t)len == strlen(buf));
		if (i % 7 == 0 && i < 7 * 24)
			look(b, NULL, buf);
	}
}

static void exercise(const struct blob *b, const uint8_t *script, size_t nscript)
{
	static const char *const fixed[] = {
		"ahci",
		"ext4",
		"fs-ext4",
		"crypto-crc32c",
		"virtio:d00000002v00001AF4",
		"pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01",
		"usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip01in00",
		"cpu:type:x86,ven0000fam0006mod0086:feature:,0000,0001",
		"acpi:PNP0303:",
		"a[b",
		"",
		"symbol:jbd2_journal_start",
		"symbol:ata_host_alloc",
		"pci:v*d*sv*sd*bc01sc06i01*",
	};
	static const char *const pat[] = { "ahci", "*", "virtio:*" };
	static const char *const to[] = { "ext4", "nosuch", "virtio_blk" };
	const struct alias_list extra = { pat, to, 3 };
	char q[256];

	sink += strlen(blob_kver(b));
	REQUIRE(blob_mod(b, blob_nmods(b)).name == 0 && !*blob_mod_name(b, blob_nmods(b) + 5));
	REQUIRE(!*blob_str(b, 0xffffffffu));
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		look(b, i % 3 ? NULL : &extra, fixed[i]);
	size_t n = nscript < sizeof q - 1 ? nscript : sizeof q - 1;
	memcpy(q, script, n);
	q[n] = '\0';
	look(b, NULL, q);
	for (uint32_t i = 0; i < blob_nmods(b); i++) {
		read_module(b, i);
		if (i < 32)
			look(b, NULL, blob_mod_name(b, i));
	}
	uint32_t len;
	const uint8_t *o = blob_sec(b, SEC_CFGOPTS, &len);
	for (uint32_t off = 0; off + 8 <= len; off += 8)
		sink += strlen(blob_str(b, blob_u32(o + off))) +
			strlen(blob_str(b, blob_u32(o + off + 4)));
	read_aliases(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t split = script_start(data, size);
	struct work w = { NULL, split, 0, 0, 0 };
	struct blob b;
	const char *why;

	reserve(&w, split + 1);
	memcpy(w.p, data, split);
	for (size_t at = split; at + OP_SIZE <= size; at += OP_SIZE) {
		struct op o = op_at(data + at);
		apply(&w, &o);
	}
	if (!w.keep_size && w.n >= BLOB_HDR_SIZE)
		put32(&w, BLOB_H_SIZE, (uint32_t)w.n);
	if (!w.keep_sum && w.n >= BLOB_HDR_SIZE)
		put32(&w, BLOB_H_CHECKSUM,
		      blob_checksum(w.p + BLOB_SUMMED_FROM, w.n - BLOB_SUMMED_FROM));

	/* Exactly its size on the heap, so that ASan sees a read past the end. */
	uint8_t *exact = malloc(w.n ? w.n : 1);
	if (!exact)
		abort();
	memcpy(exact, w.p, w.n);
	free(w.p);
	int err = blob_use(&b, exact, w.n, &why);
	REQUIRE(err == 0 || (why && *why));
	if (err == 0)
		exercise(&b, data + split, size - split);
	free(exact);
	return 0;
}

/* ---- the mutator ------------------------------------------------------ */

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* A random edit, biased to what breaks readers: counts and lengths at
 * their edges, small steps, the file's own sizes. */
static void random_op(uint8_t *p)
{
	uint32_t v = rnd();

	p[0] = (uint8_t)(rnd() % NKINDS);
	p[1] = (uint8_t)rnd();
	p[2] = (uint8_t)(rnd() % 6);
	p[3] = (uint8_t)rnd();
	if (p[0] == K_HDR && rnd() % 2) /* the counts and their sections, often */
		p[1] = (uint8_t)(3 + rnd() % 6);
	if (p[0] == K_FLAGS && rnd() % 4)
		p[3] = 0; /* mostly keep the checksum fixed up */
	for (int i = 0; i < 4; i++)
		p[4 + i] = (uint8_t)(v >> (8 * i));
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	size_t split = script_start(data, size), nops = (size - split) / OP_SIZE;

	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	switch (rnd() % 8) {
	case 0:
	case 1:
	case 2: /* append an edit */
		if (split + (nops + 1) * OP_SIZE <= max_size) {
			random_op(data + split + nops * OP_SIZE);
			return split + (nops + 1) * OP_SIZE;
		}
		break;
	case 3:
	case 4: /* change one field of an edit */
		if (nops) {
			uint8_t *p = data + split + (rnd() % nops) * OP_SIZE;
			if (rnd() % 2)
				p[rnd() % OP_SIZE] = (uint8_t)rnd();
			else
				random_op(p);
			return size;
		}
		break;
	case 5: /* drop an edit */
		if (nops) {
			size_t k = rnd() % nops, at = split + k * OP_SIZE;
			memmove(data + at, data + at + OP_SIZE, size - at - OP_SIZE);
			return size - OP_SIZE;
		}
		break;
	default: break;
	}
	return LLVMFuzzerMutate(data, size, max_size);
}
