/* waitspec.h: "is the device I am waiting for there yet?" for coldplug's
 * --wait, in any root= form findroot.h reads. */
#ifndef MODLOAD_WAITSPEC_H
#define MODLOAD_WAITSPEC_H

#include <stddef.h>

/* 1 when the device named by spec exists, else 0. */
int waitspec_present(const char *spec);
/* 0 when spec has a form findroot.h understands, else -EINVAL. */
int waitspec_valid(const char *spec);

/* Call fn for each name in /sys/class/block until it returns non-zero;
 * returns that value, or 0. */
int waitspec_each_block(int (*fn)(const char *name, void *ctx), void *ctx);
/* partuuid.c: the partition with this PARTUUID, if it has a /dev node: 1
 * with its path in dev, else 0. */
int partuuid_find(const char *partuuid, char *dev, size_t len);

#endif
