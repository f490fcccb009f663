/* sock.c: socket, pipe2, recvmsg, bind and setsockopt for the static
 * loader, each one system call.
 *
 * Why not musl's: socket and pipe2 emulate SOCK_CLOEXEC / SOCK_NONBLOCK and O_CLOEXEC /
 * O_NONBLOCK with fcntl for kernels older than 2.6.27 (about 0.4 KB the
 * pair, with the fcntl they pull in). Every kernel modload runs on takes
 * the flags, and the errors are the kernel's. */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int socket(int domain, int type, int protocol)
{
	return (int)syscall(SYS_socket, domain, type, protocol);
}

int pipe2(int fd[2], int flags)
{
	return (int)syscall(SYS_pipe2, fd, flags);
}

/* musl's recvmsg copies the header to clear the padding its struct msghdr
 * has on 64-bit targets, and converts 32-bit time stamps on 32-bit ones.
 * The loader's one caller (uevent.c) zeroes its header and asks for no time
 * stamps (0.2 KB). */
ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	return syscall(SYS_recvmsg, fd, msg, flags);
}

/* bind and setsockopt: one system call each, without a libc.a member's frame
 * and padding. On 32-bit targets musl's setsockopt also retries the time-out
 * and time-stamp options in their 32-bit time form when the kernel refuses
 * the 64-bit one (0.3 KB on armhf); the loader's one caller (uevent.c:
 * buffer size, credentials) sets none of them. */
int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)syscall(SYS_bind, fd, addr, len);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	return (int)syscall(SYS_setsockopt, fd, level, name, value, len);
}
