/* stat.c: stat, fstat and fstatat for the static loader on 64-bit targets,
 * as one system call each.
 *
 * Why not musl's: its fstatat decodes the kernel's struct into its own
 * field by field and falls back to /proc/self/fd/N for O_PATH descriptors
 * of old kernels (fstatat.o and procfdname.o, 0.7 KB). On x86-64 and arm64
 * musl's struct stat is the kernel's (the same fields at the same offsets),
 * so newfstatat fills it in place. 32-bit ARM keeps musl's: there musl's
 * struct stat has 64-bit times and the kernel's has not (musl uses statx). */
#if defined(__x86_64__) || defined(__aarch64__)
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int fstatat(int fd, const char *restrict path, struct stat *restrict st, int flag)
{
	return (int)syscall(SYS_newfstatat, fd, path, st, flag);
}

int stat(const char *restrict path, struct stat *restrict st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

/* A negative fd is refused as musl does: with AT_EMPTY_PATH the kernel
 * would take AT_FDCWD (-100) for the current directory. */
int fstat(int fd, struct stat *st)
{
	if (fd < 0)
		return errno = EBADF, -1;
	return fstatat(fd, "", st, AT_EMPTY_PATH);
}
#else
typedef int stat_c_is_for_64_bit_targets; /* an empty file is not ISO C */
#endif
