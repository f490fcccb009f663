/* ctx.c: open the packed directory and keep per-run module state. */
#include "ctx.h"

#include "alias.h"
#include "fmt.h"
#include "log.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Build-time options lines become the first lines of the configuration. */
static int ctx_blob_options(struct ml_ctx *c)
{
	uint32_t len;
	const uint8_t *o = blob_sec(&c->b, SEC_CFGOPTS, &len);

	for (uint32_t off = 0; off + 8 <= len; off += 8) {
		char *opts = (char *)blob_str(&c->b, blob_u32(o + off + 4));
		if (config_add_options(&c->cfg, blob_str(&c->b, blob_u32(o + off)), &opts, 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

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
		fmt_snprintf(c->dir, sizeof c->dir, "/lib/modules/%s", kver);
	} else
		fmt_snprintf(c->dir, sizeof c->dir, "%s", dir);
	fmt_snprintf(path, sizeof path, "%s/%s", c->dir, BLOB_FILE);
	err = blob_open(&c->b, path, &why);
	if (err) {
		log_err("%s: %s", path, why ? why : strerror(-err));
		return err;
	}
	if ((err = ctx_blob_options(c)) < 0) {
		ctx_close(c);
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

void ctx_configure(struct ml_ctx *c, const char *file, const char *cmdline)
{
	if (file)
		config_parse_file(&c->cfg, file);
	if (cmdline)
		config_parse_cmdline(&c->cfg, cmdline);
	c->extra.pat = (const char *const *)c->cfg.alias_pat;
	c->extra.mod = (const char *const *)c->cfg.alias_mod;
	c->extra.n = c->cfg.nalias;
}

char *ctx_read_cmdline(void)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *nb;
	ssize_t n = 0;
	int fd;

	if (!buf)
		return NULL;
	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	while (fd >= 0) {
		if (len + 1 == cap) { /* longer than the kernel's own limit can be: grow */
			if (!(nb = cap < (1 << 20) ? realloc(buf, 2 * cap) : NULL))
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	if (len + 1 == cap && n > 0)
		log_warn("/proc/cmdline: longer than %zu bytes; the rest is ignored", cap - 1);
	buf[len] = '\0';
	return buf;
}

int ctx_blacklisted(const struct ml_ctx *c, unsigned mod)
{
	struct blob_mod m = blob_mod(&c->b, mod);
	return mod < blob_nmods(&c->b) &&
	       ((m.flags & BM_BLACKLIST) ||
		config_has(c->cfg.blacklist, c->cfg.nblacklist, blob_str(&c->b, m.name)));
}

int ctx_forbidden(const struct ml_ctx *c, unsigned mod)
{
	struct blob_mod m = blob_mod(&c->b, mod);
	return mod < blob_nmods(&c->b) &&
	       ((m.flags & BM_FORBID) ||
		config_has(c->cfg.forbid, c->cfg.nforbid, blob_str(&c->b, m.name)));
}

int ctx_check_kernel(const struct ml_ctx *c)
{
	struct utsname u;

	if (uname(&u) < 0 || !strcmp(u.release, blob_kver(&c->b)))
		return 0;
	log_err("%s/%s: built for kernel %s, but this is %s: its modules would not load", c->dir,
		BLOB_FILE, blob_kver(&c->b), u.release);
	return -EXDEV;
}

unsigned ctx_softdeps(const struct ml_ctx *c, unsigned mod, int post, const char ***names)
{
	const struct cfg_softdep *sd = config_softdep(&c->cfg, blob_mod_name(&c->b, mod));
	struct blob_extra x = blob_mod_extra(&c->b, mod);
	uint32_t off = post ? x.soft_post : x.soft_pre;
	unsigned n = sd ? (post ? sd->npost : sd->npre) : blob_slist_count(&c->b, off);

	*names = n ? malloc(n * sizeof **names) : NULL;
	if (!*names)
		return 0;
	for (unsigned k = 0; k < n; k++)
		(*names)[k] =
			sd ? (post ? sd->post[k] : sd->pre[k]) : blob_slist_item(&c->b, off, k);
	return n;
}

void ctx_close(struct ml_ctx *c)
{
	config_free(&c->cfg);
	blob_close(&c->b);
	free(c->state);
	free(c->visited);
	insert_buf_free(&c->buf);
	c->state = c->visited = NULL;
}

void ctx_scan_loaded(struct ml_ctx *c)
{
	char *text, *line, *next;
	size_t len;

	if (read_whole_file(AT_FDCWD, "/proc/modules", 1u << 24, &text, &len) < 0)
		return;
	for (line = text; *line; line = next) {
		char name[ALIAS_MAX];
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		line[strcspn(line, " ")] = '\0';
		modname_normalize(line, name, sizeof name);
		int m = blob_find_mod(&c->b, name);
		if (m >= 0)
			c->state[m] = MS_LIVE;
	}
	free(text);
}
