/* modprobe.c: the modprobe applet, as the kernel's request_module and
 * administrators call it. */
#include "applets.h"
#include "ctx.h"
#include "alias.h"
#include "fmt.h"
#include "exec.h"
#include "log.h"
#include "lookup.h"
#include "opt.h"
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The command line, as opt.h parses it. */
static struct opt args;

/* modprobe's own switches, above ctx.h's CTX_* bits (those go to c.flags). */
enum {
	MP_ALL = 1 << 8,
	MP_QUIET = 1 << 9,
	MP_RESOLVE = 1 << 10,
	MP_SHOW = 1 << 11,
	MP_REMOVE = 1 << 12,
	MP_CONFIG = 1 << 13, /* -c */
	MP_FIRST = 1 << 14,  /* --first-time */
	MP_CTX = MP_ALL - 1
};

/* The options without an argument, and the bits each sets (a table, not a
 * case each). */
static const char switches[] = "aqvnbRDricF";
static const unsigned short switch_bits[] = {
	MP_ALL,	    MP_QUIET | CTX_QUIET, CTX_VERBOSE, CTX_DRY_RUN, CTX_BLACKLIST,
	MP_RESOLVE, MP_SHOW | CTX_SHOW,	  MP_REMOVE,   CTX_NO_CMD,  MP_CONFIG,
	MP_FIRST,
};

struct mp_opts {
	unsigned flags; /* CTX_* and MP_* */
	const char *root, *kver, *config[8];
	int nconfig;
};

static void usage(int f)
{
	fd_printf(f, "usage: modprobe [-abinqv] [-d ROOT] [-S KVER] [-C PATH] MODULE|FILE "
		     "[param=value...]\n"
		     "       modprobe -r [-aq] MODULE... | -R ALIAS | --show-depends MODULE | -c\n"
		     "  options as kmod's; -C a *.conf file or directory (default " RUNTIME_CONFIG
		     ")\n");
}

static int parse(int argc, char **argv, struct mp_opts *o)
{
	static const char lo[] = "a all\0"
				 "q quiet\0"
				 "v verbose\0"
				 "n dry-run\0"
				 "b use-blacklist\0"
				 "R resolve-alias\0"
				 "D show-depends\0"
				 "d:dirname\0"
				 "S:set-version\0"
				 "r remove\0"
				 "C:config\0"
				 "i ignore-install\0"
				 "i ignore-remove\0"
				 "c showconfig\0"
				 "F first-time\0" /* long only: -F is not in the short string */
				 "h help\0";
	int c;

	memset(o, 0, sizeof *o);
	opt_begin(&args, argc, argv, "aqvnbRDd:S:rC:ihc", lo);
	while ((c = opt_next(&args)) != -1) {
		const char *sw = c ? strchr(switches, c) : NULL;
		if (sw) {
			o->flags |= switch_bits[sw - switches];
			continue;
		}
		switch (c) {
		case 'd': o->root = args.arg; break;
		case 'S': o->kver = args.arg; break;
		case 'C':
			if (o->nconfig < 8)
				o->config[o->nconfig++] = args.arg;
			break;
		case 'h':
			usage(1);
			fd_flush();
			exit(0);
		default: usage(2); return -EINVAL;
		}
	}
	if (o->flags & CTX_VERBOSE)
		log_set_level(LOG_I);
	if (args.ind >= argc && !(o->flags & MP_CONFIG)) {
		usage(2);
		return -EINVAL;
	}
	return 0;
}

/* When modules are inserted or removed, errors go to the kernel log too;
 * everything does when the kernel runs us for request_module, with stderr on
 * /dev/null. Queries (-R, --show-depends, -n) only print. */
static void pick_log(const struct mp_opts *o)
{
	struct stat st, null;
	if (fstat(2, &st) < 0 || (stat("/dev/null", &null) == 0 && st.st_rdev == null.st_rdev))
		log_use_kmsg(KMSG_ALL);
	else if (!(o->flags & (MP_RESOLVE | MP_SHOW | MP_CONFIG | CTX_DRY_RUN)))
		log_use_kmsg(KMSG_ERRORS);
}

static int open_dir(struct ml_ctx *c, const struct mp_opts *o)
{
	char dir[PATH_MAX];
	int err;

	if (!o->root)
		return ctx_open(c, o->kver ? NULL : applet_dir, o->kver);
	if ((err = ctx_modules_dir(dir, sizeof dir, o->root, o->kver)) < 0)
		return err;
	return ctx_open(c, dir, NULL);
}

/* A softdep line of modprobe -c: sd's, or (sd NULL) module mod's in the blob,
 * in kmod 30's spelling: "softdep m pre: a bpost: c". */
static void show_softdep(const struct blob *b, unsigned mod, const struct cfg_softdep *sd)
{
	struct blob_extra x = blob_mod_extra(b, mod);

	out_printf("softdep %s ", sd ? sd->mod : blob_mod_name(b, mod));
	for (int post = 0; post < 2; post++) {
		uint32_t off = post ? x.soft_post : x.soft_pre;
		char **v = sd ? (post ? sd->post : sd->pre) : NULL;
		unsigned n = sd ? (post ? sd->npost : sd->npre) : blob_slist_count(b, off);
		for (unsigned i = 0; i < n; i++)
			out_printf("%s %s",
				   i	  ? ""
				   : post ? "post:"
					  : "pre:",
				   v ? v[i] : blob_slist_item(b, off, i));
	}
	fd_putc(1, '\n');
}

/* One line of modprobe -c: "kw a b". */
static void show_line(const char *kw, const char *a, const char *b)
{
	out_printf("%s %s %s\n", kw, a, b);
}

static void show_config(const struct ml_ctx *c)
{
	const struct blob *b = &c->b;
	const struct config *f = &c->cfg;
	uint32_t len, n = blob_nmods(b);
	const uint8_t *a = blob_sec(b, SEC_CFGALIAS, &len);
	char pat[BLOB_MAX_PATTERN + 1];
	unsigned mod;

	for (uint32_t i = 0; i < n; i++)
		if (blob_mod(b, i).flags & BM_BLACKLIST)
			out_printf("blacklist %s\n", blob_mod_name(b, i));
	for (unsigned i = 0; i < f->nblacklist; i++)
		out_printf("blacklist %s\n", f->blacklist[i]);
	for (int r = 0; r < 2; r++)
		for (unsigned i = 0; i < f->ncmds; i++)
			if (f->cmds[i].remove == r)
				show_line(r ? "remove" : "install", f->cmds[i].mod, f->cmds[i].cmd);
	for (uint32_t o = 0; o + 8 <= len; o += 8)
		show_line("alias", blob_str(b, blob_u32(a + o)), blob_str(b, blob_u32(a + o + 4)));
	for (unsigned i = 0; i < f->nalias; i++)
		show_line("alias", f->alias_pat[i], f->alias_mod[i]);
	for (unsigned i = 0; i < f->noptions; i++)
		show_line("options", f->options[i].mod, f->options[i].opts);
	for (uint32_t i = 0; i < n; i++)
		if (blob_mod(b, i).flags & BM_SOFTDEP_CFG)
			show_softdep(b, i, NULL);
	for (unsigned i = 0; i < f->nsoftdeps; i++)
		show_softdep(b, 0, &f->softdeps[i]);
	out_printf("\n# End of configuration files. Dumping indexes now:\n\n");
	for (uint32_t i = 0; i < b->h.naliases; i++)
		if (alias_get(b, i, pat, sizeof pat, &mod) >= 0 &&
		    !(blob_mod(b, mod).flags & BM_BUILTIN))
			show_line("alias", pat, blob_mod_name(b, mod));
}

/* modprobe FILE (a name with a '/' that names a file; kmod 31 takes "/..."
 * and "./...", kmod 30 none): FILE is inserted for the module its name
 * stands for (kmod's rule, modname_from_path), with that module's
 * dependencies, softdeps and options. A name the blob does not know stays a
 * name ("not found": kmod 31 would insert the file alone; insmod does).
 * Returns the name to plan. */
static const char *from_file(struct ml_ctx *c, const char *name, char *norm)
{
	struct stat st;
	int mod;

	if (!strchr(name, '/') || stat(name, &st) < 0 || !S_ISREG(st.st_mode))
		return name;
	modname_from_path(name, norm, ALIAS_MAX);
	if ((mod = blob_find_mod(&c->b, norm)) < 0)
		return name;
	c->file = name;
	c->file_mod = (unsigned)mod;
	return norm;
}

/* Load (or with --show-depends / -n, print) what name resolves to; 0 when
 * every module it resolved to is live. With --first-time (first), as kmod:
 * a module it resolves to that is in the kernel already (built in
 * included) is an error, said, also with -n, while the others it resolves
 * to are still loaded; --show-depends ignores what is loaded. */
static int load(struct ml_ctx *c, struct plan *p, struct exec *e, const char *name,
		const char *params, int first)
{
	unsigned flags = (c->flags & CTX_BLACKLIST ? PLAN_BLACKLIST : 0) |
			 (c->flags & CTX_NO_CMD ? PLAN_NO_CMD : 0);
	char norm[ALIAS_MAX];
	int err, refused = 0;

	name = from_file(c, name, norm);
	err = plan_request(p, c, name, params, flags);
	if (first && !err && !(c->flags & CTX_SHOW))
		refused = exec_refuse_live(e, p); /* the executor skips those chains */
	if (!(c->flags & (CTX_SHOW | CTX_DRY_RUN)))
		err = exec_inline(e, p, err);
	else if ((c->flags & (CTX_SHOW | CTX_VERBOSE)) &&
		 show_plan(c, p, c->flags & CTX_SHOW ? NULL : e) < 0)
		err = -ENOMEM;
	return refused ? refused : err;
}

static int one(struct ml_ctx *c, struct plan *p, struct exec *e, const struct mp_opts *o,
	       const char *name, const char *params)
{
	int err = o->flags & MP_RESOLVE ? show_resolve(c, name)
					: load(c, p, e, name, params, !!(o->flags & MP_FIRST));
	if (err == -ENOENT && !(o->flags & MP_QUIET))
		log_err("FATAL: Module %s not found in directory %s", name, c->dir);
	if (err == -ENOMEM)
		log_err("%s: out of memory", name);
	return err;
}

/* modprobe -r: the module (and what it is an alias of), then those of its
 * dependencies and softdeps nothing else uses any more, dependents first. A
 * dependency still in use is not an error, as in kmod. */
static void remove_quietly(struct ml_ctx *c, unsigned mod)
{
	char who[1024];
	int err;
	if (!(blob_mod(&c->b, mod).flags & BM_BUILTIN))
		remove_module(blob_mod_name(&c->b, mod), 0, who, sizeof who, &err);
}

static int remove_chain(struct ml_ctx *c, const struct mp_opts *o, const char *name)
{
	struct hits hl;
	struct hit *h;
	int n, status = 0;

	char norm[ALIAS_MAX];
	const struct cfg_cmd *cmd;

	modname_normalize(name, norm, sizeof norm);
	if (!(c->flags & CTX_NO_CMD) && (cmd = config_cmd(&c->cfg, norm, 1))) {
		/* As kmod: the remove command instead (with -v or -n, said). */
		struct cfg_cmd run = *cmd;
		if (c->flags & (CTX_DRY_RUN | CTX_VERBOSE))
			out_printf("remove %s\n", cmd->cmd);
		if (c->flags & CTX_DRY_RUN)
			return 0;
		run.remove = 0;
		return exec_install(NULL, &run, norm, "") < 0 ? -1 : 0;
	}
	n = ctx_lookup(c, name, &hl);
	h = hl.v;
	if (n <= 0) {
		if (n == -ENOMEM)
			log_err("%s: %s", name, strerror(ENOMEM));
		else if (!(o->flags & MP_QUIET))
			log_err("FATAL: Module %s not found.", name);
		hits_free(&hl);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char who[1024];
		int err;
		uint32_t nd;
		if (h[i].mod < 0)
			continue;
		const uint8_t *deps = ctx_deps(c, (unsigned)h[i].mod, &nd);
		/* -n: kmod's checks all the same (built in, not loaded, in use) */
		enum remove_result r =
			h[i].kind == HIT_BUILTIN
				? RM_BUILTIN
				: remove_module(h[i].name,
						c->flags & CTX_DRY_RUN ? REMOVE_DRY_RUN : 0, who,
						sizeof who, &err);
		if (r != RM_OK) { /* as kmod: then its dependencies stay */
			/* modprobe -r: "not loaded" is no failure, and unsaid */
			if (!(o->flags & MP_QUIET))
				remove_report_style(
					RW_MODPROBE | (o->flags & MP_ALL ? RW_ALL : 0) |
						(o->flags & MP_FIRST ? RW_FIRST_TIME : 0),
					h[i].name, name, r, who, err);
			status |= -(r != RM_NOT_LOADED || (o->flags & MP_FIRST));
			continue;
		}
		if (c->flags & CTX_DRY_RUN) {
			out_printf("rmmod %s\n", h[i].name);
			continue;
		}
		for (uint32_t k = nd; k-- > 0;)
			remove_quietly(c, blob_u16(deps + 2 * k));
	}
	hits_free(&hl);
	return status;
}

int modprobe_main(int argc, char **argv)
{
	struct mp_opts o;
	struct ml_ctx c;
	struct plan p;
	struct exec e;
	char *params;
	int status = 1;

	if (parse(argc, argv, &o) < 0)
		return EXIT_USAGE;
	pick_log(&o);
	if (open_dir(&c, &o) < 0)
		return 1;
	if (!(o.flags & (MP_RESOLVE | MP_SHOW | MP_CONFIG | MP_REMOVE | CTX_DRY_RUN)) &&
	    ctx_check_kernel(&c) < 0)
		goto close; /* status 1 */
	c.flags = o.flags & MP_CTX;
	for (int i = 0; i < o.nconfig; i++)
		ctx_configure(&c, o.config[i], NULL);
	if (!(o.flags & (MP_RESOLVE | MP_SHOW)))
		ctx_configure_boot(&c, o.nconfig ? NULL : RUNTIME_CONFIG);
	status = 0;
	if (o.flags & MP_CONFIG) {
		show_config(&c);
		goto close;
	}
	if (plan_init(&p, &c) < 0 || exec_init(&e, &c, &exec_kernel) < 0) {
		log_err("out of memory");
		status = EXIT_SYSTEM;
		goto close;
	}
	if (!(o.flags & (MP_RESOLVE | MP_SHOW)))
		exec_scan_loaded(
			&e); /* -R and --show-depends ignore what is loaded, as kmod's do */
	if (o.flags & MP_REMOVE) {
		for (int i = args.ind; i < argc && (o.flags & MP_ALL || i == args.ind); i++)
			if (remove_chain(&c, &o, argv[i]) < 0)
				status = 1;
	} else if (o.flags & (MP_ALL | MP_RESOLVE)) {
		for (int i = args.ind; i < argc; i++)
			if (one(&c, &p, &e, &o, argv[i], NULL) < 0)
				status = 1;
	} else if (!(params = opt_join(argc, argv, args.ind + 1))) {
		log_err("out of memory");
		status = 1;
	} else {
		status = one(&c, &p, &e, &o, argv[args.ind], params) < 0;
		free(params);
	}
	exec_stop(&e, 0);
	plan_free(&p);
close:
	ctx_close(&c);
	return status;
}
