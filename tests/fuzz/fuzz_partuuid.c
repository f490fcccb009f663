/* fuzz_partuuid.c: the partition table reader behind PARTUUID= (GPT and MBR,
 * partuuid.c), through partuuid_find_mem(): the same partuuid_find() that
 * reads real disks, on a disk image in memory.
 *
 * fuzz-link: loader/lib/partuuid.c loader/lib/waitspec.c loader/lib/findroot.c
 * fuzz-link: loader/lib/fsprobe.c loader/lib/fmt.c loader/lib/num.c loader/lib/readfile.c
 * fuzz-args: -dict=tests/fuzz/partuuid.dict
 *
 * Input: byte 0 picks a third sector size (1024 or 2048; 512 and 4096 are
 * always tried), bytes 1..40 are the PARTUUID asked for (up to the first
 * NUL), the rest is the disk image, in a buffer of exactly its size.
 * Besides the sanitizers, for each sector size:
 *   - a match is a partition number the format can have: GPT 1..256 (the
 *     entries read), MBR 1..255 ("SSSSSSSS-PP", two hex digits);
 *   - a PARTUUID of any other length never matches;
 *   - there is no match without the MBR boot signature 55 AA;
 *   - a GPT match is an entry in use (type GUID not zero), on a disk whose
 *     GPT header is there and whose MBR is protective (an entry of type 0xEE);
 *   - an MBR match is on a disk without a protective entry (the kernel reads
 *     such a disk's partitions from the GPT, or not at all). */
#include "waitspec.h"
#include "fuzz_check.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD 41

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

static int has_gpt(const unsigned char *img, size_t len, unsigned ss)
{
	return len >= ss + 92 && !memcmp(img + ss, "EFI PART", 8);
}

static int protective(const unsigned char *img)
{
	for (int i = 0; i < 4; i++)
		if (img[446 + 16 * i + 4] == 0xee)
			return 1;
	return 0;
}

static void one(const unsigned char *img, size_t len, unsigned ss, const char *want)
{
	unsigned n = partuuid_find_mem(img, len, ss, want);
	size_t wl = strlen(want);

	if (!n)
		return;
	if (wl != 36 && wl != 11)
		FAIL("sector %u: '%s' (%zu chars) matched partition %u", ss, want, wl, n);
	if (len < 512 || img[510] != 0x55 || img[511] != 0xaa)
		FAIL("sector %u: match %u for '%s' without the 55 AA signature", ss, n, want);
	if (wl == 36) {
		if (!protective(img))
			FAIL("sector %u: GPT match %u for '%s' without a protective MBR", ss, n,
			     want);
		if (n > 256 || !has_gpt(img, len, ss))
			FAIL("sector %u: GPT match %u for '%s' without a GPT header or past 256",
			     ss, n, want);
		uint64_t at = le(img + ss + 72, 8) * ss + (uint64_t)(n - 1) * le(img + ss + 84, 4);
		static const unsigned char zero[16];
		if (at > len || len - at < 128 || !memcmp(img + at, zero, 16))
			FAIL("sector %u: GPT match %u for '%s' is an unused entry", ss, n, want);
	} else {
		if (n > 255)
			FAIL("sector %u: MBR match on partition %u for '%s'", ss, n, want);
		if (protective(img))
			FAIL("sector %u: MBR match %u for '%s' on a GPT disk", ss, n, want);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char want[41];
	unsigned char *img;
	size_t len;

	if (size < HEAD)
		return 0;
	memcpy(want, data + 1, 40);
	want[40] = '\0';
	len = size - HEAD;
	img = malloc(len ? len : 1);
	if (!img)
		abort();
	memcpy(img, data + HEAD, len);
	one(img, len, 512, want);
	one(img, len, 4096, want);
	one(img, len, data[0] & 1 ? 2048 : 1024, want);
	free(img);
	return 0;
}
