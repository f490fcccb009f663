/* waitspec.h: "is the device I am waiting for there yet?" for a device path,
 * UUID=, LABEL= (ext2/3/4, read from the superblock) or PARTUUID= (read from
 * /sys: the kernel exposes it in the partition's uevent as PARTUUID... only
 * for GPT/MBR partitions it parsed). */
#ifndef MODLOAD_WAITSPEC_H
#define MODLOAD_WAITSPEC_H

/* 1 when the device named by spec exists, else 0. */
int waitspec_present(const char *spec);
/* 0 when spec has a form this module understands, else -EINVAL. */
int waitspec_valid(const char *spec);

#endif
