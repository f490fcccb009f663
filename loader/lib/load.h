/* load.h: insert modules with their dependencies, once each. */
#ifndef MODLOAD_LOAD_H
#define MODLOAD_LOAD_H

#include "ctx.h"

/* Load what name resolves to (module name or alias), with softdeps and
 * dependencies. params are extra parameters for the named module(s).
 * Returns 0 when everything needed is live, -ENOENT when nothing matched,
 * another negative errno when some insert failed (already logged). */
int load_name(struct ml_ctx *c, const char *name, const char *params);

/* Insert one module file (no dependencies, no state), with its configured
 * options plus params; for workers that own their decompression buffer. */
int load_insert(const struct ml_ctx *c, unsigned mod, const char *alias, const char *params,
		struct insert_buf *buf);

/* The one-line error for a failed insert: module, file and reason. */
void load_report(const struct ml_ctx *c, unsigned mod, int err);
/* The reason alone: why the blob could not name the module's file, else
 * the insert's error in words. */
const char *load_strerror(const struct ml_ctx *c, unsigned mod, int err);

#endif
