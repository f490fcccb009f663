/* waitspec.c: coldplug's --wait SPEC, answered by the one root-spec reader
 * (findroot.c), and the /sys/class/block iterator the readers share. */
#include "waitspec.h"

#include "findroot.h"

#include <dirent.h>
#include <stddef.h>

int waitspec_each_block(int (*fn)(const char *name, void *ctx), void *ctx)
{
	DIR *d = opendir("/sys/class/block");
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		if (e->d_name[0] != '.')
			found = fn(e->d_name, ctx);
	closedir(d);
	return found;
}

int waitspec_valid(const char *spec)
{
	return findroot_valid(spec);
}

int waitspec_present(const char *spec)
{
	char dev[256];
	return findroot(spec, dev, sizeof dev) > 0;
}
