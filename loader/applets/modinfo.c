/* modinfo.c: `modinfo [-F FIELD] [-n] [-0] [-b ROOT] [-k KVER] MODULE...`:
 * a module's .modinfo, printed the way kmod's modinfo prints it.
 *
 * MODULE is a file when it is a regular file whose name ends in .ko, .ko.zst,
 * .ko.xz or .ko.gz (kmod's test); otherwise a name or alias resolved through
 * the blob (lookup(), the order kmod uses), each module it resolves to
 * printed in turn.
 *
 * kmod's format, reproduced here:
 *   - built-in module: "name:" line first; the file name is "(builtin)" and
 *     the entries come from DIR/modules.builtin.modinfo ("mod.key=value"),
 *     or there are none when that file is missing;
 *   - "filename:       PATH" (absolute: a relative path is put after the
 *     current directory as given, "./x.ko" -> "/cwd/./x.ko");
 *   - every entry in section order as "key:" padded to 16 columns, value;
 *     an entry without '=' is a key with an empty value. The padding is
 *     printf's "%-*s" with width 15 - strlen(key), which for keys longer than
 *     15 is negative and so means left-justified in |width| columns;
 *   - for a signed module (modsig.h), then sig_id, signer, sig_key,
 *     sig_hashalgo and signature, as kmod 30 built with OpenSSL shows them:
 *     the key and the signature as hex bytes "5E:E1:...", a line break and
 *     two tabs after every 20th byte's ':';
 *   - parm= and parmtype= entries are merged per parameter name (text up to
 *     the first ':') and printed last, most recently first-seen parameter
 *     first, as "parm:           NAME:DESC (TYPE)", "NAME:DESC" without a
 *     type, "NAME:TYPE" without a description; an entry without ':' is
 *     reported and skipped;
 *   - -F FIELD prints only the values of FIELD, one per line; -F parm the
 *     merged form without the "parm:" prefix ("NAME: (TYPE)" when there is
 *     no description), -F filename the file name and -F name a built-in's
 *     name; -0 ends each item with NUL and prints entries as "key=value";
 *   - a file that cannot be read is reported with kmod's reason: not ELF
 *     "Exec format error", a malformed ELF "Invalid argument", no .modinfo
 *     "No such file or directory".
 * .ko.xz and .ko.gz files cannot be read (modload decompresses only zstd):
 * said in one line, the reason of "could not get modinfo".
 *
 * -d is kmod's --description here; the packed directory is chosen with
 * `modload -d DIR modinfo` or --dir DIR. Errors and exit status are kmod's
 * (exit 1 if any MODULE failed, including usage errors). */
#include "alias.h"
#include "applets.h"
#include "ctx.h"
#include "fmt.h"
#include "insert.h"
#include "log.h"
#include "lookup.h"
#include "modelf.h"
#include "modinfo.h"
#include "modsig.h"
#include "opt.h"
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The command line, as opt.h parses it. */
static struct opt args;

struct mi_opts {
	const char *field; /* NULL: everything */
	char sep;
	int modname;
	const char *root, *kver, *dir;
};

/* Entries of one module: a .modinfo section, or the part of
 * modules.builtin.modinfo whose entries start with "name.". */
struct mi_src {
	const char *sec;
	size_t len;
	char prefix[ALIAS_MAX + 1];
	size_t plen;
};

struct mi_run {
	struct mi_opts o;
	struct ml_ctx c;
	int ctx_open; /* 0 not tried, 1 open, -1 failed */
	struct insert_buf buf;
};

static void usage(int f)
{
	fd_printf(f, "usage: modinfo [options] MODULE|FILE...\n"
		     "  -F, --field FIELD    print only FIELD's values\n"
		     "  -n, --filename       print only the file name (-F filename)\n"
		     "  -a, -d, -l, -p       only author, description, license, parm\n"
		     "  -0, --null           end items with NUL instead of newline\n"
		     "  -m, --modname        MODULE is a module name, not an alias\n"
		     "  -b, --basedir ROOT   modules are in ROOT/lib/modules/KVER\n"
		     "  -k, --set-version KVER\n"
		     "      --dir DIR        the packed module directory\n"
		     ".ko.xz and .ko.gz files cannot be read (only .ko and .ko.zst).\n");
}

static int parse(int argc, char **argv, struct mi_opts *o)
{
	static const char lo[] = "a author\0"
				 "d description\0"
				 "l license\0"
				 "p parameters\0"
				 "n filename\0"
				 "0 null\0"
				 "m modname\0"
				 "F:field\0"
				 "k:set-version\0"
				 "b:basedir\0"
				 "D:dir\0"
				 "h help\0";
	int c;

	memset(o, 0, sizeof *o);
	o->sep = '\n';
	opt_begin(&args, argc, argv, "adlpn0mF:k:b:h", lo);
	while ((c = opt_next(&args)) != -1) {
		switch (c) {
		case 'a': o->field = "author"; break;
		case 'd': o->field = "description"; break;
		case 'l': o->field = "license"; break;
		case 'p': o->field = "parm"; break;
		case 'n': o->field = "filename"; break;
		case '0': o->sep = '\0'; break;
		case 'm': o->modname = 1; break;
		case 'F': o->field = args.arg; break;
		case 'k': o->kver = args.arg; break;
		case 'b': o->root = args.arg; break;
		case 'D': o->dir = args.arg; break;
		case 'h': usage(1); return 1;
		default: usage(2); return -1;
		}
	}
	if (args.ind >= argc) {
		log_kmod_err("missing module or filename.");
		usage(2);
		return -1;
	}
	return 0;
}

static int field_is(const struct mi_opts *o, const char *name)
{
	return o->field && !strcmp(o->field, name);
}

/* path made absolute the way kmod does it: cwd + "/" + path, not cleaned. */
static int absolute(const char *path, char *out, size_t cap)
{
	char cwd[PATH_MAX];

	int rel = path[0] != '/';

	if (rel && syscall(SYS_getcwd, cwd, sizeof cwd) < 0) /* not getcwd(): 200 bytes of libc */
		return -errno;
	return (size_t)fmt_snprintf(out, cap, "%s%s%s", rel ? cwd : "", rel ? "/" : "", path) < cap
		       ? 0
		       : -ENAMETOOLONG;
}

/* ---- entries ---------------------------------------------------------- */

/* A length for printf's "%.*s" (entries come from files far below 2 GiB). */
static int plen_of(size_t n)
{
	return n > INT_MAX ? INT_MAX : (int)n;
}

static int next_entry(const struct mi_src *s, size_t *pos, struct modinfo_entry *e)
{
	return modinfo_entry_next(s->sec, s->len, s->prefix, s->plen, pos, e);
}

/* ---- parameters ------------------------------------------------------- */

/* kmod lists a parameter first the last time it was first seen, so print
 * from the end. With prefix (no -F), the "parm:" column is put first. */
static int print_params(const struct mi_opts *o, const struct mi_src *s, int prefix)
{
	struct modinfo_param *ps, *p;
	int n = modinfo_params(s->sec, s->len, s->prefix, s->plen, &ps);

	if (n < 0)
		return n;
	for (int i = n - 1; i >= 0; i--) {
		p = &ps[i];
		if (prefix)
			out_printf("%-16s", "parm:");
		out_printf("%.*s:", plen_of(p->nlen), p->name);
		if (p->desc && p->type)
			out_printf("%.*s (%.*s)", plen_of(p->dlen), p->desc, plen_of(p->tlen),
				   p->type);
		else if (p->desc)
			out_printf("%.*s", plen_of(p->dlen), p->desc);
		else
			out_printf(prefix ? "%.*s" : " (%.*s)", plen_of(p->tlen), p->type);
		fd_putc(1, o->sep);
	}
	free(ps);
	return 0;
}

/* ---- one module --------------------------------------------------------- */

static void print_entry(const struct mi_opts *o, const struct modinfo_entry *e)
{
	int klen = plen_of(e->klen), vlen = plen_of(e->vlen), pad = 15 - klen;

	if (o->field) {
		if (modinfo_key_is(e, o->field))
			out_printf("%.*s%c", vlen, e->val, o->sep);
		return;
	}
	if (o->sep == '\0') {
		out_printf("%.*s=%.*s%c", klen, e->key, vlen, e->val, o->sep);
		return;
	}
	/* printf's negative width: left-justified in |width| columns. */
	out_printf("%.*s:%*s%.*s%c", klen, e->key, pad < 0 ? -pad : pad, "", vlen, e->val, o->sep);
}

/* b as kmod shows a key or signature: "AB:CD:..", and after every 20th
 * byte's ':' a line break and two tabs. Into a new string (free it). */
static char *hex(const struct modsig_bytes *b)
{
	static const char digits[] = "0123456789ABCDEF";
	char *out = malloc(b->n * 4 + 1), *p = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < b->n; i++) {
		unsigned v = modsig_byte(b, i);
		*p++ = digits[v >> 4];
		*p++ = digits[v & 15];
		if (i + 1 < b->n) {
			*p++ = ':';
			if ((i + 1) % 20 == 0) {
				memcpy(p, "\n\t\t", 3);
				p += 3;
			}
		}
	}
	*p = '\0';
	return out;
}

/* The signature fields, as entries after the .modinfo ones. */
static int print_sig(const struct mi_opts *o, const struct modsig *g)
{
	const char *text[5] = { g->id_type, (const char *)g->signer.p, NULL, g->hash_algo, NULL };
	const char *key = "sig_id\0signer\0sig_key\0sig_hashalgo\0signature";

	for (int i = 0; i < 5; i++, key += strlen(key) + 1) {
		struct modinfo_entry e = { key, text[i], strlen(key), g->signer.n };
		char *h = NULL;

		if (!e.val && !(e.val = h = hex(i == 2 ? &g->key : &g->sig)))
			return -ENOMEM;
		if (i != 1)
			e.vlen = strlen(e.val);
		print_entry(o, &e);
		free(h);
	}
	return 0;
}

/* Everything after the file name line; sig is NULL for an unsigned module. */
static int print_entries(const struct mi_opts *o, const struct mi_src *s, const struct modsig *sig)
{
	struct modinfo_entry e;
	size_t pos = 0;

	if (field_is(o, "parm"))
		return print_params(o, s, 0);
	while (next_entry(s, &pos, &e))
		if (o->field || !modinfo_is_param(&e))
			print_entry(o, &e);
	if (sig && print_sig(o, sig) < 0)
		return -ENOMEM;
	return o->field ? 0 : print_params(o, s, 1);
}

static const char *read_error(int err)
{
	if (err == -EOPNOTSUPP)
		return "xz and gzip modules cannot be read (modload decompresses only zstd)";
	if (err == -ENOEXEC || err == -EINVAL || err == -ENOENT)
		return strerror(-err);
	return insert_strerror(err);
}

/* Why an image has no .modinfo, in kmod's errno: not ELF at all, a
 * malformed ELF, or no such section. */
static int modinfo_error(const void *data, size_t len)
{
	struct elf_view v;

	if (!len)
		return -EINVAL;
	if (len < 4 || memcmp(data, "\177ELF", 4))
		return -ENOEXEC;
	return elf_open(&v, data, len) < 0 ? -EINVAL : -ENOENT;
}

/* The "filename:" line, or with -F filename the name alone: then 1, as
 * nothing else is printed. */
static int print_filename(const struct mi_opts *o, const char *path)
{
	if (field_is(o, "filename")) {
		out_printf("%s%c", path, o->sep);
		return 1;
	}
	if (!o->field)
		out_printf("%-16s%s%c", "filename:", path, o->sep);
	return 0;
}

/* A module file: name is for messages, path is absolute. */
static int show_file(struct mi_run *r, const char *name, const char *path)
{
	struct mi_src s = { 0 };
	struct modsig sig;
	const void *data;
	size_t len;
	int err;

	if (print_filename(&r->o, path))
		return 0;
	err = module_read(path, &r->buf, &data, &len);
	if (err == -ENOEXEC)
		err = -EINVAL; /* an empty file: kmod's mmap fails so */
	if (!err) {
		err = modinfo_section(data, len, &s.sec, &s.len);
		if (err)
			err = modinfo_error(data, len);
		else
			err = print_entries(&r->o, &s, modsig_read(data, len, &sig) ? NULL : &sig);
		module_unmap(data, len, &r->buf);
	}
	if (err)
		log_kmod_err("could not get modinfo from '%s': %s", name, read_error(err));
	return err;
}

/* A built-in module: its entries, if the directory has modules.builtin.modinfo. */
static int show_builtin(struct mi_run *r, const char *name)
{
	struct mi_src s = { 0 };
	char path[PATH_MAX + 32];
	const void *data;
	size_t len;
	int err;

	if (!r->o.field)
		out_printf("%-16s%s%c", "name:", name, r->o.sep);
	else if (field_is(&r->o, "name"))
		out_printf("%s%c", name, r->o.sep);
	if (print_filename(&r->o, "(builtin)"))
		return 0;
	fmt_snprintf(path, sizeof path, "%s/modules.builtin.modinfo", r->c.dir);
	err = module_read(path, NULL, &data, &len);
	if (err == -ENOENT)
		return 0; /* as kmod: a tree without the file has no such info */
	if (err) {
		log_kmod_err("could not get modinfo from '%s': %s", name, strerror(-err));
		return err;
	}
	s.sec = data;
	s.len = len;
	s.plen = (size_t)fmt_snprintf(s.prefix, sizeof s.prefix, "%s.", name);
	err = print_entries(&r->o, &s, NULL);
	module_unmap(data, len, NULL);
	return err;
}

/* ---- names -------------------------------------------------------------- */

static int open_dir(struct mi_run *r)
{
	char dir[PATH_MAX], abs[PATH_MAX];
	const char *d = r->o.dir ? r->o.dir : applet_dir;
	int err;

	if (r->ctx_open)
		return r->ctx_open > 0 ? 0 : -1;
	r->ctx_open = -1;
	if (!r->o.dir && (r->o.root || r->o.kver)) {
		if ((err = ctx_modules_dir(dir, sizeof dir, r->o.root, r->o.kver)) < 0) {
			log_kmod_err("uname() failed: %s", strerror(-err));
			return -1;
		}
		d = dir;
	}
	if (d && absolute(d, abs, sizeof abs) < 0) {
		log_kmod_err("%s: %s", d, strerror(ENAMETOOLONG));
		return -1;
	}
	if (ctx_open(&r->c, d ? abs : NULL, NULL) < 0)
		return -1;
	r->ctx_open = 1;
	return 0;
}

static int show_mod(struct mi_run *r, int mod)
{
	const char *name = blob_mod_name(&r->c.b, (uint32_t)mod);
	char path[PATH_MAX * 2];

	if (blob_mod(&r->c.b, (uint32_t)mod).flags & BM_BUILTIN)
		return show_builtin(r, name);
	int err = ctx_mod_path(&r->c, (unsigned)mod, path, sizeof path);
	if (err < 0) {
		log_kmod_err("Module %s has no file: %s", name, report_path_strerror(err));
		return err;
	}
	return show_file(r, name, path);
}

static int show_name(struct mi_run *r, const char *arg)
{
	struct hits hl;
	char norm[ALIAS_MAX];
	int n, err = 0;

	if (open_dir(r) < 0) {
		log_kmod_err("Module %s not found.", arg);
		return -ENOENT;
	}
	if (r->o.modname) {
		modname_normalize(arg, norm, sizeof norm);
		n = blob_find_mod(&r->c.b, norm);
		if (n < 0) {
			log_kmod_err("Module name %s not found.", arg);
			return -ENOENT;
		}
		return show_mod(r, n);
	}
	n = ctx_lookup(&r->c, arg, &hl);
	if (n <= 0 || hl.v[0].kind == HIT_UNKNOWN) {
		if (n == -ENOMEM)
			log_kmod_err("%s: %s", arg, strerror(ENOMEM));
		else
			log_kmod_err("Module %s not found.", arg);
		hits_free(&hl);
		return n == -ENOMEM ? n : -ENOENT;
	}
	for (int i = 0; i < n; i++)
		if (hl.v[i].kind != HIT_UNKNOWN && show_mod(r, hl.v[i].mod) < 0)
			err = -1;
	hits_free(&hl);
	return err;
}

/* ---- files -------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* kmod's test: a MODULE that is a regular file named *.ko[.gz|.xz|.zst] is
 * read as a file; anything else is a name or alias ("devname:snd/seq"),
 * which a name ending so cannot be: that is "not found" at once. */
static int module_file_name(const char *arg)
{
	for (const char *x = ".ko\0.ko.zst\0.ko.xz\0.ko.gz\0"; *x; x += strlen(x) + 1)
		if (ends_with(arg, x))
			return 1;
	return 0;
}

static int show_path(struct mi_run *r, const char *arg)
{
	char path[PATH_MAX], name[ALIAS_MAX];
	struct stat st;

	if (stat(arg, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_kmod_err("Module %s not found.", arg);
		return -ENOENT;
	}
	if (absolute(arg, path, sizeof path) < 0) {
		log_kmod_err("could not use %s: %s", arg, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	modname_from_path(arg, name, sizeof name); /* for messages */
	return show_file(r, name, path);
}

int modinfo_main(int argc, char **argv)
{
	struct mi_run r = { 0 };
	int err, status = 0;

	log_init("modinfo");
	err = parse(argc, argv, &r.o);
	if (err)
		return err > 0 ? 0 : 1;
	for (int i = args.ind; i < argc; i++) {
		if (!r.o.modname && module_file_name(argv[i]))
			err = show_path(&r, argv[i]);
		else
			err = show_name(&r, argv[i]);
		if (err < 0)
			status = 1;
	}
	if (r.ctx_open > 0)
		ctx_close(&r.c);
	insert_buf_free(&r.buf);
	if ((err = fd_flush()) < 0) {
		log_kmod_err("writing output: %s", strerror(-err));
		status = 1;
	}
	return status;
}
