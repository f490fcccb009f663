/* modtree.h: a kernel's module tree as read on the build host.
 * Everything is copied out of the files, so nothing stays mapped. */
#ifndef MODPACK_MODTREE_H
#define MODPACK_MODTREE_H

#include <stddef.h>

struct mt_module {
	char *name;    /* from .modinfo "name=", else the file name, '-' -> '_' */
	char *relpath; /* path below the tree root as found, e.g. kernel/fs/ext4/ext4.ko */
	char **info;   /* every "key=value" entry of .modinfo, in file order */
	size_t ninfo;
	unsigned order; /* line in modules.order (0-based, blank lines not counted), or
			 * MT_NO_ORDER; matched by relpath without compression
			 * suffix, as depmod does, so a copy in updates/ has none */
	char **exports; /* symbols it exports */
	size_t nexports;
	char **undef; /* symbols it uses, in symbol table order */
	size_t nundef;
};

/* A module built into the kernel: named in modules.builtin, in
 * modules.builtin.modinfo, or both. kmod answers "is X built in?" from
 * modules.builtin but takes builtin aliases from modules.builtin.modinfo, so
 * both facts are kept. */
struct mt_builtin {
	char *name;
	char **info; /* "key=value" entries from modules.builtin.modinfo ("alias=..." etc.) */
	size_t ninfo;
	unsigned order;	     /* line in modules.builtin (0-based), or MT_NO_ORDER */
	int in_builtin_list; /* named in modules.builtin */
};

#define MT_NO_ORDER 0xffffffffu

struct modtree {
	char *root;		/* the directory given (…/lib/modules/KVER) */
	char *kver;		/* kernel release: from vermagic, else the directory's basename */
	struct mt_module *mods; /* sorted by name */
	size_t nmods;
	struct mt_builtin *builtins; /* sorted by name */
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

/* modsyms.c: fill m's exports and undef from its ELF image (no symbol
 * table is not an error). Returns 0 or -ENOMEM. */
int mt_read_symbols(const void *elf, size_t len, struct mt_module *m);

/* Read a module file fully into malloc'ed memory, decompressing by suffix
 * (.ko.zst, .ko.xz, .ko.gz; anything else is read as is). Returns 0 or a
 * negative errno (-EBADMSG for a corrupt compressed file, -EFBIG beyond
 * MT_MAX_MODULE); on error a one-line reason naming the file has been logged. */
int modtree_read_module(const char *path, void **data, size_t *len);

/* Largest decompressed module accepted (a guard against decompression bombs). */
#define MT_MAX_MODULE ((size_t)1 << 30)

/* Write data as a zstd-compressed file at path (parent dirs created) with the
 * frame content size and a checksum recorded, at the given compression level.
 * The file appears atomically (temp file + rename). Returns 0 or a negative
 * errno; on error a one-line reason naming the file has been logged. */
int modtree_write_zst(const char *path, const void *data, size_t len, int level);

/* All values for key (e.g. "alias", "depends", "softdep") among info[0..n);
 * the values point into info; *out is a malloc'ed array (NULL when the count
 * is 0, or when out of memory, which also returns 0); returns the count. */
size_t mt_values(char *const *info, size_t n, const char *key, const char ***out);

#endif
