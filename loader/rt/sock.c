/* sock.c: socket and pipe2 for the static loader, each one system call.
 *
 * Why not musl's: both emulate SOCK_CLOEXEC / SOCK_NONBLOCK and O_CLOEXEC /
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
