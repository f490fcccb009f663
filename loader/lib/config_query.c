/* config_query.c: answers from a parsed configuration, and its release. */
#include "config.h"

#include "fmt.h"
#include "wildmatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int config_has(char *const *list, unsigned n, const char *mod)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(list[i], mod))
			return 1;
	return 0;
}

int config_options(const struct config *c, const char *mod, const char *alias, char **out)
{
	size_t len = 1, used = 0;
	char *buf;

	for (unsigned i = 0; i < c->noptions; i++)
		if (!strcmp(c->options[i].mod, mod) || (alias && !strcmp(c->options[i].mod, alias)))
			len += strlen(c->options[i].opts) + 1;
	if (!(buf = malloc(len)))
		return *out = NULL, -ENOMEM;
	buf[0] = '\0';
	for (unsigned i = 0; i < c->noptions; i++) {
		const char *m = c->options[i].mod;
		if (strcmp(m, mod) && !(alias && !strcmp(m, alias)))
			continue;
		size_t n = strlen(c->options[i].opts);
		if (used && n)
			buf[used++] = ' ';
		memcpy(buf + used, c->options[i].opts, n + 1);
		used += n;
	}
	*out = buf;
	return 0;
}

/* As kmod: the first softdep line whose pattern matches the name counts. */
const struct cfg_softdep *config_softdep(const struct config *c, const char *mod)
{
	for (unsigned i = 0; i < c->nsoftdeps; i++)
		if (wildmatch(c->softdeps[i].mod, mod))
			return &c->softdeps[i];
	return NULL;
}

/* As kmod: the first line whose pattern matches; a remove command asked
 * for by a name that is no module matches exactly too. */
const struct cfg_cmd *config_cmd(const struct config *c, const char *mod, int remove)
{
	for (unsigned i = 0; i < c->ncmds; i++)
		if (c->cmds[i].remove == remove && wildmatch(c->cmds[i].mod, mod))
			return &c->cmds[i];
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
	for (unsigned i = 0; i < c->ncmds; i++) {
		free(c->cmds[i].mod);
		free(c->cmds[i].cmd);
		free(c->cmds[i].where);
	}
	free(c->cmds);
	free_list(c->weak, c->nweak);
	free_list(c->where, c->nwhere);
	free_list(c->blacklist, c->nblacklist);
	free_list(c->forbid, c->nforbid);
	free_list(c->load, c->nload);
	free_list(c->pre, c->npre);
	free_list(c->post, c->npost);
	free_list(c->alias_pat, c->nalias);
	free_list(c->alias_mod, c->nalias);
	memset(c, 0, sizeof *c);
}
