/* test_findroot.c: fs_probe on image files, and findroot's spec parsing.
 *
 *   test_findroot probe IMAGE...   one line per image: "TYPE UUID LABEL"
 *                                  ("-" for an empty field, "none" when no
 *                                  superblock is recognised)
 *   test_findroot specs            checks which root= forms are accepted */
#include "findroot.h"
#include "fsprobe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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
