/* lsmod.c: `lsmod`: the loaded modules, in kmod's lsmod format.
 *
 * The modules are /proc/modules' lines ("name size refcount users state
 * address"), in its order. kmod prints each as
 *     "%-19s %8ld  %d" name, size, use count
 * then, if the module has holders, ' ' and their names joined by ','. Like
 * kmod, the numbers and holders come from /sys/module/NAME (sysmod.h): the
 * size from coresize (/proc's field when there is no coresize), the count
 * from refcnt, the holders from the directory holders in readdir order
 * (which is not /proc's newest-user-first order); what cannot be read is
 * printed as kmod prints it, a negative errno ("-2" for a module with no
 * /sys/module directory, or a count on a kernel without module unloading).
 * Without /sys/module at all (early boot) /proc/modules stands in: its size
 * and count as they are, and its users list without the trailing comma and
 * without the kernel's "[permanent]"/"[unsafe]" markers, which are not
 * modules. Exit 1 when /proc/modules cannot be read. */
#include "applets.h"
#include "config.h"
#include "fmt.h"
#include "log.h"
#include "readfile.h"
#include "sysmod.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(int f)
{
	fd_printf(f, "usage: lsmod\n"
		     "  list the loaded modules (from /proc/modules)\n");
}

/* One holder, after ' ' for the first and ',' for the others. */
static void print_holder(const char *holder, void *arg)
{
	char *sep = arg;

	out_printf("%c%s", *sep, holder);
	*sep = ',';
}

/* The users field of /proc/modules ("a,b," or "-"), kmod-style. */
static void print_proc_users(char *users, char *sep)
{
	for (char *u; (u = text_word(&users, ","));)
		if (u[0] != '[' && strcmp(u, "-"))
			print_holder(u, sep);
}

/* One /proc/modules line; lines that do not parse are skipped. */
static void print_line(char *line)
{
	char *name, *size, *refs, *users, sz[24], rc[24], sep = ' ';
	enum sysmod_state st;
	long v;
	int err;

	name = text_word(&line, " \n");
	size = text_word(&line, " \n");
	refs = text_word(&line, " \n");
	users = text_word(&line, " \n");
	if (!name || !size || !refs)
		return;
	st = sysmod_state(name);
	if (st != SYSMOD_UNKNOWN) {
		err = sysmod_num(name, "coresize", &v);
		if (!err || st == SYSMOD_ABSENT)
			fmt_snprintf(size = sz, sizeof sz, "%ld", err ? (long)err : v);
		err = sysmod_num(name, "refcnt", &v);
		fmt_snprintf(refs = rc, sizeof rc, "%ld", err ? (long)err : v);
	}
	out_printf("%-19s %8s  %s", name, size, refs);
	if (st != SYSMOD_UNKNOWN)
		sysmod_holders(name, print_holder, &sep);
	else if (users)
		print_proc_users(users, &sep);
	fd_putc(1, '\n');
}

int lsmod_main(int argc, char **argv)
{
	char *text, *line;
	size_t len;
	int err;

	log_init("lsmod");
	if (argc > 1) {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			usage(1);
			return 0;
		}
		log_kmod_err("too many arguments provided.");
		usage(2);
		return 1;
	}
	err = read_whole_file(AT_FDCWD, "/proc/modules", 1u << 24, &text, &len);
	if (err < 0) {
		log_kmod_err("could not get list of modules: %s", strerror(-err));
		return 1;
	}
	out_printf("%s\n", "Module                  Size  Used by");
	for (char *cur = text; (line = text_word(&cur, "\n"));)
		print_line(line);
	free(text);
	err = fd_flush();
	if (err < 0) {
		log_kmod_err("writing output: %s", strerror(-err));
		return 1;
	}
	return 0;
}
