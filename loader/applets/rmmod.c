/* rmmod.c: `rmmod [-f] [-v] [-s] NAME...`: remove modules from the kernel, as
 * kmod's rmmod does, in kmod's words.
 *
 * NAME names a module file when there is such a file (its base name up to
 * the first '.' is the module), else a module (up to its first '.'); '-'
 * becomes '_' either way. Without -f each module is first checked in
 * /sys/module (remove.c), so one that is absent, built in, held by others,
 * referenced or not removable is reported without a syscall:
 *   rmmod: ERROR: Module NAME is not currently loaded
 *   rmmod: ERROR: Module NAME is builtin.
 *   rmmod: ERROR: Module NAME is in use by: a b
 *   rmmod: ERROR: Module NAME is in use
 *   rmmod: ERROR: Module unloading is not supported
 *   rmmod: ERROR: could not remove module ARG: <strerror>   (kernel refused)
 * A module without a /sys/module directory that the blob of the running
 * kernel (or `modload -d DIR`) lists as built in is "builtin." too: kmod
 * reads modules.builtin for that. When /sys is not mounted (early boot) the
 * checks are skipped and the kernel's answer to delete_module(O_NONBLOCK
 * [| O_TRUNC with -f]) is turned into the same words (ENOENT: not loaded;
 * EWOULDBLOCK: "is in use"). Not reproduced: the second line kmod's library
 * adds to a kernel refusal ("could not remove 'NAME': <strerror>", with a
 * source location in Debian's build). Exit 1 if any module could not be
 * removed, or on a usage error (kmod's status, not modload's 100).
 *
 * remove_report() and remove_report_style() are the one place where a
 * remove_module() outcome becomes words, for rmmod and modprobe -r alike. */
#include "alias.h"
#include "applets.h"
#include "blob.h"
#include "ctx.h"
#include "fmt.h"
#include "log.h"
#include "opt.h"
#include "remove.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

int remove_report_style(unsigned style, const char *name, const char *arg, enum remove_result r,
			const char *who, int err)
{
	char msg[1300];
	const char *w = remove_words(r, style, name, arg, who, err, msg, sizeof msg);

	if (w)
		log_err("%s", w);
	return r == RM_OK || (r == RM_NOT_LOADED && !w) ? 0 : -1;
}

int remove_report(const char *name, const char *arg, enum remove_result r, const char *who, int err)
{
	return remove_report_style(0, name, arg, r, who, err);
}

/* Does the blob list name as built in? (kmod asks modules.builtin.) */
static int blob_builtin(const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct blob b;
	const char *why;
	int i, r = 0;

	if (!applet_dir && ctx_modules_dir(dir, sizeof dir, NULL, NULL) < 0)
		return 0;
	fmt_snprintf(path, sizeof path, "%s/%s", applet_dir ? applet_dir : dir, BLOB_FILE);
	if (blob_open(&b, path, &why) < 0)
		return 0;
	i = blob_find_mod(&b, name);
	r = i >= 0 && blob_mod(&b, (uint32_t)i).flags & BM_BUILTIN;
	blob_close(&b);
	return r;
}

static int remove_one(const char *arg, int force)
{
	char name[NAME_MAX_], who[1024];
	struct stat st;
	enum remove_result r;
	size_t i = 0;
	int err;

	if (stat(arg, &st) == 0) {
		modname_from_path(arg, name, sizeof name);
	} else {
		for (; arg[i] && arg[i] != '.' && i + 1 < sizeof name; i++)
			name[i] = arg[i] == '-' ? '_' : arg[i];
		name[i] = '\0';
	}
	if (!name[0]) {
		log_kmod_err("could not use module %s: %s", arg, strerror(EINVAL));
		return -1;
	}
	log_info("removing %s", name);
	r = remove_module(name, force ? REMOVE_FORCE : 0, who, sizeof who, &err);
	if (r == RM_NOT_LOADED && blob_builtin(name))
		r = RM_BUILTIN;
	return remove_report(name, arg, r, who, err);
}

int rmmod_main(int argc, char **argv)
{
	static const char lo[] = "f force\0"
				 "v verbose\0"
				 "s syslog\0"
				 "h help\0";
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
		log_kmod_err("missing module name.");
		usage(2);
		return 1;
	}
	for (int i = args.ind; i < argc; i++)
		if (remove_one(argv[i], force) < 0)
			failed++;
	return failed ? 1 : 0;
}
