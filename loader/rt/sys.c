/* sys.c: poll, readlinkat, read, pread, write, waitpid, close, access,
 * mkdir, unlinkat, chdir, chroot, uname, mount, umount2, execve,
 * sched_yield and syscall for the static loader, each one system call (see
 * each for why).
 *
 * Why not musl's: poll is a cancellation point there (the loader never
 * cancels a thread) and, where the kernel has no poll (arm64), builds the
 * timespec of ppoll; readlinkat lends a one-byte buffer to a caller that
 * gives none, which the loader's two callers never do (0.1-0.2 KB the
 * pair). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
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

/* read, pread (64-bit targets), write and waitpid: cancellation points in musl (through
 * __syscall_cp), which the loader, never cancelling a thread, does not need;
 * close: the same, and an EINTR taken for success, as musl (and Linux,
 * which has released the descriptor by then) does. */
ssize_t read(int fd, void *buf, size_t len)
{
	return syscall(SYS_read, fd, buf, len);
}

#ifdef __LP64__ /* 32-bit ABIs pass the 64-bit offset in a register pair: musl's */
ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	return syscall(SYS_pread64, fd, buf, len, off);
}
#endif

ssize_t write(int fd, const void *buf, size_t len)
{
	return syscall(SYS_write, fd, buf, len);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return (pid_t)syscall(SYS_wait4, pid, status, options, NULL);
}

int close(int fd)
{
	int r = (int)syscall(SYS_close, fd);

	return r < 0 && errno == EINTR ? 0 : r;
}

/* access, mkdir, unlinkat, chdir, chroot, uname, mount, umount2, execve and
 * sched_yield: musl's are the same one system call, each in its own libc.a
 * member with a frame of its own and padded to 16 bytes (248 bytes the ten
 * on arm64); here each moves its arguments into syscall()'s. access and mkdir
 * are the kernel's *at calls from the working directory, as musl's are on
 * arm64. */
int access(const char *path, int mode)
{
	return (int)syscall(SYS_faccessat, AT_FDCWD, path, mode);
}

int mkdir(const char *path, mode_t mode)
{
	return (int)syscall(SYS_mkdirat, AT_FDCWD, path, mode);
}

int unlinkat(int fd, const char *path, int flags)
{
	return (int)syscall(SYS_unlinkat, fd, path, flags);
}

int chdir(const char *path)
{
	return (int)syscall(SYS_chdir, path);
}

int chroot(const char *path)
{
	return (int)syscall(SYS_chroot, path);
}

int uname(struct utsname *u)
{
	return (int)syscall(SYS_uname, u);
}

int mount(const char *src, const char *dst, const char *type, unsigned long flags, const void *data)
{
	return (int)syscall(SYS_mount, src, dst, type, flags, data);
}

int umount2(const char *path, int flags)
{
	return (int)syscall(SYS_umount2, path, flags);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)syscall(SYS_execve, path, argv, envp);
}

int sched_yield(void)
{
	return (int)syscall(SYS_sched_yield);
}

/* syscall: one system call, its six argument registers filled from the
 * caller's, without musl's va_list (0.1 KB on arm64: its variadic prologue
 * stores every register and a stack guard checks the frame). Integer
 * arguments of a variadic call are passed as those of any other call on
 * these ABIs, so a definition with six named ones reads them where the
 * caller put them; the kernel ignores those a call does not have. armhf
 * keeps musl's (r7, the system call number, is Thumb's frame register). */
#if defined(__aarch64__) || defined(__x86_64__)
long __syscall_ret(unsigned long r); /* musl's: -errno into errno and -1 */

/* noipa: never inlined into a caller, which may pass fewer than six. */
__attribute__((noipa)) static long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
#ifdef __aarch64__
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c, x3 __asm__("x3") = d, x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory", "cc");
	return __syscall_ret((unsigned long)x0);
#else
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	unsigned long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory", "cc");
	return __syscall_ret(r);
#endif
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattribute-alias"
long syscall(long n, ...) __attribute__((alias("syscall6")));
#pragma GCC diagnostic pop
#endif
