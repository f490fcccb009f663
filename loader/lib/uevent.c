/* uevent.c: receive and parse kernel uevents.
 *
 * A kernel uevent is "ACTION@DEVPATH\0KEY=VALUE\0...". Messages are accepted
 * only from the kernel (sender port 0, credentials uid 0), and a truncated
 * one is dropped rather than half-read. */
#include "uevent.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* From <linux/netlink.h>: musl's toolchain ships no kernel headers. */
#define NETLINK_KOBJECT_UEVENT 15
struct sockaddr_nl {
	sa_family_t nl_family;
	unsigned short nl_pad;
	uint32_t nl_pid;
	uint32_t nl_groups;
};

#define RCVBUF (16 << 20)

int uevent_open(void)
{
	struct sockaddr_nl sa;
	int one = 1, size = RCVBUF;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	/* FORCE needs CAP_NET_ADMIN (early boot has it); otherwise take what rmem_max allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = 1; /* the kernel's broadcast group */
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

void uevent_parse(const char *buf, size_t len, struct uevent *ev)
{
	/* The keys of struct uevent's fields, in their order. */
	static const char keys[] = "ACTION=\0DEVPATH=\0MODALIAS=\0DEVNAME=\0SUBSYSTEM=\0";

	memset(ev, 0, sizeof *ev);
	for (size_t i = strlen(buf) + 1; i < len; i += strlen(buf + i) + 1) {
		unsigned k = 0;
		for (const char *key = keys; *key; key += strlen(key) + 1, k++)
			if (!strncmp(buf + i, key, strlen(key))) {
				ev->field[k] = buf + i + strlen(key);
				break;
			}
	}
}

int uevent_read(int fd, char *buf, struct uevent *ev)
{
	struct sockaddr_nl sa;
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { buf, UEVENT_BUF - 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	msg.msg_name = &sa;
	msg.msg_namelen = sizeof sa;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof cbuf;
	do
		n = recvmsg(fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC) || sa.nl_pid != 0 || n == 0)
		return 0;
	cm = CMSG_FIRSTHDR(&msg);
	if (cm && cm->cmsg_type == SCM_CREDENTIALS) {
		struct ucred cred;
		memcpy(&cred, CMSG_DATA(cm), sizeof cred);
		if (cred.uid != 0)
			return 0;
	}
	buf[n] = '\0';
	if (!memchr(buf, '@', strnlen(buf, (size_t)n)))
		return 0; /* udev's re-broadcasts start with "libudev" */
	uevent_parse(buf, (size_t)n, ev);
	return 1;
}
