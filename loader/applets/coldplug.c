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
#include <stdlib.h>

/* The command line, as opt.h parses it. */
static struct opt args;

/* --timeout SECS, --idle MS, --jobs N, --settle MS, --deadline SECS: whole
 * numbers only. */
static int number_option(int c, const char *arg, struct coldplug_opts *o)
{
	int *v = c == 't'   ? &o->timeout
		 : c == 'i' ? &o->idle_ms
		 : c == 'j' ? &o->jobs
		 : c == 'd' ? &o->deadline
			    : &o->settle_ms;
	int err = parse_int_word(arg, v);

	if (err)
		log_err("-%c %s: %s", c, arg, err == -ERANGE ? "too large" : "not a number");
	return err;
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
		case 't':
		case 'i':
		case 'j':
		case 's':
		case 'd':
			if (number_option(c, args.arg, o) < 0)
				return -EINVAL;
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
	if (args.ind != argc || o->timeout <= 0 || o->idle_ms < 0 || o->jobs <= 0 ||
	    o->settle_ms < 0 || o->deadline < 0) {
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
