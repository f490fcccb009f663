/* sched.c: the worker pool (see sched.h). */
#include "sched.h"

#include "load.h"
#include "log.h"
#include "lookup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void enqueue(struct sched *s, unsigned mod, int required);

/* The modules mod's "pre" (post = 0) or "post" softdeps resolve to: a count
 * then the indices, malloc'ed; NULL when there are none. */
static unsigned *softdep_mods(const struct ml_ctx *c, unsigned mod, int post)
{
	const char **names;
	unsigned n = ctx_softdeps(c, mod, post, &names);
	struct modlist all;
	unsigned *out = NULL;

	modlist_init(&all);
	for (unsigned i = 0; i < n; i++)
		lookup_mods(&c->b, &c->extra, names[i], &all); /* appends; none on error */
	if (all.n && (out = malloc((all.n + 1) * sizeof *out))) {
		out[0] = all.n;
		memcpy(out + 1, all.v, all.n * sizeof *out);
	}
	modlist_free(&all);
	free(names);
	return out;
}

/* required: asked for, or a dependency of something required; softdeps are
 * not, so their failure is only worth a note. */
static void enqueue(struct sched *s, unsigned mod, int required)
{
	struct ml_ctx *c = s->c;
	struct blob_mod m = blob_mod(&c->b, mod);
	uint32_t n;
	const uint8_t *deps;

	if (mod >= blob_nmods(&c->b))
		return;
	if (required && !s->required[mod] && c->state[mod] != MS_NONE) {
		s->required[mod] = 1; /* now needed for real: so are its dependencies */
		deps = blob_list(&c->b, m.deps, &n);
		for (uint32_t i = 0; i < n; i++)
			enqueue(s, blob_u16(deps + 2 * i), 1);
	}
	if (c->state[mod] != MS_NONE)
		return;
	s->required[mod] = (unsigned char)required;
	if (m.flags & BM_BUILTIN) {
		c->state[mod] = MS_LIVE;
		c->builtin++;
		return;
	}
	if (ctx_forbidden(c, mod)) {
		log_info("%s: not loaded: forbidden by configuration", blob_str(&c->b, m.name));
		c->state[mod] = MS_SKIPPED;
		c->skipped++;
		return;
	}
	c->state[mod] = MS_QUEUED;
	s->queue[s->nqueue++] = mod;
	s->pre[mod] = softdep_mods(c, mod, 0);
	for (unsigned i = 0; s->pre[mod] && i < s->pre[mod][0]; i++)
		enqueue(s, s->pre[mod][1 + i], 0);
	deps = blob_list(&c->b, m.deps, &n);
	for (uint32_t i = 0; i < n; i++)
		enqueue(s, blob_u16(deps + 2 * i), required);
	unsigned *post = softdep_mods(c, mod, 1);
	for (unsigned i = 0; post && i < post[0]; i++)
		enqueue(s, post[1 + i], 0);
	free(post);
}

void sched_want(struct sched *s, unsigned mod)
{
	pthread_mutex_lock(&s->lock);
	enqueue(s, mod, 1);
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->lock);
}

/* 1 ready, 0 not yet, -1 a dependency failed (dep set to the culprit). */
static int readiness(const struct sched *s, unsigned mod, unsigned *dep)
{
	const struct ml_ctx *c = s->c;
	uint32_t n;
	const uint8_t *deps = blob_list(&c->b, blob_mod(&c->b, mod).deps, &n);

	for (uint32_t i = 0; i < n; i++) {
		unsigned d = blob_u16(deps + 2 * i);
		if (c->state[d] == MS_FAILED || c->state[d] == MS_SKIPPED)
			return *dep = d, -1;
		if (c->state[d] != MS_LIVE)
			return 0;
	}
	for (unsigned i = 0; s->pre[mod] && i < s->pre[mod][0]; i++) {
		unsigned p = s->pre[mod][1 + i];
		if (c->state[p] == MS_QUEUED || c->state[p] == MS_LOADING)
			return 0;
	}
	return 1;
}

static void settle(struct sched *s, unsigned mod, int state)
{
	s->c->state[mod] = (unsigned char)state;
	if (s->notify_fd >= 0) {
		ssize_t r = write(s->notify_fd, "", 1); /* a full pipe already says "wake up" */
		(void)r;
	}
	pthread_cond_broadcast(&s->work);
}

/* Take a ready module off the queue (lock held); fail those whose deps failed. */
static int pick(struct sched *s, unsigned *out)
{
	for (unsigned i = 0; i < s->nqueue; i++) {
		unsigned mod = s->queue[i], dep;
		int r = readiness(s, mod, &dep);
		if (r == 0)
			continue;
		s->queue[i--] = s->queue[--s->nqueue];
		if (r > 0) {
			*out = mod;
			return 1;
		}
		if (s->required[mod]) {
			log_err("%s: not loaded: it needs %s, which did not load",
				blob_mod_name(&s->c->b, mod), blob_mod_name(&s->c->b, dep));
			s->c->failed++;
		}
		settle(s, mod, MS_FAILED);
	}
	return 0;
}

static void record(struct sched *s, unsigned mod, int err)
{
	struct ml_ctx *c = s->c;
	const char *name = blob_mod_name(&c->b, mod);

	if (err == 0)
		c->loaded++;
	else if (err == -EEXIST)
		c->already++;
	else if (!s->required[mod])
		log_info("softdep %s not loaded: %s", name, load_strerror(c, mod, err));
	else {
		c->failed++;
		load_report(c, mod, err);
	}
	settle(s, mod, err == 0 || err == -EEXIST ? MS_LIVE : MS_FAILED);
}

static void *worker(void *arg)
{
	struct sched *s = arg;
	struct insert_buf buf = { NULL, 0 };
	unsigned mod;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		if (!pick(s, &mod)) {
			pthread_cond_wait(&s->work, &s->lock);
			continue;
		}
		s->c->state[mod] = MS_LOADING;
		s->loading++;
		pthread_mutex_unlock(&s->lock);
		log_dbg("%s: inserting", blob_mod_name(&s->c->b, mod));
		int err = load_insert(s->c, mod, NULL, NULL, &buf);
		log_dbg("%s: done (%d)", blob_mod_name(&s->c->b, mod), err);
		pthread_mutex_lock(&s->lock);
		s->loading--;
		record(s, mod, err);
	}
	pthread_mutex_unlock(&s->lock);
	insert_buf_free(&buf);
	return NULL;
}

int sched_start(struct sched *s, struct ml_ctx *c, int n, int notify_fd)
{
	pthread_attr_t attr;
	uint32_t nm = blob_nmods(&c->b);

	memset(s, 0, sizeof *s);
	s->c = c;
	s->notify_fd = notify_fd;
	s->queue = malloc((nm + 1) * sizeof *s->queue);
	s->pre = calloc(nm + 1, sizeof *s->pre);
	s->required = calloc(nm + 1, 1);
	if (!s->queue || !s->pre || !s->required)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10); /* load_insert keeps ~12 KiB of paths */
	if (n > SCHED_MAX_WORKERS)
		n = SCHED_MAX_WORKERS;
	for (s->nworkers = 0; s->nworkers < n; s->nworkers++)
		if (pthread_create(&s->tid[s->nworkers], &attr, worker, s) != 0)
			break;
	pthread_attr_destroy(&attr);
	return s->nworkers > 0 ? 0 : -EAGAIN;
}

unsigned sched_busy(struct sched *s)
{
	pthread_mutex_lock(&s->lock);
	unsigned n = s->nqueue + s->loading;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void sched_report_pending(struct sched *s)
{
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < blob_nmods(&s->c->b); i++)
		if (s->c->state[i] == MS_QUEUED || s->c->state[i] == MS_LOADING)
			log_warn("%s: still %s at the timeout", blob_mod_name(&s->c->b, i),
				 s->c->state[i] == MS_LOADING ? "initialising"
							      : "waiting for dependencies");
	pthread_mutex_unlock(&s->lock);
}

void sched_stop(struct sched *s, int force)
{
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->lock);
	if (force)
		return; /* a worker may be stuck in a module's init: do not wait for it */
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->tid[i], NULL);
	for (uint32_t i = 0; i < blob_nmods(&s->c->b); i++)
		free(s->pre[i]);
	free(s->pre);
	free(s->queue);
	free(s->required);
}
