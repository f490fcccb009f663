/* main.c: one binary, many programs: chosen by argv[0] (busybox style, e.g.
 * /sbin/modprobe -> modload) or by `modload SUBCOMMAND`. */
#include "applets.h"
#include "fmt.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

const char *applet_dir;

/* text: the name, a NUL, then what it does (one string: a pointer fewer). */
struct applet {
	int (*main)(int, char **);
	const char *text;
};

static const struct applet applets[] = {
	{ modprobe_main, "modprobe\0load modules with dependencies, by name or alias" },
	{ coldplug_main, "coldplug\0load drivers for every device under /sys" },
	{ resolve_main, "resolve\0print the modules an alias resolves to" },
	{ deps_main, "deps\0print the load plan of a module" },
	{ insmod_main, "insmod\0insert one module file" },
	{ rmmod_main, "rmmod\0remove modules from the kernel" },
	{ lsmod_main, "lsmod\0list the loaded modules" },
	{ modinfo_main, "modinfo\0print a module's information" },
	{ findroot_main, "findroot\0print the device a root= spec names" },
	{ status_main, "status\0why each device has its driver, or none; failures, taint" },
	{ scan_main, "scan\0print what an initramfs for this machine needs" },
};

static const struct applet *find(const char *name)
{
	for (size_t i = 0; i < sizeof applets / sizeof *applets; i++)
		if (!strcmp(applets[i].text, name))
			return &applets[i];
	return NULL;
}

static int usage(int f)
{
	fd_printf(f, "usage: modload [-d DIR] [-v] COMMAND [ARGS]\n"
		     "  -d DIR  packed module directory (default /lib/modules/$(uname -r))\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof applets / sizeof *applets; i++)
		fd_printf(f, "  %-9s %s\n", applets[i].text,
			  applets[i].text + strlen(applets[i].text) + 1);
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
