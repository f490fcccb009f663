/* modtree.h: a kernel's module tree as read on the build host.
 * Everything is copied out of the files, so nothing stays mapped. */
#ifndef MODPACK_MODTREE_H
#define MODPACK_MODTREE_H

#include <stddef.h>

struct mt_module {
	char *name;     /* from .modinfo "name=", else the file name, '-' -> '_' */
	char *relpath;  /* path below the tree root as found, e.g. kernel/fs/ext4/ext4.ko */
	char **info;    /* every "key=value" entry of .modinfo, in file order */
	size_t ninfo;
	unsigned order; /* line in modules.order (0-based), or MT_NO_ORDER */
};

/* A module built into the kernel (modules.builtin + modules.builtin.modinfo). */
struct mt_builtin {
	char *name;
	char **info; /* "key=value" entries from modules.builtin.modinfo ("alias=..." etc.) */
	size_t ninfo;
	unsigned order; /* line in modules.builtin */
};

#define MT_NO_ORDER 0xffffffffu

struct modtree {
	char *root;     /* the directory given (…/lib/modules/KVER) */
	char *kver;     /* kernel release: from vermagic, else the directory's basename */
	struct mt_module *mods; /* sorted by name */
	size_t nmods;
	struct mt_builtin *builtins;
	size_t nbuiltins;
};

/* Read every .ko, .ko.zst, .ko.xz and .ko.gz below root (following kmod's rule
 * that a name found twice keeps the copy depmod would keep), their .modinfo,
 * modules.order, modules.builtin and modules.builtin.modinfo (the last three
 * optional). Returns 0 or a negative errno; on error a one-line reason naming
 * the file has been logged. Unreadable or corrupt modules are skipped with a
 * warning naming the file. */
int modtree_load(const char *root, struct modtree *t);
void modtree_free(struct modtree *t);

/* Read a module file fully into malloc'ed memory, decompressing by suffix. */
int modtree_read_module(const char *path, void **data, size_t *len);

/* Write data as a zstd-compressed file at path (parent dirs created) with the
 * frame content size recorded, at the given compression level. */
int modtree_write_zst(const char *path, const void *data, size_t len, int level);

/* All values for key (e.g. "alias", "depends", "softdep") among info[0..n);
 * the values point into info; *out is a malloc'ed array; returns the count. */
size_t mt_values(char *const *info, size_t n, const char *key, const char ***out);

#endif
