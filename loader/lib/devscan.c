/* devscan.c: walk /sys/devices once and report every device's modalias.
 *
 * Reading a sysfs file makes the kernel build its contents, and a uevent
 * file is the costly one (every bus adds its variables), so: a directory
 * with a `modalias` file is read through that; `uevent` is read only for a
 * device that has no `modalias` file (buses like AMBA publish MODALIAS= only
 * there) and is not under /sys/devices/virtual, whose devices have no
 * drivers to load. Symbolic links (driver, subsystem, ...) and `power`
 * directories are not followed, so every device is seen once, quickly, and
 * the walk cannot loop. */
#include "devscan.h"
#include "fmt.h"
#include "readfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH 40

struct walk {
	void (*fn)(void *, const char *, const char *);
	void *ctx;
	int dirs;
	size_t len;	     /* of path */
	char path[PATH_MAX]; /* the directory being walked */
	char buf[4096];	     /* one device's modalias; the walk reports it before going on */
};

int dev_modalias(int dfd, int from, char *buf, size_t cap)
{
	if ((from & DEV_MODALIAS_FILE) && read_small(dfd, "modalias", buf, cap) > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		return buf[0] ? 0 : -ENOENT;
	}
	if (!(from & DEV_MODALIAS_UEVENT) || read_small(dfd, "uevent", buf, cap) <= 0)
		return -ENOENT;
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "MODALIAS=", 9) && line[9]) {
			memmove(buf, line + 9, strlen(line + 9) + 1);
			return 0;
		}
	}
	return -ENOENT;
}

const char *dev_link_base(int dfd, const char *name, char *buf, size_t cap)
{
	ssize_t n = readlinkat(dfd, name, buf, cap - 1);
	const char *s;

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	s = strrchr(buf, '/');
	return s ? s + 1 : buf;
}

/* Takes ownership of dfd. */
static void walk(struct walk *w, int dfd, int depth, int virtual)
{
	struct dirent *e;
	DIR *d;
	int has_modalias = 0, has_uevent = 0;

	w->dirs++;
	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_type == DT_REG) {
			has_modalias |= !strcmp(e->d_name, "modalias");
			has_uevent |= !strcmp(e->d_name, "uevent");
			continue;
		}
		if (e->d_type != DT_DIR || e->d_name[0] == '.' || !strcmp(e->d_name, "power") ||
		    depth >= MAX_DEPTH)
			continue;
		int sub = openat(dirfd(d), e->d_name,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		size_t len = w->len;
		if (sub >= 0) {
			w->len += (size_t)fmt_snprintf(w->path + len, sizeof w->path - len, "/%s",
						       e->d_name);
			if (w->len >= sizeof w->path)
				w->len = sizeof w->path - 1; /* a cut name: never seen in /sys */
			walk(w, sub, depth + 1,
			     virtual || (depth == 0 && !strcmp(e->d_name, "virtual")));
			w->path[w->len = len] = '\0';
		}
	}
	if ((has_modalias || (has_uevent && !virtual)) &&
	    !dev_modalias(dirfd(d), has_modalias ? DEV_MODALIAS_FILE : DEV_MODALIAS_UEVENT, w->buf,
			  sizeof w->buf))
		w->fn(w->ctx, w->buf, w->path);
	closedir(d);
}

int devscan(const char *root, void (*fn)(void *ctx, const char *modalias, const char *path),
	    void *ctx)
{
	static struct walk w; /* one walk at a time: the event loop's, or an applet's */
	int fd;

	w.fn = fn;
	w.ctx = ctx;
	w.dirs = 0;
	w.len = (size_t)fmt_snprintf(w.path, sizeof w.path, "%s", root);
	if (w.len >= sizeof w.path)
		return -ENAMETOOLONG;
	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	walk(&w, fd, 0, 0);
	return w.dirs;
}
