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
};

static ssize_t read_file(int dfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void report_modalias(struct walk *w, int dfd)
{
	char buf[4096];
	if (read_file(dfd, "modalias", buf, sizeof buf) > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0])
			w->fn(w->ctx, buf, w->path);
	}
}

static void report_uevent(struct walk *w, int dfd)
{
	char buf[4096];

	if (read_file(dfd, "uevent", buf, sizeof buf) <= 0)
		return;
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "MODALIAS=", 9) && line[9]) {
			w->fn(w->ctx, line + 9, w->path);
			return;
		}
	}
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
	if (has_modalias)
		report_modalias(w, dirfd(d));
	else if (has_uevent && !virtual)
		report_uevent(w, dirfd(d));
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
