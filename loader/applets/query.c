/* query.c: `modload resolve ALIAS...` and `modload deps NAME...`, host-side
 * questions to a packed directory: what modprobe -R and --show-depends
 * answer, for several names at once. The printers are modprobe's too, so
 * that what diff-kmod compares is what modprobe does. */
#include "applets.h"
#include "alias.h"
#include "fmt.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int show_resolve(const struct ml_ctx *c, const char *name)
{
	struct hits h;
	int n;

	n = ctx_lookup(c, name, &h);
	for (int k = 0; k < n; k++)
		out_printf("%s\n", h.v[k].name);
	hits_free(&h);
	if (n == 0) { /* as kmod: a name with an install or remove line is a module */
		char norm[ALIAS_MAX];
		modname_normalize(name, norm, sizeof norm);
		for (unsigned i = 0; i < c->cfg.ncmds && !n; i++)
			if (!strcmp(c->cfg.cmds[i].mod, norm))
				n = out_printf("%s\n", norm) >= 0;
	}
	if (n == -ENOMEM)
		log_err("%s: %s", name, strerror(ENOMEM));
	return n > 0 ? 0 : n == -ENOMEM ? n : -ENOENT;
}

/* One line per plan node, repeats included, as kmod prints them. A dry run
 * (e given) leaves out what is live, and a chain whose module is live. */
int show_plan(const struct ml_ctx *c, const struct plan *p, struct exec *e)
{
	for (unsigned i = 0; i < p->n; i++) {
		const struct plan_node *nd = &p->node[i];
		const struct plan_chain *ch = &p->chain[nd->chain];
		struct blob_mod m = blob_mod(&c->b, nd->mod);
		int target = (nd->flags & PN_TARGET) != 0;
		char path[2 * PATH_MAX], *opts;

		if (e && (exec_state(e, ch->mod) == MS_LIVE || exec_state(e, nd->mod) == MS_LIVE))
			continue;
		opts = ctx_options(c, nd->mod, target ? ch->alias : NULL,
				   target ? ch->params : NULL);
		if (!opts)
			return -ENOMEM;
		/* kmod ends configured options with a blank, unless modprobe's
		 * own parameters follow them. */
		const char *end = *opts && !(target && ch->params && *ch->params) ? " " : "";
		if (m.flags & BM_BUILTIN && !nd->cmd)
			out_printf("builtin %s\n", blob_str(&c->b, m.name));
		else if (nd->cmd || ctx_mod_path(c, nd->mod, path, sizeof path) >= 0)
			out_printf("%s %s %s%s\n", nd->cmd ? "install" : "insmod",
				   nd->cmd ? nd->cmd->cmd : path, opts, end);
		free(opts);
	}
	return 0;
}

static int query(int argc, char **argv, const char *what, int deps)
{
	struct ml_ctx c;
	struct plan p;
	int status = 0;

	if (argc < 2) {
		fd_printf(2, "usage: modload %s NAME...\n", what);
		return EXIT_USAGE;
	}
	if (ctx_open(&c, applet_dir, NULL) < 0)
		return 1;
	c.flags = CTX_SHOW;
	if (plan_init(&p, &c) < 0) {
		ctx_close(&c);
		return EXIT_SYSTEM;
	}
	for (int i = 1; i < argc; i++) {
		int err;
		err = deps ? plan_request(&p, &c, argv[i], NULL, 0) : show_resolve(&c, argv[i]);
		if (deps && show_plan(&c, &p, NULL) < 0)
			err = -ENOMEM;
		if (err == -ENOENT)
			log_err("FATAL: Module %s not found in directory %s", argv[i], c.dir);
		status |= err < 0;
	}
	plan_free(&p);
	ctx_close(&c);
	return status;
}

int resolve_main(int argc, char **argv)
{
	return query(argc, argv, "resolve", 0);
}

int deps_main(int argc, char **argv)
{
	return query(argc, argv, "deps", 1);
}
