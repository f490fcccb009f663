/* switchroot.c: see switchroot.h. */
#include "switchroot.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

/* The old root's filesystem type, by the system call itself rather than
 * musl's fstatfs (64 bytes less on arm64): f_type is the first field of the
 * kernel's struct statfs on every architecture, and musl's struct statfs
 * is at least as large. 1 for a ramfs or tmpfs; 0 for anything else, or
 * when it cannot be told (a 32-bit kernel's EOVERFLOW for a huge disk):
 * then nothing is deleted. */
static int is_initramfs(int fd)
{
	struct statfs fs;

	return syscall(SYS_fstatfs, fd, &fs) == 0 &&
	       (fs.f_type == RAMFS_MAGIC || fs.f_type == TMPFS_MAGIC);
}

/* Delete what the directory fd (closed here) holds, deepest first; -1, and
 * nothing deleted, when fd is no directory on device dev (another
 * filesystem mounted there). ramfs and tmpfs give every entry its type, so
 * only directories are opened. What cannot be deleted stays: the child has
 * no one to tell. */
static int remove_tree(int fd, dev_t dev)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (fstat(fd, &st) || st.st_dev != dev || !(d = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		int dir = e->d_type == DT_DIR;

		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		if (!dir ||
		    !remove_tree(openat(fd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
				 dev))
			unlinkat(fd, n, dir ? AT_REMOVEDIR : 0);
	}
	closedir(d);
	return 0;
}

void switch_root(const char *newroot, char *const argv[])
{
	/* Moved to their names relative to newroot, the working directory. */
	static const char moved[] = "/dev\0/proc\0/sys\0/run";
	const char *step = newroot, *why = NULL;
	struct stat root, st;
	int old = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (old < 0 || fstat(old, &root) || chdir(newroot) || stat(".", &st))
		goto fail;
	if (st.st_dev == root.st_dev) {
		why = "not a mount point";
		goto fail;
	}
	/* EINVAL: not mounted here; ENOENT: newroot has no such directory. */
	for (const char *m = moved; *m; m += strlen(m) + 1)
		if (mount(m, m + 1, NULL, MS_MOVE, NULL) && errno == ENOENT)
			umount2(m, MNT_DETACH);
	if (mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/"))
		goto fail;
	if (is_initramfs(old) && fork() == 0) {
		remove_tree(old, root.st_dev);
		_exit(0);
	}
	step = argv[0];
	execv(argv[0], argv);
fail:
	log_err("switchroot: %s: %s", step, why ? why : strerror(errno));
}
