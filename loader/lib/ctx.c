/* ctx.c: open the packed directory and keep per-run module state. */
#include "ctx.h"

#include "alias.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

int ctx_open(struct ml_ctx *c, const char *dir, const char *kver)
{
	char path[PATH_MAX + 32];
	const char *why;
	struct utsname u;
	int err;

	memset(c, 0, sizeof *c);
	if (!dir) {
		if (!kver) {
			if (uname(&u) < 0)
				return -errno;
			kver = u.release;
		}
		snprintf(c->dir, sizeof c->dir, "/lib/modules/%s", kver);
	} else
		snprintf(c->dir, sizeof c->dir, "%s", dir);
	snprintf(path, sizeof path, "%s/%s", c->dir, BLOB_FILE);
	err = blob_open(&c->b, path, &why);
	if (err) {
		log_err("%s: %s", path, why ? why : strerror(-err));
		return err;
	}
	c->state = calloc(blob_nmods(&c->b) + 1, 1);
	c->visited = calloc(blob_nmods(&c->b) + 1, 1);
	if (!c->state || !c->visited) {
		ctx_close(c);
		return -ENOMEM;
	}
	return 0;
}

void ctx_close(struct ml_ctx *c)
{
	blob_close(&c->b);
	free(c->state);
	free(c->visited);
	insert_buf_free(&c->buf);
	c->state = c->visited = NULL;
}

void ctx_scan_loaded(struct ml_ctx *c)
{
	FILE *f = fopen("/proc/modules", "re");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char name[ALIAS_MAX];
		line[strcspn(line, " \n")] = '\0';
		modname_normalize(line, name, sizeof name);
		int m = blob_find_mod(&c->b, name);
		if (m >= 0)
			c->state[m] = MS_LIVE;
	}
	fclose(f);
}
