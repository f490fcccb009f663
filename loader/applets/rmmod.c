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
#include "applets.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NAME_MAX_ 256

enum sys_state { SYS_UNKNOWN, SYS_ABSENT, SYS_BUILTIN, SYS_LOADED };

static void usage(FILE *f)
{
	fprintf(f, "usage: rmmod [-f] [-v] NAME...\n"
		   "  remove modules (names or paths to module files)\n"
		   "  -f, --force     remove even if in use (needs CONFIG_MODULE_FORCE_UNLOAD;\n"
		   "                  may crash the machine)\n"
		   "  -v, --verbose   say what is removed\n"
		   "  -s, --syslog    also log to the kernel log\n"
		   "  -h, --help      show this help\n");
}

/* The module name an argument stands for: basename, up to the first '.',
 * with '-' -> '_' (kmod's rule for names and paths alike). */
static void arg_to_name(const char *arg, char *out, size_t cap)
{
	const char *base = strrchr(arg, '/');
	size_t i = 0;

	base = base ? base + 1 : arg;
	for (; base[i] && base[i] != '.' && i + 1 < cap; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[i] = '\0';
}

/* What /sys/module says about name. */
static enum sys_state sys_state(const char *name)
{
	char path[NAME_MAX_ + 32];
	struct stat st;

	if (stat("/sys/module", &st) < 0)
		return SYS_UNKNOWN;
	snprintf(path, sizeof path, "/sys/module/%s", name);
	if (stat(path, &st) < 0)
		return errno == ENOENT ? SYS_ABSENT : SYS_UNKNOWN;
	snprintf(path, sizeof path, "/sys/module/%s/initstate", name);
	if (stat(path, &st) < 0)
		return errno == ENOENT ? SYS_BUILTIN : SYS_UNKNOWN;
	return SYS_LOADED;
}

/* The modules holding name, " a b" (each with a leading space), into out.
 * Returns how many; 0 when there are none or sysfs cannot tell. */
static int holders(const char *name, char *out, size_t cap)
{
	char path[NAME_MAX_ + 32];
	struct dirent *d;
	size_t used = 0;
	DIR *dir;
	int n = 0;

	out[0] = '\0';
	snprintf(path, sizeof path, "/sys/module/%s/holders", name);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (used < cap)
			used += (size_t)snprintf(out + used, cap - used, " %s", d->d_name);
		n++;
	}
	closedir(dir);
	return n;
}

/* /sys/module/NAME/refcnt, or -1 when it cannot be read. */
static long refcnt(const char *name)
{
	char path[NAME_MAX_ + 32], num[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/sys/module/%s/refcnt", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		n = read(fd, num, sizeof num - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return -1;
	num[n] = '\0';
	return strtol(num, NULL, 10);
}

static int report_in_use(const char *name)
{
	char who[1024];

	if (holders(name, who, sizeof who) > 0)
		log_err("ERROR: Module %s is in use by:%s", name, who);
	else
		log_err("ERROR: Module %s is in use", name);
	return -1;
}

/* kmod's checks before the syscall; 0 to go on, -1 when reported. */
static int precheck(const char *name)
{
	char who[1024];

	switch (sys_state(name)) {
	case SYS_ABSENT:
		log_err("ERROR: Module %s is not currently loaded", name);
		return -1;
	case SYS_BUILTIN:
		log_err("ERROR: Module %s is builtin.", name);
		return -1;
	default:
		break;
	}
	if (holders(name, who, sizeof who) > 0) {
		log_err("ERROR: Module %s is in use by:%s", name, who);
		return -1;
	}
	if (refcnt(name) > 0) {
		log_err("ERROR: Module %s is in use", name);
		return -1;
	}
	return 0;
}

static int sys_delete_module(const char *name, unsigned flags)
{
	long r;

	do
		r = syscall(SYS_delete_module, name, flags);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

static int remove_one(const char *arg, int force)
{
	char name[NAME_MAX_];
	int err;

	arg_to_name(arg, name, sizeof name);
	if (!name[0]) {
		log_err("ERROR: could not use module %s: %s", arg, strerror(EINVAL));
		return -1;
	}
	if (!force && precheck(name) < 0)
		return -1;
	log_info("removing %s", name);
	err = sys_delete_module(name, O_NONBLOCK | (force ? O_TRUNC : 0));
	if (!err)
		return 0;
	if (err == -ENOENT && sys_state(name) == SYS_BUILTIN)
		log_err("ERROR: Module %s is builtin.", name);
	else if (err == -ENOENT)
		log_err("ERROR: Module %s is not currently loaded", name);
	else if (err == -EWOULDBLOCK || err == -EAGAIN)
		return report_in_use(name);
	else
		log_err("ERROR: could not remove module %s: %s", arg, strerror(-err));
	return -1;
}

int rmmod_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "force", 0, 0, 'f' }, { "verbose", 0, 0, 'v' }, { "syslog", 0, 0, 's' },
		{ "help", 0, 0, 'h' },	{ 0, 0, 0, 0 },
	};
	int c, force = 0, failed = 0;

	log_init("rmmod");
	while ((c = getopt_long(argc, argv, "fvsh", lo, NULL)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'v': log_set_level(LOG_I); break;
		case 's': log_use_kmsg(1); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind >= argc) {
		log_err("ERROR: missing module name.");
		usage(stderr);
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (remove_one(argv[i], force) < 0)
			failed++;
	return failed ? 1 : 0;
}
