/* coldplug.c: load the drivers of every device, as the devices appear.
 *
 *   modload coldplug [--wait SPEC]... [--timeout SECS] [--idle MS] [--jobs N]
 *
 * The uevent socket is opened before /sys is scanned, so a device created
 * while the scan runs is still announced to us. Devices found either way are
 * resolved at once and their modules handed to the worker pool, so a bus
 * driver's children (virtio disks behind virtio_pci, USB disks behind xHCI)
 * are loaded the moment the kernel reports them, not on a later pass.
 *
 * It returns when every --wait device exists and no insert is in flight (and,
 * with --settle, no uevent came for that long either: devices that appear
 * after the root, like USB ones, then get their drivers before switch_root),
 * or, without --wait, when nothing is in flight and no uevent came for
 * --idle ms.
 * At --timeout it reports what is still pending and returns anyway: the work
 * runs in a child process, so even a module whose init never returns cannot
 * keep the boot waiting. */
#include "applets.h"
#include "coldplug.h"
#include "config.h"
#include "ctx.h"
#include "fmt.h"
#include "log.h"
#include "num.h"
#include "opt.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The command line, as opt.h parses it. */
static struct opt args;

/* --timeout SECS, --idle MS, --jobs N, --settle MS: whole numbers only. */
static int number_option(int c, const char *arg, struct coldplug_opts *o)
{
	int *v = c == 't'   ? &o->timeout
		 : c == 'i' ? &o->idle_ms
		 : c == 'j' ? &o->jobs
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
		  "  --jobs N        modules inserted at the same time (default %d)\n",
		  COLDPLUG_TIMEOUT, COLDPLUG_IDLE_MS, COLDPLUG_JOBS);
}

static int parse(int argc, char **argv, struct coldplug_opts *o)
{
	static const struct opt_long lo[] = {
		{ "wait", 1, 'w' }, { "load", 1, 'l' },	  { "timeout", 1, 't' }, { "idle", 1, 'i' },
		{ "jobs", 1, 'j' }, { "settle", 1, 's' }, { "help", 0, 'h' },	 { 0, 0, 0 },
	};
	int c;

	opt_begin(&args, argc, argv, "w:l:t:i:j:s:h", lo);
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
			if (number_option(c, args.arg, o) < 0)
				return -EINVAL;
			break;
		case 'h':
			usage(1);
			fd_flush();
			exit(0);
		default: usage(2); return -EINVAL;
		}
	}
	if (args.ind != argc || o->timeout <= 0 || o->idle_ms < 0 || o->jobs <= 0 ||
	    o->settle_ms < 0) {
		usage(2);
		return -EINVAL;
	}
	return 0;
}

/* The parent waits for the child's one status byte, or for the timeout. */
static int supervise(pid_t child, int rd, int timeout)
{
	struct pollfd p = { rd, POLLIN, 0 };
	unsigned char status = 1;
	int r;

	do
		r = poll(&p, 1, (timeout + 5) * 1000);
	while (r < 0 && errno == EINTR);
	if (r > 0 && read(rd, &status, 1) == 1) {
		waitpid(child, NULL, WNOHANG); /* reap it if it is already gone */
		return status;
	}
	log_err("coldplug: no answer %d s after its timeout; continuing the boot without it", 5);
	return 1;
}

int coldplug_main(int argc, char **argv)
{
	struct coldplug_opts o = { { 0 },	  0, NULL, 0, COLDPLUG_TIMEOUT, COLDPLUG_IDLE_MS,
				   COLDPLUG_JOBS, 0 };
	int pipefd[2];
	pid_t pid;

	log_use_kmsg(KMSG_ALL);
	if (parse(argc, argv, &o) < 0)
		return EXIT_USAGE;
	if (pipe(pipefd) < 0) {
		log_err("coldplug: pipe: %s", strerror(errno));
		return coldplug_run(&o) < 0;
	}
	pid = fork();
	if (pid < 0) {
		log_err("coldplug: fork: %s; running without a guard", strerror(errno));
		return coldplug_run(&o) < 0;
	}
	if (pid == 0) {
		unsigned char status;
		close(pipefd[0]);
		status = coldplug_run(&o) < 0;
		fd_flush();
		if (write(pipefd[1], &status, 1) != 1)
			_exit(1);
		_exit(status);
	}
	close(pipefd[1]);
	return supervise(pid, pipefd[0], o.timeout);
}
