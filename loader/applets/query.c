/* query.c: `modload resolve ALIAS...` and `modload deps NAME...`: the blob's
 * answers, printed as `modprobe -R` and `modprobe --show-depends` print them. */
#include "applets.h"
#include "ctx.h"
#include "load.h"
#include "log.h"
#include "lookup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int open_or_fail(struct ml_ctx *c)
{
	return ctx_open(c, applet_dir, NULL) < 0 ? -1 : 0;
}

int resolve_main(int argc, char **argv)
{
	struct ml_ctx c;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: modload resolve ALIAS...\n");
		return EXIT_USAGE;
	}
	if (open_or_fail(&c) < 0)
		return 1;
	for (int i = 1; i < argc; i++) {
		struct hit h[LOOKUP_MAX];
		int n = lookup(&c.b, &c.extra, argv[i], h, LOOKUP_MAX);
		for (int k = 0; k < n; k++)
			printf("%s\n", h[k].name);
		if (n <= 0) {
			log_err("FATAL: Module %s not found in directory %s", argv[i], c.dir);
			status = 1;
		}
	}
	ctx_close(&c);
	return status;
}

int deps_main(int argc, char **argv)
{
	struct ml_ctx c;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: modload deps NAME...\n");
		return EXIT_USAGE;
	}
	if (open_or_fail(&c) < 0)
		return 1;
	c.flags |= CTX_SHOW;
	for (int i = 1; i < argc; i++) {
		int err = load_name(&c, argv[i], NULL);
		if (err == -ENOENT) {
			log_err("FATAL: Module %s not found in directory %s", argv[i], c.dir);
			status = 1;
		}
		memset(c.state, 0, blob_nmods(&c.b)); /* each query stands alone */
	}
	ctx_close(&c);
	return status;
}
