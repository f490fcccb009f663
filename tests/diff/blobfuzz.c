/* blobfuzz.c: the blob reader (loader/lib/{blob,alias,lookup,log}.c) on bad
 * blobs, built with -fsanitize=address,undefined by tests/diff-blob-corrupt.
 *
 *   blobfuzz [-n ITERATIONS] [-s SEED] GOOD_BLOB [BAD_FILE...]
 *
 * 1. Every BAD_FILE is opened with blob_open (the mmap path modload uses);
 *    when it opens, the reader is exercised (lookups, every module's record,
 *    lists and path, every alias).  One line per file: "open" or the reason.
 * 2. GOOD_BLOB must open.  Then ITERATIONS mutated copies of it, each in a
 *    malloc'd buffer of exactly its size (so ASan sees any read past the
 *    end), with the checksum recomputed so that the mutation reaches the
 *    structural checks and the readers behind them: random bytes flipped
 *    anywhere or inside one section, header fields and section descriptors
 *    set to edge values, the file cut short with the size field adjusted,
 *    nmods or naliases set with its table's size computed in 32 bits (so
 *    that it can wrap), a section shorter than one of its entries with a
 *    module's index into a table at an edge value.
 *    Before those, every header word after the checksum is set to each of
 *    a list of edge values.  Each goes through blob_use and, when accepted,
 *    the same exercise.
 *
 * A sanitizer report (or any crash) does not end the run: see below.  Exit 0
 * when no case crashed, 1 otherwise (every crash listed as "FAIL case:
 * SUMMARY"), 2 on usage errors. */
#include "alias.h"
#include "blob.h"
#include "lookup.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static const char *const queries[] = {
	"ahci",
	"ext4",
	"ext-4",
	"crypto-crc32c",
	"pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01",
	"pci:v00001AF4d00001042sv00001AF4sd00001100bc01sc00i00",
	"usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip01in00",
	"acpi:PNP0303:",
	"acpi:QEMU0002:",
	"platform:i8042",
	"of:NfooTbarCvendor,device",
	"virtio:d00000002v00001AF4",
	"cpu:type:x86,ven0000fam0006mod0086:feature:,0000,0001",
	"dmi:bvnSeaBIOS:bvr1.16:bd04/01/2014:svnQEMU:pnStandardPC(Q35+ICH9,2009):",
	"usb:v04CEp0002d0260dcdscdpiciscipin",
	"nosuch-module",
	"a[b",
	"x",
	"",
};

static void exercise(const struct blob *b)
{
	struct hits h;
	char buf[ALIAS_MAX];
	volatile unsigned long sink = 0;
	uint32_t nmods = blob_nmods(b);

	sink += strlen(blob_kver(b));
	hits_init(&h);
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
		int n = lookup(b, NULL, queries[q], &h);
		for (int i = 0; i < n; i++)
			sink += strlen(h.v[i].name);
	}
	hits_free(&h);
	for (uint32_t i = 0; i < nmods && i < 70000; i++) {
		struct blob_mod m = blob_mod(b, i);
		const char *name = blob_mod_name(b, i);
		uint32_t n;
		const uint8_t *l;
		struct blob_extra x;

		sink += strlen(name) + m.flags;
		sink += (unsigned long)blob_find_mod(b, name);
		l = blob_list(b, m.deps, &n);
		for (uint32_t k = 0; k < n; k++)
			sink += strlen(blob_mod_name(b, blob_u16(l + 2 * k)));
		x = blob_mod_extra(b, i);
		sink += strlen(blob_str(b, x.file));
		for (uint32_t k = 0; k < blob_slist_count(b, x.soft_pre); k++)
			sink += strlen(blob_slist_item(b, x.soft_pre, k));
		for (uint32_t k = 0; k < blob_slist_count(b, x.soft_post); k++)
			sink += strlen(blob_slist_item(b, x.soft_post, k));
		if (blob_mod_path(b, i, buf, sizeof buf) == 0)
			sink += strlen(buf);
	}
	for (uint32_t i = 0; i < b->h.naliases && i < 100000; i++) {
		unsigned mod;
		if (alias_get(b, i, buf, sizeof buf, &mod) >= 0)
			sink += mod;
	}
	(void)sink;
}

static const uint32_t edge[] = { 0,	  1,	      2,	   3,	       4,
				 0x7f,	  0x80,	      0xff,	   0xfffe,     0xffff,
				 0x10000, 0x7fffffff, 0x80000000u, 0xfffffffe, 0xffffffffu };

static uint32_t edge_value(uint32_t old, size_t size)
{
	switch (below(5)) {
	case 0: return edge[below(sizeof edge / sizeof *edge)];
	case 1: return old + 1 + below(8);
	case 2: return old - 1 - below(8);
	case 3: return (uint32_t)size - below(16);
	default: return (uint32_t)rnd();
	}
}

/* The blob's integers are little-endian whatever the host (blob.h). */
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return blob_u32(p);
}

/* Mutation kinds (see mutate). */
#define NKINDS 7

/* One mutated copy of good; returns its size. */
static size_t mutate(const uint8_t *good, size_t size, uint8_t **out, int *kind)
{
	size_t n = size, hsz = BLOB_HDR_SIZE;
	uint8_t *p;

	*kind = (int)below(NKINDS);
	if (*kind == 4) /* cut short (at least the header left) */
		n = hsz + below((uint32_t)(size - hsz));
	p = malloc(n);
	if (!p)
		abort();
	memcpy(p, good, n);
	switch (*kind) {
	case 0: /* a few random bytes anywhere after the size field */
		for (uint32_t k = 1 + below(4); k > 0; k--)
			p[BLOB_SUMMED_FROM + below((uint32_t)(n - BLOB_SUMMED_FROM))] ^=
				(uint8_t)(1 + below(255));
		break;
	case 1: { /* a header u32 after the checksum: kver, counts, sections */
		size_t off = 16 + 4 * (1 + below((uint32_t)((hsz - 16) / 4 - 1)));
		put32(p + off, edge_value(get32(p + off), n));
		break;
	}
	case 2: { /* bytes inside one section */
		uint32_t s = below(BLOB_NSEC), off = get32(good + BLOB_H_SEC_OFF(s)),
			 len = get32(good + BLOB_H_SEC_LEN(s));
		if (!len)
			break;
		for (uint32_t k = 1 + below(3); k > 0; k--) {
			uint32_t at = off + below(len);
			if (below(2))
				p[at] ^= (uint8_t)(1 + below(255));
			else
				p[at] = below(2) ? 0xff : 0;
		}
		break;
	}
	case 3: { /* a u16 or u32 inside one section set to an edge value */
		uint32_t s = below(BLOB_NSEC), off = get32(good + BLOB_H_SEC_OFF(s)),
			 len = get32(good + BLOB_H_SEC_LEN(s));
		if (len < 4)
			break;
		uint32_t at = off + below(len - 3);
		if (below(2))
			put32(p + at, edge_value(get32(p + at), n));
		else {
			uint16_t v = (uint16_t)edge_value(0, n);
			p[at] = (uint8_t)v;
			p[at + 1] = (uint8_t)(v >> 8);
		}
		break;
	}
	case 4: /* cut short, size field adjusted */ put32(p + BLOB_H_SIZE, (uint32_t)n); break;
	case 5: { /* a count, and its table's size as a 32-bit writer computes it
		   * (4 * ((naliases + 15) / 16) wraps to 0 near 2^32) */
		uint32_t v = edge_value(get32(p + (below(2) ? BLOB_H_NMODS : BLOB_H_NALIASES)), n);
		if (below(2)) {
			put32(p + BLOB_H_NMODS, v);
			put32(p + BLOB_H_SEC_LEN(SEC_MOD), v * BLOB_MOD_SIZE);
		} else {
			put32(p + BLOB_H_NALIASES, v);
			put32(p + BLOB_H_SEC_LEN(SEC_ABLOCKS),
			      4 * ((v + BLOB_ABLOCK - 1) / BLOB_ABLOCK));
		}
		break;
	}
	default: { /* a section shorter than one record or entry, where it is, and a
		    * module record's index into a table (deps, extra, dir) at an edge */
		static const uint8_t field[] = { BLOB_M_DEPS, BLOB_M_EXTRA, BLOB_M_DIR };
		uint32_t mods = get32(good + BLOB_H_SEC_OFF(SEC_MOD)),
			 nmods = get32(good + BLOB_H_NMODS);
		put32(p + BLOB_H_SEC_LEN(below(BLOB_NSEC)), below(16));
		if (nmods) {
			uint8_t *r = p + mods + BLOB_MOD_SIZE * below(nmods) + field[below(3)];
			uint16_t v = (uint16_t)edge_value(0, n);
			r[0] = (uint8_t)v;
			r[1] = (uint8_t)(v >> 8);
		}
		break;
	}
	}
	put32(p + BLOB_H_CHECKSUM, blob_checksum(p + BLOB_SUMMED_FROM, n - BLOB_SUMMED_FROM));
	*out = p;
	return n;
}

/* The cases, numbered: the BAD_FILEs, the good blob, every header word
 * after the checksum set to every edge value, then the random mutations (the
 * random state of mutation i depends only on the seed and i).  They run in
 * a forked child, in order; the child notes the case it is on in a shared
 * page, so when a sanitizer kills it the parent knows which case did it,
 * reports it (the report's SUMMARY line; the first two reports in full),
 * saves the first blob of each distinct SUMMARY as $BLOBFUZZ_CRASH.N.blob
 * (default blobfuzz-crash.N.blob) for `modload -d`, and starts a new child
 * at the next case. */
struct shared {
	long cur;
	unsigned long by_kind[NKINDS][2], opened, rejected, hdr_acc, hdr_rej;
};

static struct shared *sh;
static const uint8_t *good;
static size_t good_size;
static char **files;
static long nfiles, nheader, iters;
static unsigned long seed;

#define NEDGE (sizeof edge / sizeof *edge + 2)
#define HDR_FIRST 20

/* Build case idx: sets *path (a file) or *data and *size (malloc'd), *what, and
 * *kind (-1 files, -2 good, -3 header, else mutation kind). */
static void build_case(long idx, const char **path, uint8_t **data, size_t *size, char *what,
		       size_t wcap, int *kind)
{
	*path = NULL;
	*data = NULL;
	if (idx < nfiles) {
		*path = files[idx];
		*kind = -1;
		snprintf(what, wcap, "file %s", files[idx]);
		return;
	}
	idx -= nfiles;
	if (idx == 0) {
		*data = malloc(good_size);
		memcpy(*data, good, good_size);
		*size = good_size;
		*kind = -2;
		snprintf(what, wcap, "the good blob");
		return;
	}
	idx--;
	if (idx < nheader) {
		size_t off = HDR_FIRST + 4 * (size_t)(idx / (long)NEDGE),
		       e = (size_t)(idx % (long)NEDGE);
		uint8_t *p = malloc(good_size);
		memcpy(p, good, good_size);
		uint32_t v = e < NEDGE - 2    ? edge[e]
			     : e == NEDGE - 2 ? (uint32_t)good_size
					      : get32(good + off) + 1;
		put32(p + off, v);
		put32(p + BLOB_H_CHECKSUM,
		      blob_checksum(p + BLOB_SUMMED_FROM, good_size - BLOB_SUMMED_FROM));
		*data = p;
		*size = good_size;
		*kind = -3;
		snprintf(what, wcap, "header word at offset %zu set to %#x", off, v);
		return;
	}
	idx -= nheader;
	rng_state = 88172645463325252ull ^ (seed * 0x9e3779b97f4a7c15ull) ^
		    ((uint64_t)idx * 0xbf58476d1ce4e5b9ull);
	for (int k = 0; k < 4; k++)
		rnd();
	*size = mutate(good, good_size, data, kind);
	snprintf(what, wcap, "mutation %ld of seed %lu (kind %d)", idx, seed, *kind);
}

static void child(long start, long total)
{
	for (long idx = start; idx < total; idx++) {
		const char *path;
		uint8_t *data;
		size_t size = 0;
		char what[4200];
		int kind;
		struct blob b;
		const char *why;

		build_case(idx, &path, &data, &size, what, sizeof what, &kind);
		sh->cur = idx;
		int err = path ? blob_open(&b, path, &why) : blob_use(&b, data, size, &why);
		if (path)
			printf("%s: %s%s\n", path, err ? "rejected: " : "open",
			       err ? (why ? why : strerror(-err)) : "");
		if (kind == -2 && err) {
			printf("FAIL the good blob does not open: %s\n",
			       why ? why : strerror(-err));
			fflush(stdout);
			_exit(4);
		}
		if (!err) {
			exercise(&b);
			if (path)
				blob_close(&b);
		}
		if (kind == -1)
			err ? sh->rejected++ : sh->opened++;
		else if (kind == -3)
			err ? sh->hdr_rej++ : sh->hdr_acc++;
		else if (kind >= 0)
			sh->by_kind[kind][err ? 1 : 0]++;
		free(data);
		fflush(stdout);
	}
	_exit(0);
}

#define MAX_KINDS 32

int main(int argc, char **argv)
{
	char seen[MAX_KINDS][256];
	int nseen = 0, failures = 0, opt;
	unsigned long crashed = 0;

	iters = 2000;
	seed = 1;
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		if (opt == 'n')
			iters = strtol(optarg, NULL, 0);
		else if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr,
			"usage: blobfuzz [-n ITERATIONS] [-s SEED] GOOD_BLOB [BAD_FILE...]\n");
		return 2;
	}
	files = argv + optind + 1;
	nfiles = argc - optind - 1;
	nheader = (long)((BLOB_HDR_SIZE - HDR_FIRST) / 4 * NEDGE);

	/* The good blob, read into an exact-size heap buffer. */
	const char *goodpath = argv[optind];
	FILE *f = fopen(goodpath, "rb");
	if (!f) {
		perror(goodpath);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	rewind(f);
	uint8_t *g = sz > 0 ? malloc((size_t)sz) : NULL;
	if (!g || fread(g, 1, (size_t)sz, f) != (size_t)sz) {
		fprintf(stderr, "%s: cannot read\n", goodpath);
		return 1;
	}
	fclose(f);
	good = g;
	good_size = (size_t)sz;

	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	FILE *scratch = tmpfile();
	if (sh == MAP_FAILED || !scratch)
		return 1;
	long total = nfiles + 1 + nheader + iters, start = 0;
	while (start < total) {
		int status;
		fflush(stdout);
		if (ftruncate(fileno(scratch), 0) < 0)
			return 1;
		rewind(scratch);
		sh->cur = -1;
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			dup2(fileno(scratch), 2);
			child(start, total);
		}
		if (waitpid(pid, &status, 0) < 0)
			return 1;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			break;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 4)
			return 1;
		/* A crash at case sh->cur. */
		long idx = sh->cur;
		char line[1024], summary[256] = "", what[4200];
		const char *path;
		uint8_t *data;
		size_t size = 0;
		int kind;

		if (idx < start)
			return 1;
		rewind(scratch);
		failures++;
		build_case(idx, &path, &data, &size, what, sizeof what, &kind);
		while (fgets(line, sizeof line, scratch)) {
			if (failures <= 2)
				fputs(line, stdout);
			if (!summary[0] &&
			    (strstr(line, "SUMMARY:") || strstr(line, "runtime error:"))) {
				line[strcspn(line, "\n")] = '\0';
				snprintf(summary, sizeof summary, "%.250s", line);
			}
		}
		if (!summary[0])
			snprintf(summary, sizeof summary, "child status %#x, no sanitizer report",
				 status);
		printf("FAIL %s: %s\n", what, summary);
		crashed++;
		int known = 0;
		for (int i = 0; i < nseen; i++)
			known |= !strcmp(seen[i], summary);
		if (!known && nseen < MAX_KINDS) {
			const char *base = getenv("BLOBFUZZ_CRASH");
			char out[4200];
			snprintf(out, sizeof out, "%s.%d.blob",
				 base && *base ? base : "blobfuzz-crash", nseen);
			snprintf(seen[nseen++], sizeof seen[0], "%s", summary);
			FILE *o = data ? fopen(out, "wb") : NULL;
			if (o) {
				fwrite(data, 1, size, o);
				fclose(o);
				printf("  (first of its kind; the blob is in %s)\n", out);
			}
		}
		free(data);
		start = idx + 1;
	}
	printf("blobfuzz: %ld files (%lu opened, %lu rejected); header edge values %lu accepted, "
	       "%lu rejected;"
	       " %ld mutations (accepted/rejected): bytes %lu/%lu, header %lu/%lu, section bytes "
	       "%lu/%lu,"
	       " section words %lu/%lu, cut %lu/%lu, count+table %lu/%lu, short section %lu/%lu;"
	       " %lu crashed (%d distinct)\n",
	       nfiles, sh->opened, sh->rejected, sh->hdr_acc, sh->hdr_rej, iters, sh->by_kind[0][0],
	       sh->by_kind[0][1], sh->by_kind[1][0], sh->by_kind[1][1], sh->by_kind[2][0],
	       sh->by_kind[2][1], sh->by_kind[3][0], sh->by_kind[3][1], sh->by_kind[4][0],
	       sh->by_kind[4][1], sh->by_kind[5][0], sh->by_kind[5][1], sh->by_kind[6][0],
	       sh->by_kind[6][1], crashed, nseen);
	return crashed ? 1 : 0;
}
