/* show.c: answers printed on stdout, shared by modprobe (-R, --show-depends,
 * -n -v) and the resolve and deps applets, in kmod's formats. */
#include "applets.h"
#include "fmt.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>

int show_resolve(const struct ml_ctx *c, const char *name)
{
	struct hit h[LOOKUP_MAX];
	int n = lookup(&c->b, &c->extra, name, h, LOOKUP_MAX);

	for (int k = 0; k < n; k++)
		fd_printf(1, "%s\n", h[k].name);
	return n > 0 ? 0 : -ENOENT;
}

/* One line per plan node, repeats included, as kmod prints them. A dry run
 * (e given) leaves out what is live, and a chain whose module is live. */
int show_plan(const struct ml_ctx *c, const struct plan *p, struct exec *e)
{
	for (unsigned i = 0; i < p->n; i++) {
		const struct plan_node *nd = &p->node[i];
		const struct plan_chain *ch = &p->chain[nd->chain];
		const struct blob_mod *m = blob_mod(&c->b, nd->mod);
		int target = (nd->flags & PN_TARGET) != 0;
		char rel[PATH_MAX], *opts;

		if (e && (exec_state(e, ch->mod) == MS_LIVE || exec_state(e, nd->mod) == MS_LIVE))
			continue;
		if (m->flags & BM_BUILTIN) {
			fd_printf(1, "builtin %s\n", blob_str(&c->b, m->name));
			continue;
		}
		if (blob_mod_path(&c->b, nd->mod, rel, sizeof rel) < 0)
			continue;
		opts = ctx_options(c, nd->mod, target ? ch->alias : NULL,
				   target ? ch->params : NULL);
		if (!opts)
			return -ENOMEM;
		fd_printf(1, "insmod %s/%s %s%s\n", c->dir, rel, opts, *opts ? " " : "");
		free(opts);
	}
	return 0;
}
