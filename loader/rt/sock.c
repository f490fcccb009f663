/* sock.c: socket, pipe2 and recvmsg for the static loader, each one system
 * call.
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
