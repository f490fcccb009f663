/* config_check.h: what fuzz_config.c and fuzz_cmdline.c check on a parsed
 * configuration, and the queries they run over it (loader/lib/config_query.c).
 *
 * Every failed check prints one line naming it and aborts, which libFuzzer
 * reports as a crash with the input saved. */
#ifndef FUZZ_CONFIG_CHECK_H
#define FUZZ_CONFIG_CHECK_H

#include "alias.h"
#include "config.h"
#include "log.h"
#include "wildmatch.h"
#include "fuzz_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERIES 16 /* entries of each kind that the queries are asked about */

/* A name as stored: not empty, no blank, normalised ('-' became '_'). */
static void check_name(const char *what, const char *s, int normalised)
{
	if (!s || !*s)
		FAIL("%s: empty name stored", what);
	if (strlen(s) >= ALIAS_MAX)
		FAIL("%s: name of %zu bytes stored (ALIAS_MAX %d)", what, strlen(s), ALIAS_MAX);
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n')
			FAIL("%s: name '%s' contains a blank", what, s);
		if (normalised && *p == '-')
			FAIL("%s: name '%s' is not normalised", what, s);
	}
}

static void check_list(const char *what, char *const *v, unsigned n)
{
	if (n && !v)
		FAIL("%s: %u entries but no list", what, n);
	for (unsigned i = 0; i < n; i++)
		check_name(what, v[i], 1);
}

/* config_options() must return every matching entry's options, joined by
 * single spaces, in order: anything shorter is a silent cut. */
static void check_options_query(const struct config *c, const char *mod, const char *alias)
{
	char *buf;
	size_t want = 0;

	if (config_options(c, mod, alias, &buf) < 0)
		return; /* -ENOMEM: allowed, nothing to check */
	for (unsigned i = 0; i < c->noptions; i++) {
		size_t n = strlen(c->options[i].opts);
		if (n && (!strcmp(c->options[i].mod, mod) ||
			  (alias && !strcmp(c->options[i].mod, alias))))
			want += n + (want ? 1 : 0);
	}
	if (!buf)
		FAIL("config_options(%s) returned 0 and no string", mod);
	if (strlen(buf) != want)
		FAIL("config_options(%s, %s): %zu bytes, expected %zu", mod, alias ? alias : "-",
		     strlen(buf), want);
	free(buf);
}

/* Invariants of a parsed configuration, then every query over it. probe is
 * an arbitrary string (part of the input) to match the patterns against. */
static void check_config(const struct config *c, const char *probe)
{
	for (unsigned i = 0; i < c->noptions; i++) {
		check_name("options", c->options[i].mod, 1);
		if (!c->options[i].opts)
			FAIL("options %s: no option string", c->options[i].mod);
	}
	check_list("blacklist", c->blacklist, c->nblacklist);
	check_list("forbid", c->forbid, c->nforbid);
	check_list("load", c->load, c->nload);
	check_list("rd.driver.pre", c->pre, c->npre);
	check_list("rd.driver.post", c->post, c->npost);
	check_list("alias module", c->alias_mod, c->nalias);
	for (unsigned i = 0; i < c->nalias; i++)
		if (!c->alias_pat[i] || !*c->alias_pat[i])
			FAIL("alias %u: empty pattern", i);
	for (unsigned i = 0; i < c->nsoftdeps; i++) {
		const struct cfg_softdep *sd = &c->softdeps[i];
		check_name("softdep", sd->mod, 0);
		for (unsigned k = 0; k < sd->npre; k++)
			check_name("softdep pre:", sd->pre[k], 0);
		for (unsigned k = 0; k < sd->npost; k++)
			check_name("softdep post:", sd->post[k], 0);
	}

	/* The queries, as the loader asks them; each is linear in the entries,
	 * so only for some of them (the first QUERIES and the last), which keeps
	 * a run linear and fast on inputs of thousands of lines. */
	for (unsigned i = 0; i < c->noptions; i++)
		if (i < QUERIES || i == c->noptions - 1)
			check_options_query(c, c->options[i].mod,
					    c->nalias ? c->alias_mod[i % c->nalias] : NULL);
	check_options_query(c, "", probe);
	for (unsigned i = 0; i < c->nblacklist; i++) {
		if (i >= QUERIES && i != c->nblacklist - 1)
			continue;
		if (!config_has(c->blacklist, c->nblacklist, c->blacklist[i]))
			FAIL("config_has misses blacklisted %s", c->blacklist[i]);
		(void)config_softdep(c, c->blacklist[i]);
	}
	for (unsigned i = 0; i < c->nsoftdeps && i < QUERIES; i++) {
		const struct cfg_softdep *sd = config_softdep(c, c->softdeps[i].mod);
		if (sd && (sd < c->softdeps || sd >= c->softdeps + c->nsoftdeps))
			FAIL("config_softdep returned a pointer outside the table");
	}
	(void)config_softdep(c, probe);
	for (unsigned i = 0; i < c->nalias; i++) {
		(void)wildmatch(c->alias_pat[i], c->alias_mod[i]);
		(void)wildmatch(c->alias_pat[i], probe);
	}
}

#endif
