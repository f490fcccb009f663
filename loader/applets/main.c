/* main.c: one binary, many programs: chosen by argv[0] (busybox style, e.g.
 * /sbin/modprobe -> modload) or by `modload SUBCOMMAND`. */
#include "applets.h"
#include "fmt.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

const char *applet_dir;

struct applet {
	const char *name;
	int (*main)(int, char **);
	const char *what;
};

static const struct applet applets[] = {
	{ "modprobe", modprobe_main, "load modules with dependencies, by name or alias" },
	{ "coldplug", coldplug_main, "load drivers for every device under /sys" },
	{ "resolve", resolve_main, "print the modules an alias resolves to" },
	{ "deps", deps_main, "print the load plan of a module" },
	{ "insmod", insmod_main, "insert one module file" },
	{ "rmmod", rmmod_main, "remove modules from the kernel" },
	{ "lsmod", lsmod_main, "list the loaded modules" },
	{ "modinfo", modinfo_main, "print a module's information" },
	{ "findroot", findroot_main, "print the device a root= spec names" },
	{ "status", status_main, "why each device has its driver, or none; failures, taint" },
};

static const struct applet *find(const char *name)
{
	for (size_t i = 0; i < sizeof applets / sizeof *applets; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}

static int usage(int f)
{
	fd_printf(f, "usage: modload [-d DIR] [-v] COMMAND [ARGS]\n"
		     "  -d DIR  packed module directory (default /lib/modules/$(uname -r))\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof applets / sizeof *applets; i++)
		fd_printf(f, "  %-9s %s\n", applets[i].name, applets[i].what);
	return f == 1 ? 0 : EXIT_USAGE;
}

/* Run an applet; what it printed is written out before the process ends
 * (stdout is buffered in fmt.c), and a failed write is a failure. */
static int run(const struct applet *a, int argc, char **argv)
{
	int status = a->main(argc, argv);

	return fd_flush() < 0 && status == 0 ? EXIT_SYSTEM : status;
}

int main(int argc, char **argv)
{
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	const struct applet *a;
	int i = 1;

	base = base ? base + 1 : argv[0] ? argv[0] : "modload";
	a = find(base);
	if (a) {
		log_init(base);
		return run(a, argc, argv);
	}
	log_init("modload");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			applet_dir = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			log_set_level(log_level() + 1);
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(1);
			return fd_flush() < 0 ? EXIT_SYSTEM : 0;
		} else
			return usage(2);
	}
	if (i >= argc || !(a = find(argv[i]))) {
		if (i < argc)
			fd_printf(2, "modload: unknown command '%s'\n", argv[i]);
		return usage(2);
	}
	return run(a, argc - i, argv + i);
}
