/* partuuid.c: PARTUUID= of a partition, read from its disk's partition
 * table, since kernels before 6.3 do not put it in the uevent. GPT: the
 * entry's unique GUID (first three fields little-endian on disk). MBR: the
 * disk signature and the partition number, "SSSSSSSS-PP". */
#include "fmt.h"
#include "num.h"
#include "readfile.h"
#include "waitspec.h"

#include <limits.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_GPT_ENTRIES 256

struct mem_disk {
	const unsigned char *p;
	size_t len;
};

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* A small number from a sysfs file, or 0. */
static unsigned read_uint(const char *path)
{
	char buf[16];
	unsigned v = 0;

	if (read_small(AT_FDCWD, path, buf, sizeof buf) > 0) {
		unsigned long u;
		if (parse_ulong(buf, 10, &u, NULL) == 0 && u <= UINT_MAX)
			v = (unsigned)u;
	}
	return v;
}

static unsigned sector_size(const char *disk)
{
	char path[320];
	fmt_snprintf(path, sizeof path, "/sys/class/block/%s/queue/logical_block_size", disk);
	unsigned v = read_uint(path);
	return v == 512 || v == 1024 || v == 2048 || v == 4096 ? v : 512;
}

static void guid_text(const unsigned char *g, char *out, size_t len)
{
	/* the first three fields little-endian, the rest as stored */
	fmt_hex_bytes(out, len, g, "3210-54-76-89-abcdef", 0);
}

/* The number of the partition of d whose GPT entry has PARTUUID want, or 0. */
static unsigned gpt_find(const struct partuuid_disk *d, const char *want)
{
	unsigned char h[92], e[128];
	unsigned ss = d->sector;
	char text[40];

	if (d->read(d->ctx, h, sizeof h, ss) < 0 || memcmp(h, "EFI PART", 8))
		return 0;
	uint64_t lba = le(h + 72, 8);
	uint32_t count = (uint32_t)le(h + 80, 4), esz = (uint32_t)le(h + 84, 4);
	if (esz < 128 || esz > 4096 || count > MAX_GPT_ENTRIES || lba > (UINT64_MAX >> 13))
		return 0;
	for (uint32_t i = 0; i < count; i++) {
		static const unsigned char unused[16];
		if (d->read(d->ctx, e, sizeof e, lba * ss + (uint64_t)i * esz) < 0)
			return 0;
		if (!memcmp(e, unused, sizeof unused))
			continue; /* no type GUID: an empty slot, no partition (as the kernel) */
		guid_text(e + 16, text, sizeof text);
		if (!strcasecmp(text, want))
			return i + 1;
	}
	return 0;
}

/* An MBR's disk signature (at 440) names its partitions "SSSSSSSS-PP". */
static unsigned mbr_find(const unsigned char *mbr, const char *want)
{
	char sig[16];

	if (strlen(want) != 11 || want[8] != '-')
		return 0;
	fmt_snprintf(sig, sizeof sig, "%08x", (unsigned)le(mbr + 440, 4));
	unsigned long n;
	const char *end;
	if (strncasecmp(sig, want, 8) || parse_ulong(want + 9, 16, &n, &end) || end != want + 11)
		return 0; /* two hex digits, not "-5", " 5" or "+5" */
	return (unsigned)n;
}

/* As the kernel decides (block/partitions): no table without the MBR's
 * 55 AA signature; an MBR with a protective entry (type 0xEE) means the
 * partitions are the GPT's, never the MBR's. */
unsigned partuuid_find(const struct partuuid_disk *d, const char *want)
{
	unsigned char mbr[512];
	int gpt = 0;

	if (d->read(d->ctx, mbr, sizeof mbr, 0) < 0 || mbr[510] != 0x55 || mbr[511] != 0xaa)
		return 0;
	for (int i = 0; i < 4; i++)
		gpt |= mbr[446 + 16 * i + 4] == 0xee;
	return gpt ? gpt_find(d, want) : mbr_find(mbr, want);
}

static int mem_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	const struct mem_disk *m = ctx;

	if (off > m->len || len > m->len - off)
		return -1;
	memcpy(buf, m->p + off, len);
	return 0;
}

unsigned partuuid_find_mem(const void *img, size_t len, unsigned sector, const char *want)
{
	struct mem_disk m = { img, len };
	struct partuuid_disk d = { mem_read, &m, sector };
	return partuuid_find(&d, want);
}

static int fd_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	int fd = *(int *)ctx;
	if (off > (uint64_t)INT64_MAX - len)
		return -1;
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

struct part_want {
	const char *partuuid;
	char *dev;
	size_t len;
};

/* Does disk have partition number n with a /dev node? Its path goes to w. */
static int partition_present(const char *disk, unsigned n, struct part_want *w)
{
	char path[600];
	DIR *d;
	struct dirent *e;
	int found = 0;

	fmt_snprintf(path, sizeof path, "/sys/class/block/%s", disk);
	if (!(d = opendir(path)))
		return 0;
	while (!found && (e = readdir(d))) {
		if (strncmp(e->d_name, disk, strlen(disk)))
			continue;
		fmt_snprintf(path, sizeof path, "/sys/class/block/%s/%s/partition", disk,
			     e->d_name);
		if (read_uint(path) != n)
			continue;
		fmt_snprintf(path, sizeof path, "/dev/%s", e->d_name);
		found = access(path, F_OK) == 0;
		if (found)
			fmt_snprintf(w->dev, w->len, "%s", path);
	}
	closedir(d);
	return found;
}

/* Whole disks only: partitions are found through their disk's table. */
static int disk_has(const char *name, void *ctx)
{
	struct part_want *w = ctx;
	char path[320];
	unsigned n;

	fmt_snprintf(path, sizeof path, "/sys/class/block/%s/partition", name);
	if (access(path, F_OK) == 0)
		return 0;
	fmt_snprintf(path, sizeof path, "/dev/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	struct partuuid_disk d = { fd_read, &fd, sector_size(name) };
	n = partuuid_find(&d, w->partuuid);
	close(fd);
	return n && partition_present(name, n, w);
}

int partuuid_device(const char *want, char *dev, size_t len)
{
	struct part_want w = { want, dev, len };
	return waitspec_each_block(disk_has, &w);
}
