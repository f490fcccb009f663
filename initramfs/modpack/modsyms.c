/* modsyms.c: a module's exported and undefined symbols, as depmod reads them.
 *
 * They decide nothing about *which* modules a module needs (depends= says
 * that) but they decide the order: depmod lists a module's dependencies in
 * the order its symbol table first refers to each, and that order shapes
 * modprobe's load order. Exports come from __ksymtab_strings when present
 * (newer kernels), else from the __ksymtab_NAME symbols. */
#include "modtree.h"

#include "modelf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { SHN_UNDEF_ = 0 };

static int push(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof **v);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strndup(s, len)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int exports_from_strings(const struct elf_section *s, struct mt_module *m)
{
	const char *p = (const char *)s->data, *end = p + s->size;
	while (p < end) {
		size_t len = strnlen(p, (size_t)(end - p));
		if (len && push(&m->exports, &m->nexports, p, len) < 0)
			return -ENOMEM;
		if (len == (size_t)(end - p))
			break; /* unterminated last name: p + len + 1 would point past the end */
		p += len + 1;
	}
	return 0;
}

/* Walk .symtab: undefined names in table order, and __ksymtab_ exports when
 * there is no __ksymtab_strings. */
static int walk_symtab(const struct elf_view *v, int want_exports, struct mt_module *m)
{
	struct elf_section sym, str;
	unsigned esz = elf_addrsize(v) == 8 ? 24 : 16, shndx_at = elf_addrsize(v) == 8 ? 6 : 14;

	if (elf_find(v, ".symtab", &sym) < 0 || elf_section_at(v, sym.link, &str) < 0)
		return 0; /* stripped: no order information, depends= order stays */
	for (uint64_t off = esz; off + esz <= sym.size; off += esz) { /* entry 0 is null */
		const unsigned char *e = sym.data + off;
		uint64_t name = elf_rd(v, e, 4);
		unsigned shndx = (unsigned)elf_rd(v, e + shndx_at, 2);
		if (name >= str.size)
			continue;
		const char *s = (const char *)str.data + name;
		size_t len = strnlen(s, (size_t)(str.size - name));
		if (!len || name + len >= str.size)
			continue;
		if (shndx == SHN_UNDEF_) {
			if (push(&m->undef, &m->nundef, s, len) < 0)
				return -ENOMEM;
		} else if (want_exports && len > 10 && !strncmp(s, "__ksymtab_", 10)) {
			if (push(&m->exports, &m->nexports, s + 10, len - 10) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

int mt_read_symbols(const void *elf, size_t len, struct mt_module *m)
{
	struct elf_view v;
	struct elf_section strs;
	int have_strings;

	if (elf_open(&v, elf, len) < 0)
		return 0;
	have_strings = elf_find(&v, "__ksymtab_strings", &strs) == 0;
	if (have_strings && exports_from_strings(&strs, m) < 0)
		return -ENOMEM;
	return walk_symtab(&v, !have_strings, m);
}
