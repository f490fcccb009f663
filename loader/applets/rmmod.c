/* rmmod.c: `rmmod [-f] [-v] NAME...`: remove modules from the kernel, as
 * kmod's rmmod does.
 *
 * NAME may be a module name or a path to its file: the directories and the
 * extension (.ko, .ko.zst, ...: everything from the first '.') are dropped and
 * '-' becomes '_'. Like kmod, without -f each module is first checked in
 * /sys/module, so a module that is absent, built in, held by others or
 * referenced (refcnt) is reported without a syscall:
 *   rmmod: ERROR: Module NAME is not currently loaded
 *   rmmod: ERROR: Module NAME is builtin.
 *   rmmod: ERROR: Module NAME is in use by: a b
 *   rmmod: ERROR: Module NAME is in use
 * When /sys is not mounted (early boot) these checks are skipped and the
 * kernel's answer to delete_module(O_NONBLOCK [| O_TRUNC with -f]) is turned
 * into the same words (ENOENT: not loaded; EWOULDBLOCK: "is in use").
 * Exit 1 if any module could not be removed, or on a usage error (kmod's
 * status, not modload's 100). */
#include "alias.h"
#include "applets.h"
#include "fmt.h"
#include "log.h"
#include "opt.h"
#include "remove.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The command line, as opt.h parses it. */
static struct opt args;

#define NAME_MAX_ 256

static void usage(int f)
{
	fd_printf(f, "usage: rmmod [-f] [-v] NAME...\n"
		     "  remove modules (names or paths to module files)\n"
		     "  -f, --force     remove even if in use (needs CONFIG_MODULE_FORCE_UNLOAD;\n"
		     "                  may crash the machine)\n"
		     "  -v, --verbose   say what is removed\n"
		     "  -s, --syslog    also log to the kernel log\n"
		     "  -h, --help      show this help\n");
}

int remove_report(const char *name, const char *arg, enum remove_result r, const char *who, int err)
{
	switch (r) {
	case RM_OK: return 0;
	case RM_NOT_LOADED: log_err("ERROR: Module %s is not currently loaded", name); break;
	case RM_BUILTIN: log_err("ERROR: Module %s is builtin.", name); break;
	case RM_IN_USE:
		if (who[0])
			log_err("ERROR: Module %s is in use by:%s", name, who);
		else
			log_err("ERROR: Module %s is in use", name);
		break;
	case RM_FAILED:
		log_err("ERROR: could not remove module %s: %s", arg, strerror(-err));
		break;
	}
	return -1;
}

static int remove_one(const char *arg, int force)
{
	char name[NAME_MAX_], who[1024];
	int err;

	modname_from_path(arg, name, sizeof name);
	if (!name[0]) {
		log_err("ERROR: could not use module %s: %s", arg, strerror(EINVAL));
		return -1;
	}
	log_info("removing %s", name);
	return remove_report(name, arg, remove_module(name, force, who, sizeof who, &err), who,
			     err);
}

int rmmod_main(int argc, char **argv)
{
	static const struct opt_long lo[] = {
		{ "force", 0, 'f' }, { "verbose", 0, 'v' }, { "syslog", 0, 's' },
		{ "help", 0, 'h' },  { 0, 0, 0 },
	};
	int c, force = 0, failed = 0;

	log_init("rmmod");
	opt_begin(&args, argc, argv, "fvsh", lo);
	while ((c = opt_next(&args)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'v': log_set_level(LOG_I); break;
		case 's': log_use_kmsg(KMSG_ALL); break;
		case 'h': usage(1); return 0;
		default: usage(2); return 1;
		}
	}
	if (args.ind >= argc) {
		log_err("ERROR: missing module name.");
		usage(2);
		return 1;
	}
	for (int i = args.ind; i < argc; i++)
		if (remove_one(argv[i], force) < 0)
			failed++;
	return failed ? 1 : 0;
}
