/* alias.h: kmod-compatible alias normalisation and matching against a blob.
 *
 * A lookup finds every (pattern, module) pair whose pattern matches the
 * string with fnmatch(3) semantics, ordered like kmod orders them: by the
 * module's modules.order position. A module matched through two patterns is
 * reported twice, as kmod does. */
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

/* Fill out[0..max) with the indices of modules (loadable and built-in) with
 * a pattern matching the normalised string s, in modules.order order.
 * Returns how many matched (may exceed max: only max are stored). */
int alias_match(const struct blob *b, const char *s, unsigned *out, int max);

/* Decode alias number i into buf; sets *mod. Returns the length or -EBADMSG. */
int alias_get(const struct blob *b, unsigned i, char *buf, size_t cap, unsigned *mod);

#endif
