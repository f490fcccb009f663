/* remove.c: remove a module as kmod's rmmod does: check /sys/module first
 * (absent, built in, held by other modules, referenced), then
 * delete_module(O_NONBLOCK). Without /sys the kernel's answer decides. */
#include "remove.h"

#include "fmt.h"
#include "num.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NAME_MAX_ 256

enum sys_state { SYS_UNKNOWN, SYS_ABSENT, SYS_BUILTIN, SYS_LOADED };

/* What /sys/module says about name. */
static enum sys_state sys_state(const char *name)
{
	char path[NAME_MAX_ + 32];
	struct stat st;

	if (stat("/sys/module", &st) < 0)
		return SYS_UNKNOWN;
	fmt_snprintf(path, sizeof path, "/sys/module/%s", name);
	if (stat(path, &st) < 0)
		return errno == ENOENT ? SYS_ABSENT : SYS_UNKNOWN;
	fmt_snprintf(path, sizeof path, "/sys/module/%s/initstate", name);
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
	fmt_snprintf(path, sizeof path, "/sys/module/%s/holders", name);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (used < cap)
			used += (size_t)fmt_snprintf(out + used, cap - used, " %s", d->d_name);
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

	fmt_snprintf(path, sizeof path, "/sys/module/%s/refcnt", name);
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
	int v;
	return parse_int_word(num, &v) == 0 ? v : -1;
}

static int sys_delete_module(const char *name, unsigned flags)
{
	long r;

	do
		r = syscall(SYS_delete_module, name, flags);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

enum remove_result remove_module(const char *name, int force, char *who, size_t cap, int *err)
{
	who[0] = '\0';
	*err = 0;
	if (!force) {
		switch (sys_state(name)) {
		case SYS_ABSENT: return RM_NOT_LOADED;
		case SYS_BUILTIN: return RM_BUILTIN;
		default: break;
		}
		if (holders(name, who, cap) > 0 || refcnt(name) > 0)
			return RM_IN_USE;
	}
	*err = sys_delete_module(name, O_NONBLOCK | (force ? O_TRUNC : 0));
	if (!*err)
		return RM_OK;
	if (*err == -ENOENT)
		return sys_state(name) == SYS_BUILTIN ? RM_BUILTIN : RM_NOT_LOADED;
	if (*err == -EWOULDBLOCK || *err == -EAGAIN) {
		holders(name, who, cap);
		return RM_IN_USE;
	}
	return RM_FAILED;
}
