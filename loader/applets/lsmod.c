/* lsmod.c: `lsmod`: the loaded modules, in kmod's lsmod format.
 *
 * Each /proc/modules line is "name size refcount users state address", users
 * being "a,b," or "-". kmod prints
 *     "%-19s %8ld  %d" name, size, refcount
 * then, if the module has holders, ' ' and their names joined by ','.
 * kmod takes the holders from the directory /sys/module/NAME/holders, in
 * readdir order, which is not /proc/modules' order (newest user first), so
 * the same directory is read here whenever /proc/modules lists users; only if
 * it cannot be read (no /sys) does the /proc/modules list stand in, without
 * its trailing comma and without the kernel's "[permanent]"/"[unsafe]"
 * markers, which are not modules. Size and refcount are the /proc/modules
 * fields (kmod reads the same numbers from /sys/module/NAME/coresize and
 * refcnt). Exit 1 when /proc/modules cannot be read. */
#include "applets.h"
#include "fmt.h"
#include "log.h"
#include "readfile.h"

#include <dirent.h>
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

/* The holders in sysfs, each after sep (' ' first, then ','). -1 if the
 * directory cannot be read. */
static int print_sys_holders(const char *name)
{
	char path[512];
	struct dirent *d;
	char sep = ' ';
	DIR *dir;

	if ((size_t)fmt_snprintf(path, sizeof path, "/sys/module/%s/holders", name) >= sizeof path)
		return -1;
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		fd_printf(1, "%c%s", sep, d->d_name);
		sep = ',';
	}
	closedir(dir);
	return 0;
}

/* The users field of /proc/modules ("a,b," or "-"), kmod-style. */
static void print_proc_users(char *users)
{
	char sep = ' ';

	for (char *u = strtok(users, ","); u; u = strtok(NULL, ",")) {
		if (u[0] == '[' || !strcmp(u, "-"))
			continue;
		fd_printf(1, "%c%s", sep, u);
		sep = ',';
	}
}

static int has_users(const char *users)
{
	for (const char *u = users; *u; u += strcspn(u, ",")) {
		u += strspn(u, ",");
		if (*u && *u != '[' && *u != '-')
			return 1;
	}
	return 0;
}

/* One /proc/modules line; lines that do not parse are skipped. */
static void print_line(char *line)
{
	char *name, *size, *refs, *users, *save;

	name = strtok_r(line, " \n", &save);
	size = strtok_r(NULL, " \n", &save);
	refs = strtok_r(NULL, " \n", &save);
	users = strtok_r(NULL, " \n", &save);
	if (!name || !size || !refs)
		return;
	fd_printf(1, "%-19s %8s  %s", name, size, refs);
	if (users && has_users(users) && print_sys_holders(name) < 0)
		print_proc_users(users);
	fd_putc(1, '\n');
}

int lsmod_main(int argc, char **argv)
{
	char *text, *line, *next;
	size_t len;
	int err;

	log_init("lsmod");
	if (argc > 1) {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			usage(1);
			return 0;
		}
		log_err("ERROR: too many arguments provided.");
		usage(2);
		return 1;
	}
	err = read_whole_file(AT_FDCWD, "/proc/modules", 1u << 24, &text, &len);
	if (err < 0) {
		log_err("ERROR: could not get list of modules: %s", strerror(-err));
		return 1;
	}
	fd_printf(1, "%s\n", "Module                  Size  Used by");
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		print_line(line);
	}
	free(text);
	err = fd_flush();
	if (err < 0) {
		log_err("ERROR: writing output: %s", strerror(-err));
		return 1;
	}
	return 0;
}
