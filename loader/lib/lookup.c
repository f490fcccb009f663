/* lookup.c: name -> modules, with kmod's precedence (see lookup.h). */
#include "lookup.h"

#include "alias.h"
#include "wildmatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void hits_init(struct hits *h)
{
	h->v = h->local;
	h->n = 0;
	h->cap = LOOKUP_LOCAL;
}

void hits_free(struct hits *h)
{
	if (h->v != h->local)
		free(h->v);
	hits_init(h);
}

/* Append one hit: 0 or -ENOMEM. */
static int add(struct hits *out, const struct blob *b, int mod, const char *name, int via_alias)
{
	struct hit *v = list_grow(out->v, out->local, out->n, &out->cap, sizeof *out->v);

	if (!v)
		return -ENOMEM;
	out->v = v;
	v += out->n++;
	v->mod = mod;
	v->name = mod >= 0 ? blob_mod_name(b, (uint32_t)mod) : name;
	v->kind = mod < 0					    ? HIT_UNKNOWN
		  : (blob_mod(b, (uint32_t)mod).flags & BM_BUILTIN) ? HIT_BUILTIN
								    : HIT_MODULE;
	v->via_alias = via_alias;
	return 0;
}

static int from_config(const struct blob *b, const char *const *pat, const char *const *mod,
		       unsigned count, const char *s, struct hits *out)
{
	for (unsigned i = 0; i < count; i++) {
		char target[ALIAS_MAX];
		if (!wildmatch(pat[i], s))
			continue;
		modname_normalize(mod[i], target, sizeof target);
		if (add(out, b, blob_find_mod(b, target), mod[i], 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int from_blob_config(const struct blob *b, const char *s, struct hits *out)
{
	uint32_t len;
	const uint8_t *c = blob_sec(b, SEC_CFGALIAS, &len);

	for (uint32_t off = 0; off + 8 <= len; off += 8) {
		const char *pat = blob_str(b, blob_u32(c + off));
		const char *mod = blob_str(b, blob_u32(c + off + 4));
		if (from_config(b, &pat, &mod, 1, s, out) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Module aliases; when no loadable module matches, the built-in module
 * named s (builtin, or -1); when there is none, aliases of built-in ones. */
static int from_aliases(const struct blob *b, const char *s, int builtin, struct hits *out)
{
	struct modlist idx;
	int err;

	modlist_init(&idx);
	err = alias_match(b, s, &idx);
	for (int pass = 0; err >= 0 && pass < 2 && out->n == 0; pass++) {
		if (pass && builtin >= 0) {
			err = add(out, b, builtin, NULL, 0);
			break;
		}
		for (unsigned i = 0; err >= 0 && i < idx.n; i++)
			if (!(blob_mod(b, idx.v[i]).flags & BM_BUILTIN) == !pass)
				err = add(out, b, (int)idx.v[i], NULL, 1);
	}
	modlist_free(&idx);
	return err < 0 ? err : 0;
}

/* The sources in kmod's order; the first with an answer wins. */
static int resolve(const struct blob *b, const struct alias_list *extra, const char *s,
		   struct hits *out)
{
	int err = extra ? from_config(b, extra->pat, extra->mod, extra->n, s, out) : 0;

	if (err == 0 && out->n == 0)
		err = from_blob_config(b, s, out);
	if (err < 0 || out->n > 0)
		return err;
	int mod = blob_find_mod(b, s);
	unsigned flags = blob_mod(b, (uint32_t)mod).flags; /* 0 when mod is -1 */
	if (flags & BM_NONAME)
		mod = -1;
	else if (mod >= 0 && !(flags & BM_BUILTIN))
		return add(out, b, mod, NULL, 0);
	int sym = strncmp(s, "symbol:", 7) ? -1 : blob_find_symbol(b, s + 7);
	if (sym >= 0)
		return add(out, b, sym, NULL, 1);
	return from_aliases(b, s, mod, out);
}

int lookup(const struct blob *b, const struct alias_list *extra, const char *name, struct hits *out)
{
	char s[ALIAS_MAX];
	int err;

	out->n = 0;
	if (alias_normalize(name, s, sizeof s) < 0)
		return -EINVAL;
	err = resolve(b, extra, s, out);
	if (err < 0) {
		out->n = 0;
		return err;
	}
	return (int)out->n;
}

int lookup_mods(const struct blob *b, const struct alias_list *extra, const char *name,
		struct modlist *out)
{
	struct hits h;
	unsigned before = out->n;
	int n, err = 0;

	hits_init(&h);
	n = lookup(b, extra, name, &h);
	for (int i = 0; i < n && err == 0; i++)
		if (h.v[i].mod >= 0)
			err = modlist_push(out, (unsigned)h.v[i].mod);
	hits_free(&h);
	if (n < 0 || err < 0) {
		out->n = before;
		return n < 0 ? n : err;
	}
	return (int)(out->n - before);
}
