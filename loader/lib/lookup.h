/* lookup.h: what a name given to modprobe means, in kmod's order of sources:
 * aliases from configuration, then a module of that name, then module
 * aliases, then aliases of built-in modules, then built-in module names.
 * The first source with any answer wins. */
#ifndef MODLOAD_LOOKUP_H
#define MODLOAD_LOOKUP_H

#include "blob.h"

#define LOOKUP_MAX 64

enum hit_kind {
	HIT_MODULE,
	HIT_BUILTIN,
	HIT_UNKNOWN /* config alias naming a module not in the blob */
};

struct hit {
	enum hit_kind kind;
	int mod;	  /* blob index, -1 for HIT_UNKNOWN */
	const char *name; /* module name (points into the blob or the config) */
	int via_alias;	  /* found through an alias, so blacklist applies */
};

/* Extra aliases (e.g. from a runtime config): pattern/module pairs. */
struct alias_list {
	const char *const *pat, *const *mod;
	unsigned n;
};

/* Resolve name. Returns the number of hits stored (at most max), 0 when
 * nothing matched, -EINVAL for a malformed name. */
int lookup(const struct blob *b, const struct alias_list *extra, const char *name, struct hit *out,
	   int max);

/* The module indices name resolves to (loadable or built in; a config alias
 * naming a module the blob lacks gives nothing). Returns how many, at most max. */
int lookup_mods(const struct blob *b, const struct alias_list *extra, const char *name,
		unsigned *out, int max);

#endif
