/* uevent.h: the kernel's device announcements (NETLINK_KOBJECT_UEVENT). */
#ifndef MODLOAD_UEVENT_H
#define MODLOAD_UEVENT_H

#include <stddef.h>

#define UEVENT_BUF 8192 /* the kernel's own limit for one uevent */

struct uevent {
	union {
		struct {
			const char *action, *devpath, *modalias, *devname,
				*subsystem; /* NULL when absent */
		};
		const char *field[5]; /* the same, in this order */
	};
};

/* Open the socket with a large receive buffer (SO_RCVBUFFORCE, else SO_RCVBUF).
 * Returns the fd or a negative errno. */
int uevent_open(void);

/* Read one message into buf (UEVENT_BUF bytes) and parse it into ev.
 * Returns 1 for a kernel uevent, 0 for a message to ignore (not from the
 * kernel, truncated, malformed), -EAGAIN when nothing is pending, -ENOBUFS
 * when the kernel dropped events (the caller must rescan), another negative
 * errno on failure. */
int uevent_read(int fd, char *buf, struct uevent *ev);

/* Parse "ACTION@DEVPATH\0KEY=VALUE\0..." of len bytes; buf[len] must be 0
 * (the fields of ev point into buf). */
void uevent_parse(const char *buf, size_t len, struct uevent *ev);

#endif
