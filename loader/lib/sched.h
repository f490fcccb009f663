/* sched.h: insert modules in parallel, each once, each after what it needs.
 *
 * The event loop asks for modules (sched_want); a small pool of worker
 * threads inserts them. A module becomes ready when every module of its
 * dependency closure is live and its "pre" softdeps are settled (live or
 * failed: softdeps are optional, as in kmod). A dependency that failed fails
 * its dependents without trying them. One state per module, under one lock,
 * is what keeps a module from being inserted twice: the kernel does not
 * suppress a second init_module of the same buffer for us. */
#ifndef MODLOAD_SCHED_H
#define MODLOAD_SCHED_H

#include "ctx.h"

#include <pthread.h>

#define SCHED_MAX_WORKERS 16

struct sched {
	struct ml_ctx *c; /* c->state is guarded by lock */
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_t tid[SCHED_MAX_WORKERS];
	int nworkers, stop;
	unsigned *queue; /* modules in MS_QUEUED state (unordered) */
	unsigned nqueue, loading;
	unsigned **pre;		 /* per module: resolved pre softdeps (count first), or NULL */
	unsigned char *required; /* per module: not merely a softdep */
	int notify_fd;		 /* written to after each insert, for the event loop */
};

/* Start n workers; notify_fd (or -1) gets a byte after every finished insert. */
int sched_start(struct sched *s, struct ml_ctx *c, int n, int notify_fd);
/* Ask for mod, with its dependencies and softdeps (blacklist is the caller's
 * business: it knows whether mod was reached through an alias). */
void sched_want(struct sched *s, unsigned mod);
/* Modules queued or being inserted. */
unsigned sched_busy(struct sched *s);
/* Log every module still queued or loading, e.g. at the hard timeout. */
void sched_report_pending(struct sched *s);
/* Stop and join the workers once idle; with force, only tell them to stop. */
void sched_stop(struct sched *s, int force);

#endif
