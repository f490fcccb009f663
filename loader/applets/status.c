/* status.c: `modload status [-v] [-r RECORD] [-a MODULES.ALIAS]`: why each
 * device has the driver it has, and what went wrong this boot.
 *
 * One line per fact:
 *   - every device under /sys/devices with a modalias (devscan.h), once (an
 *     ACPI node whose physical_node has a modalias is said by that device):
 *     the driver bound to it (its `driver` link), or why there is none: for
 *     each module of the image its modalias names (on one line, "; "
 *     between them), blacklisted or forbidden (the command-line switch, or
 *     FILE:LINE of RUNTIME_CONFIG or of the build-time configuration, which
 *     WHERE_FILE beside the blob lists), replaced by an install line
 *     (FILE:LINE), failed (the words coldplug's record has: report.h), or
 *     loaded or built in but not bound (its probe failed: the kernel log
 *     says why); when no module of the image matches, the module the full
 *     kernel's modules.alias names (-a, default
 *     /lib/modules/RELEASE/modules.alias, when that file is there). The
 *     devices for which neither has a module are counted on one line with
 *     their buses, listed with -v;
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

struct text {
	char *p; /* NULL: no such file */
	size_t len;
};

struct st {
	struct ml_ctx c;
	struct text rec, aliases, where; /* the record, modules.alias, WHERE_FILE */
	struct utsname u;
	int verbose;	 /* -v: the devices no module matches, each */
	unsigned nquiet; /* those not listed */
	char buses[160]; /* ", acpi, cpu": their buses */
};

/* path into t, every '\n' a NUL; t->p NULL when missing. */
static void slurp(const char *path, struct text *t)
{
	if (read_whole_file(AT_FDCWD, path, 16u << 20, &t->p, &t->len) < 0)
		t->p = NULL, t->len = 0;
	for (size_t i = 0; i < t->len; i++)
		if (t->p[i] == '\n')
			t->p[i] = '\0';
}

/* The line of t after p (the first when p is NULL); NULL after the last. */
static const char *line(const struct text *t, const char *p)
{
	p = p ? p + strlen(p) + 1 : t->p;
	return p && p < t->p + t->len ? p : NULL;
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

	for (const char *p = NULL; (p = line(&s->rec, p));)
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

/* The module the full kernel's modules.alias ("alias PATTERN MODULE" lines)
 * names for alias, or NULL. */
static const char *kernel_has(const struct st *s, const char *alias)
{
	for (const char *p = NULL; (p = line(&s->aliases, p));) {
		char pat[512];
		const char *m = p + 6 + strcspn(p + 6, " ");
		if (strncmp(p, "alias ", 6) || !*m || (size_t)(m - p - 6) >= sizeof pat)
			continue;
		fmt_snprintf(pat, sizeof pat, "%.*s", (int)(m - p - 6), p + 6);
		if (wildmatch(pat, alias))
			return m + 1;
	}
	return NULL;
}

/* A device no module matches, of the kernel's either: counted, and its bus
 * (the modalias up to ':') named once, for the summary line. */
static void quiet(struct st *s, const char *alias)
{
	size_t n = strcspn(alias, ":"), len = strlen(s->buses);

	s->nquiet++;
	for (const char *p = s->buses; *p; p += strcspn(p, ",")) {
		p += 2;
		if (strcspn(p, ",") == n && !strncmp(p, alias, n))
			return;
	}
	if (len + n + 3 < sizeof s->buses)
		fmt_snprintf(s->buses + len, sizeof s->buses - len, ", %.*s", (int)n, alias);
}

/* Why kind (blacklist, forbid) holds for name: the command line's switch
 * or RUNTIME_CONFIG's line (config.h: c->where, "KIND NAME WHERE"), or the
 * image's build-time line (WHERE_FILE). */
static void said_where(const struct st *s, const char *kind, const char *name)
{
	char key[ALIAS_MAX + 16];
	size_t n = (size_t)fmt_snprintf(key, sizeof key, "%s %s ", kind, name);
	const char *w = NULL, *how = "by %s (at build time)";

	for (unsigned i = 0; !w && i < s->c.cfg.nwhere; i++)
		w = strncmp(s->c.cfg.where[i], key, n) ? NULL : s->c.cfg.where[i] + n;
	if (w)
		how = w[strlen(w) - 1] == '=' ? "on the kernel command line (%s)" : "by %s";
	for (const char *p = NULL; !w && (p = line(&s->where, p));)
		w = strncmp(p, key, n) ? NULL : p + n;
	out_printf(how, w ? w : "the image's configuration");
}

/* Why module mod, which a device's modalias names, is not its driver. */
static void why_not(const struct st *s, const char *dev, const struct hit *h)
{
	const char *name = h->name, *line;
	const struct cfg_cmd *cmd;

	out_printf("%s ", name);
	if (h->kind == HIT_UNKNOWN)
		out_printf("(a configured alias) is not in the image");
	else if (h->kind == HIT_BUILTIN || sysmod_state(name) == SYSMOD_LOADED)
		out_printf("is %s but not bound to it (probe failed?): see dmesg | grep %s",
			   h->kind == HIT_BUILTIN ? "built in" : "loaded", dev);
	else if (ctx_blacklisted(&s->c, (unsigned)h->mod)) {
		out_printf("is blacklisted ");
		said_where(s, "blacklist", name);
	} else if (ctx_forbidden(&s->c, (unsigned)h->mod)) {
		out_printf("is forbidden ");
		said_where(s, "forbid", name);
	} else if ((cmd = ctx_install(&s->c, (unsigned)h->mod, name)))
		out_printf("is replaced by the install line %s: %s", cmd->where, cmd->cmd);
	else if ((line = recorded(s, name)))
		out_printf("did not load: %s", words_of(line));
	else
		out_printf("is not loaded (the record says nothing about it)");
}

/* One line per device: its driver, or why it has none. An ACPI node whose
 * physical device has a modalias is that device's, said once, by it. */
static void device(void *ctx, const char *alias, const char *path)
{
	struct st *s = ctx;
	const char *dev = strrchr(path, '/') + 1, *full;
	char link[PATH_MAX], drv[PATH_MAX];
	struct hits h;

	fmt_snprintf(link, sizeof link, "%s/physical_node/modalias", path);
	if (access(link, F_OK) == 0)
		return;
	fmt_snprintf(link, sizeof link, "%s/driver", path);
	if ((full = dev_link_base(AT_FDCWD, link, drv, sizeof drv))) {
		out_printf("%s: driver %s\n", dev, full);
		return;
	}
	if (ctx_lookup(&s->c, alias, &h) <= 0) {
		if (!(full = kernel_has(s, alias)) && !s->verbose)
			quiet(s, alias);
		else
			out_printf("%s: no driver: no module in the image matches %s%s%s%s\n", dev,
				   alias, full ? " (the kernel has one: " : "", full ? full : "",
				   full ? ")" : "");
	} else {
		out_printf("%s: no driver: ", dev);
		for (unsigned i = 0; i < h.n; i++) { /* alias_match's are unique */
			if (i)
				out_printf("; ");
			why_not(s, dev, &h.v[i]);
		}
		out_printf("\n");
	}
	hits_free(&h);
}

/* The first word of mod's vermagic, if it is not the running release. */
static void vermagic(const struct st *s, const char *name)
{
	int mod = blob_find_mod(&s->c.b, name);
	char path[2 * PATH_MAX];
	struct insert_buf buf = { NULL, 0 };
	const void *data;
	const char *sec, *e, *v = NULL;
	size_t len, seclen, pos = 0, el, vl = 0;

	if (mod < 0 || ctx_mod_path(&s->c, (unsigned)mod, path, sizeof path) < 0)
		return;
	if (module_read(path, &buf, &data, &len) < 0)
		return;
	if (modinfo_section(data, len, &sec, &seclen) == 0)
		while (!v && (e = modinfo_next(sec, seclen, &pos, &el)))
			v = modinfo_value(e, el, "vermagic", &vl);
	for (size_t i = 0; v && i < vl; i++)
		if (v[i] == ' ')
			vl = i;
	if (v && (vl != strlen(s->u.release) || strncmp(v, s->u.release, vl)))
		out_printf("%s: vermagic %.*s, but the kernel is %s\n", name, (int)vl, v,
			   s->u.release);
	module_unmap(data, len, &buf);
	insert_buf_free(&buf);
}

static void failures(const struct st *s, const char *record)
{
	if (!s->rec.p) {
		out_printf("no record of this boot in %s (coldplug --record)\n", record);
		return;
	}
	for (const char *p = NULL; (p = line(&s->rec, p));) {
		int seen = 0;
		char name[64];
		if (strncmp(p, "failed ", 7) && strncmp(p, "hung ", 5) && strncmp(p, "skipped ", 8))
			continue;
		for (const char *q = s->rec.p; q < p; q += strlen(q) + 1)
			seen |= !strcmp(p, q);
		if (seen)
			continue;
		const char *n = p + strcspn(p, " ") + 1;
		fmt_snprintf(name, sizeof name, "%.*s", (int)strcspn(n, " "), n);
		out_printf("this boot: %s\n", words_of(p));
		if (!strncmp(words_of(p), "could not insert", 16))
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
	struct text text;
	unsigned long mask = 0;

	slurp("/proc/sys/kernel/tainted", &text);
	if (text.len && parse_ulong(text.p, 10, &mask, NULL) == 0)
		out_printf("kernel %stainted (%lu)\n", mask ? "" : "not ", mask);
	free(text.p);
	for (const char *t = taints; *t; t += strlen(t) + 1, mask >>= 1)
		if (mask & 1)
			out_printf("taint %c: %s\n", *t, t + 1);
}

int status_main(int argc, char **argv)
{
	static const char lo[] = "r:record\0"
				 "a:aliases\0"
				 "v verbose\0";
	static struct opt args;
	static struct st s;
	const char *record = "/run/modload/record", *aliases = NULL;
	char full[PATH_MAX];
	int c;

	log_init("status");
	opt_begin(&args, argc, argv, "r:a:v", lo);
	while ((c = opt_next(&args)) != -1)
		if (c == 'r' || c == 'a')
			*(c == 'r' ? &record : &aliases) = args.arg;
		else if (c == 'v')
			s.verbose = 1;
		else {
			fd_printf(2, "usage: modload status [-v] [-r RECORD] [-a MODULES.ALIAS]\n");
			return EXIT_USAGE;
		}
	uname(&s.u);
	if (ctx_open(&s.c, applet_dir, NULL) < 0)
		return 1;
	ctx_configure_boot(&s.c, RUNTIME_CONFIG);
	fmt_snprintf(full, sizeof full, "/lib/modules/%s/modules.alias", s.u.release);
	slurp(aliases ? aliases : full, &s.aliases);
	slurp(record, &s.rec);
	fmt_snprintf(full, sizeof full, "%s/%s", s.c.dir, WHERE_FILE);
	slurp(full, &s.where);
	devscan("/sys/devices", device, &s);
	if (s.nquiet)
		out_printf("%u devices with no module in the image%s (%s): `modload status -v` "
			   "lists them\n",
			   s.nquiet, s.aliases.p ? " or the kernel" : "", s.buses + 2);
	failures(&s, record);
	if (strcmp(blob_kver(&s.c.b), s.u.release))
		out_printf("the image's modules are for %s, but the kernel is %s\n",
			   blob_kver(&s.c.b), s.u.release);
	taint();
	return 0;
}
