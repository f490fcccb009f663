/* devscan.c: walk /sys/devices once, reading each uevent file's MODALIAS=.
 * Symbolic links (driver, subsystem, ...) are not followed, so every device
 * is seen once and the walk cannot loop. */
#include "devscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH 40

struct walk {
	void (*fn)(void *, const char *);
	void *ctx;
	int dirs;
};

static void read_modalias(struct walk *w, int dfd)
{
	char buf[4096];
	int fd = openat(dfd, "uevent", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "MODALIAS=", 9) && line[9]) {
			w->fn(w->ctx, line + 9);
			return;
		}
	}
}

/* Takes ownership of dfd. */
static void walk(struct walk *w, int dfd, int depth)
{
	struct dirent *e;
	DIR *d;

	w->dirs++;
	read_modalias(w, dfd);
	if (depth >= MAX_DEPTH || !(d = fdopendir(dfd))) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			walk(w, sub, depth + 1);
	}
	closedir(d);
}

int devscan(const char *root, void (*fn)(void *ctx, const char *modalias), void *ctx)
{
	struct walk w = { fn, ctx, 0 };
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	walk(&w, fd, 0);
	return w.dirs;
}
