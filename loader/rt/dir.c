/* dir.c: opendir, fdopendir, readdir, closedir and dirfd for the static
 * loader, over getdents64.
 *
 * Why not musl's: its fdopendir checks the descriptor with fstat and sets
 * FD_CLOEXEC through fcntl(), and fcntl() brings 0.4 KB of F_GETOWN_EX
 * handling; all of it is about 0.9 KB. Here fdopendir takes the descriptor
 * as it is: the loader opens every directory with O_DIRECTORY | O_CLOEXEC
 * (devscan.c), and a descriptor that is no directory fails at the first
 * readdir (ENOTDIR) instead of at fdopendir.
 *
 * As musl's: one 2 KB buffer per stream, refilled when used up; musl's
 * struct dirent is the kernel's linux_dirent64 on every target, so entries
 * are read in place; readdir returns NULL with errno unchanged at the end,
 * and with errno set on an error. No locking: one thread reads a stream. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

struct __dirstream {
	int fd, pos, end;
	long long buf[256]; /* 2 KB, aligned for struct dirent */
};

DIR *fdopendir(int fd)
{
	DIR *d = malloc(sizeof *d);

	if (d) {
		d->fd = fd;
		d->pos = d->end = 0;
	}
	return d;
}

DIR *opendir(const char *name)
{
	int fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	if (!(d = fdopendir(fd)))
		close(fd);
	return d;
}

struct dirent *readdir(DIR *d)
{
	struct dirent *e;

	if (d->pos >= d->end) {
		long n = syscall(SYS_getdents64, d->fd, d->buf, sizeof d->buf);
		if (n <= 0)
			return NULL;
		d->end = (int)n;
		d->pos = 0;
	}
	e = (struct dirent *)((char *)d->buf + d->pos);
	d->pos += e->d_reclen;
	return e;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d->fd;
}
