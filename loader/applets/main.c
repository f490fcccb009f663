/* main.c: one binary, many programs: chosen by argv[0] (busybox style, e.g.
 * /sbin/modprobe -> modload) or by `modload SUBCOMMAND`. */
#include "applets.h"
#include "fmt.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

const char *applet_dir;

/* The applets: their mains, and in the same order their names, each
 * followed by what it does (one string: no pointers). */
static int (*const mains[])(int, char **) = {
	modprobe_main, coldplug_main, resolve_main,  deps_main,	  insmod_main, rmmod_main,
	lsmod_main,    modinfo_main,  findroot_main, status_main, scan_main,   switchroot_main,
};
#define NAPPLETS (sizeof mains / sizeof *mains)
static const char texts[] = "modprobe\0load modules with dependencies, by name or alias\0"
			    "coldplug\0load drivers for every device under /sys\0"
			    "resolve\0print the modules an alias resolves to\0"
			    "deps\0print the load plan of a module\0"
			    "insmod\0insert one module file\0"
			    "rmmod\0remove modules from the kernel\0"
			    "lsmod\0list the loaded modules\0"
			    "modinfo\0print a module's information\0"
			    "findroot\0print the device a root= spec names\0"
			    "status\0why each device has its driver, or none; failures, taint\0"
			    "scan\0print what an initramfs for this machine needs\0"
			    "switchroot\0switch to the root filesystem, free the initramfs";

/* The applet called name: its number, or NAPPLETS. */
static size_t find(const char *name)
{
	const char *t = texts;
	size_t i = 0;

	for (; i < NAPPLETS && strcmp(t, name); i++)
		t = fmt_nth(t, 2);
	return i;
}

static int usage(int f)
{
	fd_printf(f, "usage: modload [-d DIR] [-v] COMMAND [ARGS]\n"
		     "  -d DIR  packed module directory (default /lib/modules/$(uname -r))\n"
		     "commands:\n");
	for (unsigned i = 0; i < NAPPLETS; i++)
		fd_printf(f, "  %-10s %s\n", fmt_nth(texts, 2 * i), fmt_nth(texts, 2 * i + 1));
	return f == 1 ? 0 : EXIT_USAGE;
}

/* Run an applet; what it printed is written out before the process ends
 * (stdout is buffered in fmt.c), and a failed write is a failure. */
static int run(size_t a, int argc, char **argv)
{
	int status = mains[a](argc, argv);

	return fd_flush() < 0 && status == 0 ? EXIT_SYSTEM : status;
}

int main(int argc, char **argv)
{
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	size_t a;
	int i = 1;

	base = base ? base + 1 : argv[0] ? argv[0] : "modload";
	a = find(base);
	if (a < NAPPLETS) {
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
	if (i >= argc || (a = find(argv[i])) == NAPPLETS) {
		if (i < argc)
			fd_printf(2, "modload: unknown command '%s'\n", argv[i]);
		return usage(2);
	}
	return run(a, argc - i, argv + i);
}
