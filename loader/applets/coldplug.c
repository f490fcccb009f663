/* coldplug.c: `modload coldplug`: load the drivers of every device, as the
 * devices appear (loader/lib/coldplug.c does it; this parses the options).
 *
 *   modload coldplug [--wait SPEC]... [--load NAME]... [--timeout SECS]
 *                    [--idle MS] [--settle MS] [--jobs N] [--deadline SECS]
 *                    [--root-first] [--record FILE]
 */
#include "applets.h"
#include "coldplug.h"
#include "config.h"
#include "fmt.h"
#include "log.h"
#include "num.h"
#include "opt.h"
#include "waitspec.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The command line, as opt.h parses it. */
static struct opt args;

/* The options that take a whole number, in this order: --timeout SECS,
 * --idle MS, --jobs N, --settle MS, --deadline SECS; where each goes in
 * struct coldplug_opts, and the least value it may have. */
static const char numbers[] = "tijsd";
static const unsigned char number_at[] = {
	offsetof(struct coldplug_opts, timeout),  offsetof(struct coldplug_opts, idle_ms),
	offsetof(struct coldplug_opts, jobs),	  offsetof(struct coldplug_opts, settle_ms),
	offsetof(struct coldplug_opts, deadline),
};
static const unsigned char number_min[] = { 1, 0, 1, 0, 0 };
_Static_assert(offsetof(struct coldplug_opts, deadline) < 256, "offsets fit a byte");

static int *number(struct coldplug_opts *o, unsigned i)
{
	return (int *)((char *)o + number_at[i]);
}

static void usage(int f)
{
	fd_printf(f,
		  "usage: modload coldplug [--wait SPEC]... [--load NAME]... [--timeout SECS] "
		  "[--idle MS]\n"
		  "                        [--jobs N]\n"
		  "  --wait SPEC     return once SPEC exists: /dev/PATH, UUID=, LABEL=, PARTUUID=\n"
		  "  --load NAME     load NAME too (a module or alias, e.g. the root's fs-ext4)\n"
		  "  --timeout SECS  give up waiting after SECS (default %d)\n"
		  "  --idle MS       without --wait: quiet time that means done (default %d)\n"
		  "  --settle MS     with --wait: also wait for MS without uevents (default 0)\n"
		  "  --jobs N        modules inserted at the same time (default %d)\n"
		  "  --deadline SECS say a load hung after SECS, stop waiting for it (default %d)\n"
		  "  --root-first    return once --wait and --load are there; leave the rest\n"
		  "  --record FILE   append what became of each module to FILE\n",
		  COLDPLUG_TIMEOUT, COLDPLUG_IDLE_MS, COLDPLUG_JOBS, COLDPLUG_DEADLINE);
}

static int parse(int argc, char **argv, struct coldplug_opts *o)
{
	static const char lo[] = "w:wait\0"
				 "l:load\0"
				 "t:timeout\0"
				 "i:idle\0"
				 "j:jobs\0"
				 "s:settle\0"
				 "h help\0"
				 "d:deadline\0"
				 "r root-first\0"
				 "R:record\0";
	int c;

	opt_begin(&args, argc, argv, "w:l:t:i:j:s:d:rR:h", lo);
	while ((c = opt_next(&args)) != -1) {
		const char *n = c ? strchr(numbers, c) : NULL;
		if (n) { /* whole numbers only */
			int err = parse_int_word(args.arg, number(o, (unsigned)(n - numbers)));
			if (err) {
				log_err("-%c %s: %s", c, args.arg,
					err == -ERANGE ? "too large" : "not a number");
				return -EINVAL;
			}
			continue;
		}
		switch (c) {
		case 'w':
			if (o->nwait == COLDPLUG_MAX_WAIT || waitspec_valid(args.arg) < 0) {
				log_err("--wait %s: not a device path, UUID=, LABEL= or PARTUUID=",
					args.arg);
				return -EINVAL;
			}
			o->wait[o->nwait++] = args.arg;
			break;
		case 'l':
			if (config_push(&o->load, &o->nload, args.arg) < 0)
				return -ENOMEM;
			break;
		case 'r': o->root_first = 1; break;
		case 'R': o->record = args.arg; break;
		case 'h':
			usage(1);
			fd_flush();
			exit(0);
		default: usage(2); return -EINVAL;
		}
	}
	int ok = args.ind == argc;
	for (unsigned i = 0; i < sizeof number_min; i++)
		ok &= *number(o, i) >= number_min[i];
	if (!ok) {
		usage(2);
		return -EINVAL;
	}
	return 0;
}

int coldplug_main(int argc, char **argv)
{
	struct coldplug_opts o = { .timeout = COLDPLUG_TIMEOUT,
				   .idle_ms = COLDPLUG_IDLE_MS,
				   .jobs = COLDPLUG_JOBS,
				   .deadline = COLDPLUG_DEADLINE,
				   .dir = applet_dir };

	log_use_kmsg(KMSG_ALL);
	if (parse(argc, argv, &o) < 0)
		return EXIT_USAGE;
	return coldplug_guarded(&o);
}
