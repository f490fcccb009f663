/* open.c: open and openat for the static loader, as one openat system call.
 *
 * Why not musl's: its open sets FD_CLOEXEC again through fcntl for kernels
 * older than 2.6.23, both are built with the stack protector, and together
 * with __stack_chk_fail they cost about 0.4 KB. Here: the flags go to the
 * kernel as given, with O_LARGEFILE as musl adds it (64-bit kernels imply
 * it), and the mode is read only when O_CREAT or O_TMPFILE asks for one. */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

static mode_t mode_of(int flags, va_list ap)
{
	return flags & O_CREAT || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_of(flags, ap);
	va_end(ap);
	return (int)syscall(SYS_openat, dir, path, flags | O_LARGEFILE, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_of(flags, ap);
	va_end(ap);
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_LARGEFILE, mode);
}
