/* config_query.c: answers from a parsed configuration, and its release. */
#include "config.h"

#include "fmt.h"
#include "wildmatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int config_has(char *const *list, unsigned n, const char *mod)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(list[i], mod))
			return 1;
	return 0;
}

size_t config_options(const struct config *c, const char *mod, const char *alias, char *buf,
		      size_t len)
{
	size_t used = strlen(buf);

	for (unsigned i = 0; i < c->noptions; i++) {
		const char *m = c->options[i].mod;
		if (strcmp(m, mod) && !(alias && !strcmp(m, alias)))
			continue;
		/* Past the end of buf, only count: the caller learns the size. */
		used += (size_t)fmt_snprintf(buf + (used < len ? used : 0),
					     used < len ? len - used : 0, "%s%s", used ? " " : "",
					     c->options[i].opts);
	}
	return used;
}

/* As kmod: the first softdep line whose pattern matches the name counts. */
const struct cfg_softdep *config_softdep(const struct config *c, const char *mod)
{
	for (unsigned i = 0; i < c->nsoftdeps; i++)
		if (wildmatch(c->softdeps[i].mod, mod))
			return &c->softdeps[i];
	return NULL;
}

static void free_list(char **v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void config_free(struct config *c)
{
	for (unsigned i = 0; i < c->noptions; i++) {
		free(c->options[i].mod);
		free(c->options[i].opts);
	}
	free(c->options);
	for (unsigned i = 0; i < c->nsoftdeps; i++) {
		free(c->softdeps[i].mod);
		free_list(c->softdeps[i].pre, c->softdeps[i].npre);
		free_list(c->softdeps[i].post, c->softdeps[i].npost);
	}
	free(c->softdeps);
	free_list(c->blacklist, c->nblacklist);
	free_list(c->forbid, c->nforbid);
	free_list(c->load, c->nload);
	free_list(c->pre, c->npre);
	free_list(c->post, c->npost);
	free_list(c->alias_pat, c->nalias);
	free_list(c->alias_mod, c->nalias);
	memset(c, 0, sizeof *c);
}
