/* plan.h: one request -> one graph of modules to insert (algorithm in plan.c).
 *
 * A request is a name: a module, an alias or a device's modalias. Each module
 * it resolves to is a chain: the list kmod's modprobe would walk for it,
 * repeats included (--show-depends prints them). The chains follow each other
 * in the plan's nodes. Over them lies the graph the executor uses: every
 * module once (at its first node), with the modules it waits for. Those point
 * only to earlier nodes, so the graph has no cycle; a softdep that would close
 * one is dropped exactly where kmod's visited set drops it. */
#ifndef MODLOAD_PLAN_H
#define MODLOAD_PLAN_H

#include "ctx.h"

enum {
	PN_REQUIRED = 1, /* the chain's module or one of its dependencies */
	PN_TARGET = 2,	 /* the chain's module: its alias and params apply */
};

/* A node with cmd runs that install command instead of inserting. A name
 * that is no module but has an install line plans as the one node of a
 * chain whose mod is blob_nmods() (as kmod: the command is the module). */
struct plan_node {
	unsigned mod, chain;
	unsigned flags; /* PN_* */
	const struct cfg_cmd *cmd;
	unsigned pred, npred; /* first node of mod: what it waits for, in plan->pred */
};

/* A predecessor: module index << 1, | PRED_HARD for a dependency (it must be
 * live); softdeps only have to be settled, live or not. */
#define PRED_HARD 1u

struct plan_chain {
	unsigned mod;
	char *alias;	    /* the normalised name it was asked for by, or NULL */
	const char *params; /* the caller's, or NULL */
};

struct plan {
	struct plan_node *node;
	struct plan_chain *chain;
	unsigned *pred;
	struct plan_rel *rel; /* ordering wishes, before the cycles are cut */
	unsigned n, ncap, nchain, chaincap, npred, predcap, nrel, relcap;
	unsigned *pos;	     /* per blob module: its first node + 1, 0 when not planned */
	unsigned char *mark; /* per blob module: the current chain's visited/required */
	unsigned skipped;    /* modules the request named that were refused */
	int err;	     /* -ENOMEM while building */
};

enum {
	PLAN_BLACKLIST = 1, /* blacklist applies to names too (modprobe -b) */
	PLAN_DEVICE = 2,    /* a device's modalias: refusals are only info */
	PLAN_NO_CMD = 4,    /* modprobe -i: the module asked for is inserted, its
			       install command and softdeps not run */
};

/* v (*cap elements of size bytes) grown to hold need (doubling from 32);
 * NULL when out of memory, v then still valid (need <= *cap: v, as it is). For the plan's arrays
 * and the executor's. */
void *plan_grow(void *v, unsigned *cap, unsigned need, size_t size);

int plan_init(struct plan *p, const struct ml_ctx *c);
void plan_reset(struct plan *p);
void plan_free(struct plan *p);

/* Plan (p's earlier plan dropped) the chains of what name resolves to
 * (params, or NULL, for those modules). Blacklist stops modules found through an alias (any name
 * with PLAN_BLACKLIST); forbid stops a module and whatever needs it, each said once through
 * report(). Returns 0, -ENOENT when nothing matched (or a configuration alias names a module that
 * is not there), -EPERM when a module was forbidden, -ENOMEM; chains that could be planned are in p
 * even then. */
int plan_request(struct plan *p, const struct ml_ctx *c, const char *name, const char *params,
		 unsigned flags);
/* Plan (the same way) one module's chain, asked for by name. Errors as for
 * plan_request. */
int plan_module(struct plan *p, const struct ml_ctx *c, unsigned mod, unsigned flags);

#endif
