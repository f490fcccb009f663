/* test_engine.c: the planner (plan.c) and the executor (exec.c) without a
 * kernel, on a small blob packed from real modules (run-engine makes it).
 *
 *   test_engine DIR TMPDIR
 *
 * Inserts go to a fake (struct exec_ops) that records each call (module,
 * parameter string, start and end on one logical clock), can take time and
 * can fail. Both engine paths are driven as the programs drive them:
 * modprobe's (plan_request, then exec_inline: queue, insert inline) and coldplug's
 * (coldplug_loop on a crafted device tree, no uevent socket, N workers).
 * Every case checks what was inserted, how often (once), in what order
 * (each module after what it waits for), with which options, and that the
 * two paths agree. pthread_create is wrapped (-Wl,--wrap) so that worker
 * start failures can be simulated. One line per failed check; the last line
 * is a summary; exit status 0 when all pass. */
#include "coldplug.h"
#include "exec.h"
#include "log.h"
#include "plan.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *dir, *tmp;
static struct ml_ctx c;

/* --- pthread_create, wrapped ------------------------------------------- */
int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
static int threads_left = -1; /* creations that succeed; -1: all */

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	if (threads_left == 0)
		return EAGAIN; /* as pthread_create does: the error returned, errno untouched */
	if (threads_left > 0)
		threads_left--;
	return __real_pthread_create(t, a, fn, arg);
}

/* --- the fake insert --------------------------------------------------- */
#define MAXREC 8192
struct rec {
	unsigned mod;
	char *opts;
	long start, end;
	int err;
};
static struct {
	pthread_mutex_t lock;
	struct rec r[MAXREC];
	unsigned n;
	long clock;
	int active, maxactive;
	int jitter; /* each insert sleeps 0..jitter-1 ms */
	unsigned seed;
} F = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct rule {
	const char *name;
	int delay_ms, err;
};
static struct rule rules[8];

static int fake_insert(void *arg, const struct ml_ctx *cx, unsigned mod, const char *opts,
		       struct insert_buf *buf)
{
	const char *name = blob_mod_name(&cx->b, mod);
	int delay = 0, err = 0;
	unsigned i;

	(void)arg;
	(void)buf;
	pthread_mutex_lock(&F.lock);
	i = F.n < MAXREC ? F.n++ : MAXREC - 1;
	F.r[i] = (struct rec){ mod, strdup(opts), F.clock++, -1, 0 };
	if (++F.active > F.maxactive)
		F.maxactive = F.active;
	if (F.jitter)
		delay = (int)(rand_r(&F.seed) % (unsigned)F.jitter);
	pthread_mutex_unlock(&F.lock);
	for (struct rule *r = rules; r->name; r++)
		if (!strcmp(r->name, name))
			delay = r->delay_ms, err = r->err;
	if (delay)
		usleep((useconds_t)delay * 1000);
	pthread_mutex_lock(&F.lock);
	F.r[i].end = F.clock++;
	F.r[i].err = err;
	F.active--;
	pthread_mutex_unlock(&F.lock);
	return err;
}

static const struct exec_ops fake = { fake_insert, NULL, NULL };

static void fake_reset(void)
{
	for (unsigned i = 0; i < F.n; i++)
		free(F.r[i].opts);
	F.n = 0;
	F.clock = 0;
	F.maxactive = F.active = 0;
	F.jitter = 0;
	memset(rules, 0, sizeof rules);
}

/* The record of mod's insert, or NULL; how many inserts it had in *count. */
static const struct rec *rec_of(unsigned mod, int *count)
{
	const struct rec *hit = NULL;
	int n = 0;
	for (unsigned i = 0; i < F.n; i++)
		if (F.r[i].mod == mod)
			hit = hit ? hit : &F.r[i], n++;
	if (count)
		*count = n;
	return hit;
}

static unsigned mod_of(const char *name)
{
	int m = blob_find_mod(&c.b, name);
	if (m < 0) {
		printf("FAIL: module %s is not in %s (run-engine packs it)\n", name, dir);
		exit(2);
	}
	return (unsigned)m;
}

/* The names inserted, in the order the inserts started. */
static const char *sequence(void)
{
	static char s[65536];
	size_t used = 0;
	s[0] = '\0';
	for (unsigned i = 0; i < F.n && used < sizeof s - 256; i++)
		used += (size_t)snprintf(s + used, sizeof s - used, "%s%s", i ? " " : "",
					 blob_mod_name(&c.b, F.r[i].mod));
	return s;
}

/* --- stderr capture (log.c writes to fd 2) ------------------------------ */
/* Nested captures are part of the outermost one. */
static char captured[65536];
static int saved_err = -1, cap_depth;
static FILE *capf;

static void cap_begin(void)
{
	if (cap_depth++)
		return;
	capf = tmpfile();
	saved_err = dup(2);
	dup2(fileno(capf), 2);
}

static const char *cap_end(void)
{
	size_t n;
	if (--cap_depth)
		return "";
	dup2(saved_err, 2);
	close(saved_err);
	rewind(capf);
	n = fread(captured, 1, sizeof captured - 1, capf);
	captured[n] = '\0';
	fclose(capf);
	return captured;
}

/* --- set-up ------------------------------------------------------------ */
static void setup(const char *name, const char *conf)
{
	char path[4096];
	FILE *f;

	tcase = name;
	fake_reset();
	snprintf(path, sizeof path, "%s/%s.conf", tmp, name);
	f = fopen(path, "w");
	fputs(conf, f);
	fclose(f);
	if (ctx_open(&c, dir, NULL) < 0) {
		printf("FAIL: cannot open %s\n", dir);
		exit(2);
	}
	ctx_configure(&c, path, NULL);
}

static void teardown(void)
{
	ctx_close(&c);
	fake_reset();
}

static struct plan plan_of(const char *name)
{
	struct plan p;
	plan_init(&p, &c);
	plan_request(&p, &c, name, NULL, 0);
	return p;
}

/* modprobe's path. Returns what exec_inline did; counts in *n. */
static int run_modprobe(const char *name, const char *params, struct exec_counts *n)
{
	struct exec e;
	struct plan p;
	int err;

	exec_init(&e, &c, &fake);
	plan_init(&p, &c);
	cap_begin(); /* what it says: in captured, for the callers that check it */
	err = exec_inline(&e, &p, plan_request(&p, &c, name, params, 0));
	cap_end();
	if (n)
		*n = e.n;
	exec_stop(&e, 0);
	plan_free(&p);
	return err;
}

/* coldplug's path: --load NAMES (NULL-terminated), devices with the given
 * modaliases (NULL-terminated), jobs workers. Returns coldplug_loop's
 * result; counts in *n. */
static int deadline_s; /* coldplug's --deadline in run_coldplug */

static int run_coldplug(const char *const *load, const char *const *modaliases, int jobs,
			struct exec_counts *n)
{
	static unsigned serial;
	struct coldplug_opts o = {
		.timeout = 10, .idle_ms = 20, .jobs = jobs, .isolated = 1, .deadline = deadline_s
	};
	char devs[4096], path[4200];
	char *names[16];
	unsigned nn = 0;
	int err;

	snprintf(devs, sizeof devs, "%s/devices%u", tmp, serial++);
	mkdir(devs, 0755);
	for (unsigned i = 0; modaliases && modaliases[i]; i++) {
		FILE *f;
		snprintf(path, sizeof path, "%s/dev%u", devs, i);
		mkdir(path, 0755);
		snprintf(path, sizeof path, "%s/dev%u/modalias", devs, i);
		f = fopen(path, "w");
		fprintf(f, "%s\n", modaliases[i]);
		fclose(f);
	}
	for (; load && load[nn]; nn++)
		names[nn] = (char *)load[nn];
	o.load = names;
	o.nload = nn;
	o.devices = devs;
	cap_begin(); /* the summary line */
	err = coldplug_loop(&c, &fake, &o, n);
	cap_end();
	return err;
}

/* Every module inserted at most once, each after what the plan of name makes
 * it wait for: dependencies inserted (and live) before it starts, and with
 * soft, softdeps settled before it starts. (A module keeps the edges of the
 * first plan that queued it; with several requests, only the first request's
 * softdep edges are those the executor used. Dependencies are the same in
 * every plan.) */
static void check_order_soft(const char *name, int soft)
{
	struct plan p = plan_of(name);

	for (unsigned i = 0; i < F.n; i++) {
		int count;
		rec_of(F.r[i].mod, &count);
		CHECK(count == 1, "%s inserted %d times", blob_mod_name(&c.b, F.r[i].mod), count);
	}
	for (unsigned i = 0; i < p.n; i++) {
		const struct plan_node *nd = &p.node[i];
		const struct rec *m = rec_of(nd->mod, NULL);
		for (unsigned k = 0; m && k < nd->npred; k++) {
			unsigned pm = p.pred[nd->pred + k] >> 1,
				 hard = p.pred[nd->pred + k] & PRED_HARD;
			const struct rec *r = rec_of(pm, NULL);
			if (blob_mod(&c.b, pm).flags & BM_BUILTIN)
				continue;
			if (hard)
				CHECK(r && r->err == 0 && r->end < m->start,
				      "%s started before its dependency %s was live",
				      blob_mod_name(&c.b, nd->mod), blob_mod_name(&c.b, pm));
			else if (soft)
				CHECK(!r || r->end < m->start,
				      "%s started before its softdep %s settled",
				      blob_mod_name(&c.b, nd->mod), blob_mod_name(&c.b, pm));
		}
	}
	plan_free(&p);
}

static void check_order(const char *name)
{
	check_order_soft(name, 1);
}

/* The two paths, one worker each, insert the same modules in the same order
 * with the same options. */
static void check_same(const char *name)
{
	static char seq1[65536], opts1[65536];
	char opts2[sizeof opts1];
	const char *load[] = { name, NULL };
	struct exec_counts n1, n2;

	fake_reset();
	run_modprobe(name, NULL, &n1);
	snprintf(seq1, sizeof seq1, "%s", sequence());
	opts1[0] = '\0';
	for (unsigned i = 0; i < F.n; i++)
		strncat(opts1, F.r[i].opts, sizeof opts1 - strlen(opts1) - 2), strcat(opts1, "|");
	fake_reset();
	run_coldplug(load, NULL, 1, &n2);
	CHECK(!strcmp(seq1, sequence()), "%s: modprobe inserts '%s', coldplug '%s'", name, seq1,
	      sequence());
	opts2[0] = '\0';
	for (unsigned i = 0; i < F.n; i++)
		strncat(opts2, F.r[i].opts, sizeof opts2 - strlen(opts2) - 2), strcat(opts2, "|");
	CHECK(!strcmp(opts1, opts2), "%s: options differ: modprobe '%.200s', coldplug '%.200s'",
	      name, opts1, opts2);
	CHECK(n1.loaded == n2.loaded && n1.failed == n2.failed && n1.skipped == n2.skipped &&
		      n1.already == n2.already && n1.builtin == n2.builtin,
	      "%s: counts differ: modprobe %u/%u/%u/%u/%u, coldplug %u/%u/%u/%u/%u "
	      "(loaded/failed/skipped/already/builtin)",
	      name, n1.loaded, n1.failed, n1.skipped, n1.already, n1.builtin, n2.loaded, n2.failed,
	      n2.skipped, n2.already, n2.builtin);
	fake_reset();
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* --- the cases --------------------------------------------------------- */

/* softdep m pre: m, and A pre: B where B needs A: planned once, loaded, no stall. */
static void t_cycles(void)
{
	const char *loop[] = { "loop", NULL }, *vnet[] = { "virtio_net", NULL };
	struct timespec t0;
	int err, count;

	setup("cycle-self", "softdep loop pre: loop\n");
	struct plan p = plan_of("loop");
	CHECK(p.n == 1 && p.node[0].npred == 0, "plan of loop: %u nodes, %u edges", p.n,
	      p.n ? p.node[0].npred : 0);
	plan_free(&p);
	CHECK(run_modprobe("loop", NULL, NULL) == 0 && !strcmp(sequence(), "loop"),
	      "modprobe loop inserted '%s'", sequence());
	fake_reset();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = run_coldplug(loop, NULL, 8, NULL);
	CHECK(err == 0 && ms_since(&t0) < 3000, "coldplug loop: %d after %ld ms (stalled?)", err,
	      ms_since(&t0));
	rec_of(mod_of("loop"), &count);
	CHECK(count == 1, "coldplug inserted loop %d times", count);
	check_same("loop");
	teardown();

	/* virtio_net needs virtio: "virtio pre: virtio_net" closes a cycle. */
	setup("cycle-dep", "softdep virtio pre: virtio_net\n");
	CHECK(run_modprobe("virtio_net", NULL, NULL) == 0, "modprobe virtio_net failed");
	CHECK(!strcmp(sequence(), "virtio_ring virtio failover net_failover virtio_net"),
	      "modprobe virtio_net inserted '%s'", sequence());
	fake_reset();
	rules[0] = (struct rule){ "virtio", 50, 0 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = run_coldplug(vnet, NULL, 8, NULL);
	CHECK(err == 0 && ms_since(&t0) < 3000, "coldplug virtio_net: %d after %ld ms (stalled?)",
	      err, ms_since(&t0));
	CHECK(F.n == 5, "coldplug virtio_net inserted %u modules: '%s'", F.n, sequence());
	check_order("virtio_net");
	check_same("virtio_net");
	check_same("virtio");
	teardown();

	/* Two modules that are each other's pre softdep. */
	setup("cycle-pair", "softdep loop pre: pcspkr\nsoftdep pcspkr pre: loop\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = run_coldplug(loop, NULL, 8, NULL);
	CHECK(err == 0 && ms_since(&t0) < 3000 && F.n == 2,
	      "coldplug loop (pair): %d after %ld ms, inserted '%s'", err, ms_since(&t0),
	      sequence());
	fake_reset();
	check_same("loop");
	check_same("pcspkr");
	teardown();
}

/* forbid on a dependency and on a softdep, in both paths. */
static void t_forbid(void)
{
	const char *vnet[] = { "virtio_net", NULL }, *loop[] = { "loop", NULL };
	struct exec_counts n;
	const char *log;
	int err;

	setup("forbid-dep", "forbid virtio\n");
	err = run_modprobe("virtio_net", NULL, &n);
	log = captured;
	CHECK(err == -EPERM && F.n == 0,
	      "modprobe virtio_net with virtio forbidden: %d, inserted '%s'", err, sequence());
	CHECK(strstr(log, "virtio_net: not loaded: it needs virtio, which is forbidden by "
			  "configuration"),
	      "modprobe's message: '%s'", log);
	CHECK(n.skipped == 1, "modprobe skipped %u", n.skipped);
	fake_reset();
	run_coldplug(vnet, NULL, 8, &n);
	CHECK(F.n == 0 && n.skipped == 1,
	      "coldplug virtio_net with virtio forbidden inserted '%s', "
	      "skipped %u",
	      sequence(), n.skipped);
	check_same("virtio_net");
	teardown();

	setup("forbid-softdep",
	      "softdep loop pre: pcspkr post: xfs\nforbid pcspkr\nforbid libcrc32c\n");
	CHECK(run_modprobe("loop", NULL, NULL) == 0 && !strcmp(sequence(), "loop"),
	      "modprobe loop with forbidden softdeps inserted '%s'", sequence());
	fake_reset();
	run_coldplug(loop, NULL, 8, NULL);
	CHECK(!strcmp(sequence(), "loop"), "coldplug loop with forbidden softdeps inserted '%s'",
	      sequence());
	check_same("loop");
	teardown();
}

/* Options given for an alias apply when the module is asked for by it. */
static void t_alias_options(void)
{
	const char *mydisk[] = { "my-disk", NULL };
	const char *vblk_dev[] = { "virtio:d00000002v00001AF4", NULL };
	const struct rec *r;

	setup("alias-options", "alias my-disk virtio_blk\noptions my-disk queue_depth=8\n"
			       "options virtio_blk num_request_queues=1\n");
	run_modprobe("my-disk", NULL, NULL);
	r = rec_of(mod_of("virtio_blk"), NULL);
	CHECK(r && !strcmp(r->opts, "queue_depth=8 num_request_queues=1"),
	      "modprobe my-disk: virtio_blk options '%s'", r ? r->opts : "(not inserted)");
	fake_reset();
	run_coldplug(mydisk, NULL, 8, NULL);
	r = rec_of(mod_of("virtio_blk"), NULL);
	CHECK(r && !strcmp(r->opts, "queue_depth=8 num_request_queues=1"),
	      "coldplug --load my-disk: virtio_blk options '%s'", r ? r->opts : "(not inserted)");
	check_order("my-disk");
	fake_reset();
	/* A device's modalias is not the alias: only the module's own options. */
	run_coldplug(NULL, vblk_dev, 8, NULL);
	r = rec_of(mod_of("virtio_blk"), NULL);
	CHECK(r && !strcmp(r->opts, "num_request_queues=1"),
	      "coldplug device virtio_blk options '%s'", r ? r->opts : "(not inserted)");
	check_same("my-disk");
	teardown();
}

/* A post softdep is inserted after its module, in both paths. */
static void t_post_order(void)
{
	const char *loop[] = { "loop", NULL };
	const struct rec *a, *b;

	setup("post-order", "softdep loop post: pcspkr\n");
	run_modprobe("loop", NULL, NULL);
	CHECK(!strcmp(sequence(), "loop pcspkr"), "modprobe loop inserted '%s'", sequence());
	fake_reset();
	rules[0] = (struct rule){ "loop", 100, 0 };
	run_coldplug(loop, NULL, 8, NULL);
	a = rec_of(mod_of("loop"), NULL);
	b = rec_of(mod_of("pcspkr"), NULL);
	CHECK(a && b && a->end < b->start, "coldplug: pcspkr started before loop was done ('%s')",
	      sequence());
	check_order("loop");
	check_same("loop");
	fake_reset();
	/* As kmod: a module that is live already has nothing to do, not even
	 * its softdeps; one its chain reaches is only not inserted again. */
	{
		struct exec e;
		struct plan p;
		exec_init(&e, &c, &fake);
		plan_init(&p, &c);
		e.m[mod_of("loop")].state = MS_LIVE;
		CHECK(exec_inline(&e, &p, plan_request(&p, &c, "loop", NULL, 0)) == 0 && F.n == 0,
		      "modprobe of a live loop inserted '%s'", sequence());
		e.m[mod_of("loop")].state = MS_NONE;
		e.m[mod_of("pcspkr")].state = MS_LIVE;
		CHECK(exec_inline(&e, &p, plan_request(&p, &c, "loop", NULL, 0)) == 0 &&
			      !strcmp(sequence(), "loop"),
		      "modprobe loop with pcspkr live inserted '%s'", sequence());
		exec_stop(&e, 0);
		plan_free(&p);
	}
	teardown();
}

/* One failed dependency: the same modules tried and the same counts. */
static void t_failures(void)
{
	const char *vnet[] = { "virtio_net", NULL };
	struct exec_counts n1, n2;
	int count, err;

	setup("failure", "");
	rules[0] = (struct rule){ "virtio", 0, -ENOEXEC };
	cap_begin();
	err = run_modprobe("virtio_net", NULL, &n1);
	cap_end();
	CHECK(err == -EIO, "modprobe virtio_net returned %d", err);
	rec_of(mod_of("virtio_net"), &count);
	CHECK(count == 0, "virtio_net tried although virtio failed");
	CHECK(n1.loaded == 3 && n1.failed == 2, "modprobe: %u loaded, %u failed (want 3, 2)",
	      n1.loaded, n1.failed);
	fake_reset();
	rules[0] = (struct rule){ "virtio", 0, -ENOEXEC };
	cap_begin();
	run_coldplug(vnet, NULL, 8, &n2);
	cap_end();
	rec_of(mod_of("virtio_net"), &count);
	CHECK(count == 0, "coldplug tried virtio_net although virtio failed");
	CHECK(n2.loaded == n1.loaded && n2.failed == n1.failed,
	      "coldplug: %u loaded, %u failed; modprobe %u, %u", n2.loaded, n2.failed, n1.loaded,
	      n1.failed);
	/* A softdep's failure is not fatal. */
	teardown();
	setup("softdep-failure", "softdep loop pre: pcspkr\n");
	rules[0] = (struct rule){ "pcspkr", 0, -ENOEXEC };
	CHECK(run_modprobe("loop", NULL, &n1) == 0 && !strcmp(sequence(), "pcspkr loop"),
	      "modprobe loop with failing softdep: '%s'", sequence());
	CHECK(n1.failed == 0 && n1.loaded == 1, "softdep failure counted: %u failed", n1.failed);
	teardown();
}

/* Parameter strings of any length reach the insert whole. */
static void t_long_options(void)
{
	static char conf[8192], want[16384], params[6000];
	const char *loop[] = { "loop", NULL };
	const struct rec *r;
	size_t used = (size_t)snprintf(conf, sizeof conf, "options loop");

	for (int i = 0; used < 7000; i++)
		used += (size_t)snprintf(conf + used, sizeof conf - used, " p%d=%040d", i, i);
	snprintf(want, sizeof want, "%s", conf + strlen("options loop "));
	strcat(conf, "\n");
	setup("long-options", conf);
	run_modprobe("loop", NULL, NULL);
	r = rec_of(mod_of("loop"), NULL);
	CHECK(r && strlen(want) > 4096 && !strcmp(r->opts, want),
	      "modprobe: loop got %zu bytes of options, want %zu", r ? strlen(r->opts) : 0,
	      strlen(want));
	fake_reset();
	run_coldplug(loop, NULL, 8, NULL);
	r = rec_of(mod_of("loop"), NULL);
	CHECK(r && !strcmp(r->opts, want), "coldplug: loop got %zu bytes of options, want %zu",
	      r ? strlen(r->opts) : 0, strlen(want));
	fake_reset();
	/* ... and modprobe's own parameters, after the configured ones. */
	memset(params, 'y', sizeof params - 1);
	memcpy(params, "q=", 2);
	params[sizeof params - 1] = '\0';
	run_modprobe("loop", params, NULL);
	r = rec_of(mod_of("loop"), NULL);
	CHECK(r && strlen(r->opts) == strlen(want) + 1 + strlen(params) &&
		      !strcmp(r->opts + strlen(want) + 1, params),
	      "modprobe loop PARAMS: %zu bytes, want %zu", r ? strlen(r->opts) : 0,
	      strlen(want) + 1 + strlen(params));
	teardown();
}

/* More than 64 softdep names, more than 1024 plan entries, 8 workers. */
static void t_big(void)
{
	static char conf[1 << 16];
	const char *many[] = { "many", NULL };
	unsigned nb = 0, nl = 0, want = 0;
	size_t used = (size_t)snprintf(conf, sizeof conf, "softdep loop pre:");
	struct plan p;

	ctx_open(&c, dir, NULL);
	/* Built-ins known by name (a BM_NONAME one is found by its aliases only). */
	for (uint32_t i = 0; i < blob_nmods(&c.b) && nb < 80; i++)
		if ((blob_mod(&c.b, i).flags & (BM_BUILTIN | BM_NONAME)) == BM_BUILTIN)
			used += (size_t)snprintf(conf + used, sizeof conf - used, " %s",
						 blob_mod_name(&c.b, i)),
				nb++;
	used += (size_t)snprintf(conf + used, sizeof conf - used, "\n");
	/* "many" is an alias of every loadable module, each with loop as its pre softdep. */
	for (uint32_t i = 0; i < blob_nmods(&c.b) && nl < 60; i++) {
		const char *name = blob_mod_name(&c.b, i);
		if ((blob_mod(&c.b, i).flags & BM_BUILTIN) || !strcmp(name, "loop"))
			continue;
		used += (size_t)snprintf(conf + used, sizeof conf - used,
					 "alias many %s\nsoftdep %s pre: loop\n", name, name);
		nl++;
	}
	ctx_close(&c);
	setup("big", conf);
	CHECK(nb == 80 && nl >= 20, "blob has %u built-in and %u loadable modules", nb, nl);
	p = plan_of("loop");
	CHECK(p.n == nb + 1, "plan of loop: %u entries, want %u (80 softdeps + loop)", p.n, nb + 1);
	plan_free(&p);
	p = plan_of("many");
	CHECK(p.n > 1024 && p.nchain == nl, "plan of many: %u entries in %u chains", p.n, p.nchain);
	for (unsigned i = 0; i < p.n; i++)
		want += p.pos[p.node[i].mod] == i + 1 &&
			!(blob_mod(&c.b, p.node[i].mod).flags & BM_BUILTIN);
	plan_free(&p);
	run_modprobe("many", NULL, NULL);
	CHECK(F.n == want, "modprobe many: %u inserts, want %u", F.n, want);
	check_order("many");
	fake_reset();
	F.jitter = 3;
	run_coldplug(many, NULL, 8, NULL);
	CHECK(F.n == want, "coldplug many: %u inserts, want %u", F.n, want);
	CHECK(F.maxactive > 1, "8 workers never inserted two modules at once");
	check_order("many");
	check_same("many");
	teardown();
}

/* Worker threads that cannot start: the error is pthread_create's return
 * value, and coldplug still inserts (in its event loop). */
static void t_threads(void)
{
	const char *loop[] = { "loop", NULL };
	struct exec e;
	int err;

	setup("threads", "");
	exec_init(&e, &c, &fake);
	threads_left = 0;
	errno = 0;
	err = exec_start(&e, 8, -1);
	CHECK(err == -EAGAIN && e.nworkers == 0, "exec_start with no threads: %d, %d workers", err,
	      e.nworkers);
	exec_stop(&e, 0);
	exec_init(&e, &c, &fake);
	threads_left = 3;
	cap_begin();
	err = exec_start(&e, 8, -1);
	const char *log = cap_end();
	CHECK(err == 0 && e.nworkers == 3 && strstr(log, "only 3 of 8 workers"),
	      "exec_start with 3 threads: %d, %d workers, '%s'", err, e.nworkers, log);
	exec_stop(&e, 0);
	threads_left = 0;
	cap_begin();
	struct coldplug_opts o = { .timeout = 5, .idle_ms = 20, .jobs = 4, .isolated = 1 };
	char *names[] = { (char *)"loop" };
	char devs[4200];
	snprintf(devs, sizeof devs, "%s/nodevices", tmp);
	mkdir(devs, 0755);
	o.load = names;
	o.nload = 1;
	o.devices = devs;
	err = coldplug_loop(&c, &fake, &o, NULL);
	log = cap_end();
	threads_left = -1;
	CHECK(err == 0 && !strcmp(sequence(), "loop") &&
		      strstr(log, "cannot start workers: Resource temporarily unavailable"),
	      "coldplug without threads: %d, inserted '%s', said '%.300s'", err, sequence(), log);
	(void)loop;
	teardown();
}

/* LeakSanitizer: coldplug_loop leaves its loop to a worker stuck in an
 * insert by design (exec_stop returns 1): only t_deadline's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:t_deadline\n";
}

/* A load past its deadline: said by name, counted as hung, not waited
 * for; what needs it is skipped, the rest loads; with one worker, a spare
 * takes the stuck one's place. */
static void t_deadline(void)
{
	const char *load[] = { "ext4", "loop", NULL };
	struct exec_counts n;
	struct timespec a, b;

	setup("deadline", "");
	rules[0] = (struct rule){ "jbd2", 2500, 0 };
	deadline_s = 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	cap_begin();
	int err = run_coldplug(load, NULL, 1, &n);
	const char *log = cap_end();
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	deadline_s = 0;
	CHECK(err == 0 && n.hung == 1 && ms >= 1000 && ms < 2000,
	      "hung jbd2: returned %d after %ld ms, %u hung", err, ms, n.hung);
	CHECK(strstr(log, "jbd2: init has not returned after") && strstr(log, "1 hung"),
	      "not said: '%.400s'", log);
	CHECK(rec_of(mod_of("loop"), NULL) && !rec_of(mod_of("ext4"), NULL),
	      "loop must load, ext4 (needs jbd2) must not: '%s'", sequence());
	cap_begin();
	usleep(2000 * 1000); /* the stuck insert returns before the blob is closed */
	log = cap_end();
	CHECK(strstr(log, "jbd2: init returned after its deadline: loaded"), "late: '%.300s'", log);
	teardown();
}

/* Many requests at once (devices and names, cycles configured), jittered
 * inserts, 8 workers, several rounds: each module once, in order. */
static void t_stress(void)
{
	const char *load[] = { "loop", "xfs", "ext4", "btrfs", NULL };
	const char *devs[] = { "virtio:d00000002v00001AF4", "virtio:d00000001v00001AF4",
			       "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00", NULL };

	for (int round = 0; round < 10; round++) {
		setup("stress",
		      "softdep virtio pre: virtio_net\nsoftdep loop pre: loop post: pcspkr\n"
		      "softdep jbd2 post: ext4 loop\n");
		F.jitter = 3;
		F.seed = (unsigned)round;
		CHECK(run_coldplug(load, devs, 8, NULL) == 0, "round %d timed out", round);
		for (unsigned i = 0; load[i]; i++)
			check_order_soft(load[i], i == 0);
		check_order_soft("virtio_net", 0);
		check_order_soft("virtio_blk", 0);
		check_order_soft("e1000e", 0);
		CHECK(rec_of(mod_of("e1000e"), NULL) && rec_of(mod_of("virtio_net"), NULL),
		      "devices not loaded: '%s'", sequence());
		teardown();
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test_engine DIR TMPDIR\n");
		return 2;
	}
	dir = argv[1];
	tmp = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0); /* FAIL lines out even if a sanitizer aborts */
	t_cycles();
	t_forbid();
	t_alias_options();
	t_post_order();
	t_failures();
	t_long_options();
	t_big();
	t_threads();
	t_deadline();
	t_stress();
	printf("test_engine: %d checks, %d failed\n", ncheck, nfail);
	return nfail ? 1 : 0;
}
