/* alias.h: kmod-compatible alias normalisation and matching against a blob.
 *
 * A lookup finds every (pattern, module) pair whose pattern matches the
 * string with fnmatch(3) semantics, ordered like kmod orders them: by the
 * module's modules.order position. A module matched through two patterns is
 * reported twice, as kmod does; so is one whose pattern a string holding
 * '*', '?' or '[' itself matches more than once in kmod's index walk. */
#ifndef MODLOAD_ALIAS_H
#define MODLOAD_ALIAS_H

#include "blob.h"

#include <stddef.h>

#define ALIAS_MAX 4096 /* longest alias or module name handled */

/* kmod's rule: '-' becomes '_' outside [...]; an unbalanced bracket is an
 * error (-EINVAL). Returns the length written (always NUL-terminated). */
int alias_normalize(const char *in, char *out, size_t cap);

/* Module names: '-' becomes '_' everywhere. */
void modname_normalize(const char *in, char *out, size_t cap);

/* The module name a path or name stands for, kmod's rule: the basename up to
 * its first '.', with '-' -> '_' ("/x/snd-hda-intel.ko.zst" -> snd_hda_intel). */
void modname_from_path(const char *path, char *out, size_t cap);

/* A list of module numbers that grows as needed: the first MODLIST_LOCAL
 * live in the struct (on the caller's stack: no allocation for the usual
 * handful), the rest on the heap. modlist_init before use, modlist_free
 * after; an initialised list must not be copied. */
#define MODLIST_LOCAL 16
struct modlist {
	unsigned *v; /* v[0..n) */
	unsigned n, cap;
	unsigned local[MODLIST_LOCAL];
};
void modlist_init(struct modlist *l);
void modlist_free(struct modlist *l);
/* Append x: 0, or -ENOMEM (the list is unchanged). */
int modlist_push(struct modlist *l, unsigned x);

/* Room for element n of a list whose storage v starts as local (inside its
 * owner) with *cap elements of size bytes: v itself while n < *cap, else
 * storage of twice the capacity (on the heap, local copied over; *cap
 * updated), or NULL when out of memory (v is then unchanged). */
void *list_grow(void *v, const void *local, unsigned n, unsigned *cap, size_t size);

/* Set out to the indices of every module (loadable and built-in) with a
 * pattern matching the normalised string s, in modules.order order (a
 * module matched by two patterns is there twice, as kmod reports it).
 * Returns how many, or -ENOMEM (out is then empty). No cap: out grows. */
int alias_match(const struct blob *b, const char *s, struct modlist *out);

/* Decode alias number i into buf; sets *mod. Returns the length or -EBADMSG. */
int alias_get(const struct blob *b, unsigned i, char *buf, size_t cap, unsigned *mod);

#endif
