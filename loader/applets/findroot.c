/* findroot.c: `modload findroot [-t] SPEC`: the device a root= spec names, if
 * it is there now (findroot.h lists the forms). /init polls it while it
 * waits for the root, so nothing is printed when the device is missing.
 *
 *   stdout   the /dev path; with -t also its filesystem type ("-" when no
 *            known superblock), separated by a blank
 *   exit     0 found, 1 not there (yet), 100 a spec of no known form or a
 *            usage error (said on stderr) */
#include "applets.h"
#include "findroot.h"
#include "fmt.h"
#include "fsprobe.h"
#include "log.h"
#include "opt.h"

#include <string.h>

static struct opt args;

static void usage(int fd)
{
	fd_printf(fd, "usage: modload findroot [-t] SPEC\n"
		      "  SPEC: /dev/PATH, NAME, MAJ:MIN, UUID=, LABEL=, PARTUUID=, PARTLABEL=\n"
		      "  -t, --type   also print the filesystem type\n");
}

int findroot_main(int argc, char **argv)
{
	static const char lo[] = "t type\0"
				 "h help\0";
	char dev[256];
	int c, type = 0, r;

	opt_begin(&args, argc, argv, "th", lo);
	while ((c = opt_next(&args)) != -1) {
		switch (c) {
		case 't': type = 1; break;
		case 'h': usage(1); return 0;
		default: usage(2); return EXIT_USAGE;
		}
	}
	if (args.ind != argc - 1) {
		usage(2);
		return EXIT_USAGE;
	}
	r = findroot(argv[args.ind], dev, sizeof dev);
	if (r < 0) {
		log_err("findroot: %s: not a root spec (/dev/PATH, NAME, MAJ:MIN, UUID=, LABEL=, "
			"PARTUUID=, PARTLABEL=)",
			argv[args.ind]);
		return EXIT_USAGE;
	}
	if (!r)
		return 1;
	if (type) {
		struct fs_id id;
		out_printf("%s %s\n", dev, fs_probe(dev, &id) == 0 ? id.type : "-");
	} else
		out_printf("%s\n", dev);
	return 0;
}
