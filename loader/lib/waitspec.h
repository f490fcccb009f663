/* waitspec.h: "is the device I am waiting for there yet?" for coldplug's
 * --wait, in any root= form findroot.h reads. */
#ifndef MODLOAD_WAITSPEC_H
#define MODLOAD_WAITSPEC_H

#include <stddef.h>
#include <stdint.h>

/* 1 when the device named by spec exists, else 0. */
int waitspec_present(const char *spec);
/* 0 when spec has a form findroot.h understands, else -EINVAL. */
int waitspec_valid(const char *spec);

/* Call fn for each name in /sys/class/block until it returns non-zero;
 * returns that value, or 0. */
int waitspec_each_block(int (*fn)(const char *name, void *ctx), void *ctx);
/* partuuid.c: the partition with this PARTUUID, if it has a /dev node: 1
 * with its path in dev, else 0. */
int partuuid_device(const char *partuuid, char *dev, size_t len);

/* A disk as partuuid_find reads it: read() puts len bytes from offset off
 * into buf and returns 0, or -1 when they cannot all be read. */
struct partuuid_disk {
	int (*read)(void *ctx, void *buf, size_t len, uint64_t off);
	void *ctx;
	unsigned sector; /* logical sector size: 512 ... 4096 */
};
/* The number (from 1) of d's partition whose PARTUUID is want: from its GPT
 * if it has one, else from its MBR; 0 when there is none. */
unsigned partuuid_find(const struct partuuid_disk *d, const char *want);
/* partuuid_find on a disk image in memory (tests, fuzzing). */
unsigned partuuid_find_mem(const void *img, size_t len, unsigned sector, const char *want);

#endif
