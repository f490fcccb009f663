/* waitspec.c: find a block device by path, filesystem UUID/LABEL or
 * partition UUID, with nothing but /sys and /dev (no udev, no blkid). */
#include "waitspec.h"
#include "fmt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ext2/3/4 superblock: at 1024; magic 0xEF53 at +56, UUID at +104, label at +120. */
static int ext_matches(const char *dev, const char *uuid, const char *label)
{
	unsigned char sb[256];
	char text[40];
	int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n = fd >= 0 ? pread(fd, sb, sizeof sb, 1024) : -1;

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof sb || sb[56] != 0x53 || sb[57] != 0xEF)
		return 0;
	if (label)
		return !strncmp((const char *)sb + 120, label, 16) && strlen(label) <= 16;
	const unsigned char *u = sb + 104;
	fmt_snprintf(text, sizeof text,
		     "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
		     u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		     u[13], u[14], u[15]);
	return !strcasecmp(text, uuid);
}

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

struct fs_want {
	const char *uuid, *label;
};

static int fs_matches(const char *name, void *ctx)
{
	const struct fs_want *w = ctx;
	char dev[300];
	fmt_snprintf(dev, sizeof dev, "/dev/%s", name);
	return ext_matches(dev, w->uuid, w->label);
}

static int any_block_device(const char *uuid, const char *label)
{
	struct fs_want w = { uuid, label };
	return waitspec_each_block(fs_matches, &w);
}

int waitspec_valid(const char *spec)
{
	return spec[0] == '/' || !strncmp(spec, "UUID=", 5) || !strncmp(spec, "LABEL=", 6) ||
			       !strncmp(spec, "PARTUUID=", 9)
		       ? 0
		       : -EINVAL;
}

int waitspec_present(const char *spec)
{
	if (spec[0] == '/')
		return access(spec, F_OK) == 0;
	if (!strncmp(spec, "UUID=", 5))
		return any_block_device(spec + 5, NULL);
	if (!strncmp(spec, "LABEL=", 6))
		return any_block_device(NULL, spec + 6);
	if (!strncmp(spec, "PARTUUID=", 9))
		return partuuid_present(spec + 9);
	return 0;
}
