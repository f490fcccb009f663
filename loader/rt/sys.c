/* sys.c: poll and readlinkat for the static loader, each one system call.
 *
 * Why not musl's: poll is a cancellation point there (the loader never
 * cancels a thread) and, where the kernel has no poll (arm64), builds the
 * timespec of ppoll; readlinkat lends a one-byte buffer to a caller that
 * gives none, which the loader's two callers never do (0.1-0.2 KB the
 * pair). */
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
#ifdef SYS_poll
	return (int)syscall(SYS_poll, fds, n, timeout);
#else
	struct timespec ts = { timeout / 1000, timeout % 1000 * 1000000L };
	return (int)syscall(SYS_ppoll, fds, n, timeout >= 0 ? &ts : NULL, NULL, _NSIG / 8);
#endif
}

ssize_t readlinkat(int fd, const char *restrict path, char *restrict buf, size_t len)
{
	return syscall(SYS_readlinkat, fd, path, buf, len);
}
