/* plan.h: the ordered list of modules to insert for one module, as kmod's
 * modprobe builds it (algorithm in plan.c). A module may appear more than
 * once, as in kmod; inserting skips the repeats. */
#ifndef MODLOAD_PLAN_H
#define MODLOAD_PLAN_H

#include "blob.h"
#include "lookup.h"

#define PLAN_MAX 1024

struct plan {
	unsigned mod[PLAN_MAX];
	unsigned char required[PLAN_MAX]; /* 0 for softdeps: their failure is not fatal */
	int n;
	int overflow;
	unsigned char *visited;		/* one byte per blob module, zeroed by the caller */
	const struct alias_list *extra; /* runtime config aliases, for softdeps */
	/* Softdep lists for a module: runtime config overrides the blob's. */
	int (*softdeps)(void *ctx, unsigned mod, const char *const **pre, unsigned *npre,
			const char *const **post, unsigned *npost);
	void *ctx;
};

/* Append the plan for mod (visited must be zeroed by the caller first). */
void plan_module(const struct blob *b, struct plan *p, unsigned mod);

#endif
