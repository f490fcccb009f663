/* config_query.c: answers from a parsed configuration, and its release. */
#include "config.h"

#include "fmt.h"
#include "wildmatch.h"

#include <errno.h>
#include <stddef.h>
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

void config_free_strings(char **v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(v[i]);
}

void config_free_list(char **v, unsigned n)
{
	config_free_strings(v, n);
	free(v);
}

/* struct config's string lists: where each list and its count are. */
#define LIST(v, n)                                                     \
	{                                                              \
		offsetof(struct config, v), offsetof(struct config, n) \
	}
static const unsigned char string_lists[][2] = {
	LIST(weak, nweak),     LIST(where, nwhere),	LIST(blacklist, nblacklist),
	LIST(forbid, nforbid), LIST(load, nload),	LIST(pre, npre),
	LIST(post, npost),     LIST(alias_pat, nalias), LIST(alias_mod, nalias),
};
_Static_assert(sizeof(struct config) < 256, "offsets fit a byte");

void config_free(struct config *c)
{
	for (unsigned i = 0; i < c->noptions; i++)
		config_free_strings(&c->options[i].mod, 2);
	free(c->options);
	for (unsigned i = 0; i < c->nsoftdeps; i++) {
		free(c->softdeps[i].mod);
		config_free_list(c->softdeps[i].pre, c->softdeps[i].npre);
		config_free_list(c->softdeps[i].post, c->softdeps[i].npost);
	}
	free(c->softdeps);
	for (unsigned i = 0; i < c->ncmds; i++)
		config_free_strings(&c->cmds[i].mod, 3);
	free(c->cmds);
	for (size_t i = 0; i < sizeof string_lists / sizeof *string_lists; i++)
		config_free_list(*(char ***)((char *)c + string_lists[i][0]),
				 *(unsigned *)((char *)c + string_lists[i][1]));
	memset(c, 0, sizeof *c);
}
