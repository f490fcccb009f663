/* exec.h: the executor, the only place that inserts modules.
 *
 * Plans (plan.h) are added to one table that holds each module's state:
 *
 *   none -> queued -> loading -> live | failed     (inserted, or tried)
 *                  \-> skipped                      (a dependency did not load)
 *   loading -> hung                                 (init past the deadline)
 *
 * A queued module is taken when everything it waits for is settled: its
 * dependencies live, its softdeps live or not (softdep failure is not fatal,
 * as in kmod). When a dependency failed, the module is skipped without being
 * tried. Workers take the earliest ready module of the queue, so one worker
 * inserts in plan order, which is kmod's. Each module is inserted at most
 * once per run: the state, under one lock, is what makes sure; the kernel
 * does not refuse a second init_module of the same image for us.
 *
 * With a deadline (exec.deadline_ms), exec_expire marks a module whose
 * insert has not returned in time as hung: it is said by name, counted,
 * no longer waited for (exec_busy leaves it out), its dependants are
 * skipped, and a spare worker takes the stuck one's place. The stuck thread
 * stays in the kernel; should the insert return after all, its outcome is
 * recorded then, and when it loaded, what was skipped is queued again (a
 * slow init, e.g. under emulation, is not a stuck one).
 *
 * Plans added with exec.front set go ahead of the others in the queue; with
 * exec.hold set, workers take only those (root-first coldplug: the root's
 * storage chain alone, until it has settled).
 *
 * The kernel's init_module returns only when all async work is done, other
 * modules' too (do_init_module's async_synchronize_full): a library whose
 * init took a millisecond waits there as long as a SCSI HBA's bus scan
 * runs (sym53c8xx: ~3 s). exec_expire sees such a module live in
 * /sys/module/NAME/initstate: from then on its dependants may go, its
 * worker is parked (a spare one takes its place: at most n inserts of
 * exec_start's n are not parked), and exec_state calls it live, while
 * exec_busy still counts it until the call returns (the scan it waits for
 * may still bring devices); its deadline starts again. A hung insert is
 * parked too.
 *
 * The insert itself goes through exec_ops, so that tests can run the
 * executor without a kernel (exec_kernel is the real one). */
#ifndef MODLOAD_EXEC_H
#define MODLOAD_EXEC_H

#include "ctx.h"
#include "futexlock.h"
#include "insert.h"
#include "plan.h"

#include <pthread.h>

enum mod_state { MS_NONE, MS_QUEUED, MS_LOADING, MS_LIVE, MS_FAILED, MS_SKIPPED, MS_HUNG };

struct exec_ops {
	/* Insert mod with parameter string opts ("" for none). Returns 0, or a
	 * negative errno; -EEXIST means it was live already. Called by one
	 * worker at a time per module, with that worker's buffer. */
	int (*insert)(void *arg, const struct ml_ctx *c, unsigned mod, const char *opts,
		      struct insert_buf *buf);
	void *arg;
	/* Run an install command for name with parameter string opts instead
	 * of inserting; NULL: exec_install. */
	int (*install)(void *arg, const struct cfg_cmd *cmd, const char *name, const char *opts);
};

/* What kmod does with an install command: /bin/true, /bin/false,
 * /usr/bin/true, /usr/bin/false, true and false without a shell (exit
 * status 0 or 1), anything else through /bin/sh -c with $CMDLINE_OPTS
 * replaced by opts and MODPROBE_MODULE=name in its environment. Returns 0,
 * a negative errno or INSTALL_EXIT(status) for a non-zero exit status; a
 * failure is said (report_install). */
int exec_install(void *arg, const struct cfg_cmd *cmd, const char *name, const char *opts);

/* insert.c's insert_module on the module's file in the packed directory. */
extern const struct exec_ops exec_kernel;

struct exec_counts {
	unsigned loaded, already, builtin;
	unsigned failed;  /* required modules that did not load (tried, or skipped) */
	unsigned skipped; /* refused by the plan: blacklisted, forbidden */
	unsigned hung;	  /* inserts past the deadline */
};

struct exec_mod {
	unsigned char state, required; /* required: not merely a softdep */
	unsigned char front;	       /* came with exec.front set (or was moved there) */
	unsigned char early;	       /* loading, but live in the kernel already */
	unsigned pred, npred;	       /* what it waits for, in exec->pred (plan.h's form) */
	char *opts;		       /* its parameter string */
	const struct cfg_cmd *cmd;     /* its install command, or NULL */
	long long start;	       /* ms (exec_now) its insert began */
};

struct exec {
	const struct ml_ctx *c;
	struct exec_ops ops;
	struct exec_mod *m; /* per blob module */
	unsigned *pred, npred, predcap;
	unsigned *queue, nqueue, loading; /* queued modules, in the order they came */
	unsigned nfront;		  /* of which the first nfront came with front set */
	int front;			  /* exec_add: this plan goes ahead of what came without */
	int hold;			  /* workers take only front entries (exec_hold) */
	struct exec_counts n;
	struct flock_mutex lock; /* guards all of the above once workers run */
	struct flock_cond work;	 /* broadcast when something changed */
	int nworkers, maxworkers, stop;
	int alive;	       /* workers not out of their loop yet */
	unsigned inside;       /* workers inside an insert, hung ones included */
	unsigned parked;       /* of which hung, or live but not returned */
	int jobs;	       /* inserts at a time, parked ones not counted; 0: any */
	int deadline_ms;       /* 0: none */
	int notify_fd;	       /* gets a byte after each module settles, or -1 */
	struct insert_buf buf; /* for exec_run */
};

int exec_init(struct exec *e, const struct ml_ctx *c, const struct exec_ops *ops);
/* Start n worker threads. Returns 0 when at least one started (fewer than n
 * is said once), else the negative errno pthread_create returned; with no
 * worker, exec_run still inserts. notify_fd: see struct exec. */
int exec_start(struct exec *e, int n, int notify_fd);
/* Queue a plan's modules that are not in the table yet, but none of a chain
 * whose module is (live, as kmod skips a module in the kernel, or handled
 * earlier in this run); the plan's refusals count as skipped. 0 or
 * -ENOMEM. */
int exec_add(struct exec *e, const struct plan *p);
/* In the calling thread: insert what is ready until nothing is. */
void exec_run(struct exec *e);
/* modprobe's way: queue plan p (plan_request's, which returned err for
 * it) and insert in this thread. Returns 0 when every module it resolved to
 * is live, -EIO when one is not (the executor said why), or err. */
int exec_inline(struct exec *e, const struct plan *p, int err);
/* modprobe --first-time: each module plan p resolved to that is in the
 * kernel already (live in the table, or built in) is said as an insert that
 * failed with EEXIST. Returns -EEXIST when there was one, else 0. */
int exec_refuse_live(struct exec *e, const struct plan *p);
/* Milliseconds of CLOCK_BOOTTIME. */
long long exec_now(void);
/* Mark loads older than the deadline hung (see above). */
void exec_expire(struct exec *e);
/* Modules queued or loading (not hung). */
unsigned exec_busy(struct exec *e);
/* Of those, the ones that came with front set. */
unsigned exec_front_busy(struct exec *e);
/* Hold back (on) or let go (0) what did not come with front set: while the
 * root's chain loads, other inserts would only compete with it for the
 * CPUs. Set hold directly before exec_start. */
void exec_hold(struct exec *e, int on);
enum mod_state exec_state(struct exec *e, unsigned mod);
/* Whether s contains w (a small strstr). */
int has_text(const char *s, const char *w);
/* Mark the modules /proc/modules lists as live (nothing to do for them),
 * but not those still Loading: their insert is left to wait for them, so
 * that the deadline applies. */
void exec_scan_loaded(struct exec *e);
/* Say which modules are still queued or loading (at a timeout). */
void exec_report_pending(struct exec *e);
/* Stop the workers and free everything. When a worker is still inside an
 * insert (a hung one, or how is EXEC_LEAVE: one may be), only tell them to
 * stop, free nothing and return 1: it may be stuck in a module's init for
 * good. EXEC_JOIN waits for every insert in flight to return, however long:
 * for a process that must not end under one (its exit would kill the
 * insert, and a module's probe can fail on the pending SIGKILL). */
enum { EXEC_IDLE, EXEC_LEAVE, EXEC_JOIN };
int exec_stop(struct exec *e, int how);

#endif
