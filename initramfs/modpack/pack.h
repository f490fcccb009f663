/* pack.h: the packer's model of the modules going into one blob. */
#ifndef MODPACK_PACK_H
#define MODPACK_PACK_H

#include "modtree.h"

#include <stddef.h>
#include <stdint.h>

struct pmod {
	const char *name;
	const char *relpath; /* below the output directory; NULL for builtins */
	unsigned order;	     /* modules.order line, MT_NO_ORDER if none */
	int builtin;
	unsigned flags; /* BM_* from blob.h */
	unsigned *deps; /* direct dependencies (indices), from depends= */
	size_t ndeps;
	unsigned *load; /* full dependency closure in load order */
	size_t nload;
	const char **pre, **post; /* softdeps: names or aliases */
	size_t npre, npost;
	const struct mt_module *src; /* NULL for builtins */
	const struct mt_builtin *bsrc;
};

struct pack {
	const char *kver;
	struct pmod *m; /* sorted by name */
	size_t n;
	const char **cfg_alias; /* pattern, module name, pattern, ... (build-time config) */
	size_t ncfg_alias;
	const char **cfg_options; /* name, options, name, ... (build-time config) */
	size_t ncfg_options;
	const char **cfg_cmds; /* keyword, module, command, FILE:LINE, ... */
	size_t ncfg_cmds;
	int quiet_config; /* a selection: unknown names were reported for the full tree */
};

struct config;
/* buildcfg.c: carry a build-time configuration into the pack (the config
 * must outlive the pack: alias strings are shared). */
int pack_apply_config(struct pack *p, const struct config *c);

/* Build the model from a tree: every module and builtin. */
int pack_from_tree(struct pack *p, const struct modtree *t);
int pack_find(const struct pack *p, const char *name);
/* symorder.c: order direct dependencies by first use in the symbol table. */
void pack_order_by_symbols(struct pack *p);
/* depgraph.c: fill each module's load list the way depmod orders it. */
void pack_order_deps(struct pack *p);
/* blobwrite.c: serialise; *out is malloc'ed. */
int pack_write_blob(const struct pack *p, uint8_t **out, size_t *len);
void pack_free(struct pack *p);
/* Release a module's softdep lists (and leave them empty). */
void pmod_free_softdeps(struct pmod *m);

#endif
