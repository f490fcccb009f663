/* test_modtree.c: host tests for modinfo.c and the modpack module tree.
 *
 * Usage: test_modtree ROOT SCRATCH
 *   ROOT     a real /lib/modules/KVER tree (uncompressed Debian modules)
 *   SCRATCH  an empty directory the test may fill
 *
 * Built with ASan/UBSan by tests/unit/run-modtree: the robustness parts
 * (truncated and bit-flipped modules, hand-made ELF files of every class and
 * byte order) pass when nothing is reported, the rest check values against
 * what the files say. Prints one line per failed check; exits 1 on any. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "log.h"
#include "modinfo.h"
#include "modtree.h"

static int failures;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
			failures++;                                          \
		}                                                            \
	} while (0)

static char *path_join(const char *a, const char *b)
{
	char *s;

	if (asprintf(&s, "%s/%s", a, b) < 0)
		abort();
	return s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- helpers over a loaded tree ---- */

static const struct mt_module *find_mod(const struct modtree *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nmods; i++)
		if (strcmp(t->mods[i].name, name) == 0)
			return &t->mods[i];
	return NULL;
}

static const struct mt_builtin *find_builtin(const struct modtree *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nbuiltins; i++)
		if (strcmp(t->builtins[i].name, name) == 0)
			return &t->builtins[i];
	return NULL;
}

/* Does the comma-separated list equal the set want (NULL-terminated)? */
static int same_set(const char *list, const char *const *want)
{
	char *copy = strdup(list), *tok, *save = NULL;
	size_t n = 0, nwant = 0, i;
	int ok = 1;

	while (want[nwant])
		nwant++;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < nwant && strcmp(tok, want[i]) != 0; i++)
			;
		ok &= i < nwant;
		n++;
	}
	free(copy);
	return ok && n == nwant;
}

/* Files ending in .ko below dir, counted independently of modtree.c. */
static size_t count_ko(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, len;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *sub;

		if (de->d_name[0] == '.')
			continue;
		sub = path_join(dir, de->d_name);
		len = strlen(de->d_name);
		if (de->d_type == DT_DIR)
			n += count_ko(sub);
		else if (de->d_type == DT_REG && len > 3 &&
			 strcmp(de->d_name + len - 3, ".ko") == 0)
			n++;
		free(sub);
	}
	closedir(d);
	return n;
}

/* 0-based line of text in file, or -1. */
static long line_of(const char *file, const char *text)
{
	char buf[4096];
	FILE *f = fopen(file, "r");
	long i = 0, found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, text) == 0)
			found = i;
		i++;
	}
	fclose(f);
	return found;
}

static void first_line(const char *file, char *buf, size_t size)
{
	FILE *f = fopen(file, "r");

	buf[0] = '\0';
	if (f && fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* ---- the real tree ---- */

static void check_ext4(const struct modtree *t, const char *root)
{
	static const char *const deps[] = { "mbcache", "jbd2", "crc16", NULL };
	const struct mt_module *m = find_mod(t, "ext4");
	const char **v;
	char *order;
	size_t n;

	CHECK(m, "ext4 not found");
	if (!m)
		return;
	CHECK(strcmp(m->relpath, "kernel/fs/ext4/ext4.ko") == 0, "ext4 relpath %s", m->relpath);
	n = mt_values(m->info, m->ninfo, "depends", &v);
	CHECK(n == 1 && same_set(v[0], deps), "ext4 depends: %zu values, first %s", n,
	      n ? v[0] : "-");
	free(v);
	/* Debian's 6.1 ext4 asks for the crypto name, "crypto-crc32c". */
	n = mt_values(m->info, m->ninfo, "softdep", &v);
	CHECK(n == 1 && strcmp(v[0], "pre: crypto-crc32c") == 0, "ext4 softdep: %s",
	      n ? v[0] : "-");
	free(v);
	n = mt_values(m->info, m->ninfo, "alias", &v);
	CHECK(n == 5, "ext4 has %zu aliases, want 5", n);
	free(v);
	n = mt_values(m->info, m->ninfo, "no-such-key", &v);
	CHECK(n == 0 && v == NULL, "mt_values of a missing key");

	order = path_join(root, "modules.order");
	CHECK(m->order == (unsigned)line_of(order, "kernel/fs/ext4/ext4.ko"), "ext4 order %u",
	      m->order);
	free(order);
}

static void check_builtins(const struct modtree *t, const char *root)
{
	char *file = path_join(root, "modules.builtin"), line[4096], *name, *p;
	const struct mt_builtin *b;
	const char **v;
	size_t i, n;

	first_line(file, line, sizeof line);
	free(file);
	/* kernel/arch/x86/events/amd/amd-uncore.ko -> amd_uncore */
	p = strrchr(line, '/');
	name = strdup(p ? p + 1 : line);
	name[strcspn(name, ".")] = '\0';
	for (p = name; *p; p++)
		*p = *p == '-' ? '_' : *p;
	b = find_builtin(t, name);
	CHECK(b && b->in_builtin_list && b->order == 0, "builtin %s missing or wrong", name);
	if (b) {
		n = mt_values(b->info, b->ninfo, "license", &v);
		CHECK(n == 1, "builtin %s has %zu licenses", name, n);
		free(v);
	}
	free(name);
	/* Parameters only: in modules.builtin.modinfo, not in modules.builtin. */
	b = find_builtin(t, "workqueue");
	CHECK(b && !b->in_builtin_list && b->order == MT_NO_ORDER && b->ninfo > 0,
	      "builtin workqueue (modinfo only) missing or wrong");
	for (i = 1; i < t->nbuiltins; i++)
		CHECK(strcmp(t->builtins[i - 1].name, t->builtins[i].name) < 0,
		      "builtins not sorted/unique at %zu", i);
}

static void test_real_tree(const char *root)
{
	struct modtree t;
	const char *base = strrchr(root, '/');
	size_t i, nko = count_ko(root), noorder = 0;
	double t0 = now();
	int err;

	err = modtree_load(root, &t);
	CHECK(err == 0, "modtree_load(%s): %s", root, strerror(-err));
	if (err)
		return;
	printf("loaded %zu modules, %zu builtins in %.2f s (sanitized build)\n", t.nmods,
	       t.nbuiltins, now() - t0);
	CHECK(t.nmods == nko, "nmods %zu, .ko files %zu", t.nmods, nko);
	CHECK(strcmp(t.kver, base ? base + 1 : root) == 0, "kver %s", t.kver);
	for (i = 0; i < t.nmods; i++) {
		noorder += t.mods[i].order == MT_NO_ORDER;
		if (i)
			CHECK(strcmp(t.mods[i - 1].name, t.mods[i].name) < 0,
			      "mods not sorted/unique at %zu", i);
	}
	CHECK(noorder == 0, "%zu modules without modules.order line", noorder);
	check_ext4(&t, root);
	check_builtins(&t, root);
	modtree_free(&t);
	CHECK(t.mods == NULL && t.nmods == 0, "modtree_free leaves a clean struct");
}

/* ---- modinfo.c on hostile input ---- */

/* Parse img and read every entry; img must be a heap block of exactly len
 * bytes, so ASan reports any read past the end. */
static void parse(const unsigned char *img, size_t len)
{
	const char *sec, *ent;
	size_t seclen, pos = 0, elen, vlen, sum = 0;

	if (modinfo_section(img, len, &sec, &seclen) < 0)
		return;
	CHECK((const unsigned char *)sec >= img && seclen <= len &&
		      (size_t)((const unsigned char *)sec - img) <= len - seclen,
	      "section outside the image");
	while ((ent = modinfo_next(sec, seclen, &pos, &elen))) {
		sum += (unsigned char)ent[elen - 1];
		if (modinfo_value(ent, elen, "name", &vlen))
			sum += vlen;
	}
	(void)sum;
}

/* The first len bytes of img as their own exact-size heap block. */
static void parse_prefix(const unsigned char *img, size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);

	memcpy(copy, img, len);
	parse(copy, len);
	free(copy);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull; /* fixed seed: reproducible */

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Every stride-th length, and every tail_stride-th one in the last 4 KiB,
 * where a module keeps its section header table. */
static void test_truncation(const unsigned char *img, size_t len, size_t stride, size_t tail_stride)
{
	size_t n;

	for (n = 0; n < len; n += stride)
		parse_prefix(img, n);
	for (n = len > 4096 ? len - 4096 : 0; n <= len; n += tail_stride)
		parse_prefix(img, n);
}

/* Flip bytes where the parser looks: ELF header, section headers, names. */
static void test_flips(const unsigned char *img, size_t len, unsigned rounds)
{
	unsigned char *buf = malloc(len);
	uint64_t shoff = 0;
	size_t r, k, pos[4];
	unsigned char old[4];

	memcpy(buf, img, len);
	memcpy(&shoff, img + 40, 8); /* x86-64 test module: ELF64 little endian */
	for (r = 0; r < rounds; r++) {
		size_t nflip = 1 + rnd() % 4;

		for (k = 0; k < nflip; k++) {
			uint64_t where = rnd() % 3;

			if (where == 0 || shoff >= len)
				pos[k] = rnd() % 64;
			else if (where == 1)
				pos[k] = shoff + rnd() % (len - shoff);
			else
				pos[k] = rnd() % len;
			old[k] = buf[pos[k]];
			buf[pos[k]] ^= (unsigned char)(1 + rnd() % 255);
		}
		parse(buf, len);
		while (k-- > 0)
			buf[pos[k]] = old[k];
	}
	CHECK(memcmp(buf, img, len) == 0, "flip restore");
	free(buf);
}

/* ---- hand-made ELF relocatables of every class and byte order ---- */

struct synth {
	int is64, big;
	size_t shoff, shentsize;
};

static void put(unsigned char *p, uint64_t v, int n, int big)
{
	int i;

	for (i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static const char synth_strtab[] = "\0.shstrtab\0.modinfo"; /* names at 1 and 11 */

/* Header, .shstrtab, .modinfo, then three section headers (null, strtab, modinfo). */
static size_t build_elf(unsigned char *b, struct synth *s, const char *mi, size_t milen)
{
	size_t eh = s->is64 ? 64 : 52, a = s->is64 ? 8 : 4;
	size_t stroff = eh, mioff = stroff + sizeof synth_strtab, i;
	size_t secs[3][4] = { { 0, 0, 0, 0 },
			      { 1, 3, stroff, sizeof synth_strtab },
			      { 11, 1, mioff, milen } };

	s->shentsize = s->is64 ? 64 : 40;
	s->shoff = (mioff + milen + 7) & ~(size_t)7;
	memset(b, 0, s->shoff + 3 * s->shentsize);
	memcpy(b, "\177ELF", 4);
	b[4] = s->is64 ? 2 : 1;
	b[5] = s->big ? 2 : 1;
	b[6] = 1;
	put(b + 16, 1, 2, s->big); /* ET_REL */
	put(b + (s->is64 ? 40 : 32), s->shoff, (int)a, s->big);
	put(b + (s->is64 ? 58 : 46), s->shentsize, 2, s->big);
	put(b + (s->is64 ? 60 : 48), 3, 2, s->big);
	put(b + (s->is64 ? 62 : 50), 1, 2, s->big);
	memcpy(b + stroff, synth_strtab, sizeof synth_strtab);
	memcpy(b + mioff, mi, milen);
	for (i = 0; i < 3; i++) {
		unsigned char *sh = b + s->shoff + i * s->shentsize;

		put(sh, secs[i][0], 4, s->big);
		put(sh + 4, secs[i][1], 4, s->big);
		put(sh + (s->is64 ? 24 : 16), secs[i][2], (int)a, s->big);
		put(sh + (s->is64 ? 32 : 20), secs[i][3], (int)a, s->big);
	}
	return s->shoff + 3 * s->shentsize;
}

static int synth_ok(const unsigned char *b, size_t len, const char *mi, size_t milen)
{
	const char *sec;
	size_t seclen;

	return modinfo_section(b, len, &sec, &seclen) == 0 && seclen == milen &&
	       memcmp(sec, mi, milen) == 0;
}

static void test_synthetic(void)
{
	static const char mi[] = "license=GPL\0\0\0alias=foo\0depends=a,b";
	unsigned char b[1024];
	struct synth s;
	const char *sec, *ent, *val;
	size_t len, seclen, pos, elen, vlen;
	int cls, end, n;

	for (cls = 0; cls < 2; cls++) {
		for (end = 0; end < 2; end++) {
			s = (struct synth){ .is64 = cls, .big = end };
			len = build_elf(b, &s, mi, sizeof mi - 1);
			CHECK(synth_ok(b, len, mi, sizeof mi - 1), "synthetic ELF%d %s",
			      cls ? 64 : 32, end ? "BE" : "LE");
			/* Entries: padding NULs skipped, last one unterminated. */
			modinfo_section(b, len, &sec, &seclen);
			pos = 0;
			n = 0;
			while ((ent = modinfo_next(sec, seclen, &pos, &elen)))
				n++;
			CHECK(n == 3, "synthetic entries %d", n);
			pos = 0;
			for (n = 0; n < 3; n++)
				ent = modinfo_next(sec, seclen, &pos, &elen);
			val = modinfo_value(ent, elen, "depends", &vlen);
			CHECK(val && vlen == 3 && memcmp(val, "a,b", 3) == 0, "depends value");
			CHECK(!modinfo_value(ent, elen, "depend", &vlen), "key prefix matched");

			/* Each single defect must be refused. */
			put(b + 16, 2, 2, s.big); /* ET_EXEC */
			CHECK(modinfo_section(b, len, &sec, &seclen) == -ENOEXEC, "ET_EXEC taken");
			put(b + 16, 1, 2, s.big);
			put(b + s.shoff + 2 * s.shentsize + 4, 8, 4, s.big); /* NOBITS */
			CHECK(modinfo_section(b, len, &sec, &seclen) == -ENOEXEC, "NOBITS taken");
			put(b + s.shoff + 2 * s.shentsize + 4, 1, 4, s.big);
			put(b + s.shoff + 2 * s.shentsize + (s.is64 ? 32 : 20), len, s.is64 ? 8 : 4,
			    s.big); /* size past the end */
			CHECK(modinfo_section(b, len, &sec, &seclen) == -ENOEXEC, "oversize taken");
			put(b + s.shoff + 2 * s.shentsize + (s.is64 ? 32 : 20), sizeof mi - 1,
			    s.is64 ? 8 : 4, s.big);
			put(b + (s.is64 ? 58 : 46), s.shentsize + 1, 2, s.big);
			CHECK(modinfo_section(b, len, &sec, &seclen) == -ENOEXEC,
			      "shentsize taken");
			put(b + (s.is64 ? 58 : 46), s.shentsize, 2, s.big);
			put(b + (s.is64 ? 62 : 50), 3, 2, s.big); /* shstrndx out of range */
			CHECK(modinfo_section(b, len, &sec, &seclen) == -ENOEXEC, "shstrndx taken");
			put(b + (s.is64 ? 62 : 50), 1, 2, s.big);
			/* .shstrtab one byte short: ".modinfo" loses its NUL. */
			put(b + s.shoff + s.shentsize + (s.is64 ? 32 : 20), sizeof synth_strtab - 1,
			    s.is64 ? 8 : 4, s.big);
			CHECK(modinfo_section(b, len, &sec, &seclen) == -ENOEXEC,
			      "unterminated name");
			put(b + s.shoff + s.shentsize + (s.is64 ? 32 : 20), sizeof synth_strtab,
			    s.is64 ? 8 : 4, s.big);
			CHECK(synth_ok(b, len, mi, sizeof mi - 1), "restored synthetic ELF");
		}
	}
	CHECK(modinfo_section(NULL, 0, &sec, &seclen) == -ENOEXEC, "NULL image");
}

static void test_robustness(const char *root)
{
	char *small = path_join(root, "kernel/lib/crc16.ko");
	char *big = path_join(root, "kernel/fs/ext4/ext4.ko");
	void *img;
	size_t len;

	test_synthetic();
	if (modtree_read_module(small, &img, &len) == 0) {
		test_truncation(img, len, 1, 1);
		test_flips(img, len, 200000);
		free(img);
	} else {
		CHECK(0, "cannot read %s", small);
	}
	if (modtree_read_module(big, &img, &len) == 0) {
		test_truncation(img, len, 65521, 7);
		test_flips(img, len, 20000);
		free(img);
	} else {
		CHECK(0, "cannot read %s", big);
	}
	free(small);
	free(big);
}

/* ---- a small tree of compressed, duplicate and broken modules ---- */

static void write_file(const char *path, const void *data, size_t len)
{
	char *dir = strdup(path), *p;
	FILE *f;

	for (p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	}
	free(dir);
	f = fopen(path, "wb");
	CHECK(f && fwrite(data, 1, len, f) == len && fclose(f) == 0, "write %s", path);
}

static void write_xz(const char *path, const void *data, size_t len)
{
	size_t cap = lzma_stream_buffer_bound(len), out = 0;
	unsigned char *buf = malloc(cap);

	CHECK(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, data, len, buf, &out, cap) ==
		      LZMA_OK,
	      "xz encode");
	write_file(path, buf, out);
	free(buf);
}

static void write_gz(const char *path, const void *data, size_t len)
{
	z_stream z;
	size_t cap = len + len / 100 + 1024;
	unsigned char *buf = malloc(cap);

	memset(&z, 0, sizeof z);
	CHECK(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK, "gz init");
	z.next_in = (unsigned char *)data;
	z.avail_in = (unsigned)len;
	z.next_out = buf;
	z.avail_out = (unsigned)cap;
	CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END, "gz encode");
	write_file(path, buf, z.total_out);
	deflateEnd(&z);
	free(buf);
}

static void check_roundtrip(const char *path, const void *want, size_t wantlen)
{
	void *got;
	size_t len;

	CHECK(modtree_read_module(path, &got, &len) == 0 && len == wantlen &&
		      memcmp(got, want, len) == 0,
	      "round trip %s", path);
	if (len == wantlen)
		free(got);
}

/* The last component of path (path has no trailing '/'). */
static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void test_small_tree(const char *root, const char *scratch)
{
	static const char mi[] = "license=GPL\0depends=";
	static const char order[] = "kernel/lib/crc16.ko\n\nkernel/drivers/my-mod.ko.xz\n";
	char *crc = path_join(root, "kernel/lib/crc16.ko");
	char *mb = path_join(root, "kernel/fs/mbcache.ko");
	char *t_root = path_join(scratch, "lib/modules/9.9.9-test"), *p;
	unsigned char synth[1024];
	struct synth s = { .is64 = 1 };
	const struct mt_module *m;
	struct modtree t;
	void *c, *d;
	size_t clen, dlen, slen;

	if (modtree_read_module(crc, &c, &clen) || modtree_read_module(mb, &d, &dlen)) {
		CHECK(0, "cannot read source modules");
		return;
	}
#define AT(rel) (free(p), p = path_join(t_root, rel))
	p = NULL;
	CHECK(modtree_write_zst(AT("kernel/lib/crc16.ko.zst"), c, clen, 19) == 0, "write zst");
	check_roundtrip(p, c, clen);
	write_file(AT("updates/crc16.ko"), c, clen); /* wins over kernel/ */
	write_xz(AT("kernel/fs/mbcache.ko.xz"), d, dlen);
	check_roundtrip(p, d, dlen);
	write_gz(AT("extra/mbcache.ko.gz"), d, dlen); /* wins over kernel/ */
	check_roundtrip(p, d, dlen);
	write_file(AT("kernel/bad.ko"), "garbage", 7);
	write_file(AT("kernel/empty.ko"), "", 0);
	write_file(AT("kernel/trunc.ko.zst"), "\x28\xb5\x2f\xfd\x04", 5);
	write_file(AT("kernel/trunc.ko.xz"),
		   "\xfd"
		   "7zXZ",
		   5);
	write_file(AT("kernel/trunc.ko.gz"), "\x1f\x8b\x08", 3);
	write_file(AT("kernel/notes.txt"), "x", 1);
	slen = build_elf(synth, &s, mi, sizeof mi - 1); /* no name=: from the file */
	write_file(AT("kernel/drivers/my-mod.ko"), synth, slen);
	write_file(AT("modules.order"), order, sizeof order - 1);
	write_file(AT("build/ignored.ko"), c, clen); /* top-level build/ is skipped */
	free(p);

	CHECK(modtree_load(t_root, &t) == 0, "load small tree");
	CHECK(t.nmods == 3, "small tree has %zu modules, want 3", t.nmods);
	CHECK(t.nbuiltins == 0, "small tree builtins %zu", t.nbuiltins);
	/* The modules came from the real tree, whose directory is named after
	 * the release their vermagic carries (the small tree's is not). */
	CHECK(t.kver && strcmp(t.kver, basename_of(root)) == 0, "kver from vermagic: %s, want %s",
	      t.kver, basename_of(root));
	m = find_mod(&t, "crc16");
	/* Like depmod, modules.order is matched by path: the updates/ copy has no line. */
	CHECK(m && strcmp(m->relpath, "updates/crc16.ko") == 0 && m->order == MT_NO_ORDER,
	      "crc16 from updates/, not in modules.order");
	m = find_mod(&t, "mbcache");
	CHECK(m && strcmp(m->relpath, "extra/mbcache.ko.gz") == 0 && m->order == MT_NO_ORDER,
	      "mbcache from extra/, not in modules.order");
	m = find_mod(&t, "my_mod");
	/* Compression suffixes are ignored on both sides; blank lines not counted. */
	CHECK(m && m->ninfo == 2 && m->order == 1, "my_mod named from its file, order 1");
	modtree_free(&t);

	/* With only the synthetic module left, kver falls back to the basename. */
	free(t_root);
	t_root = path_join(scratch, "k2/lib/modules/1.2.3-x");
	p = path_join(t_root, "kernel/my-mod.ko");
	write_file(p, synth, slen);
	free(p);
	p = path_join(t_root, "/");
	CHECK(modtree_load(p, &t) == 0 && t.kver && strcmp(t.kver, "1.2.3-x") == 0,
	      "kver from basename: %s", t.kver);
	modtree_free(&t);
	free(p);

	p = path_join(scratch, "does-not-exist");
	CHECK(modtree_load(p, &t) == -ENOENT, "missing root");
	free(p);
	free(t_root);
	free(crc);
	free(mb);
	free(c);
	free(d);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s ROOT SCRATCH\n", argv[0]);
		return 2;
	}
	log_init("test_modtree");
	test_real_tree(argv[1]);
	test_robustness(argv[1]);
	test_small_tree(argv[1], argv[2]);
	if (failures) {
		fprintf(stderr, "test_modtree: %d check(s) failed\n", failures);
		return 1;
	}
	printf("test_modtree: all checks passed\n");
	return 0;
}
