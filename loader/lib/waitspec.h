/* waitspec.h: "is the device I am waiting for there yet?" for a device path,
 * UUID= or LABEL= (ext2/3/4, read from the superblock) or PARTUUID= (GPT or
 * MBR, read from the disk's partition table by partuuid.c). */
#ifndef MODLOAD_WAITSPEC_H
#define MODLOAD_WAITSPEC_H

/* 1 when the device named by spec exists, else 0. */
int waitspec_present(const char *spec);
/* 0 when spec has a form this module understands, else -EINVAL. */
int waitspec_valid(const char *spec);

/* Call fn for each name in /sys/class/block until it returns non-zero;
 * returns that value, or 0. */
int waitspec_each_block(int (*fn)(const char *name, void *ctx), void *ctx);
/* partuuid.c: does a partition with this PARTUUID exist (with a node)? */
int partuuid_present(const char *partuuid);

#endif
