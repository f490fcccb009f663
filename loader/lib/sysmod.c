/* sysmod.c: /sys/module/NAME, read the way kmod reads it (sysmod.h). */
#include "sysmod.h"

#include "fmt.h"
#include "num.h"
#include "readfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* /sys/module/NAME[/attr] into buf (a module name is at most 56 bytes, so a
 * longer one cannot exist: -ENOENT). */
static int path(char *buf, size_t cap, const char *name, const char *attr)
{
	size_t n = (size_t)fmt_snprintf(buf, cap, "/sys/module/%s%s%s", name, attr ? "/" : "",
					attr ? attr : "");
	return n < cap ? 0 : -ENOENT;
}

enum sysmod_state sysmod_state(const char *name)
{
	char p[320];
	struct stat st;

	if (stat("/sys/module", &st) < 0)
		return SYSMOD_UNKNOWN;
	if (path(p, sizeof p, name, NULL) < 0)
		return SYSMOD_ABSENT;
	if (stat(p, &st) < 0)
		return errno == ENOENT ? SYSMOD_ABSENT : SYSMOD_UNKNOWN;
	path(p, sizeof p, name, "initstate");
	if (stat(p, &st) < 0)
		return errno == ENOENT ? SYSMOD_BUILTIN : SYSMOD_UNKNOWN;
	return SYSMOD_LOADED;
}

int sysmod_live(const char *name)
{
	char p[320], s[8];

	return path(p, sizeof p, name, "initstate") == 0 &&
	       read_small(AT_FDCWD, p, s, sizeof s) >= 4 && !strncmp(s, "live", 4);
}

int sysmod_num(const char *name, const char *attr, long *v)
{
	char p[320], num[32];
	unsigned long u;
	const char *end;
	long n;

	if (path(p, sizeof p, name, attr) < 0)
		return -ENOENT;
	if ((n = read_small(AT_FDCWD, p, num, sizeof num)) < 0)
		return (int)n;
	if (parse_ulong(num, 10, &u, &end) || (*end && *end != '\n') || u > (unsigned long)-1 / 2)
		return -EINVAL;
	*v = (long)u;
	return 0;
}

int sysmod_holders(const char *name, void (*fn)(const char *holder, void *arg), void *arg)
{
	char p[320];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if (path(p, sizeof p, name, "holders") < 0)
		return -ENOENT;
	dir = opendir(p);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		fn(d->d_name, arg);
		n++;
	}
	closedir(dir);
	return n;
}
