/* insmod.c: `insmod FILE [param=value ...]`: put one module file into the
 * kernel, no dependencies, no configuration, as kmod's insmod does.
 *
 * FILE is a .ko, a .ko.zst (decompressed here unless the kernel does it), or
 * a .ko.xz/.ko.gz handed to the kernel (see insert.h). The parameters are
 * joined with single spaces. Messages and exit codes are kmod's:
 *   insmod: ERROR: missing filename.                          (exit 1)
 *   insmod: ERROR: could not load module FILE: <strerror>     (no such file)
 *   insmod: ERROR: could not insert module FILE: <reason>     (kernel refused)
 * Usage errors exit 1, not modload's 100, so that scripts written for kmod
 * see the status they expect. -p and -s are accepted and ignored as kmod
 * does; -f (force past vermagic/modversions) is refused: insert_module has no
 * way to pass the kernel's ignore flags. */
#include "applets.h"
#include "fmt.h"
#include "insert.h"
#include "log.h"
#include "opt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The command line, as opt.h parses it. */
static struct opt args;

static void usage(int f)
{
	fd_printf(f, "usage: insmod [-h] FILE [param=value ...]\n"
		     "  insert one module file (.ko, .ko.zst; .ko.xz/.ko.gz if the kernel\n"
		     "  decompresses them); no dependencies are loaded (use modprobe)\n"
		     "  -h, --help   show this help\n");
}

/* 0 and args.ind at FILE, 1 to exit 0 (help), -1 on a usage error. */
static int parse(int argc, char **argv)
{
	static const char lo[] = "h help\0";
	int c;

	opt_begin(&args, argc, argv, "+psfh", lo);
	while ((c = opt_next(&args)) != -1) {
		switch (c) {
		case 'p':
		case 's': break; /* ignored, as kmod ignores them */
		case 'f': log_kmod_err("-f (force) is not supported"); return -1;
		case 'h': usage(1); return 1;
		default: usage(2); return -1;
		}
	}
	if (args.ind >= argc) {
		log_kmod_err("missing filename.");
		usage(2);
		return -1;
	}
	if (!strcmp(argv[args.ind], "-")) {
		log_kmod_err("this tool does not support loading from stdin!");
		return -1;
	}
	return 0;
}

int insmod_main(int argc, char **argv)
{
	struct insert_buf buf = { 0 };
	struct stat st;
	const char *file;
	char *params;
	int err;

	log_init("insmod");
	log_use_kmsg(KMSG_ERRORS);
	err = parse(argc, argv);
	if (err)
		return err > 0 ? 0 : 1;
	file = argv[args.ind];
	/* kmod checks the file before anything else; say so the same way. */
	if (stat(file, &st) < 0) {
		log_kmod_err("could not load module %s: %s", file, strerror(errno));
		return 1;
	}
	params = opt_join(argc, argv, args.ind + 1);
	if (!params) {
		log_kmod_err("out of memory");
		return 1;
	}
	err = insert_module(file, params, &buf);
	if (err) /* ENOENT: the file went away after stat (insert_strerror: strerror's words) */
		log_kmod_err(err == -ENOENT ? "could not load module %s: %s"
					    : "could not insert module %s: %s",
			     file, insert_strerror(err));
	insert_buf_free(&buf);
	free(params);
	return err ? 1 : 0;
}
