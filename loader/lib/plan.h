/* plan.h: the ordered list of modules to insert for one module, as kmod's
 * modprobe builds it (algorithm in plan.c). A module may appear more than
 * once, as in kmod; inserting skips the repeats. */
#ifndef MODLOAD_PLAN_H
#define MODLOAD_PLAN_H

#include "ctx.h"

#define PLAN_MAX 1024

struct plan {
	unsigned mod[PLAN_MAX];
	unsigned char required[PLAN_MAX]; /* 0 for softdeps: their failure is not fatal */
	int n;
	int overflow;
};

/* The plan for mod (uses c->visited as scratch). */
void plan_module(struct ml_ctx *c, struct plan *p, unsigned mod);

#endif
