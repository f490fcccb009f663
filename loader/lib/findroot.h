/* findroot.h: the one reader of root specs, for coldplug --wait and /init
 * (through `modload findroot`).
 *
 *   /dev/PATH         that node, when it is a block device
 *   NAME              /dev/NAME (the kernel's root=sda1 form)
 *   MAJ:MIN           the block device with that number (/sys/dev/block)
 *   UUID=, LABEL=     a filesystem's UUID or label (fsprobe.c: ext2/3/4, xfs,
 *                     btrfs, f2fs, erofs, vfat), compared case-insensitively
 *   PARTUUID=         a GPT partition's unique GUID, or an MBR disk's
 *                     "SSSSSSSS-PP" (partuuid.c, any logical sector size)
 *   PARTLABEL=        a GPT partition's name (PARTNAME= in its uevent)
 *
 * Nothing but /sys and /dev is used: no udev, no blkid. */
#ifndef MODLOAD_FINDROOT_H
#define MODLOAD_FINDROOT_H

#include <stddef.h>

/* 0 when spec has one of the forms above, else -EINVAL. */
int findroot_valid(const char *spec);
/* Look for the device now: 1 with its /dev path in dev, 0 when it is not
 * (yet) there, -EINVAL for a spec of no known form. */
int findroot(const char *spec, char *dev, size_t len);

#endif
