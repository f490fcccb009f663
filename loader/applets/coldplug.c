/* coldplug.c: load the drivers of every device the kernel shows under /sys.
 *
 * v0: scan MODALIAS= of every uevent file below /sys/devices, load what each
 * resolves to, and scan again while new modaliases keep appearing (a bus
 * driver creates its children as it binds: virtio_pci -> virtio disks). */
#include "applets.h"
#include "ctx.h"
#include "load.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ALIASES 4096
#define MAX_PASSES 16
#define MAX_DEPTH 32

struct seen {
	char *s[MAX_ALIASES];
	unsigned n;
	int full;
};

static int seen_add(struct seen *v, const char *a)
{
	for (unsigned i = 0; i < v->n; i++)
		if (!strcmp(v->s[i], a))
			return 0;
	if (v->n == MAX_ALIASES) {
		v->full = 1;
		return 0;
	}
	v->s[v->n] = strdup(a);
	return v->s[v->n] ? (v->n++, 1) : 0;
}

/* MODALIAS= from the uevent file in directory fd, if any. */
static int read_modalias(int dfd, char *out, size_t len)
{
	char buf[4096];
	int fd = openat(dfd, "uevent", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "MODALIAS=", 9) && line[9]) {
			snprintf(out, len, "%s", line + 9);
			return 1;
		}
	}
	return 0;
}

struct scan {
	struct ml_ctx *c;
	struct seen *seen;
	unsigned fresh;
};

static void walk(struct scan *s, int dfd, int depth)
{
	char alias[4096];
	DIR *d;
	struct dirent *e;

	if (read_modalias(dfd, alias, sizeof alias) && seen_add(s->seen, alias)) {
		s->fresh++;
		int err = load_name(s->c, alias, NULL);
		if (err == -ENOENT)
			log_dbg("%s: no module", alias);
	}
	if (depth >= MAX_DEPTH || !(d = fdopendir(dfd)))
		return;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			walk(s, sub, depth + 1); /* walk owns sub: closedir below closes it */
	}
	closedir(d);
}

/* Modules named by configuration: loaded by name, so blacklist does not apply. */
static void load_list(struct ml_ctx *c, char *const *names, unsigned n, const char *why)
{
	for (unsigned i = 0; i < n; i++)
		if (load_name(c, names[i], NULL) == -ENOENT)
			log_err("%s: module %s not found in %s", why, names[i], c->dir);
}

/* `load` lines compiled into the blob at build time. */
static void load_flagged(struct ml_ctx *c)
{
	for (unsigned i = 0; i < blob_nmods(&c->b); i++)
		if (blob_mod(&c->b, i)->flags & BM_LOAD)
			load_module(c, i, NULL, NULL);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int coldplug_main(int argc, char **argv)
{
	static struct seen seen;
	struct ml_ctx c;
	char cmdline[4096];
	double t0 = now();
	int pass;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: modload coldplug\n");
		return EXIT_USAGE;
	}
	log_use_kmsg(1);
	if (ctx_open(&c, applet_dir, NULL) < 0)
		return 1;
	c.flags |= CTX_BLACKLIST | CTX_QUIET;
	ctx_configure(&c, RUNTIME_CONFIG, ctx_read_cmdline(cmdline, sizeof cmdline));
	ctx_scan_loaded(&c);
	load_list(&c, c.cfg.pre, c.cfg.npre, "rd.driver.pre");
	load_flagged(&c);
	for (pass = 1; pass <= MAX_PASSES; pass++) {
		struct scan s = { &c, &seen, 0 };
		int fd = open("/sys/devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			log_err("/sys/devices: %s", strerror(errno));
			break;
		}
		walk(&s, fd, 0);
		if (s.fresh == 0)
			break;
	}
	load_list(&c, c.cfg.load, c.cfg.nload, "load");
	load_list(&c, c.cfg.post, c.cfg.npost, "rd.driver.post");
	if (seen.full)
		log_warn("more than %d distinct modaliases; the rest were ignored", MAX_ALIASES);
	log_msg(LOG_N, "coldplug: %u loaded, %u failed, %u skipped, %u already live, %u modaliases, %d passes, %.3fs",
		c.loaded, c.failed, c.skipped, c.already, seen.n, pass, now() - t0);
	ctx_close(&c);
	return 0;
}
