/* modpack: read a kernel's module tree on the build host and write the blob
 * plus the selected modules as .ko.zst, ready to be an image's
 * /lib/modules/KVER.
 *
 *   modpack -m MODDIR -o OUTDIR [--all | --modules LIST | --devices FILE]...
 *           [--config FILE] [--host-config] [--blob-only] [--level N]
 *           [--firmware-list FILE]
 *
 * --devices and --modules add up; without either (or --all) the generic
 * default set is taken.
 */
#include "blob.h"
#include "buf.h"
#include "config.h"
#include "log.h"
#include "modtree.h"
#include "pack.h"
#include "select.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct opts {
	const char *moddir, *outdir, *modules, *config[16], *devices, *fwlist;
	int all, blob_only, level, host_conf, nconfig;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: modpack -m MODDIR -o OUTDIR [--all | --modules a,b,... | --devices FILE]\n"
		"               [--config FILE] [--blob-only] [--level N] [--firmware-list FILE]\n"
		"  -m, --moddir DIR   the kernel's module tree (…/lib/modules/KVER)\n"
		"  -o, --out DIR      where to write " BLOB_FILE " and the modules\n"
		"  --all              every module (default: a generic initramfs set)\n"
		"  --modules LIST     these modules (and what they need)\n"
		"  --devices FILE     what a machine's `modload scan` output says it needs\n"
		"                     (with --modules: both)\n"
		"  --firmware-list FILE  write \"MODULE FIRMWARE\" for every firmware file\n"
		"                     the image's modules name (modinfo firmware:)\n"
		"  --config PATH      build-time configuration compiled into the blob: a file,\n"
		"                     or a directory's *.conf in name order (may repeat)\n"
		"  --host-config      also compile in this host's modprobe.d files, read as\n"
		"                     kmod reads them (/etc, /run, /usr/local/lib, /lib,\n"
		"                     /usr/lib; a name hides the same name further on)\n"
		"  --blob-only        write only the blob; it then refers to the tree's files\n"
		"  --level N          zstd level for the copied modules (default 19)\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "moddir", 1, 0, 'm' },	{ "out", 1, 0, 'o' },
		{ "all", 0, 0, 'a' },		{ "modules", 1, 0, 'M' },
		{ "config", 1, 0, 'C' },	{ "blob-only", 0, 0, 'B' },
		{ "level", 1, 0, 'L' },		{ "host-config", 0, 0, 'H' },
		{ "help", 0, 0, 'h' },		{ "devices", 1, 0, 'D' },
		{ "firmware-list", 1, 0, 'F' }, { 0, 0, 0, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->level = 19;
	while ((c = getopt_long(argc, argv, "m:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': o->moddir = optarg; break;
		case 'o': o->outdir = optarg; break;
		case 'a': o->all = 1; break;
		case 'M': o->modules = optarg; break;
		case 'C':
			if (o->nconfig == 16) {
				log_err("--config: at most 16");
				return -EINVAL;
			}
			o->config[o->nconfig++] = optarg;
			break;
		case 'B': o->blob_only = 1; break;
		case 'L': o->level = atoi(optarg); break;
		case 'H': o->host_conf = 1; break;
		case 'D': o->devices = optarg; break;
		case 'F': o->fwlist = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (!o->moddir || !o->outdir || optind != argc || (o->all && (o->modules || o->devices))) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
	char tmp[4200];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int err = -errno;
			close(fd);
			unlink(tmp);
			return err ? err : -EIO;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0)
		return -errno;
	return 0;
}

/* --devices: name, in one line, the modules the machine uses that the image
 * does not get (not even as another's dependency). */
static void report_left_out(const struct pack *p, const unsigned char *want,
			    const unsigned char *left)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	for (size_t i = 0; i < p->n; i++)
		if (left[i] && !want[i])
			fprintf(f, " %s", p->m[i].name);
	if (fclose(f) == 0 && len)
		log_info("--devices: used there, not needed to boot, left out:%s", text);
	free(text);
}

/* A copy of t holding only the wanted modules (shallow: entries are shared). */
static struct modtree subtree(const struct modtree *t, const struct pack *full,
			      const unsigned char *want)
{
	struct modtree s = *t;
	s.mods = calloc(t->nmods + 1, sizeof *s.mods);
	s.nmods = 0;
	if (!s.mods)
		return s;
	for (size_t i = 0; i < full->n; i++)
		if (want[i] && full->m[i].src)
			s.mods[s.nmods++] = *full->m[i].src;
	return s;
}

/* Output path: the module's path with its compression suffix turned to .ko.zst. */
static char *zst_relpath(const char *relpath)
{
	size_t n = strlen(relpath);
	const char *ko = strstr(relpath, ".ko");
	char *out = malloc(n + 8);
	if (!out)
		return NULL;
	n = ko ? (size_t)(ko - relpath) : n;
	snprintf(out, n + 8, "%.*s.ko.zst", (int)n, relpath);
	return out;
}

static int copy_modules(const struct opts *o, struct pack *p)
{
	int failed = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct pmod *m = &p->m[i];
		char src[8192], dst[8192];
		void *data;
		size_t len;
		if (m->builtin)
			continue;
		char *rel = zst_relpath(m->relpath);
		if (!rel)
			return -ENOMEM;
		snprintf(src, sizeof src, "%s/%s", o->moddir, m->relpath);
		snprintf(dst, sizeof dst, "%s/%s", o->outdir, rel);
		m->relpath = rel; /* the blob names the copy */
		int err = modtree_read_module(src, &data, &len);
		if (!err) {
			err = modtree_write_zst(dst, data, len, o->level);
			free(data);
		}
		if (err) {
			log_err("%s: cannot pack: %s", src, strerror(-err));
			failed = 1;
		}
	}
	return failed ? -EIO : 0;
}

static int emit_blob(const struct opts *o, const struct pack *p)
{
	uint8_t *blob;
	size_t len;
	char path[8192];
	int err = pack_write_blob(p, &blob, &len);
	if (err) {
		log_err("cannot build the blob: %s", strerror(-err));
		return err;
	}
	snprintf(path, sizeof path, "%s/%s", o->outdir, BLOB_FILE);
	err = write_file(path, blob, len);
	free(blob);
	if (err)
		log_err("%s: cannot write: %s", path, strerror(-err));
	else
		log_info("%s: %zu modules, %zu bytes", path, p->n, len);
	return err;
}

/* --firmware-list: "MODULE FIRMWARE" lines, modules by name, each one's
 * files in modinfo order (what the kernel's MODULE_FIRMWARE lists: names
 * relative to /lib/firmware, a few with shell wildcards). */
static int emit_firmware_list(const char *path, const struct pack *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned n = 0;
	int err;

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < p->n; i++) {
		const char **fw;
		if (p->m[i].builtin || !p->m[i].src)
			continue;
		size_t k = mt_values(p->m[i].src->info, p->m[i].src->ninfo, "firmware", &fw);
		for (size_t j = 0; j < k; j++, n++)
			fprintf(f, "%s %s\n", p->m[i].name, fw[j]);
		free(fw);
	}
	if (fclose(f) != 0) {
		free(text);
		return -ENOMEM;
	}
	err = write_file(path, text, len);
	free(text);
	if (err)
		log_err("%s: cannot write: %s", path, strerror(-err));
	else
		log_info("%s: %u firmware names", path, n);
	return err;
}

/* kmod's directories, first first: a file hides one of the same name in a
 * later directory; all of them are then read in name order. */
static const char *const host_dirs[] = { "/etc/modprobe.d", "/run/modprobe.d",
					 "/usr/local/lib/modprobe.d", "/lib/modprobe.d",
					 "/usr/lib/modprobe.d" };

static int cmp_base(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/'), strrchr(*(char *const *)b, '/'));
}

static void read_host_config(struct config *c)
{
	char **v = NULL;
	size_t n = 0;

	for (size_t d = 0; d < sizeof host_dirs / sizeof *host_dirs; d++) {
		char pat[64];
		glob_t g;
		snprintf(pat, sizeof pat, "%s/*.conf", host_dirs[d]);
		if (glob(pat, 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			size_t k = 0;
			while (k < n && strcmp(strrchr(v[k], '/'), strrchr(g.gl_pathv[i], '/')))
				k++;
			if (k < n)
				continue; /* hidden by an earlier directory's file */
			v = xrealloc(v, (n + 1) * sizeof *v);
			v[n++] = xstrdup(g.gl_pathv[i]);
		}
		globfree(&g);
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_base);
	for (size_t i = 0; i < n; i++) {
		config_parse_file(c, v[i]);
		free(v[i]);
	}
	free(v);
}

/* One --config PATH, read from its directory as its last component: the
 * FILE:LINE that install lines carry into the blob and WHERE_FILE names
 * are then the same on every host ("build.conf:2", "modprobe.d/x.conf:1"),
 * so images stay reproducible. */
static int read_config_path(struct config *c, const char *path)
{
	char dir[PATH_MAX];
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;
	size_t n = (size_t)snprintf(dir, sizeof dir, "%s", path);
	char *base;

	if (here < 0 || n >= sizeof dir) {
		err = here < 0 ? -errno : -ENAMETOOLONG;
		if (here >= 0)
			close(here);
		return err;
	}
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	base = strrchr(dir, '/');
	if (base && base > dir) {
		*base = '\0';
		err = chdir(dir) < 0 ? -errno : config_parse_path(c, base + 1);
	} else
		err = config_parse_path(c, base ? path : dir);
	if (fchdir(here) < 0 && !err)
		err = -errno;
	close(here);
	return err;
}

/* The build-time configuration: the host's (if asked), then each --config,
 * so that the project's own files have the last word. */
static int read_config(const struct opts *o, struct config *c)
{
	if (o->host_conf)
		read_host_config(c);
	for (int i = 0; i < o->nconfig; i++) {
		int err = read_config_path(c, o->config[i]);
		if (err == -ENOENT) /* the only error config_parse_file does not report */
			log_err("%s: cannot read the configuration: %s", o->config[i],
				strerror(ENOENT));
		if (err)
			return err;
	}
	return 0;
}

/* WHERE_FILE: the lines of c->where whose module the image has; none, no file. */
static int emit_where(const struct opts *o, const struct pack *p, const struct config *c)
{
	char path[8192];
	struct buf b = { NULL, 0, 0 };
	int err = 0;

	snprintf(path, sizeof path, "%s/%s", o->outdir, WHERE_FILE);
	for (unsigned i = 0; i < c->nwhere; i++) {
		const char *mod = c->where[i] + strcspn(c->where[i], " ") + 1;
		char name[512];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(mod, " "), mod);
		if (pack_find(p, name) >= 0) {
			buf_put(&b, c->where[i], strlen(c->where[i]));
			buf_put(&b, "\n", 1);
		}
	}
	if (b.len)
		err = write_file(path, b.p, b.len);
	else if (unlink(path) < 0 && errno != ENOENT)
		err = -errno;
	if (err)
		log_err("%s: cannot write: %s", path, strerror(-err));
	buf_free(&b);
	return err;
}

static int run(const struct opts *o)
{
	struct modtree t;
	struct pack full, sel;
	struct blob fb;
	struct config cfg;
	uint8_t *fullblob;
	size_t fulllen;
	const char *why;
	int err;

	memset(&cfg, 0, sizeof cfg);
	if ((err = read_config(o, &cfg)) < 0)
		return err;
	if ((err = modtree_load(o->moddir, &t)) < 0)
		return err;
	/* The config goes into the full pack too: its softdeps and load lines
	 * widen the selection. */
	if ((err = pack_from_tree(&full, &t)) < 0 || (err = pack_apply_config(&full, &cfg)) < 0)
		return err;
	if ((err = pack_write_blob(&full, &fullblob, &fulllen)) < 0 ||
	    (err = blob_use(&fb, fullblob, fulllen, &why)) < 0) {
		log_err("internal error: full blob does not validate: %s",
			why ? why : strerror(-err));
		return err;
	}
	unsigned char *want = calloc(full.n + 1, 1), *left = calloc(full.n + 1, 1);
	if (!want || !left)
		return -ENOMEM;
	if (o->all)
		memset(want, 1, full.n);
	else if (!o->modules && !o->devices)
		select_default(&full, want);
	if (o->devices && (err = select_devices(&full, &fb, o->devices, want, left)) < 0)
		return err;
	if (o->modules && (err = select_names(&full, o->modules, want)) < 0)
		return err;
	for (size_t i = 0; i < full.n; i++)
		if (full.m[i].flags & BM_LOAD)
			want[i] = 1;		   /* `load` lines name what the image must carry */
	for (unsigned i = 0; i < cfg.nweak; i++) { /* and so do weakdep lines */
		int k = pack_find(&full, cfg.weak[i]);
		if (k >= 0)
			want[k] = 1;
	}
	select_close(&full, &fb, want);
	if (o->devices)
		report_left_out(&full, want, left);

	struct modtree st = subtree(&t, &full, want);
	if ((err = pack_from_tree(&sel, &st)) < 0)
		return err;
	sel.quiet_config = 1;
	if ((err = pack_apply_config(&sel, &cfg)) < 0)
		return err;
	if (mkdir(o->outdir, 0755) < 0 && errno != EEXIST) {
		log_err("%s: cannot create: %s", o->outdir, strerror(errno));
		return -errno;
	}
	if (!o->blob_only && (err = copy_modules(o, &sel)) < 0)
		return err;
	err = emit_blob(o, &sel);
	if (!err)
		err = emit_where(o, &sel, &cfg);
	if (!err && o->fwlist)
		err = emit_firmware_list(o->fwlist, &sel);
	pack_free(&sel);
	pack_free(&full);
	free(st.mods);
	free(want);
	free(left);
	free(fullblob);
	modtree_free(&t);
	config_free(&cfg);
	return err;
}

int main(int argc, char **argv)
{
	struct opts o;

	log_init("modpack");
	log_set_level(LOG_I);
	if (parse_args(argc, argv, &o) < 0)
		return 100;
	return run(&o) < 0 ? 1 : 0;
}
