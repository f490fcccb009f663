/* modtree.c: read a kernel's module tree (/lib/modules/KVER) on the host.
 *
 * 1. Walk the tree for module files, skipping the top-level "build" and
 *    "source" links (they point into kernel headers), and sort the paths so
 *    everything after is independent of readdir order.
 * 2. For each file: load it (mapped or decompressed), find .modinfo, copy
 *    every entry. A file that cannot be read or has no .modinfo is skipped
 *    with a warning: one bad module must not stop an image from being built.
 * 3. Resolve names found twice as depmod's default configuration does
 *    ("search updates built-in"): updates/ wins, then extra/, then the rest;
 *    between equals, the first path in sorted order.
 * 4. Number modules by their line in modules.order, take the kernel release
 *    from vermagic, and read the built-ins (modtree_builtin.c). */
#include "modtree_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "modinfo.h"

/* Deeper than any real tree; stops a pathological one from exhausting the stack. */
#define WALK_MAX_DEPTH 32

/* ---- names and suffixes ---- */

static int ends_with(const char *s, size_t len, const char *suf)
{
	size_t n = strlen(suf);

	return len >= n && memcmp(s + len - n, suf, n) == 0;
}

size_t mt_compress_suffix(const char *name, size_t len)
{
	static const char *const sufs[] = { ".ko.zst", ".ko.xz", ".ko.gz" };
	size_t i;

	for (i = 0; i < sizeof sufs / sizeof *sufs; i++)
		if (ends_with(name, len, sufs[i]))
			return strlen(sufs[i]) - 3;
	return 0;
}

size_t mt_module_suffix(const char *name, size_t len)
{
	size_t c = mt_compress_suffix(name, len);

	if (c)
		return c + 3;
	return ends_with(name, len, ".ko") ? 3 : 0;
}

char *mt_name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;
	char *name, *p;

	base = base ? base + 1 : path;
	len = strlen(base);
	len -= mt_module_suffix(base, len);
	name = strndup(base, len);
	for (p = name; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

/* ---- string vectors ---- */

int mt_strv_push(char ***v, size_t *n, char *s)
{
	/* Capacity is implied: reallocate when n reaches a power of two. */
	if (*n == 0 || (*n & (*n - 1)) == 0) {
		char **nv = realloc(*v, (*n ? 2 * *n : 1) * sizeof **v);

		if (!nv)
			return -ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = s;
	return 0;
}

void mt_free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- 1. the walk ---- */

/* Is this directory entry something to descend into (1), a module file (2),
 * or neither (0)? Symlinks count by their target, but linked directories
 * are not followed, so a link loop cannot trap the walk. */
static int entry_kind(int dfd, const struct dirent *de)
{
	size_t len = strlen(de->d_name);
	unsigned char type = de->d_type;
	struct stat st;

	if (type == DT_UNKNOWN || type == DT_LNK) {
		if (fstatat(dfd, de->d_name, &st, 0) < 0)
			return 0;
		if (S_ISDIR(st.st_mode))
			return type == DT_LNK ? 0 : 1;
		type = S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
	}
	if (type == DT_DIR)
		return 1;
	return type == DT_REG && mt_module_suffix(de->d_name, len) ? 2 : 0;
}

/* Add every module path below root/rel ("" for root) to files, as relative paths. */
static int walk(const char *root, const char *rel, int depth, char ***files, size_t *n)
{
	char *dir, *sub;
	struct dirent *de;
	DIR *d;
	int err = 0, kind;

	if (asprintf(&dir, "%s%s%s", root, *rel ? "/" : "", rel) < 0)
		return -ENOMEM;
	d = opendir(dir);
	if (!d) {
		err = -errno;
		if (depth > 0) /* the root's own failure is the caller's to report */
			log_warn("%s: cannot read directory: %s", dir, strerror(-err));
		free(dir);
		return depth > 0 ? 0 : err;
	}
	while (!err && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (depth == 0 &&
		    (strcmp(de->d_name, "build") == 0 || strcmp(de->d_name, "source") == 0))
			continue;
		kind = entry_kind(dirfd(d), de);
		if (!kind)
			continue;
		if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0) {
			err = -ENOMEM;
			break;
		}
		if (kind == 2) {
			if ((err = mt_strv_push(files, n, sub)) < 0)
				free(sub);
			continue;
		}
		if (depth + 1 < WALK_MAX_DEPTH)
			err = walk(root, sub, depth + 1, files, n);
		else
			log_warn("%s/%s: directory nesting too deep, skipped", root, sub);
		free(sub);
	}
	closedir(d);
	free(dir);
	return err;
}

/* ---- 2. one module ---- */

/* Copy every .modinfo entry of the image into m->info and pick m->name. */
static int copy_modinfo(const char *sec, size_t seclen, struct mt_module *m)
{
	const char *ent, *val;
	size_t pos = 0, len, vlen;
	char *s;

	while ((ent = modinfo_next(sec, seclen, &pos, &len))) {
		s = strndup(ent, len);
		if (!s || mt_strv_push(&m->info, &m->ninfo, s) < 0) {
			free(s);
			return -ENOMEM;
		}
		val = modinfo_value(ent, len, "name", &vlen);
		if (val && vlen > 0 && !m->name && !(m->name = strndup(val, vlen)))
			return -ENOMEM;
	}
	return 0;
}

static void free_module(struct mt_module *m)
{
	mt_free_strv(m->exports, m->nexports);
	mt_free_strv(m->undef, m->nundef);
	free(m->name);
	free(m->relpath);
	mt_free_strv(m->info, m->ninfo);
	memset(m, 0, sizeof *m);
}

/* Fill m from root/rel. -ENOEXEC/-EIO etc. mean "skip it" (already logged). */
static int read_one(const char *root, const char *rel, struct mt_module *m)
{
	struct mt_blob b;
	const char *sec;
	size_t seclen;
	char *path;
	int err;

	memset(m, 0, sizeof *m);
	m->order = MT_NO_ORDER;
	if (asprintf(&path, "%s/%s", root, rel) < 0)
		return -ENOMEM;
	err = mt_blob_open(path, &b);
	if (!err) {
		if (modinfo_section(b.data, b.len, &sec, &seclen) < 0) {
			log_warn("%s: not a kernel module (no valid ELF .modinfo section)", path);
			err = -ENOEXEC;
		} else {
			err = copy_modinfo(sec, seclen, m);
			if (!err)
				err = mt_read_symbols(b.data, b.len, m);
		}
		mt_blob_close(&b);
	}
	free(path);
	if (!err && !(m->relpath = strdup(rel)))
		err = -ENOMEM;
	if (!err && !m->name && !(m->name = mt_name_from_path(rel)))
		err = -ENOMEM;
	if (err)
		free_module(m);
	return err;
}

static int read_all(struct modtree *t, char **files, size_t nfiles)
{
	size_t i;
	int err;

	t->mods = calloc(nfiles ? nfiles : 1, sizeof *t->mods);
	if (!t->mods)
		return -ENOMEM;
	for (i = 0; i < nfiles; i++) {
		err = read_one(t->root, files[i], &t->mods[t->nmods]);
		if (err == -ENOMEM)
			return err;
		if (!err)
			t->nmods++;
	}
	return 0;
}

/* ---- 3. duplicates ---- */

static int search_rank(const char *rel)
{
	if (strncmp(rel, "updates/", 8) == 0)
		return 0;
	if (strncmp(rel, "extra/", 6) == 0)
		return 1;
	return 2;
}

/* By name; within a name, the copy depmod keeps first. */
static int cmp_module(const void *a, const void *b)
{
	const struct mt_module *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	c = search_rank(x->relpath) - search_rank(y->relpath);
	return c ? c : strcmp(x->relpath, y->relpath);
}

static void drop_duplicates(struct modtree *t)
{
	size_t i, k = 0;

	if (t->nmods == 0)
		return;
	qsort(t->mods, t->nmods, sizeof *t->mods, cmp_module);
	for (i = 0; i < t->nmods; i++) {
		struct mt_module *keep = k ? &t->mods[k - 1] : NULL;

		if (keep && strcmp(keep->name, t->mods[i].name) == 0) {
			log_warn("%s: module %s found twice, using %s", t->mods[i].relpath,
				 keep->name, keep->relpath);
			free_module(&t->mods[i]);
			continue;
		}
		t->mods[k++] = t->mods[i];
	}
	t->nmods = k;
}

/* ---- 4. modules.order and the kernel release ---- */

struct order_ent {
	const char *path; /* into the file's buffer; compression suffix cut */
	unsigned line;
};

/* A path without compression suffix, as a (pointer, length) pair. */
struct path_key {
	const char *s;
	size_t n;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order_ent *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int cmp_key_order(const void *k, const void *e)
{
	const struct path_key *key = k;
	const char *p = ((const struct order_ent *)e)->path;
	int c = strncmp(key->s, p, key->n);

	return c ? c : -(p[key->n] != '\0');
}

/* Split the file into lines, cut compression suffixes, sort by path. */
static struct order_ent *parse_order(char *buf, size_t *n)
{
	struct order_ent *ents = NULL, *ne;
	char *line, *save = NULL;
	size_t cap = 0;
	unsigned idx = 0;

	*n = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);

		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			ne = realloc(ents, cap * sizeof *ents);
			if (!ne) {
				free(ents);
				return NULL;
			}
			ents = ne;
		}
		line[len - mt_compress_suffix(line, len)] = '\0';
		ents[(*n)++] = (struct order_ent){ line, idx++ };
	}
	if (!ents)
		return malloc(1); /* empty file: a valid, empty table */
	qsort(ents, *n, sizeof *ents, cmp_order);
	return ents;
}

static int assign_order(struct modtree *t)
{
	struct order_ent *ents, *e;
	char *buf, *path;
	size_t len, n, i;
	int err;

	if (asprintf(&path, "%s/modules.order", t->root) < 0)
		return -ENOMEM;
	err = mt_slurp(path, &buf, &len);
	if (err) {
		if (err != -ENOENT)
			log_warn("%s: %s", path, strerror(-err));
		free(path);
		return err == -ENOMEM ? err : 0;
	}
	free(path);
	ents = parse_order(buf, &n);
	if (!ents) {
		free(buf);
		return -ENOMEM;
	}
	for (i = 0; i < t->nmods; i++) {
		const char *rel = t->mods[i].relpath;
		size_t rlen = strlen(rel);
		struct path_key key = { rel, rlen - mt_compress_suffix(rel, rlen) };

		/* Duplicate lines sort together: bsearch may land on any of them,
		 * so step back to the first (lowest) one. */
		e = n ? bsearch(&key, ents, n, sizeof *ents, cmp_key_order) : NULL;
		while (e && e > ents && strcmp(e[-1].path, e->path) == 0)
			e--;
		if (e)
			t->mods[i].order = e->line;
	}
	free(ents);
	free(buf);
	return 0;
}

/* vermagic's first word ("6.1.0-56-amd64 SMP preempt ..."), else the root's basename. */
static char *find_kver(const struct modtree *t)
{
	const char *v, *end;
	size_t i, j, vlen;

	for (i = 0; i < t->nmods; i++) {
		const struct mt_module *m = &t->mods[i];

		for (j = 0; j < m->ninfo; j++) {
			v = modinfo_value(m->info[j], strlen(m->info[j]), "vermagic", &vlen);
			end = v ? memchr(v, ' ', vlen) : NULL;
			if (v && (end ? end > v : vlen > 0))
				return strndup(v, end ? (size_t)(end - v) : vlen);
		}
	}
	end = t->root + strlen(t->root);
	while (end > t->root + 1 && end[-1] == '/')
		end--;
	for (v = end; v > t->root && v[-1] != '/'; v--)
		;
	return strndup(v, (size_t)(end - v));
}

/* ---- the interface ---- */

static int load(const char *root, struct modtree *t)
{
	char **files = NULL;
	size_t nfiles = 0;
	int err;

	t->root = strdup(root);
	if (!t->root)
		return -ENOMEM;
	err = walk(root, "", 0, &files, &nfiles);
	if (err) {
		log_err("%s: cannot read module tree: %s", root, strerror(-err));
		mt_free_strv(files, nfiles);
		return err;
	}
	if (nfiles)
		qsort(files, nfiles, sizeof *files, cmp_str);
	err = read_all(t, files, nfiles);
	mt_free_strv(files, nfiles);
	if (err)
		return err;
	drop_duplicates(t);
	err = assign_order(t);
	if (!err)
		err = mt_load_builtins(t);
	if (!err && !(t->kver = find_kver(t)))
		err = -ENOMEM;
	return err;
}

int modtree_load(const char *root, struct modtree *t)
{
	int err;

	memset(t, 0, sizeof *t);
	err = load(root, t);
	if (err == -ENOMEM)
		log_err("%s: out of memory reading the module tree", root);
	if (err)
		modtree_free(t);
	return err;
}

void modtree_free(struct modtree *t)
{
	size_t i;

	for (i = 0; i < t->nmods; i++)
		free_module(&t->mods[i]);
	for (i = 0; i < t->nbuiltins; i++) {
		free(t->builtins[i].name);
		mt_free_strv(t->builtins[i].info, t->builtins[i].ninfo);
	}
	free(t->mods);
	free(t->builtins);
	free(t->root);
	free(t->kver);
	memset(t, 0, sizeof *t);
}

size_t mt_values(char *const *info, size_t n, const char *key, const char ***out)
{
	size_t i, count = 0, vlen;
	const char *v;

	*out = NULL;
	for (i = 0; i < n; i++)
		count += modinfo_value(info[i], strlen(info[i]), key, &vlen) != NULL;
	if (count == 0 || !(*out = malloc(count * sizeof **out)))
		return 0;
	count = 0;
	for (i = 0; i < n; i++) {
		v = modinfo_value(info[i], strlen(info[i]), key, &vlen);
		if (v)
			(*out)[count++] = v;
	}
	return count;
}
