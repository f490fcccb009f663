/* status.c: `modload status [-r RECORD] [-a MODULES.ALIAS]`: why each
 * device has the driver it has, and what went wrong this boot.
 *
 * One line per fact:
 *   - every device under /sys/devices with a modalias (devscan.h): the
 *     driver bound to it (its `driver` link), or why there is none: no module
 *     of the image matches (and which module the full kernel's
 *     modules.alias names, when that file is there: -a, default
 *     /lib/modules/RELEASE/modules.alias), blacklisted (on the kernel command
 *     line, in RUNTIME_CONFIG or in the image's build-time configuration),
 *     forbidden, replaced by an install line (FILE:LINE), failed (the words
 *     coldplug's record has: report.h), or loaded or built in but not bound
 *     (its probe failed: the kernel log says why);
 *   - the modules that failed this boot, as the record says (-r, default
 *     /run/modload/record), and those of them whose vermagic is not the
 *     running kernel's release;
 *   - an image built for another release than `uname -r`;
 *   - the taint mask of /proc/sys/kernel/tainted in words (the kernel's
 *     Documentation/admin-guide/tainted-kernels.rst; lsmod's /proc/modules
 *     flags say which module).
 * Exit 0, or 1 when the image cannot be opened. */
#include "applets.h"
#include "ctx.h"
#include "devscan.h"
#include "fmt.h"
#include "insert.h"
#include "log.h"
#include "modinfo.h"
#include "num.h"
#include "opt.h"
#include "readfile.h"
#include "sysmod.h"
#include "wildmatch.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

struct st {
	struct ml_ctx c;
	struct config cl;    /* the kernel command line alone */
	char *rec, *aliases; /* the record and modules.alias, '\n' made NUL */
	size_t reclen, alen;
	struct utsname u;
};

/* path into *text, every '\n' a NUL; 0 when missing. */
static size_t slurp(const char *path, char **text)
{
	size_t len = 0;

	if (read_whole_file(AT_FDCWD, path, 16u << 20, text, &len) < 0)
		return *text = NULL, 0;
	for (size_t i = 0; i < len; i++)
		if ((*text)[i] == '\n')
			(*text)[i] = '\0';
	return len;
}

/* A record line "KIND NAME WORDS": 1 when its name is name. */
static int rec_is(const char *line, const char *name)
{
	const char *n = line + strcspn(line, " ");
	size_t len = strlen(name);

	return *n && !strncmp(n + 1, name, len) && n[1 + len] == ' ';
}

/* The last record line about module name, unless that says it loaded. */
static const char *recorded(const struct st *s, const char *name)
{
	const char *last = NULL;

	for (const char *p = s->rec; p && p < s->rec + s->reclen; p += strlen(p) + 1)
		if (rec_is(p, name) && strncmp(p, "nomatch ", 8))
			last = p;
	return last && strncmp(last, "loaded ", 7) ? last : NULL;
}

static const char *words_of(const char *line)
{
	line += strcspn(line, " ");
	line += *line != '\0';
	line += strcspn(line, " ");
	return line + (*line != '\0');
}

static void no_match(const struct st *s, const char *dev, const char *alias)
{
	const char *full = NULL;

	/* Lines "alias PATTERN MODULE". */
	for (const char *p = s->aliases; p && p < s->aliases + s->alen; p += strlen(p) + 1) {
		char pat[512];
		const char *m = p + 6 + strcspn(p + 6, " ");
		if (strncmp(p, "alias ", 6) || !*m || (size_t)(m - p - 6) >= sizeof pat)
			continue;
		fmt_snprintf(pat, sizeof pat, "%.*s", (int)(m - p - 6), p + 6);
		if (wildmatch(pat, alias)) {
			full = m + 1;
			break;
		}
	}
	fd_printf(1, "%s: no driver: no module in the image matches %s%s%s%s\n", dev, alias,
		  full ? " (the kernel has one: " : "", full ? full : "", full ? ")" : "");
}

static const char *blacklister(const struct st *s, unsigned mod)
{
	const char *name = blob_mod_name(&s->c.b, mod);

	if (config_has(s->cl.blacklist, s->cl.nblacklist, name))
		return "on the kernel command line (modprobe.blacklist=)";
	if (config_has(s->c.cfg.blacklist, s->c.cfg.nblacklist, name))
		return "by " RUNTIME_CONFIG;
	return blob_mod(&s->c.b, mod).flags & BM_BLACKLIST
		       ? "by the image's configuration (modprobe.d at build time)"
		       : NULL;
}

/* Why module mod, which a device's modalias names, is not its driver. */
static void why_not(const struct st *s, const char *dev, const struct hit *h)
{
	const char *name = h->name, *why, *line;
	const struct cfg_cmd *cmd;

	fd_printf(1, "%s: no driver: %s ", dev, name);
	if (h->kind == HIT_UNKNOWN)
		fd_printf(1, "(a configured alias) is not in the image\n");
	else if (h->kind == HIT_BUILTIN || sysmod_state(name) == SYSMOD_LOADED)
		fd_printf(1, "is %s but not bound to it (probe failed?): see dmesg | grep %s\n",
			  h->kind == HIT_BUILTIN ? "built in" : "loaded", dev);
	else if ((why = blacklister(s, (unsigned)h->mod)))
		fd_printf(1, "is blacklisted %s\n", why);
	else if (ctx_forbidden(&s->c, (unsigned)h->mod))
		fd_printf(1, "is forbidden by configuration\n");
	else if ((cmd = ctx_install(&s->c, (unsigned)h->mod, name)))
		fd_printf(1, "is replaced by the install line %s: %s\n", cmd->where, cmd->cmd);
	else if ((line = recorded(s, name)))
		fd_printf(1, "did not load: %s\n", words_of(line));
	else
		fd_printf(1, "is not loaded (the record says nothing about it)\n");
}

static void device(void *ctx, const char *alias, const char *path)
{
	const struct st *s = ctx;
	const char *dev = strrchr(path, '/') + 1;
	char link[PATH_MAX], drv[PATH_MAX];
	struct hits h;
	ssize_t n;

	fmt_snprintf(link, sizeof link, "%s/driver", path);
	if ((n = readlink(link, drv, sizeof drv - 1)) > 0) {
		drv[n] = '\0';
		fd_printf(1, "%s: driver %s\n", dev,
			  strrchr(drv, '/') ? strrchr(drv, '/') + 1 : drv);
		return;
	}
	hits_init(&h);
	if (lookup(&s->c.b, &s->c.extra, alias, &h) <= 0)
		no_match(s, dev, alias);
	for (unsigned i = 0; i < h.n; i++)
		why_not(s, dev, &h.v[i]);
	hits_free(&h);
}

/* The first word of mod's vermagic, if it is not the running release. */
static void vermagic(const struct st *s, const char *name)
{
	int mod = blob_find_mod(&s->c.b, name);
	char rel[PATH_MAX], path[2 * PATH_MAX];
	struct insert_buf buf = { NULL, 0 };
	const void *data;
	const char *sec, *e, *v = NULL;
	size_t len, seclen, pos = 0, el, vl = 0;

	if (mod < 0 || blob_mod_path(&s->c.b, (unsigned)mod, rel, sizeof rel) < 0)
		return;
	fmt_snprintf(path, sizeof path, "%s/%s", s->c.dir, rel);
	if (module_read(path, &buf, &data, &len) < 0)
		return;
	if (modinfo_section(data, len, &sec, &seclen) == 0)
		while (!v && (e = modinfo_next(sec, seclen, &pos, &el)))
			v = modinfo_value(e, el, "vermagic", &vl);
	for (size_t i = 0; v && i < vl; i++)
		if (v[i] == ' ')
			vl = i;
	if (v && (vl != strlen(s->u.release) || strncmp(v, s->u.release, vl)))
		fd_printf(1, "%s: vermagic %.*s, but the kernel is %s\n", name, (int)vl, v,
			  s->u.release);
	module_unmap(data, len, &buf);
	insert_buf_free(&buf);
}

static void failures(const struct st *s, const char *record)
{
	if (!s->rec) {
		fd_printf(1, "no record of this boot in %s (coldplug --record)\n", record);
		return;
	}
	for (const char *p = s->rec; p && p < s->rec + s->reclen; p += strlen(p) + 1) {
		int seen = 0;
		char name[64];
		const struct cfg_cmd *cmd;
		int mod;
		if (strncmp(p, "failed ", 7) && strncmp(p, "hung ", 5) && strncmp(p, "skipped ", 8))
			continue;
		for (const char *q = s->rec; q < p; q += strlen(q) + 1)
			seen |= !strcmp(p, q);
		const char *n = p + strcspn(p, " ") + 1;
		fmt_snprintf(name, sizeof name, "%.*s", (int)strcspn(n, " "), n);
		mod = blob_find_mod(&s->c.b, name);
		cmd = p[0] == 'f' && mod >= 0 ? ctx_install(&s->c, (unsigned)mod, name) : NULL;
		if (seen)
			continue;
		if (cmd)
			fd_printf(1, "this boot: %s: its install line %s failed: %s\n", name,
				  cmd->where, cmd->cmd);
		else
			fd_printf(1, "this boot: %s\n", words_of(p));
		if (p[0] == 'f' && !cmd)
			vermagic(s, name);
	}
}

/* The kernel's taint flags, bit by bit (tainted-kernels.rst's words). */
static const char taints[] = "Pproprietary module\0Fmodule force-loaded\0Sout-of-spec system\0"
			     "Rmodule force-unloaded\0Mmachine check\0Bbad page\0"
			     "Uuser request\0Dkernel died (oops)\0AACPI table overridden\0"
			     "Wwarning\0Cstaging driver\0Ifirmware bug workaround\0"
			     "Oout-of-tree module\0Eunsigned module\0Lsoft lockup\0"
			     "Klive patched\0Xauxiliary (distribution)\0"
			     "Tstruct randomisation\0Nin-kernel test\0";

static void taint(void)
{
	char *text = NULL;
	unsigned long mask = 0;

	if (slurp("/proc/sys/kernel/tainted", &text) && parse_ulong(text, 10, &mask, NULL) == 0)
		fd_printf(1, "kernel %stainted (%lu)\n", mask ? "" : "not ", mask);
	free(text);
	for (const char *t = taints; *t; t += strlen(t) + 1, mask >>= 1)
		if (mask & 1)
			fd_printf(1, "taint %c: %s\n", *t, t + 1);
}

int status_main(int argc, char **argv)
{
	static const struct opt_long lo[] = { { "record", 1, 'r' },
					      { "aliases", 1, 'a' },
					      { 0, 0, 0 } };
	static struct opt args;
	static struct st s;
	const char *record = "/run/modload/record", *aliases = NULL;
	char *cmdline, full[PATH_MAX];
	int c;

	log_init("status");
	opt_begin(&args, argc, argv, "r:a:", lo);
	while ((c = opt_next(&args)) != -1)
		if (c == 'r' || c == 'a')
			*(c == 'r' ? &record : &aliases) = args.arg;
		else {
			fd_printf(2, "usage: modload status [-r RECORD] [-a MODULES.ALIAS]\n");
			return EXIT_USAGE;
		}
	uname(&s.u);
	if (ctx_open(&s.c, applet_dir, NULL) < 0)
		return 1;
	ctx_configure(&s.c, RUNTIME_CONFIG, NULL);
	if ((cmdline = ctx_proc_cmdline()))
		config_parse_cmdline(&s.cl, cmdline);
	free(cmdline);
	fmt_snprintf(full, sizeof full, "/lib/modules/%s/modules.alias", s.u.release);
	s.alen = slurp(aliases ? aliases : full, &s.aliases);
	s.reclen = slurp(record, &s.rec);
	devscan("/sys/devices", device, &s);
	failures(&s, record);
	if (strcmp(blob_kver(&s.c.b), s.u.release))
		fd_printf(1, "the image's modules are for %s, but the kernel is %s\n",
			  blob_kver(&s.c.b), s.u.release);
	taint();
	return 0;
}
