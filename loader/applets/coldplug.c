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
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
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
	static const struct option lo[] = {
		{ "wait", 1, 0, 'w' }, { "load", 1, 0, 'l' }, { "timeout", 1, 0, 't' },
		{ "idle", 1, 0, 'i' }, { "jobs", 1, 0, 'j' }, { "settle", 1, 0, 's' },
		{ "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "w:l:t:i:j:s:h", lo, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (o->nwait == COLDPLUG_MAX_WAIT || waitspec_valid(optarg) < 0) {
				log_err("--wait %s: not a device path, UUID=, LABEL= or PARTUUID=",
					optarg);
				return -EINVAL;
			}
			o->wait[o->nwait++] = optarg;
			break;
		case 'l':
			if (config_push(&o->load, &o->nload, optarg) < 0)
				return -ENOMEM;
			break;
		case 't': o->timeout = atoi(optarg); break;
		case 'i': o->idle_ms = atoi(optarg); break;
		case 'j': o->jobs = atoi(optarg); break;
		case 's': o->settle_ms = atoi(optarg); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (optind != argc || o->timeout <= 0 || o->idle_ms < 0 || o->jobs <= 0 ||
	    o->settle_ms < 0) {
		usage(stderr);
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
		if (write(pipefd[1], &status, 1) != 1)
			_exit(1);
		_exit(status);
	}
	close(pipefd[1]);
	return supervise(pid, pipefd[0], o.timeout);
}
