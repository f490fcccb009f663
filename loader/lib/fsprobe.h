/* fsprobe.h: which filesystem a block device holds, and its UUID and label,
 * from the superblock alone (what blkid tells, for the filesystems a root
 * is made of). */
#ifndef MODLOAD_FSPROBE_H
#define MODLOAD_FSPROBE_H

struct fs_id {
	const char
		*type;	/* kernel filesystem name: ext4, xfs, btrfs, vfat, f2fs, erofs, squashfs */
	char uuid[40];	/* as blkid prints it ("" when the filesystem has none) */
	char label[64]; /* ASCII; "" when none */
};

/* Probe the device or image at path. Returns 0 with *id filled, -ENOENT
 * when no known superblock is there, or the errno of opening/reading. */
int fs_probe(const char *path, struct fs_id *id);

#endif
