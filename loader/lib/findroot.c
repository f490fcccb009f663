/* findroot.c: see findroot.h. UUID= and LABEL= probe every block device's
 * superblock (partitions and whole disks alike), in /sys/class/block order. */
#include "findroot.h"

#include "fmt.h"
#include "fsprobe.h"
#include "readfile.h"
#include "waitspec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct want {
	const char *uuid, *label, *partlabel;
	char *dev;
	size_t len;
};

static int is_block(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISBLK(st.st_mode);
}

static int fs_matches(const char *name, void *ctx)
{
	struct want *w = ctx;
	struct fs_id id;
	char dev[300];

	fmt_snprintf(dev, sizeof dev, "/dev/%s", name);
	if (fs_probe(dev, &id) < 0)
		return 0;
	if (w->uuid ? strcasecmp(id.uuid, w->uuid) : strcmp(id.label, w->label))
		return 0;
	fmt_snprintf(w->dev, w->len, "%s", dev);
	return 1;
}

/* The value of KEY= in a uevent file's text, or NULL. */
static const char *uevent_value(const char *text, const char *key, size_t *n)
{
	size_t kl = strlen(key);

	for (const char *l = text; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		if (!strncmp(l, key, kl) && l[kl] == '=') {
			*n = strcspn(l + kl + 1, "\n");
			return l + kl + 1;
		}
	}
	return NULL;
}

/* The uevent file at path names a block device: /dev/DEVNAME into dev when
 * that is one and, with key, the file says key=want. PARTLABEL= and MAJ:MIN
 * both come here (/sys/class/block/NAME/uevent, /sys/dev/block/M:N/uevent). */
static int uevent_dev(const char *path, const char *key, const char *want, char *dev, size_t len)
{
	char node[300], *text;
	const char *v, *name;
	size_t tl, n = 0, nl;
	int hit = 0;

	if (read_whole_file(AT_FDCWD, path, 1u << 16, &text, &tl) < 0)
		return 0;
	v = key ? uevent_value(text, key, &n) : text;
	name = uevent_value(text, "DEVNAME", &nl);
	if (name && v && (!key || (n == strlen(want) && !memcmp(v, want, n)))) {
		fmt_snprintf(node, sizeof node, "/dev/%.*s", (int)nl, name);
		hit = is_block(node);
		if (hit)
			fmt_snprintf(dev, len, "%s", node);
	}
	free(text);
	return hit;
}

static int partlabel_matches(const char *name, void *ctx)
{
	struct want *w = ctx;
	char path[300];

	fmt_snprintf(path, sizeof path, "/sys/class/block/%s/uevent", name);
	return uevent_dev(path, "PARTNAME", w->partlabel, w->dev, w->len);
}

/* MAJ:MIN -> /dev/DEVNAME through /sys/dev/block/MAJ:MIN/uevent. */
static int by_number(const char *spec, char *dev, size_t len)
{
	char path[300];

	fmt_snprintf(path, sizeof path, "/sys/dev/block/%s/uevent", spec);
	return uevent_dev(path, NULL, NULL, dev, len);
}

static int is_number_pair(const char *s)
{
	size_t a = strspn(s, "0123456789");
	return a > 0 && s[a] == ':' && s[a + 1] && s[a + 1 + strspn(s + a + 1, "0123456789")] == 0;
}

/* The forms KEY=VALUE, in the order findroot() takes them. */
enum { F_UUID, F_LABEL, F_PARTUUID, F_PARTLABEL, F_NONE };
static const char forms[] = "UUID=\0LABEL=\0PARTUUID=\0PARTLABEL=\0";

/* Which of forms spec has (F_NONE: none), and *value, what follows the '='. */
static unsigned form(const char *spec, const char **value)
{
	unsigned k = 0;

	for (const char *f = forms; *f; f += strlen(f) + 1, k++)
		if (!strncmp(spec, f, strlen(f))) {
			*value = spec + strlen(f);
			break;
		}
	return k;
}

int findroot_valid(const char *spec)
{
	const char *v;

	if (!spec[0])
		return -EINVAL;
	if (spec[0] == '/' || is_number_pair(spec))
		return 0;
	if (form(spec, &v) != F_NONE)
		return *v ? 0 : -EINVAL;
	/* A bare kernel device name: no '=', '/' or ':'. */
	return spec[strcspn(spec, "=/:")] ? -EINVAL : 0;
}

int findroot(const char *spec, char *dev, size_t len)
{
	struct want w = { .dev = dev, .len = len };
	char path[300];
	const char *v;

	if (findroot_valid(spec) < 0)
		return -EINVAL;
	if (is_number_pair(spec))
		return by_number(spec, dev, len);
	switch (form(spec, &v)) {
	case F_UUID: w.uuid = v; return waitspec_each_block(fs_matches, &w);
	case F_LABEL: w.label = v; return waitspec_each_block(fs_matches, &w);
	case F_PARTUUID: return partuuid_device(v, dev, len);
	case F_PARTLABEL: w.partlabel = v; return waitspec_each_block(partlabel_matches, &w);
	}
	if (spec[0] != '/') { /* a kernel name */
		fmt_snprintf(path, sizeof path, "/dev/%s", spec);
		spec = path;
	}
	if (!is_block(spec))
		return 0;
	fmt_snprintf(dev, len, "%s", spec);
	return 1;
}
