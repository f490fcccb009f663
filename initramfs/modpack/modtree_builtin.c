/* modtree_builtin.c: the modules compiled into the kernel.
 *
 * modules.builtin has one path per line ("kernel/fs/ext4/ext4.ko");
 * modules.builtin.modinfo is a run of NUL-separated "name.key=value" records
 * (the .modinfo sections of the built-in objects, prefixed with the module
 * name). Some built-in code (e.g. "workqueue", "printk") has parameters and
 * thus records in the second file without being named in the first, so the
 * set of built-ins is the union of both, with in_builtin_list telling which
 * ones modules.builtin names (that is what kmod answers "built in" from). */
#include "modtree_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "modinfo.h"

/* Read an optional file below the root; a missing one reads as empty. */
static int read_optional(const char *root, const char *name, char **buf, size_t *len)
{
	char *path;
	int err;

	*buf = NULL;
	*len = 0;
	if (asprintf(&path, "%s/%s", root, name) < 0)
		return -ENOMEM;
	err = mt_slurp(path, buf, len);
	if (err && err != -ENOENT)
		log_warn("%s: %s", path, strerror(-err));
	free(path);
	if (err == -ENOMEM)
		return err;
	return 0;
}

/* Names of modules.builtin, in line order (blank lines skipped). */
static int list_names(char *buf, char ***names, size_t *n)
{
	char *line, *save = NULL, *name;

	for (line = buf ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		name = mt_name_from_path(line);
		if (!name || mt_strv_push(names, n, name) < 0) {
			free(name);
			return -ENOMEM;
		}
	}
	return 0;
}

/* The module name of a "name.key=value" record, or NULL if it has none. */
static char *record_name(const char *rec, size_t len)
{
	const char *dot = memchr(rec, '.', len);
	char *name, *p;

	if (!dot || dot == rec)
		return NULL;
	name = strndup(rec, (size_t)(dot - rec));
	for (p = name; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

static int cmp_builtin(const void *a, const void *b)
{
	return strcmp(((const struct mt_builtin *)a)->name, ((const struct mt_builtin *)b)->name);
}

static struct mt_builtin *find(struct modtree *t, const char *name)
{
	struct mt_builtin key = { .name = (char *)name };

	if (t->nbuiltins == 0)
		return NULL;
	return bsearch(&key, t->builtins, t->nbuiltins, sizeof key, cmp_builtin);
}

/* One entry per name: sort, then drop repeats. */
static void sort_unique(struct modtree *t)
{
	size_t i, k = 0;

	if (t->nbuiltins == 0)
		return;
	qsort(t->builtins, t->nbuiltins, sizeof *t->builtins, cmp_builtin);
	for (i = 0; i < t->nbuiltins; i++) {
		if (k > 0 && strcmp(t->builtins[k - 1].name, t->builtins[i].name) == 0)
			free(t->builtins[i].name);
		else
			t->builtins[k++] = t->builtins[i];
	}
	t->nbuiltins = k;
}

static int add_name(struct modtree *t, const char *name)
{
	struct mt_builtin *b;
	size_t n = t->nbuiltins;

	/* Grow at powers of two, like mt_strv_push. */
	if (n == 0 || (n & (n - 1)) == 0) {
		b = realloc(t->builtins, (n ? 2 * n : 1) * sizeof *b);
		if (!b)
			return -ENOMEM;
		t->builtins = b;
	}
	b = &t->builtins[n];
	memset(b, 0, sizeof *b);
	b->name = strdup(name);
	b->order = MT_NO_ORDER;
	if (!b->name)
		return -ENOMEM;
	t->nbuiltins++;
	return 0;
}

/* Every distinct name of both files, sorted. */
static int collect_names(struct modtree *t, char **lnames, size_t nl, const char *mi, size_t milen)
{
	const char *rec, *prev = NULL;
	size_t i, pos = 0, len, prevlen = 0;
	char *name;
	int err;

	for (i = 0; i < nl; i++)
		if ((err = add_name(t, lnames[i])) < 0)
			return err;
	while ((rec = modinfo_next(mi, milen, &pos, &len))) {
		/* Records come grouped by module: only a change of name is new. */
		if (prev && len > prevlen && memcmp(rec, prev, prevlen) == 0 && rec[prevlen] == '.')
			continue;
		name = record_name(rec, len);
		if (!name)
			continue;
		prev = rec;
		prevlen = strlen(name);
		err = add_name(t, name);
		free(name);
		if (err)
			return err;
	}
	sort_unique(t);
	return 0;
}

/* Attach each "name.key=value" record to its builtin as "key=value". */
static int attach_records(struct modtree *t, const char *mi, size_t milen)
{
	const char *rec;
	size_t pos = 0, len;

	while ((rec = modinfo_next(mi, milen, &pos, &len))) {
		char *name = record_name(rec, len), *kv;
		struct mt_builtin *b = name ? find(t, name) : NULL;

		if (b) {
			size_t skip = strlen(name) + 1;

			kv = strndup(rec + skip, len - skip);
			if (!kv || mt_strv_push(&b->info, &b->ninfo, kv) < 0) {
				free(kv);
				free(name);
				return -ENOMEM;
			}
		}
		free(name);
	}
	return 0;
}

int mt_load_builtins(struct modtree *t)
{
	char *list, *mi, **lnames = NULL;
	size_t listlen, milen, nl = 0, i;
	int err;

	err = read_optional(t->root, "modules.builtin", &list, &listlen);
	if (!err)
		err = read_optional(t->root, "modules.builtin.modinfo", &mi, &milen);
	else
		mi = NULL;
	if (!err)
		err = list_names(list, &lnames, &nl);
	if (!err)
		err = collect_names(t, lnames, nl, mi, milen);
	for (i = 0; !err && i < nl; i++) {
		struct mt_builtin *b = find(t, lnames[i]);

		b->in_builtin_list = 1;
		if (b->order == MT_NO_ORDER)
			b->order = (unsigned)i;
	}
	if (!err)
		err = attach_records(t, mi, milen);
	mt_free_strv(lnames, nl);
	free(list);
	free(mi);
	return err;
}
