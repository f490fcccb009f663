/* query.c: `modload resolve ALIAS...` and `modload deps NAME...`, host-side
 * questions to a packed directory: what modprobe -R and --show-depends
 * answer, for several names at once, through the same planner and printer
 * (show.c), so that what diff-kmod compares is what modprobe does. */
#include "applets.h"
#include "fmt.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>

static int query(int argc, char **argv, const char *what, int deps)
{
	struct ml_ctx c;
	struct plan p;
	int status = 0;

	if (argc < 2) {
		fd_printf(2, "usage: modload %s NAME...\n", what);
		return EXIT_USAGE;
	}
	if (ctx_open(&c, applet_dir, NULL) < 0)
		return 1;
	c.flags = CTX_SHOW;
	if (plan_init(&p, &c) < 0) {
		ctx_close(&c);
		return EXIT_SYSTEM;
	}
	for (int i = 1; i < argc; i++) {
		int err;
		plan_reset(&p);
		err = deps ? plan_request(&p, &c, argv[i], NULL, 0) : show_resolve(&c, argv[i]);
		if (deps && show_plan(&c, &p, NULL) < 0)
			err = -ENOMEM;
		if (err == -ENOENT)
			log_err("FATAL: Module %s not found in directory %s", argv[i], c.dir);
		status |= err < 0;
	}
	plan_free(&p);
	ctx_close(&c);
	return status;
}

int resolve_main(int argc, char **argv)
{
	return query(argc, argv, "resolve", 0);
}

int deps_main(int argc, char **argv)
{
	return query(argc, argv, "deps", 1);
}
