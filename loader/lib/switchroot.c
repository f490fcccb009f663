/* switchroot.c: see switchroot.h. */
#include "switchroot.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

/* Delete what the directory fd (closed here) holds on device dev, deepest
 * first. What cannot be deleted stays: the child has no one to tell. */
static void remove_tree(int fd, dev_t dev)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	struct stat st;

	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		int sub;

		if ((n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]))) ||
		    fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) || st.st_dev != dev)
			continue;
		if (S_ISDIR(st.st_mode) &&
		    (sub = openat(fd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0)
			remove_tree(sub, dev);
		unlinkat(fd, n, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
	}
	closedir(d);
}

void switch_root(const char *newroot, char *const argv[])
{
	/* Moved to their names relative to newroot, the working directory. */
	static const char moved[] = "/dev\0/proc\0/sys\0/run";
	const char *step = newroot, *why = NULL;
	struct stat root, st;
	struct statfs fs;
	int old = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (old < 0 || fstat(old, &root) || fstatfs(old, &fs) || chdir(newroot) || stat(".", &st))
		goto fail;
	if (st.st_dev == root.st_dev) {
		why = "not a mount point";
		goto fail;
	}
	for (const char *m = moved; *m; m += strlen(m) + 1)
		if (!stat(m, &st) && st.st_dev != root.st_dev &&
		    mount(m, m + 1, NULL, MS_MOVE, NULL))
			umount2(m, MNT_DETACH); /* newroot has no such directory */
	if (mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/"))
		goto fail;
	if ((fs.f_type == RAMFS_MAGIC || fs.f_type == TMPFS_MAGIC) && fork() == 0) {
		remove_tree(old, root.st_dev);
		_exit(0);
	}
	step = argv[0];
	execv(argv[0], argv);
fail:
	log_err("switchroot: %s: %s", step, why ? why : strerror(errno));
}
