/* fsprobe.c: superblock signatures, UUIDs and labels.
 *
 * Each known filesystem is one row: where its magic is and what it is, where
 * its UUID and label are and how they are written. ext2/3/4 are all called
 * "ext4": the ext4 driver mounts the three (and it is what /init always
 * tried). FAT's "UUID" is its volume serial number, "XXXX-XXXX" in capitals
 * as blkid prints it; its label is the boot sector's (blkid prefers the root
 * directory's volume entry; a "NO NAME" boot-sector label counts as none). */
#include "fsprobe.h"

#include "fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

enum uuid_form { UUID_NONE, UUID_16, UUID_FAT };
enum label_form { LABEL_NONE, LABEL_ASCII, LABEL_UTF16LE };

/* The wider fields first: no padding between them. */
struct fs_kind {
	uint32_t magic_off;
	uint32_t uuid_off;
	uint32_t label_off;
	uint16_t label_len; /* bytes on disk */
	char magic[8];	    /* magic_len bytes, no NUL */
	uint8_t magic_len;
	uint8_t uuid_form;
	uint8_t label_form;
	uint8_t type; /* enum type */
};

/* The types' names, in the order of enum type. */
enum type { T_EXT4, T_XFS, T_BTRFS, T_F2FS, T_EROFS, T_SQUASHFS, T_VFAT };
static const char types[] = "ext4\0xfs\0btrfs\0f2fs\0erofs\0squashfs\0vfat";

/* One row: where the magic is and what it is, then the UUID, then the label. */
#define FS(type, moff, magic, mlen, uoff, uform, loff, llen, lform)     \
	{                                                               \
		moff, uoff, loff, llen, magic, mlen, uform, lform, type \
	}

/* Superblock offsets are absolute, from the start of the device. */
static const struct fs_kind kinds[] = {
	FS(T_EXT4, 1024 + 56, "\x53\xef", 2, 1024 + 104, UUID_16, 1024 + 120, 16, LABEL_ASCII),
	FS(T_XFS, 0, "XFSB", 4, 32, UUID_16, 108, 12, LABEL_ASCII),
	FS(T_BTRFS, 65536 + 64, "_BHRfS_M", 8, 65536 + 32, UUID_16, 65536 + 299, 256, LABEL_ASCII),
	FS(T_F2FS, 1024, "\x10\x20\xf5\xf2", 4, 1024 + 108, UUID_16, 1024 + 124, 512,
	   LABEL_UTF16LE),
	FS(T_EROFS, 1024, "\xe2\xe1\xf5\xe0", 4, 1024 + 48, UUID_16, 1024 + 64, 16, LABEL_ASCII),
	FS(T_SQUASHFS, 0, "hsqs", 4, 0, UUID_NONE, 0, 0, LABEL_NONE),
	FS(T_VFAT, 82, "FAT32   ", 8, 67, UUID_FAT, 71, 11, LABEL_ASCII),
	FS(T_VFAT, 54, "FAT1", 4, 39, UUID_FAT, 43, 11, LABEL_ASCII),
};

static int read_at(int fd, void *buf, size_t n, uint32_t off)
{
	ssize_t r = pread(fd, buf, n, off);
	return r == (ssize_t)n ? 0 : r < 0 ? -errno : -ENOENT;
}

static void uuid_text(const struct fs_kind *k, const unsigned char *u, char *out, size_t len)
{
	/* FAT: the serial number, a little-endian 32-bit value, "XXXX-XXXX" */
	fmt_hex_bytes(out, len, u, k->uuid_form == UUID_FAT ? "32-10" : "0123-45-67-89-abcdef",
		      k->uuid_form == UUID_FAT);
}

/* The label as ASCII: UTF-16 reduced to its low bytes (non-ASCII becomes
 * '?'), trailing blanks and NULs cut. */
static void label_text(const struct fs_kind *k, const unsigned char *raw, char *out, size_t len)
{
	size_t n = 0, step = k->label_form == LABEL_UTF16LE ? 2 : 1;

	for (size_t i = 0; i + step <= k->label_len && n + 1 < len; i += step) {
		unsigned c = raw[i] | (step == 2 ? raw[i + 1] << 8 : 0);
		if (!c)
			break;
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	if (k->uuid_form == UUID_FAT && !strcmp(out, "NO NAME"))
		out[0] = '\0';
}

int fs_probe(const char *path, struct fs_id *id)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	unsigned char buf[512];
	int err = -ENOENT;

	if (fd < 0)
		return -errno;
	memset(id, 0, sizeof *id);
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		const struct fs_kind *k = &kinds[i];
		int r = read_at(fd, buf, k->magic_len, k->magic_off);
		if (r < 0 || memcmp(buf, k->magic, k->magic_len))
			continue;
		if (k->uuid_form != UUID_NONE &&
		    read_at(fd, buf, k->uuid_form == UUID_FAT ? 4 : 16, k->uuid_off) == 0)
			uuid_text(k, buf, id->uuid, sizeof id->uuid);
		if (k->label_form != LABEL_NONE &&
		    read_at(fd, buf, k->label_len, k->label_off) == 0)
			label_text(k, buf, id->label, sizeof id->label);
		id->type = fmt_nth(types, k->type);
		err = 0;
		break;
	}
	close(fd);
	return err;
}
