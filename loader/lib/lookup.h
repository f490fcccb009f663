/* lookup.h: what a name given to modprobe means, in kmod's order of sources:
 * aliases from configuration, then a module of that name, then for
 * "symbol:NAME" the module exporting NAME, then module aliases, then built-in module names, then
 * aliases of built-in modules (kmod 30: modules.builtin.bin before modules.builtin.alias.bin). The
 * first source with any answer wins. */
#ifndef MODLOAD_LOOKUP_H
#define MODLOAD_LOOKUP_H

#include "alias.h"
#include "blob.h"

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

/* A list of hits that grows as needed, like struct modlist: the first
 * LOOKUP_LOCAL in the struct, the rest on the heap. hits_init before use,
 * hits_free after; an initialised list must not be copied. */
#define LOOKUP_LOCAL 16
struct hits {
	struct hit *v; /* v[0..n) */
	unsigned n, cap;
	struct hit local[LOOKUP_LOCAL];
};
void hits_init(struct hits *h);
void hits_free(struct hits *h);

/* Resolve name into out (emptied first): every hit, no cap. Returns how
 * many, 0 when nothing matched, -EINVAL for a malformed name, -ENOMEM. */
int lookup(const struct blob *b, const struct alias_list *extra, const char *name,
	   struct hits *out);

/* Append to out the module indices name resolves to (loadable or built in;
 * a config alias naming a module the blob lacks gives nothing). Returns how
 * many were appended, or -EINVAL or -ENOMEM. */
int lookup_mods(const struct blob *b, const struct alias_list *extra, const char *name,
		struct modlist *out);

#endif
