/* coldplug.h: options of the coldplug applet and its event loop. */
#ifndef MODLOAD_COLDPLUG_H
#define MODLOAD_COLDPLUG_H

#include "waitspec.h"

#define COLDPLUG_MAX_WAIT 8
#define COLDPLUG_TIMEOUT 30
#define COLDPLUG_IDLE_MS 250
#define COLDPLUG_JOBS 4

struct coldplug_opts {
	const char *wait[COLDPLUG_MAX_WAIT];
	int nwait;
	char **load; /* --load NAME: also load these (e.g. the root's filesystem) */
	unsigned nload;
	int timeout, idle_ms, jobs;
	int settle_ms; /* with --wait: also this much quiet once the devices exist */
};

/* The whole job (coldplug_loop.c). Returns 0, or a negative errno when it
 * could not work at all (no blob); failed modules are counted, not errors. */
int coldplug_run(const struct coldplug_opts *o);

#endif
