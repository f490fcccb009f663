/* coldplug.h: load the drivers of every device, as the devices appear
 * (`modload coldplug`; the applet only parses its options).
 *
 * The uevent socket is opened before /sys is scanned, so a device created
 * while the scan runs is still announced. Every modalias found either way is
 * planned at once (plan.h) and handed to the executor's workers (exec.h),
 * so a bus driver's children (virtio disks behind virtio_pci, USB disks
 * behind xHCI) are loaded the moment the kernel reports them.
 *
 * It returns when every --wait device exists and no insert is in flight
 * (and, with --settle, no uevent came for that long either), or, without
 * --wait, when nothing is in flight, no uevent came for --idle ms (but
 * for those of a usb-storage disk's SCSI host, whose scan scanning() in
 * coldplug.c follows to its end) and no bus is known to be still scanning
 * (see scanning()). With
 * --root-first it returns once every --wait device exists and the --load
 * modules are settled, whatever else is in flight: workers stop taking
 * new modules, inserts under way finish in the kernel. A load whose init
 * has not returned after --deadline seconds is reported hung and not
 * waited for (exec.h). At --timeout it says what is still pending and
 * returns anyway. */
#ifndef MODLOAD_COLDPLUG_H
#define MODLOAD_COLDPLUG_H

#include "exec.h"

#define COLDPLUG_MAX_WAIT 8
#define COLDPLUG_TIMEOUT 30
#define COLDPLUG_IDLE_MS 250
#define COLDPLUG_JOBS 4
#define COLDPLUG_DEADLINE 5 /* s */

struct coldplug_opts {
	const char *wait[COLDPLUG_MAX_WAIT];
	int nwait;
	char **load; /* --load NAME: also load these (e.g. the root's filesystem) */
	unsigned nload;
	int timeout, idle_ms, jobs;
	int settle_ms;	     /* with --wait: also this much quiet once the devices exist */
	int root_first;	     /* return once the --wait devices and --load modules are there */
	int deadline;	     /* s an insert may take before it is said hung; 0: none */
	const char *dir;     /* the packed directory; NULL: /lib/modules/`uname -r` */
	const char *devices; /* the tree scanned; NULL: /sys/devices (tests give their own) */
	const char *record;  /* --record FILE: what became of each module (report.h) */
	int isolated;	     /* tests: no uevent socket, /proc/modules not read */
};

/* The whole job in this process: open and check the blob, read the runtime
 * configuration, run the loop. Returns 0, or a negative
 * errno when it could not work at all; failed modules are counted, not
 * errors. */
int coldplug_run(const struct coldplug_opts *o);

/* The event loop on an opened, configured c (what /proc/modules lists is
 * live already), inserting through ops; the counts go to *n when n is not
 * NULL. Returns 0, -ETIMEDOUT (the workers are
 * then left running and c must stay open), or a negative errno. */
int coldplug_loop(const struct ml_ctx *c, const struct exec_ops *ops, const struct coldplug_opts *o,
		  struct exec_counts *n);

/* coldplug_run in a child process that the parent stops waiting for 5 s
 * after the timeout, so that even a module whose init never returns cannot
 * keep the boot waiting. Returns the exit status (0 or 1). */
int coldplug_guarded(const struct coldplug_opts *o);

#endif
