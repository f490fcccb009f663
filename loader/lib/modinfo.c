/* modinfo.c: find a module's .modinfo section and walk its entries (the
 * ELF image is checked by elf.c). */
#include "modinfo.h"

#include "log.h"
#include "modelf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int modinfo_section(const void *elf, size_t len, const char **sec, size_t *seclen)
{
	struct elf_view v;
	struct elf_section s;

	if (elf_open(&v, elf, len) < 0 || elf_find(&v, ".modinfo", &s) < 0)
		return -ENOEXEC;
	*sec = (const char *)s.data;
	*seclen = (size_t)s.size;
	return 0;
}

const char *modinfo_next(const char *sec, size_t seclen, size_t *pos, size_t *entlen)
{
	size_t i = *pos, start;

	/* Padding between entries shows up as runs of NULs: skip them. */
	while (i < seclen && sec[i] == '\0')
		i++;
	if (i >= seclen) {
		*pos = seclen;
		return NULL;
	}
	start = i;
	while (i < seclen && sec[i] != '\0')
		i++;
	*entlen = i - start;
	*pos = i;
	return sec + start;
}

const char *modinfo_value(const char *entry, size_t entlen, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);

	if (entlen <= klen || entry[klen] != '=' || memcmp(entry, key, klen) != 0)
		return NULL;
	*vlen = entlen - klen - 1;
	return entry + klen + 1;
}

int modinfo_entry_next(const char *sec, size_t seclen, const char *prefix, size_t plen, size_t *pos,
		       struct modinfo_entry *e)
{
	const char *ent, *eq;
	size_t len;

	while ((ent = modinfo_next(sec, seclen, pos, &len))) {
		if (len < plen || memcmp(ent, prefix, plen))
			continue;
		ent += plen;
		len -= plen;
		eq = memchr(ent, '=', len);
		e->key = ent;
		e->klen = eq ? (size_t)(eq - ent) : len;
		e->val = eq ? eq + 1 : "";
		e->vlen = eq ? len - e->klen - 1 : 0;
		return 1;
	}
	return 0;
}

int modinfo_key_is(const struct modinfo_entry *e, const char *key)
{
	return e->klen == strlen(key) && !memcmp(e->key, key, e->klen);
}

int modinfo_is_param(const struct modinfo_entry *e)
{
	return modinfo_key_is(e, "parm") || modinfo_key_is(e, "parmtype");
}

/* Merge one parm=/parmtype= entry into ps[0..*n). */
static void add_param(const struct modinfo_entry *e, struct modinfo_param *ps, int *n)
{
	const char *colon = memchr(e->val, ':', e->vlen);
	size_t nlen;
	int i;

	if (!colon) {
		log_kmod_err("Found invalid \"%.*s=%.*s\": missing ':'", (int)e->klen, e->key,
			     (int)e->vlen, e->val);
		return;
	}
	nlen = (size_t)(colon - e->val);
	for (i = 0; i < *n; i++)
		if (ps[i].nlen == nlen && !memcmp(ps[i].name, e->val, nlen))
			break;
	if (i == *n) {
		memset(&ps[i], 0, sizeof ps[i]);
		ps[i].name = e->val;
		ps[i].nlen = nlen;
		(*n)++;
	}
	if (modinfo_key_is(e, "parm")) {
		ps[i].desc = colon + 1;
		ps[i].dlen = e->vlen - nlen - 1;
	} else {
		ps[i].type = colon + 1;
		ps[i].tlen = e->vlen - nlen - 1;
	}
}

int modinfo_params(const char *sec, size_t seclen, const char *prefix, size_t plen,
		   struct modinfo_param **ps)
{
	struct modinfo_entry e;
	size_t pos = 0, max = 0;
	int n = 0;

	*ps = NULL;
	while (modinfo_entry_next(sec, seclen, prefix, plen, &pos, &e))
		max += modinfo_is_param(&e);
	if (!max)
		return 0;
	*ps = malloc(max * sizeof **ps);
	if (!*ps)
		return -ENOMEM;
	for (pos = 0; modinfo_entry_next(sec, seclen, prefix, plen, &pos, &e);)
		if (modinfo_is_param(&e))
			add_param(&e, *ps, &n);
	if (!n) { /* every entry was bad */
		free(*ps);
		*ps = NULL;
	}
	return n;
}
