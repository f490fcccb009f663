/* blobwrite.c: serialise a pack into the blob format of loader/lib/blob.h. */
#include "pack.h"

#include "alias.h"
#include "aliaspack.h"
#include "blob.h"
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* String pool with de-duplication (open addressing over offsets). */
struct pool {
	struct buf b;
	uint32_t *slot;
	size_t cap, used;
};

static uint32_t pool_add(struct pool *p, const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return 0;
	if ((p->used + 1) * 2 > p->cap) {
		struct pool old = *p;
		p->cap = p->cap ? p->cap * 2 : 4096;
		p->slot = calloc(p->cap, sizeof *p->slot);
		if (!p->slot)
			p->slot = xrealloc(NULL, 0);
		p->used = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.slot[i]) {
				const char *t = (const char *)p->b.p + old.slot[i];
				size_t h = blob_hash_str(t, strlen(t)) & (p->cap - 1);
				while (p->slot[h])
					h = (h + 1) & (p->cap - 1);
				p->slot[h] = old.slot[i];
				p->used++;
			}
		free(old.slot);
	}
	size_t h = blob_hash_str(s, n) & (p->cap - 1);
	while (p->slot[h]) {
		if (!strcmp((const char *)p->b.p + p->slot[h], s))
			return p->slot[h];
		h = (h + 1) & (p->cap - 1);
	}
	p->slot[h] = (uint32_t)p->b.len;
	p->used++;
	buf_put(&p->b, s, n + 1);
	return p->slot[h];
}

struct writer {
	const struct pack *p;
	struct pool str;
	struct buf mod, list, extra, slist, dirs;
	char **dirnames;
	size_t ndirs;
	int overflow; /* a table outgrew its 16-bit addressing */
};

static uint16_t dir_index(struct writer *w, const char *relpath)
{
	const char *slash = strrchr(relpath, '/');
	size_t n = slash ? (size_t)(slash - relpath) : 0;
	char d[4096];

	snprintf(d, sizeof d, "%.*s", (int)n, relpath);
	for (size_t i = 0; i < w->ndirs; i++)
		if (!strcmp(w->dirnames[i], d))
			return (uint16_t)i;
	w->dirnames = xrealloc(w->dirnames, (w->ndirs + 1) * sizeof *w->dirnames);
	w->dirnames[w->ndirs] = xstrdup(d);
	buf_u32(&w->dirs, pool_add(&w->str, d));
	return (uint16_t)w->ndirs++;
}

/* Returns the list's position in 2-byte units. */
static uint32_t put_list(struct buf *l, const unsigned *v, size_t n)
{
	uint32_t off = (uint32_t)l->len / 2;
	if (n == 0)
		return 0;
	buf_u16(l, (uint16_t)n);
	for (size_t i = 0; i < n; i++)
		buf_u16(l, (uint16_t)v[i]);
	return off;
}

static uint32_t put_slist(struct writer *w, const char **v, size_t n)
{
	uint32_t off = (uint32_t)w->slist.len;
	if (n == 0)
		return 0;
	if (n > 0xffff)
		w->overflow = 1;
	buf_u16(&w->slist, (uint16_t)n);
	for (size_t i = 0; i < n; i++)
		buf_u32(&w->slist, pool_add(&w->str, v[i]));
	return off;
}

/* File name stem of relpath, and how it relates to the module name. */
static uint32_t file_stem(struct writer *w, const struct pmod *m, uint16_t *flags)
{
	static const char *const exts[] = { ".ko.zst", ".ko", ".ko.xz", ".ko.gz" };
	const char *base = strrchr(m->relpath, '/');
	char stem[512], dashed[512];
	size_t n;

	base = base ? base + 1 : m->relpath;
	n = strlen(base);
	uint16_t ext = 1;
	for (uint16_t e = 0; e < 4; e++) {
		size_t el = strlen(exts[e]);
		if (n > el && !strcmp(base + n - el, exts[e])) {
			ext = e;
			n -= el;
			break;
		}
	}
	*flags |= (uint16_t)(ext << BM_EXT_SHIFT);
	snprintf(stem, sizeof stem, "%.*s", (int)n, base);
	snprintf(dashed, sizeof dashed, "%s", m->name);
	for (char *c = dashed; *c; c++)
		if (*c == '_')
			*c = '-';
	if (!strcmp(stem, m->name))
		return 0;
	if (!strcmp(stem, dashed)) {
		*flags |= BM_DASHFILE;
		return 0;
	}
	return pool_add(&w->str, stem);
}

/* Records go out field by field, little-endian (layout in blob.h). */
static void put_extra(struct buf *out, const struct blob_extra *x)
{
	buf_u32(out, x->file);
	buf_u32(out, x->soft_pre);
	buf_u32(out, x->soft_post);
}

static void put_mod(struct buf *out, const struct blob_mod *m)
{
	buf_u32(out, m->name);
	buf_u16(out, m->deps);
	buf_u16(out, m->extra);
	buf_u16(out, m->dir);
	buf_u16(out, m->order);
	buf_u16(out, m->flags);
	buf_u16(out, 0); /* reserved */
}

static void put_module(struct writer *w, const struct pmod *m)
{
	struct blob_mod bm = { 0, 0, 0, 0, 0, 0 };
	uint32_t deps;
	struct blob_extra x = { 0, 0, 0 };

	bm.name = pool_add(&w->str, m->name);
	bm.flags = (uint16_t)m->flags;
	bm.order = m->order > 0xfffe ? 0xffff : (uint16_t)m->order;
	if (m->builtin)
		bm.flags |= BM_BUILTIN;
	else {
		bm.flags |= BM_PACKED;
		bm.dir = dir_index(w, m->relpath);
		x.file = file_stem(w, m, &bm.flags);
	}
	deps = put_list(&w->list, m->load, m->nload);
	if (deps > 0xffff)
		w->overflow = 1;
	bm.deps = (uint16_t)deps;
	x.soft_pre = put_slist(w, m->pre, m->npre);
	x.soft_post = put_slist(w, m->post, m->npost);
	if (x.file || x.soft_pre || x.soft_post) {
		size_t rec = w->extra.len / BLOB_EXTRA_SIZE;
		if (rec > 0xffff)
			w->overflow = 1;
		bm.extra = (uint16_t)rec;
		put_extra(&w->extra, &x);
	}
	put_mod(&w->mod, &bm);
}

static size_t collect_aliases(const struct pack *p, struct apair **out)
{
	size_t n = 0, cap = 1024;
	struct apair *v = xrealloc(NULL, cap * sizeof *v);

	for (size_t i = 0; i < p->n; i++) {
		const struct pmod *m = &p->m[i];
		char *const *info = m->src ? m->src->info : m->bsrc->info;
		size_t ninfo = m->src ? m->src->ninfo : m->bsrc->ninfo;
		const char **vals;
		size_t nv = mt_values(info, ninfo, "alias", &vals);
		for (size_t k = 0; k < nv; k++) {
			char norm[ALIAS_MAX];
			if (alias_normalize(vals[k], norm, sizeof norm) < 0) {
				fprintf(stderr,
					"modpack: warning: %s: alias '%s' has unbalanced brackets, "
					"skipped\n",
					m->name, vals[k]);
				continue;
			}
			if (n == cap)
				v = xrealloc(v, (cap *= 2) * sizeof *v);
			v[n].pat = xstrdup(norm);
			v[n++].mod = (unsigned)i;
		}
		free(vals);
	}
	*out = v;
	return n;
}

static void free_pairs(struct apair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(pairs[i].pat);
	free(pairs);
}

struct symref {
	const char *name;
	unsigned mod, order;
};

/* By name, then modules.order position, then module number. */
static int symref_by_name(const void *a, const void *b)
{
	const struct symref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->mod < y->mod ? -1 : x->mod > y->mod;
}

/* By module, then name. */
static int symref_by_mod(const void *a, const void *b)
{
	const struct symref *x = a, *y = b;

	return x->mod != y->mod ? (x->mod < y->mod ? -1 : 1) : strcmp(x->name, y->name);
}

/* What SYMBOLS can hold: 1 to 4095 bytes, each 0x01..0x7f (the top bit
 * ends a name). Exported C identifiers always are. */
static int symbol_fits(const char *name)
{
	size_t n = 0;
	for (; name[n]; n++)
		if ((unsigned char)name[n] >= 0x80)
			return 0;
	return n > 0 && n <= BLOB_MAX_PATTERN;
}

/* SYMBOLS (blob.h): every module's exports, by module. A symbol two modules
 * export goes to the later one in modules.order (those not listed after the
 * others), as depmod's symbol table keeps the last one added. Sets *last to
 * an entry written (NULL for none), which read_back looks up: the last one,
 * so that the lookup walks the whole section. Returns the entries, for the
 * caller to free after that. */
static struct symref *put_symbols(const struct pack *p, struct buf *out, const struct symref **last)
{
	struct symref *v;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->m[i].src ? p->m[i].src->nexports : 0;
	v = xrealloc(NULL, (n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < p->n; i++)
		for (size_t e = 0; p->m[i].src && e < p->m[i].src->nexports; e++) {
			const char *name = p->m[i].src->exports[e];
			if (symbol_fits(name))
				v[k++] = (struct symref){ name, (unsigned)i, p->m[i].order };
			else
				fprintf(stderr,
					"modpack: warning: %s: exported symbol '%.60s' "
					"cannot be stored (empty, too long or not ASCII), "
					"skipped\n",
					p->m[i].name, name);
		}
	n = k;
	qsort(v, n, sizeof *v, symref_by_name);
	k = 0;
	for (size_t i = 0; i < n; i++) /* the later exporter has it */
		if (i + 1 == n || strcmp(v[i].name, v[i + 1].name))
			v[k++] = v[i];
	n = k;
	qsort(v, n, sizeof *v, symref_by_mod);
	*last = n ? &v[n - 1] : NULL;
	for (size_t i = 0; i < n; i++) {
		size_t keep = 0, len = strlen(v[i].name);
		if (i == 0 || v[i].mod != v[i - 1].mod)
			buf_u16(out, (uint16_t)v[i].mod);
		else /* stops at the previous name's end at the latest: names differ */
			while (keep < 254 && v[i - 1].name[keep] == v[i].name[keep])
				keep++;
		buf_u8(out, (uint8_t)keep);
		buf_put(out, v[i].name + keep, len - keep - 1);
		buf_u8(out, (uint8_t)(v[i].name[len - 1] | 0x80));
		if (i + 1 == n || v[i + 1].mod != v[i].mod)
			buf_u8(out, 0xff);
	}
	return v;
}

static void put_section(struct buf *out, struct blob_header *h, int s, const struct buf *b)
{
	buf_align(out, 4);
	h->sec[s].off = (uint32_t)out->len;
	h->sec[s].len = (uint32_t)b->len;
	buf_put(out, b->p, b->len);
}

static void put32_at(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The header into the first BLOB_HDR_SIZE bytes of the file, field by field,
 * little-endian; the checksum last, over what follows it. */
static void put_header(struct buf *file, const struct blob_header *h)
{
	uint8_t *p = file->p;

	memcpy(p + BLOB_H_MAGIC, BLOB_MAGIC, 8);
	put32_at(p + BLOB_H_VERSION, h->version);
	put32_at(p + BLOB_H_SIZE, (uint32_t)file->len);
	put32_at(p + BLOB_H_KVER, h->kver);
	put32_at(p + BLOB_H_NMODS, h->nmods);
	put32_at(p + BLOB_H_NALIASES, h->naliases);
	put32_at(p + BLOB_H_PREFIX_BUCKETS, h->prefix_buckets);
	put32_at(p + BLOB_H_GRAM_BUCKETS, h->gram_buckets);
	put32_at(p + BLOB_H_MAX_PREFIX, h->max_prefix);
	for (int s = 0; s < BLOB_NSEC; s++) {
		put32_at(p + BLOB_H_SEC_OFF(s), h->sec[s].off);
		put32_at(p + BLOB_H_SEC_LEN(s), h->sec[s].len);
	}
	put32_at(p + BLOB_H_CHECKSUM,
		 blob_checksum(p + BLOB_SUMMED_FROM, file->len - BLOB_SUMMED_FROM));
}

/* Does the blob read back what went in: every module's name and file path,
 * every (alias, module) pair? Catches what the bounds cannot, such as a name
 * cut short by a fixed buffer. Returns NULL or what differs. */
static const char *read_back(const struct blob *b, const struct pack *p, const struct apair *pairs,
			     size_t npairs, const struct symref *last)
{
	static char what[256];
	char buf[ALIAS_MAX];
	unsigned mod;

	for (size_t i = 0; i < p->n; i++) {
		const struct pmod *m = &p->m[i];
		if (strcmp(blob_mod_name(b, (uint32_t)i), m->name) ||
		    (!m->builtin && (blob_mod_path(b, (uint32_t)i, buf, sizeof buf) < 0 ||
				     strcmp(buf, m->relpath)))) {
			snprintf(what, sizeof what, "module %.100s or its path %.100s", m->name,
				 m->builtin ? "" : m->relpath);
			return what;
		}
	}
	for (size_t i = 0; i < npairs; i++)
		if (alias_get(b, (unsigned)i, buf, sizeof buf, &mod) < 0 ||
		    strcmp(buf, pairs[i].pat) || mod != pairs[i].mod) {
			snprintf(what, sizeof what, "alias %.200s", pairs[i].pat);
			return what;
		}
	if (last && blob_find_symbol(b, last->name) != (int)last->mod) {
		snprintf(what, sizeof what, "symbol %.200s", last->name);
		return what;
	}
	return NULL;
}

/* What the loader would refuse or misread is never written: the reader's
 * own checks run on the result, and it must read back what went in, so a
 * writer bug fails the build instead of a boot. */
static int validate(struct buf file, const struct pack *p, const struct apair *pairs, size_t npairs,
		    const struct symref *last, uint8_t **out, size_t *len)
{
	struct blob b;
	const char *why, *differs = NULL;
	int err = blob_use(&b, file.p, file.len, &why);

	if (err < 0)
		fprintf(stderr, "modpack: internal error: the blob written does not validate: %s\n",
			why ? why : strerror(-err));
	else if ((differs = read_back(&b, p, pairs, npairs, last))) {
		fprintf(stderr, "modpack: internal error: the blob written does not read back %s\n",
			differs);
		err = -EBADMSG;
	}
	if (err < 0) {
		buf_free(&file);
		return err;
	}
	*out = file.p;
	*len = file.len;
	return 0;
}

int pack_write_blob(const struct pack *p, uint8_t **out, size_t *len)
{
	struct writer w;
	struct alias_tables at;
	struct apair *pairs;
	struct buf file = { 0, 0, 0 }, cfg = { 0, 0, 0 }, opts = { 0, 0, 0 }, cmds = { 0, 0, 0 },
		   syms = { 0, 0, 0 };
	const struct symref *last_sym;
	struct symref *symv;
	struct blob_header h;
	size_t npairs;
	int err;

	memset(&w, 0, sizeof w);
	memset(&h, 0, sizeof h);
	w.p = p;
	buf_u8(&w.str.b, 0);				      /* offset 0: "" */
	buf_u16(&w.list, 0);				      /* offset 0: empty list */
	buf_u16(&w.slist, 0);				      /* offset 0: empty string list */
	put_extra(&w.extra, &(struct blob_extra){ 0, 0, 0 }); /* record 0: none */
	h.kver = pool_add(&w.str, p->kver ? p->kver : "");
	for (size_t i = 0; i < p->n; i++)
		put_module(&w, &p->m[i]);
	for (size_t i = 0; i + 1 < p->ncfg_alias; i += 2) {
		buf_u32(&cfg, pool_add(&w.str, p->cfg_alias[i]));
		buf_u32(&cfg, pool_add(&w.str, p->cfg_alias[i + 1]));
	}
	for (size_t i = 0; i < p->ncfg_cmds; i++)
		buf_u32(&cmds, pool_add(&w.str, p->cfg_cmds[i]));
	for (size_t i = 0; i + 1 < p->ncfg_options; i += 2) {
		buf_u32(&opts, pool_add(&w.str, p->cfg_options[i]));
		buf_u32(&opts, pool_add(&w.str, p->cfg_options[i + 1]));
	}
	npairs = collect_aliases(p, &pairs);
	err = aliaspack_build(pairs, &npairs, &at); /* sorts pairs as they are stored */
	if (err) {
		free_pairs(pairs, npairs);
		return err;
	}
	if (p->n > BLOB_MAX_MODS || w.overflow || w.ndirs > 0xffff || w.list.len > BLOB_MAX_LIST) {
		fprintf(stderr,
			"modpack: too many modules, dependencies or directories for the blob's "
			"16-bit tables\n");
		free_pairs(pairs, npairs);
		return -E2BIG;
	}

	h.version = BLOB_VERSION;
	h.nmods = (uint32_t)p->n;
	h.naliases = at.naliases;
	h.prefix_buckets = at.prefix_buckets;
	h.gram_buckets = at.gram_buckets;
	h.max_prefix = at.max_prefix;
	for (int i = 0; i < BLOB_HDR_SIZE; i++) /* filled in by put_header */
		buf_u8(&file, 0);
	put_section(&file, &h, SEC_STR, &w.str.b);
	put_section(&file, &h, SEC_MOD, &w.mod);
	put_section(&file, &h, SEC_LIST, &w.list);
	put_section(&file, &h, SEC_EXTRA, &w.extra);
	put_section(&file, &h, SEC_SLIST, &w.slist);
	put_section(&file, &h, SEC_DIRS, &w.dirs);
	put_section(&file, &h, SEC_TOKENS, &at.tokens);
	put_section(&file, &h, SEC_ALIASES, &at.aliases);
	put_section(&file, &h, SEC_ABLOCKS, &at.ablocks);
	put_section(&file, &h, SEC_PREFIX, &at.prefix);
	put_section(&file, &h, SEC_GRAMS, &at.grams);
	put_section(&file, &h, SEC_ALWAYS, &at.always);
	put_section(&file, &h, SEC_CFGALIAS, &cfg);
	put_section(&file, &h, SEC_CFGOPTS, &opts);
	put_section(&file, &h, SEC_CFGCMDS, &cmds);
	symv = put_symbols(p, &syms, &last_sym);
	put_section(&file, &h, SEC_SYMBOLS, &syms);
	put_header(&file, &h);

	alias_tables_free(&at);
	buf_free(&w.mod);
	buf_free(&w.list);
	buf_free(&w.extra);
	buf_free(&w.slist);
	buf_free(&w.dirs);
	buf_free(&cfg);
	buf_free(&opts);
	buf_free(&cmds);
	buf_free(&syms);
	free(w.str.slot);
	buf_free(&w.str.b);
	for (size_t i = 0; i < w.ndirs; i++)
		free(w.dirnames[i]);
	free(w.dirnames);
	err = validate(file, p, pairs, npairs, last_sym, out, len);
	free(symv);
	free_pairs(pairs, npairs);
	return err;
}
