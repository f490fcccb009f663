/* plan.c: the load order for a request, built exactly as kmod's modprobe
 * builds its list (so that --show-depends prints the same lines), and the
 * graph the executor runs it by.
 *
 *   probe(M):    once per chain: for each dependency D of M in load order,
 *                place(D); then place(M).
 *   place(M):    probe() every module a "pre" softdep of M names, append M
 *                (even if it is already in the list: kmod repeats it too),
 *                then probe() every module a "post" softdep names.
 *
 * As kmod: "once per chain" is per module object, and the module a chain
 * asks for through an alias is another object than the one a softdep
 * names: a softdep in its own walk that names it probes it afresh (kmod
 * lists it, and its dependencies, twice).
 *
 * A module's softdeps are those of the first configuration line whose
 * pattern matches its name, else its own (.modinfo) first softdep line.
 * The chain's module and its dependencies are required; a module only
 * reached through softdeps is not, so its failure is not fatal.
 *
 * The graph: the first time M is placed, its wishes are noted: its
 * dependencies before it (hard), its "pre" softdeps before it and its "post"
 * softdeps after it (soft). At the end each wish that agrees with the list
 * (the one wanted first is placed first) becomes an edge, and one that does
 * not is dropped: that is a cycle (softdep m pre: m; A pre: B where B needs
 * A), cut where kmod's visited set cuts it. Edges thus point backwards only,
 * and one worker taking the first ready module inserts in kmod's order.
 *
 * Forbid (modload's own keyword): a forbidden module is never planned, nor
 * anything that needs it: as a softdep it is left out, as a dependency it
 * keeps out what needs it (said once, naming both). */
#include "plan.h"

#include "alias.h"
#include "log.h"
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { VISITED = 1, REQUIRED = 2 };

struct plan_rel {
	unsigned before, after, hard;
};

struct walk {
	struct plan *p;
	const struct ml_ctx *c;
	unsigned chain, flags;
};

void *plan_grow(void *v, unsigned *cap, unsigned need, size_t size)
{
	unsigned ncap = *cap ? *cap : 32;

	if (need <= *cap)
		return v;
	while (ncap < need)
		ncap *= 2;
	v = realloc(v, (size_t)ncap * size);
	if (v)
		*cap = ncap;
	return v;
}

static void relate(struct plan *p, unsigned before, unsigned after, unsigned hard)
{
	struct plan_rel *r = plan_grow(p->rel, &p->relcap, p->nrel + 1, sizeof *r);

	if (!r) {
		p->err = -ENOMEM;
		return;
	}
	p->rel = r;
	r[p->nrel++] = (struct plan_rel){ before, after, hard };
}

/* Is mod, or a module it needs, forbidden? Then say so (at prio). */
static int refused(const struct ml_ctx *c, unsigned mod, int prio)
{
	uint32_t n;
	const uint8_t *deps = ctx_deps(c, mod, &n);

	if (ctx_forbidden(c, mod)) {
		report(c, prio, OUT_FORBIDDEN, mod, NULL, 0);
		return 1;
	}
	for (uint32_t i = 0; i < n; i++)
		if (ctx_forbidden(c, blob_u16(deps + 2 * i))) {
			report(c, prio, OUT_NEEDS_FORBIDDEN, mod,
			       blob_mod_name(&c->b, blob_u16(deps + 2 * i)), 0);
			return 1;
		}
	return 0;
}

static void append(struct walk *w, unsigned mod)
{
	struct plan *p = w->p;
	struct plan_node *nn = plan_grow(p->node, &p->ncap, p->n + 1, sizeof *nn);
	uint32_t n;
	const uint8_t *deps;

	if (!nn) {
		p->err = -ENOMEM;
		return;
	}
	p->node = nn;
	int target = mod == p->chain[w->chain].mod;
	nn[p->n] = (struct plan_node){ mod,
				       w->chain,
				       (p->mark[mod] & REQUIRED ? PN_REQUIRED : 0) |
					       (target ? PN_TARGET : 0),
				       target && (w->flags & PLAN_NO_CMD)
					       ? NULL
					       : ctx_install(w->c, mod, p->chain[w->chain].alias),
				       0,
				       0 };
	if (!p->pos[mod]) {
		p->pos[mod] = ++p->n;
		deps = ctx_deps(w->c, mod, &n);
		for (uint32_t i = 0; i < n; i++)
			relate(p, blob_u16(deps + 2 * i), mod, PRED_HARD);
	} else
		p->n++;
}

static void probe(struct walk *w, unsigned mod);

/* A softdep names a module or an alias: every module it resolves to. */
static void soft(struct walk *w, unsigned mod, int post, int first)
{
	struct plan *p = w->p;
	struct softdep_names s;

	ctx_softdeps(w->c, mod, post, &s);
	for (unsigned i = 0; i < s.n && !p->err; i++) {
		struct modlist hits;
		modlist_init(&hits);
		int k = lookup_mods(&w->c->b, &w->c->extra, ctx_softdep(w->c, &s, i), &hits);
		if (k == -ENOMEM)
			p->err = -ENOMEM;
		for (int j = 0; j < k; j++) {
			unsigned h = hits.v[j];
			if (first)
				relate(p, post ? mod : h, post ? h : mod, 0);
			if (!(p->mark[h] & VISITED) && refused(w->c, h, LOG_I))
				p->mark[h] |= VISITED; /* said once per chain */
			else
				probe(w, h);
		}
		modlist_free(&hits);
	}
}

static void place(struct walk *w, unsigned mod)
{
	int first = !w->p->pos[mod];
	/* As kmod: modprobe -i takes the module asked for without softdeps. */
	int plain = (w->flags & PLAN_NO_CMD) && mod == w->p->chain[w->chain].mod;

	if (!plain)
		soft(w, mod, 0, first);
	append(w, mod);
	if (!plain)
		soft(w, mod, 1, first);
}

/* mod's dependencies, then mod; once per chain unless fresh. */
static void walk_mod(struct walk *w, unsigned mod, int fresh)
{
	uint32_t n;
	const uint8_t *deps;

	if (mod > blob_nmods(&w->c->b) || (!fresh && (w->p->mark[mod] & VISITED)))
		return;
	w->p->mark[mod] |= fresh ? 0 : VISITED;
	deps = ctx_deps(w->c, mod, &n);
	for (uint32_t i = 0; i < n && !w->p->err; i++)
		place(w, blob_u16(deps + 2 * i));
	place(w, mod);
}

static void probe(struct walk *w, unsigned mod)
{
	walk_mod(w, mod, 0);
}

static int kept(const struct plan *p, const struct plan_rel *r)
{
	return p->pos[r->before] && p->pos[r->after] && p->pos[r->before] < p->pos[r->after];
}

/* The wishes that agree with the list become each first node's edges. */
static int finish(struct plan *p)
{
	unsigned at = 0;

	for (unsigned i = 0; i < p->n; i++)
		p->node[i].npred = 0;
	for (unsigned i = 0; i < p->nrel; i++)
		if (kept(p, &p->rel[i]))
			p->node[p->pos[p->rel[i].after] - 1].npred++;
	for (unsigned i = 0; i < p->n; i++) {
		p->node[i].pred = at;
		at += p->node[i].npred;
		p->node[i].npred = 0;
	}
	if (at) {
		unsigned *pred = plan_grow(p->pred, &p->predcap, at, sizeof *pred);
		if (!pred)
			return p->err = -ENOMEM;
		p->pred = pred;
	}
	p->npred = at;
	for (unsigned i = 0; i < p->nrel; i++) {
		const struct plan_rel *r = &p->rel[i];
		struct plan_node *nd;
		if (!kept(p, r))
			continue;
		nd = &p->node[p->pos[r->after] - 1];
		p->pred[nd->pred + nd->npred++] = r->before << 1 | r->hard;
	}
	return p->err;
}

static int chain(struct plan *p, const struct ml_ctx *c, unsigned mod, const char *alias,
		 const char *params, int prio, unsigned flags)
{
	struct walk w = { p, c, p->nchain, flags };
	struct plan_chain *ch;
	uint32_t n;
	const uint8_t *deps;

	if (refused(c, mod, prio)) {
		p->skipped++;
		return -EPERM;
	}
	if (!(ch = plan_grow(p->chain, &p->chaincap, p->nchain + 1, sizeof *ch)))
		return p->err = -ENOMEM;
	p->chain = ch;
	ch += p->nchain;
	ch->mod = mod;
	ch->params = params;
	if (!(ch->alias = alias ? strdup(alias) : NULL) && alias)
		return p->err = -ENOMEM;
	p->nchain++;
	/* As kmod: the module and its dependencies are required before the
	 * walk, which may reach them through softdeps first. */
	memset(p->mark, 0, blob_nmods(&c->b) + 1);
	p->mark[mod] |= REQUIRED;
	deps = ctx_deps(c, mod, &n);
	for (uint32_t i = 0; i < n; i++)
		p->mark[blob_u16(deps + 2 * i)] |= REQUIRED;
	walk_mod(&w, mod, ch->alias != NULL);
	return p->err;
}

int plan_request(struct plan *p, const struct ml_ctx *c, const char *name, const char *params,
		 unsigned flags)
{
	struct hits hl;
	struct hit *h;
	char norm[ALIAS_MAX];
	int n, err = 0;
	int prio = flags & PLAN_DEVICE ? LOG_I : c->flags & CTX_QUIET ? LOG_D : LOG_N;

	plan_reset(p);
	modname_normalize(name, norm, sizeof norm);
	n = ctx_lookup(c, name, &hl);
	h = hl.v;
	if (n == 0 && ctx_install(c, blob_nmods(&c->b), norm)) {
		hits_free(&hl);
		err = chain(p, c, blob_nmods(&c->b), norm, params, prio, flags);
		return finish(p) < 0 ? p->err : err;
	}
	if (n <= 0) {
		hits_free(&hl);
		return n < 0 ? n : -ENOENT;
	}
	for (int i = 0; i < n; i++) {
		int e;
		if (h[i].kind == HIT_UNKNOWN) {
			log_msg(flags & PLAN_DEVICE ? LOG_I : LOG_E,
				"%s: alias of %s, which is not in %s", name, h[i].name, c->dir);
			e = -ENOENT;
		} else if ((h[i].via_alias || (flags & PLAN_BLACKLIST)) &&
			   ctx_blacklisted(c, (unsigned)h[i].mod)) {
			/* As kmod: blacklist stops alias loads always, name loads with -b. */
			report(c, flags & PLAN_DEVICE ? LOG_I : LOG_D, OUT_BLACKLISTED,
			       (unsigned)h[i].mod, name, 0);
			p->skipped++;
			continue;
		} else
			e = chain(p, c, (unsigned)h[i].mod, h[i].via_alias ? norm : NULL, params,
				  prio, flags);
		if (e < 0 && !err)
			err = e;
	}
	hits_free(&hl);
	return finish(p) < 0 ? p->err : err;
}

int plan_module(struct plan *p, const struct ml_ctx *c, unsigned mod, unsigned flags)
{
	int err;

	plan_reset(p);
	err = chain(p, c, mod, NULL, NULL, flags & PLAN_DEVICE ? LOG_I : LOG_N, flags);

	return finish(p) < 0 ? p->err : err;
}

int plan_init(struct plan *p, const struct ml_ctx *c)
{
	memset(p, 0, sizeof *p);
	p->pos = calloc(blob_nmods(&c->b) + 1, sizeof *p->pos);
	p->mark = calloc(blob_nmods(&c->b) + 1, 1);
	if (p->pos && p->mark)
		return 0;
	plan_free(p);
	return -ENOMEM;
}

void plan_reset(struct plan *p)
{
	for (unsigned i = 0; i < p->n; i++)
		p->pos[p->node[i].mod] = 0;
	for (unsigned i = 0; i < p->nchain; i++)
		free(p->chain[i].alias);
	p->n = p->nchain = p->npred = p->nrel = p->skipped = 0;
	p->err = 0;
}

void plan_free(struct plan *p)
{
	if (p->pos)
		plan_reset(p);
	free(p->node);
	free(p->chain);
	free(p->pred);
	free(p->rel);
	free(p->pos);
	free(p->mark);
	memset(p, 0, sizeof *p);
}
