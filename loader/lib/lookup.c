/* lookup.c: name -> modules, with kmod's precedence (see lookup.h). */
#include "lookup.h"

#include "alias.h"
#include "wildmatch.h"

#include <errno.h>
#include <string.h>

static int add(struct hit *out, int n, int max, const struct blob *b, int mod, const char *name,
	       int via_alias)
{
	if (n >= max)
		return n;
	out[n].mod = mod;
	out[n].name = mod >= 0 ? blob_mod_name(b, (uint32_t)mod) : name;
	out[n].kind = mod < 0						? HIT_UNKNOWN
		      : (blob_mod(b, (uint32_t)mod).flags & BM_BUILTIN) ? HIT_BUILTIN
									: HIT_MODULE;
	out[n].via_alias = via_alias;
	return n + 1;
}

static int from_config(const struct blob *b, const char *const *pat, const char *const *mod,
		       unsigned count, const char *s, struct hit *out, int n, int max)
{
	for (unsigned i = 0; i < count; i++) {
		char target[ALIAS_MAX];
		if (!wildmatch(pat[i], s))
			continue;
		modname_normalize(mod[i], target, sizeof target);
		n = add(out, n, max, b, blob_find_mod(b, target), mod[i], 1);
	}
	return n;
}

static int from_blob_config(const struct blob *b, const char *s, struct hit *out, int max)
{
	uint32_t len;
	const uint8_t *c = blob_sec(b, SEC_CFGALIAS, &len);
	int n = 0;

	for (uint32_t off = 0; off + 8 <= len; off += 8) {
		const char *pat = blob_str(b, blob_u32(c + off));
		const char *mod = blob_str(b, blob_u32(c + off + 4));
		n = from_config(b, &pat, &mod, 1, s, out, n, max);
	}
	return n;
}

/* Module aliases; only when no loadable module matches, built-in ones. */
static int from_aliases(const struct blob *b, const char *s, struct hit *out, int max)
{
	unsigned idx[LOOKUP_MAX];
	int n = alias_match(b, s, idx, LOOKUP_MAX), k = 0;

	if (n > LOOKUP_MAX)
		n = LOOKUP_MAX;
	for (int pass = 0; pass < 2 && k == 0; pass++)
		for (int i = 0; i < n; i++)
			if (!(blob_mod(b, idx[i]).flags & BM_BUILTIN) == !pass)
				k = add(out, k, max, b, (int)idx[i], NULL, 1);
	return k;
}

int lookup(const struct blob *b, const struct alias_list *extra, const char *name, struct hit *out,
	   int max)
{
	char s[ALIAS_MAX];
	int n, mod;

	if (alias_normalize(name, s, sizeof s) < 0)
		return -EINVAL;
	n = extra ? from_config(b, extra->pat, extra->mod, extra->n, s, out, 0, max) : 0;
	if (n == 0)
		n = from_blob_config(b, s, out, max);
	if (n > 0)
		return n;
	mod = blob_find_mod(b, s);
	if (mod >= 0 && !(blob_mod(b, (uint32_t)mod).flags & BM_BUILTIN))
		return add(out, 0, max, b, mod, NULL, 0);
	n = from_aliases(b, s, out, max);
	if (n > 0)
		return n;
	if (mod >= 0)
		return add(out, 0, max, b, mod, NULL, 0);
	return 0;
}

int lookup_mods(const struct blob *b, const struct alias_list *extra, const char *name,
		unsigned *out, int max)
{
	struct hit h[LOOKUP_MAX];
	int n = lookup(b, extra, name, h, LOOKUP_MAX), k = 0;

	for (int i = 0; i < n && k < max; i++)
		if (h[i].mod >= 0)
			out[k++] = (unsigned)h[i].mod;
	return k;
}
