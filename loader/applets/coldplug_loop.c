/* coldplug_loop.c: the event loop behind `modload coldplug` (see coldplug.c).
 * One thread owns the uevent socket and /sys; workers only insert. */
#include "coldplug.h"

#include "applets.h"
#include "ctx.h"
#include "devscan.h"
#include "log.h"
#include "lookup.h"
#include "sched.h"
#include "uevent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SEEN_SLOTS 8192 /* distinct modaliases remembered; more are still loaded */

struct loop {
	const struct coldplug_opts *o;
	struct ml_ctx c;
	struct sched s;
	char *seen[SEEN_SLOTS];
	unsigned nseen, nomatch, events;
	long long t0, t_root, last_event; /* ms of CLOCK_BOOTTIME */
};

/* Milliseconds since boot (integers: no floating point in the binary). */
static long long now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* 1 when alias is new (and remembers it), 0 when seen before. */
static int first_time(struct loop *l, const char *alias)
{
	uint32_t h = blob_hash_str(alias, strlen(alias)) & (SEEN_SLOTS - 1);
	for (unsigned i = 0; i < SEEN_SLOTS; i++, h = (h + 1) & (SEEN_SLOTS - 1)) {
		if (!l->seen[h]) {
			if (l->nseen + 1 >= SEEN_SLOTS)
				return 1; /* table full: load anyway, sched drops duplicates */
			l->seen[h] = strdup(alias);
			l->nseen++;
			return 1;
		}
		if (!strcmp(l->seen[h], alias))
			return 0;
	}
	return 1;
}

static void want_alias(void *ctx, const char *alias)
{
	struct loop *l = ctx;
	struct hits hl;
	int n;

	if (!first_time(l, alias))
		return;
	hits_init(&hl);
	n = lookup(&l->c.b, &l->c.extra, alias, &hl);
	if (n == -ENOMEM)
		log_err("%s: %s", alias, strerror(ENOMEM));
	if (n <= 0)
		l->nomatch++;
	for (int i = 0; i < n; i++) {
		const struct hit *h = &hl.v[i];
		if (h->kind != HIT_MODULE)
			continue;
		if (ctx_blacklisted(&l->c, (unsigned)h->mod)) {
			log_info("%s: %s is blacklisted", alias, h->name);
			l->c.skipped++;
			continue;
		}
		sched_want(&l->s, (unsigned)h->mod);
	}
	hits_free(&hl);
}

/* Configuration-named modules are loaded by name: blacklist does not apply. */
static void want_names(struct loop *l, char *const *names, unsigned n, const char *why)
{
	for (unsigned i = 0; i < n; i++) {
		struct hits hl;
		hits_init(&hl);
		int k = lookup(&l->c.b, &l->c.extra, names[i], &hl);
		if (k == -ENOMEM)
			log_err("%s: module %s: %s", why, names[i], strerror(ENOMEM));
		else if (k <= 0)
			log_err("%s: module %s not found in %s", why, names[i], l->c.dir);
		for (int j = 0; j < k; j++)
			if (hl.v[j].mod >= 0)
				sched_want(&l->s, (unsigned)hl.v[j].mod);
		hits_free(&hl);
	}
}

static void want_flagged(struct loop *l)
{
	for (uint32_t i = 0; i < blob_nmods(&l->c.b); i++)
		if (blob_mod(&l->c.b, i).flags & BM_LOAD)
			sched_want(&l->s, i);
}

static void rescan(struct loop *l)
{
	int r = devscan("/sys/devices", want_alias, l);
	if (r < 0)
		log_err("/sys/devices: %s", strerror(-r));
}

static void drain_uevents(struct loop *l, int fd, char *buf)
{
	struct uevent ev;
	int r;

	while ((r = uevent_read(fd, buf, &ev)) != -EAGAIN) {
		if (r == -ENOBUFS) {
			log_warn("uevent buffer overrun: missed events, rescanning /sys");
			rescan(l);
			continue;
		}
		if (r < 0) {
			log_err("uevent socket: %s", strerror(-r));
			return;
		}
		if (r == 0)
			continue;
		l->events++;
		l->last_event = now();
		if (ev.modalias && ev.action && !strcmp(ev.action, "add"))
			want_alias(l, ev.modalias);
	}
}

static int waits_met(struct loop *l)
{
	for (int i = 0; i < l->o->nwait; i++)
		if (!waitspec_present(l->o->wait[i]))
			return 0;
	if (l->o->nwait && !l->t_root)
		l->t_root = now();
	return 1;
}

static int done(struct loop *l)
{
	if (sched_busy(&l->s))
		return 0;
	if (l->o->nwait)
		return waits_met(l) && now() - l->last_event >= l->o->settle_ms;
	return now() - l->last_event >= l->o->idle_ms;
}

/* Run until done or the deadline; returns 0, or -ETIMEDOUT. */
static int run_events(struct loop *l, int ufd, int notify_rd, long long deadline)
{
	static char buf[UEVENT_BUF];
	struct pollfd p[2] = { { notify_rd, POLLIN, 0 }, { ufd, POLLIN, 0 } };

	while (!done(l)) {
		long long left = deadline - now();
		char junk[64];
		if (left <= 0)
			return -ETIMEDOUT;
		/* Wake at least every 50 ms: a --wait device can appear with no
		 * uevent we act on (devtmpfs creates the node on its own). */
		int r = poll(p, ufd >= 0 ? 2 : 1, left < 50 ? (int)left + 1 : 50);
		if (r < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			return -errno;
		}
		if (p[0].revents & POLLIN)
			while (read(notify_rd, junk, sizeof junk) > 0)
				;
		if (ufd >= 0 && p[1].revents & POLLIN)
			drain_uevents(l, ufd, buf);
		if (ufd < 0 && !sched_busy(&l->s))
			rescan(l); /* no socket: fall back to polling /sys */
	}
	return 0;
}

static void summary(struct loop *l, int timed_out)
{
	const struct ml_ctx *c = &l->c;
	long long t = now();
	log_msg(LOG_N,
		"coldplug: %u loaded, %u failed, %u skipped, %u already live, %u builtin; %u "
		"modaliases "
		"(%u unmatched), %u uevents; start %lld.%03llds, root %s%lld.%03llds, done "
		"%lld.%03llds "
		"(+%lld.%03llds)%s",
		c->loaded, c->failed, c->skipped, c->already, c->builtin, l->nseen, l->nomatch,
		l->events, l->t0 / 1000, l->t0 % 1000, l->t_root ? "" : "n/a ", l->t_root / 1000,
		l->t_root % 1000, t / 1000, t % 1000, (t - l->t0) / 1000, (t - l->t0) % 1000,
		timed_out ? ", TIMED OUT" : "");
}

int coldplug_run(const struct coldplug_opts *o)
{
	static struct loop l;
	char *cmdline;
	int notify[2], ufd, err;

	l.o = o;
	l.t0 = l.last_event = now();
	if (ctx_open(&l.c, applet_dir, NULL) < 0)
		return -ENOENT;
	if (ctx_check_kernel(&l.c) < 0) {
		ctx_close(&l.c);
		return -EXDEV;
	}
	cmdline = ctx_read_cmdline();
	ctx_configure(&l.c, RUNTIME_CONFIG, cmdline);
	free(cmdline);
	ctx_scan_loaded(&l.c);
	ufd = uevent_open();
	if (ufd < 0)
		log_warn("uevent socket: %s; falling back to rescanning /sys", strerror(-ufd));
	if (pipe2(notify, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    sched_start(&l.s, &l.c, o->jobs, notify[1]) < 0) {
		log_err("coldplug: cannot start workers: %s", strerror(errno));
		return -errno;
	}
	want_names(&l, l.c.cfg.pre, l.c.cfg.npre, "rd.driver.pre");
	want_flagged(&l);
	want_names(&l, l.c.cfg.load, l.c.cfg.nload, "load");
	want_names(&l, o->load, o->nload, "--load");
	log_dbg("coldplug: scanning /sys");
	rescan(&l);
	log_dbg("coldplug: scan done, %u modaliases", l.nseen);
	err = run_events(&l, ufd, notify[0], l.t0 + 1000LL * o->timeout);
	if (!err && l.c.cfg.npost) {
		want_names(&l, l.c.cfg.post, l.c.cfg.npost, "rd.driver.post");
		err = run_events(&l, ufd, notify[0], l.t0 + 1000LL * o->timeout);
	}
	if (err == -ETIMEDOUT) {
		sched_report_pending(&l.s);
		for (int i = 0; i < o->nwait; i++)
			if (!waitspec_present(o->wait[i]))
				log_err("coldplug: %s did not appear within %d s", o->wait[i],
					o->timeout);
	}
	summary(&l, err == -ETIMEDOUT);
	sched_stop(&l.s, err == -ETIMEDOUT);
	if (err != -ETIMEDOUT)
		ctx_close(&l.c);
	return 0;
}
