/* test_findroot.c: fs_probe on image files, and findroot's spec parsing.
 *
 *   test_findroot probe IMAGE...   one line per image: "TYPE UUID LABEL"
 *                                  ("-" for an empty field, "none" when no
 *                                  superblock is recognised)
 *   test_findroot specs            checks which root= forms are accepted */
#include "findroot.h"
#include "fsprobe.h"
#include "waitspec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* An MBR disk's PARTUUID "SSSSSSSS-PP": the signature in either case, then
 * exactly two hex digits (no sign, blank or 0x). */
static int mbr_partuuids(void)
{
	static const struct {
		const char *want;
		unsigned part;
	} t[] = { { "0b6f12ab-02", 2 },	 { "0B6F12AB-0a", 10 }, { "0b6f12ab-FF", 255 },
		  { "0b6f12ab--5", 0 },	 { "0b6f12ab- 5", 0 },	{ "0b6f12ab-+5", 0 },
		  { "0b6f12ab-0x", 0 },	 { "0b6f12ab-x5", 0 },	{ "0b6f12ab-5", 0 },
		  { "0b6f12ab-005", 0 }, { "0b6f12ac-02", 0 },	{ "0b6f12ab-5x", 0 },
		  { "0b6f12ab-5 ", 0 } };
	static unsigned char img[512] = { [440] = 0xab, 0x12, 0x6f, 0x0b, [510] = 0x55, 0xaa };
	int failed = 0;

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		unsigned got = partuuid_find_mem(img, sizeof img, 512, t[i].want);
		if (got != t[i].part) {
			printf("FAIL: PARTUUID=%s: partition %u, want %u\n", t[i].want, got,
			       t[i].part);
			failed = 1;
		}
	}
	return failed;
}

static int specs(void)
{
	static const char *const good[] = { "/dev/vda1",	 "vda1",       "8:1",
					    "UUID=1234-ABCD",	 "LABEL=root", "PARTUUID=0b6f-02",
					    "PARTLABEL=my root", "nvme0n1p2",  "/dev/disk/x" };
	static const char *const bad[] = { "",	 "UUID=", "LABEL=", "PARTUUID=", "FOO=bar",
					   "8:", ":1",	  "a/b",    "PARTLABEL=" };
	int failed = 0;

	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (findroot_valid(good[i]) != 0) {
			printf("FAIL: '%s' refused\n", good[i]);
			failed = 1;
		}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (findroot_valid(bad[i]) != -EINVAL) {
			printf("FAIL: '%s' accepted\n", bad[i]);
			failed = 1;
		}
	failed |= mbr_partuuids();
	printf("specs: %s\n", failed ? "FAIL" : "ok");
	return failed;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "specs"))
		return specs();
	if (argc < 3 || strcmp(argv[1], "probe"))
		return 2;
	for (int i = 2; i < argc; i++) {
		struct fs_id id;
		int r = fs_probe(argv[i], &id);
		if (r < 0)
			printf("none\n");
		else
			printf("%s %s %s\n", id.type, id.uuid[0] ? id.uuid : "-",
			       id.label[0] ? id.label : "-");
	}
	return 0;
}
