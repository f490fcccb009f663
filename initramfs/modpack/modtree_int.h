/* modtree_int.h: helpers shared by the modtree*.c files; not an interface
 * for the rest of modpack (use modtree.h). */
#ifndef MODPACK_MODTREE_INT_H
#define MODPACK_MODTREE_INT_H

#include <stddef.h>

#include "modtree.h"

/* A module image in memory: mapped read-only for a plain .ko (so reading the
 * headers of 4000 modules touches only a few pages each), malloc'ed when it
 * had to be decompressed. */
struct mt_blob {
	void *data;
	size_t len;
	int mapped;
};

/* Open path as a module image; logs a one-line reason on failure. */
int mt_blob_open(const char *path, struct mt_blob *b);
void mt_blob_close(struct mt_blob *b);

/* Read a small text file whole, NUL-terminated. Logs nothing, so callers can
 * treat -ENOENT of an optional file as normal. */
int mt_slurp(const char *path, char **buf, size_t *len);

/* Length of the module suffix ending name (".ko", ".ko.zst", ".ko.xz",
 * ".ko.gz"), or 0 when name is not a module file. */
size_t mt_module_suffix(const char *name, size_t len);

/* Length of a trailing compression suffix (".zst", ".xz", ".gz") after ".ko". */
size_t mt_compress_suffix(const char *name, size_t len);

/* Module name from a path: basename without its module suffix, '-' -> '_'. */
char *mt_name_from_path(const char *path);

/* Fill t->builtins from modules.builtin and modules.builtin.modinfo below
 * t->root (both optional). Returns 0 or -ENOMEM. */
int mt_load_builtins(struct modtree *t);

/* Free an array of n malloc'ed strings and the array. */
void mt_free_strv(char **v, size_t n);

/* Append s to *v (n entries); grows by doubling at powers of two, so no
 * capacity needs storing. Returns 0 or -ENOMEM (s is then not consumed). */
int mt_strv_push(char ***v, size_t *n, char *s);

#endif
