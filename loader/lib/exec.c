/* exec.c: the executor (see exec.h). */
#include "exec.h"

#include "alias.h"
#include "fmt.h"
#include "log.h"
#include "readfile.h"
#include "report.h"
#include "sysmod.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int kernel_insert(void *arg, const struct ml_ctx *c, unsigned mod, const char *opts,
			 struct insert_buf *buf)
{
	char path[2 * PATH_MAX];
	int err = ctx_mod_path(c, mod, path, sizeof path);

	(void)arg;
	if (err < 0)
		return err; /* corrupt record, too long, or no file: the report says which */
	if (c->flags & CTX_VERBOSE)
		log_msg(LOG_N, "insmod %s %s", path, opts);
	return insert_module(path, opts, buf);
}

const struct exec_ops exec_kernel = { kernel_insert, NULL, exec_install };

extern char **environ;

static int run_install(const struct cfg_cmd *cmd, const char *name, const char *opts)
{
	const char *c = cmd->cmd, *argv[4] = { "sh", "-c", NULL, NULL };
	size_t n = strcspn(c, " \t");
	char *line;
	pid_t pid;
	int st, err;

	if (!c[n + strspn(c + n, " \t")]) { /* one word: the no-op idioms */
		const char *w = c;
		if (!strncmp(w, "/usr", 4))
			w += 4;
		if (!strncmp(w, "/bin/", 5))
			w += 5;
		size_t k = n - (size_t)(w - c); /* the word's length after them */
		if ((k == 4 && !strncmp(w, "true", 4)) || (k == 5 && !strncmp(w, "false", 5)))
			return w[0] == 't' ? 0 : INSTALL_EXIT(1);
	}
	if (access("/bin/sh", X_OK) < 0) {
		log_err("%s: the install command of %s needs /bin/sh, which is not there", name,
			cmd->where);
		return -ENOENT;
	}
	if (!(line = strdup(c)))
		return -ENOMEM;
	for (size_t at = 0; line && line[at]; at++) { /* as kmod: the text is replaced */
		if (strncmp(line + at, "$CMDLINE_OPTS", 13))
			continue;
		char *nl = fmt_alloc("%.*s%s%s", (int)at, line, opts, line + at + 13);
		free(line);
		line = nl;
		at += strlen(opts) - 1;
	}
	if (!line)
		return -ENOMEM;
	argv[2] = line;
	log_dbg("%s: install %s", name, line);
	if ((pid = fork()) == 0) {
		/* The environment and MODPROBE_MODULE=name, on the child's stack:
		 * nothing is allocated after fork in a process with threads. */
		size_t nenv = 0;
		while (environ[nenv])
			nenv++;
		char env[sizeof "MODPROBE_MODULE=" + strlen(name)], *envp[nenv + 2];
		fmt_snprintf(env, sizeof env, "MODPROBE_MODULE=%s", name);
		memcpy(envp, environ, nenv * sizeof *envp);
		envp[nenv] = env;
		envp[nenv + 1] = NULL;
		execve("/bin/sh", (char **)argv, envp);
		_exit(127);
	}
	err = pid < 0 ? -errno : 0;
	while (!err && waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			err = -errno;
	if (!err && (!WIFEXITED(st) || WEXITSTATUS(st)))
		err = INSTALL_EXIT(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	free(line);
	return err;
}

int exec_install(void *arg, const struct cfg_cmd *cmd, const char *name, const char *opts)
{
	int err = run_install(cmd, name, opts);

	(void)arg;
	if (err)
		report_install(name, cmd, err, 1);
	return err;
}

int exec_init(struct exec *e, const struct ml_ctx *c, const struct exec_ops *ops)
{
	uint32_t nm = blob_nmods(&c->b);

	memset(e, 0, sizeof *e);
	e->c = c;
	e->ops = *ops;
	e->notify_fd = -1;
	e->m = calloc(nm + 1, sizeof *e->m);
	e->queue = malloc((nm + 1) * sizeof *e->queue);
	if (!e->m || !e->queue) {
		free(e->m);
		free(e->queue);
		return -ENOMEM;
	}
	return 0;
}

/* Lock held. Move queued mod behind the other front entries (their order,
 * dependencies first, is kept). */
static void to_front(struct exec *e, unsigned mod)
{
	unsigned j = e->nfront;

	e->m[mod].front = 1;
	while (j < e->nqueue && e->queue[j] != mod)
		j++;
	if (j == e->nqueue)
		return; /* among the front ones already */
	memmove(e->queue + e->nfront + 1, e->queue + e->nfront, (j - e->nfront) * sizeof *e->queue);
	e->queue[e->nfront++] = mod;
}

int exec_add(struct exec *e, const struct plan *p)
{
	const struct ml_ctx *c = e->c;
	int err = 0;

	flock_lock(&e->lock);
	for (unsigned i = 0, chain = ~0u, handled = 0; i < p->n && !err; i++) {
		const struct plan_node *nd = &p->node[i];
		const struct plan_chain *ch = &p->chain[nd->chain];
		struct exec_mod *m = &e->m[nd->mod];
		int target = (nd->flags & PN_TARGET) != 0;
		unsigned *pred;

		/* As kmod: nothing to do for a chain whose module is live (or
		 * handled already in this run), softdeps included. */
		if (nd->chain != chain) {
			chain = nd->chain;
			if (ch->mod == blob_nmods(&c->b)) /* a name that only has a command */
				e->m[ch->mod].state = MS_NONE;
			handled = e->m[ch->mod].state != MS_NONE;
		}
		if (nd->flags & PN_REQUIRED)
			m->required = 1;
		if (handled || m->state != MS_NONE) {
			if (e->front && m->state == MS_QUEUED)
				to_front(e, nd->mod); /* queued for something else first */
			continue; /* in the table already (or just added: a repeat) */
		}
		if (blob_mod(&c->b, nd->mod).flags & BM_BUILTIN) {
			m->state = MS_LIVE;
			e->n.builtin++;
			continue;
		}
		if (e->npred + nd->npred > e->predcap) {
			if (!(pred = plan_grow(e->pred, &e->predcap, e->npred + nd->npred,
					       sizeof *pred))) {
				err = -ENOMEM;
				break;
			}
			e->pred = pred;
		}
		free(m->opts);
		m->cmd = nd->cmd;
		m->opts = ctx_options(c, nd->mod, target ? ch->alias : NULL,
				      target ? ch->params : NULL);
		if (!m->opts) {
			err = -ENOMEM;
			break;
		}
		if (nd->npred)
			memcpy(e->pred + e->npred, p->pred + nd->pred, nd->npred * sizeof *e->pred);
		m->pred = e->npred;
		m->npred = nd->npred;
		e->npred += nd->npred;
		m->state = MS_QUEUED;
		e->queue[e->nqueue++] = nd->mod;
		if (e->front)
			to_front(e, nd->mod);
	}
	e->n.skipped += p->skipped;
	flock_broadcast(&e->work);
	flock_unlock(&e->lock);
	return err;
}

/* Lock held. Say mod settled: wake the workers and the event loop. */
static void settle(struct exec *e, unsigned mod, int state)
{
	e->m[mod].state = (unsigned char)state;
	if (e->notify_fd >= 0) {
		ssize_t r = write(e->notify_fd, "", 1); /* a full pipe already says "wake up" */
		(void)r;
	}
	flock_broadcast(&e->work);
}

/* 1 ready, 0 not yet, -1 a dependency did not load (*culprit: which). */
static int readiness(const struct exec *e, unsigned mod, unsigned *culprit)
{
	const struct exec_mod *m = &e->m[mod];

	for (unsigned i = 0; i < m->npred; i++) {
		unsigned p = e->pred[m->pred + i] >> 1, hard = e->pred[m->pred + i] & PRED_HARD;
		int s = e->m[p].early ? MS_LIVE : e->m[p].state;
		if (s == MS_QUEUED || s == MS_LOADING)
			return 0;
		if (hard && s != MS_LIVE)
			return *culprit = p, -1;
	}
	return 1;
}

/* Lock held. Take the first ready module off the queue (off its front part
 * while hold is set); skip those whose dependencies did not load. */
static int pick(struct exec *e, unsigned *out)
{
	for (unsigned i = 0; i < (e->hold ? e->nfront : e->nqueue); i++) {
		unsigned mod = e->queue[i], culprit;
		int r = readiness(e, mod, &culprit);
		if (r == 0)
			continue;
		memmove(e->queue + i, e->queue + i + 1, (e->nqueue - i - 1) * sizeof *e->queue);
		e->nqueue--;
		e->nfront -= i < e->nfront;
		if (r > 0) {
			*out = mod;
			return 1;
		}
		if (e->m[mod].required)
			e->n.failed++;
		report(e->c, e->m[mod].required ? LOG_E : LOG_I, OUT_NEEDS, mod,
		       blob_mod_name(&e->c->b, culprit), 0);
		settle(e, mod, MS_SKIPPED);
		i--;
	}
	return 0;
}

static void record(struct exec *e, unsigned mod, int err)
{
	const struct exec_mod *m = &e->m[mod];

	if (err == 0) {
		e->n.loaded++;
		report_record(OUT_LOADED, blob_mod_name(&e->c->b, mod), "");
	} else if (err == -EEXIST)
		e->n.already++;
	else if (m->cmd) { /* said by exec_install */
		e->n.failed += m->required;
		report_install(m->cmd->mod, m->cmd, err, 0);
	} else if (!m->required)
		report(e->c, LOG_I, OUT_SOFTDEP_FAILED, mod, NULL, err);
	else {
		e->n.failed++;
		report(e->c, LOG_E, OUT_INSERT_FAILED, mod, NULL, err);
	}
	settle(e, mod, err == 0 || err == -EEXIST ? MS_LIVE : MS_FAILED);
}

/* While held (the root's storage chain alone), one insert at a time: on a
 * virtual machine, inserts at once slowed each other far more than they
 * overlapped (a q35 guest with 2 vCPUs found its root in 1.8 s with one,
 * 3.0 s with four). An insert past HOLD_SLOW_MS is waiting for its device,
 * not using a CPU: it no longer counts. */
#define HOLD_SLOW_MS 500

static int hold_full(const struct exec *e)
{
	long long t = exec_now();

	for (uint32_t i = 0; e->hold && i < blob_nmods(&e->c->b); i++)
		if (e->m[i].state == MS_LOADING && !e->m[i].early &&
		    t - e->m[i].start < HOLD_SLOW_MS)
			return 1;
	return 0;
}

/* Lock held: insert one ready module, unlocked meanwhile. 0 when none was ready. */
static int step(struct exec *e, struct insert_buf *buf)
{
	unsigned mod;
	int err;

	if (hold_full(e) || (e->jobs && e->inside - e->parked >= (unsigned)e->jobs) ||
	    !pick(e, &mod))
		return 0; /* --jobs inserts that are not parked run already */
	e->m[mod].state = MS_LOADING;
	e->m[mod].start = exec_now();
	e->loading++;
	e->inside++;
	flock_unlock(&e->lock);
	if (e->m[mod].cmd)
		err = (e->ops.install ? e->ops.install : exec_install)(
			e->ops.arg, e->m[mod].cmd,
			mod < blob_nmods(&e->c->b) ? blob_mod_name(&e->c->b, mod)
						   : e->m[mod].cmd->mod,
			e->m[mod].opts);
	else {
		log_dbg("%s: inserting", blob_mod_name(&e->c->b, mod));
		err = e->ops.insert(e->ops.arg, e->c, mod, e->m[mod].opts, buf);
	}
	flock_lock(&e->lock);
	e->inside--;
	e->parked -= e->m[mod].early || e->m[mod].state == MS_HUNG;
	e->m[mod].early = 0;
	if (e->m[mod].state == MS_HUNG) { /* said and counted: only its outcome changes */
		report(e->c, LOG_N, OUT_LATE, mod, NULL, err);
		settle(e, mod, err == 0 || err == -EEXIST ? MS_LIVE : MS_FAILED);
		for (uint32_t i = 0; !err && i < blob_nmods(&e->c->b); i++)
			if (e->m[i].state == MS_SKIPPED) { /* it was slow, not stuck: try again */
				e->m[i].state = MS_QUEUED;
				e->n.failed -= e->m[i].required;
				e->queue[e->nqueue++] = i;
			}
	} else {
		e->loading--;
		record(e, mod, err);
	}
	return 1;
}

void exec_run(struct exec *e)
{
	flock_lock(&e->lock);
	while (step(e, &e->buf))
		;
	flock_unlock(&e->lock);
}

int exec_inline(struct exec *e, const struct plan *p, int err)
{
	if (exec_add(e, p) < 0)
		return -ENOMEM;
	exec_run(e);
	for (unsigned i = 0; i < p->nchain && !err; i++)
		if (exec_state(e, p->chain[i].mod) != MS_LIVE)
			err = -EIO; /* the executor said why */
	return err;
}

int exec_refuse_live(struct exec *e, const struct plan *p)
{
	const struct blob *b = &e->c->b;
	int err = 0;

	for (unsigned i = 0; i < p->nchain; i++) {
		unsigned mod = p->chain[i].mod;
		if (mod < blob_nmods(b) &&
		    (exec_state(e, mod) == MS_LIVE || blob_mod(b, mod).flags & BM_BUILTIN)) {
			report(e->c, LOG_E, OUT_INSERT_FAILED, mod, NULL, -EEXIST);
			err = -EEXIST;
		}
	}
	return err;
}

static void *worker(void *arg)
{
	struct exec *e = arg;
	struct insert_buf buf = { NULL, 0 };

	flock_lock(&e->lock);
	while (!e->stop)
		if (!step(e, &buf))
			flock_wait(&e->work, &e->lock);
	flock_unlock(&e->lock);
	insert_buf_free(&buf);
	flock_lock(&e->lock); /* the last use of e: exec_stop may free it next */
	e->alive--;
	flock_broadcast(&e->work);
	flock_unlock(&e->lock);
	return NULL;
}

/* One more worker; pthread_create's error (it does not set errno). Workers
 * are detached, and exec_stop waits for them to leave their loop (alive)
 * instead of joining each: pthread_join would bring musl's cancellable
 * timed wait along (0.9 KB). musl's default thread stack (128 KiB) is
 * ample: a worker's deepest path, an insert, keeps well under 16 KiB on it
 * (paths, the log line). */
static int spawn(struct exec *e)
{
	pthread_attr_t a;
	pthread_t t;
	int err;

	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&t, &a, worker, e);
	e->nworkers += !err;
	e->alive += !err;
	return err;
}

#define SPARE_WORKERS 24 /* to replace hung ones and those live but not returned */

int exec_start(struct exec *e, int n, int notify_fd)
{
	int err = 0;

	e->notify_fd = notify_fd;
	if (n <= 0)
		return -EINVAL;
	e->maxworkers = n + SPARE_WORKERS;
	e->jobs = n;
	while (e->nworkers < n && !err)
		err = spawn(e);
	if (err && e->nworkers)
		log_warn("only %d of %d workers started: %s", e->nworkers, n, strerror(err));
	return e->nworkers ? 0 : -err;
}

long long exec_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Lock held. 1 when mod is live in the kernel: its init returned, though
 * its init_module call may not have (see exec.h). Only for the kernel's
 * inserts: a test's exec_ops is not described by this system's /sys. */
static int live_in_kernel(const struct exec *e, unsigned mod)
{
	return e->ops.insert == kernel_insert && sysmod_live(blob_mod_name(&e->c->b, mod));
}

void exec_expire(struct exec *e)
{
	long long t = exec_now();

	flock_lock(&e->lock);
	for (uint32_t i = 0; e->loading && i < blob_nmods(&e->c->b); i++) {
		struct exec_mod *m = &e->m[i];
		if (m->state != MS_LOADING)
			continue;
		if (!m->early && !m->cmd && live_in_kernel(e, i)) {
			e->parked++;
			m->early = 1;
			m->start = t; /* what it waits for gets a deadline of its own */
			flock_broadcast(&e->work);
		} else if (e->deadline_ms && t - m->start >= e->deadline_ms) {
			report(e->c, LOG_E, OUT_HUNG, i, NULL, (int)(t - m->start));
			e->parked += !m->early;
			e->loading--;
			e->n.hung++;
			settle(e, i, MS_HUNG);
		} else
			continue;
		if (e->nworkers && e->nworkers < e->maxworkers &&
		    (unsigned)e->nworkers < (unsigned)e->jobs + e->parked)
			spawn(e); /* in its place; without, the others go on */
	}
	if (e->hold && e->loading)
		flock_broadcast(&e->work); /* one may have become slow: see hold_full */
	flock_unlock(&e->lock);
}

unsigned exec_busy(struct exec *e)
{
	flock_lock(&e->lock);
	unsigned n = e->nqueue + e->loading;
	flock_unlock(&e->lock);
	return n;
}

unsigned exec_front_busy(struct exec *e)
{
	flock_lock(&e->lock);
	unsigned n = e->nfront;
	for (uint32_t i = 0; i < blob_nmods(&e->c->b); i++)
		n += e->m[i].front && e->m[i].state == MS_LOADING;
	flock_unlock(&e->lock);
	return n;
}

void exec_hold(struct exec *e, int on)
{
	flock_lock(&e->lock);
	e->hold = on;
	flock_broadcast(&e->work);
	flock_unlock(&e->lock);
}

enum mod_state exec_state(struct exec *e, unsigned mod)
{
	flock_lock(&e->lock);
	enum mod_state s = (enum mod_state)(e->m[mod].early ? MS_LIVE : e->m[mod].state);
	flock_unlock(&e->lock);
	return s;
}

/* strstr(s, w) != NULL, without musl's two-way strstr (1.3 KB). */
int has_text(const char *s, const char *w)
{
	for (size_t n = strlen(w); *s; s++)
		if (!strncmp(s, w, n))
			return 1;
	return 0;
}

void exec_scan_loaded(struct exec *e)
{
	char *text, *line;
	size_t len;

	if (read_whole_file(AT_FDCWD, "/proc/modules", 1u << 24, &text, &len) < 0)
		return;
	flock_lock(&e->lock);
	for (char *cur = text; (line = text_word(&cur, "\n"));) {
		char name[ALIAS_MAX];
		if (has_text(line, " Loading "))
			continue; /* its init runs (another loader's): inserting it again waits for
				     it */
		line[strcspn(line, " ")] = '\0';
		modname_normalize(line, name, sizeof name);
		int m = blob_find_mod(&e->c->b, name);
		if (m >= 0 && e->m[m].state == MS_NONE)
			e->m[m].state = MS_LIVE;
	}
	flock_unlock(&e->lock);
	free(text);
}

void exec_report_pending(struct exec *e)
{
	flock_lock(&e->lock);
	for (uint32_t i = 0; i < blob_nmods(&e->c->b); i++)
		if (e->m[i].state == MS_QUEUED || e->m[i].state == MS_LOADING)
			report(e->c, LOG_W, e->m[i].state == MS_LOADING ? OUT_LOADING : OUT_WAITING,
			       i, NULL, 0);
	flock_unlock(&e->lock);
}

int exec_stop(struct exec *e, int how)
{
	int leave;

	flock_lock(&e->lock);
	e->stop = 1;
	leave = how == EXEC_LEAVE || (how == EXEC_IDLE && e->inside != 0);
	flock_broadcast(&e->work);
	while (!leave && e->alive)
		flock_wait(&e->work, &e->lock);
	flock_unlock(&e->lock);
	if (leave)
		return 1;
	for (uint32_t i = 0; i <= blob_nmods(&e->c->b); i++)
		free(e->m[i].opts);
	free(e->m);
	free(e->queue);
	free(e->pred);
	insert_buf_free(&e->buf);
	return 0;
}
