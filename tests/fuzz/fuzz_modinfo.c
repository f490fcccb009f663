/* fuzz_modinfo.c: the ELF reader (elf.c) and the .modinfo reader (modinfo.c)
 * on arbitrary bytes as a module file image, with what the modinfo applet
 * and the packer do with them: entries split into key and value, parm= and
 * parmtype= merged (modinfo_params), the symbol table walk of the packer's
 * depmod order (modsyms.c).
 *
 * fuzz-link: loader/lib/elf.c loader/lib/modinfo.c loader/lib/log.c initramfs/modpack/modsyms.c
 * fuzz-link: loader/lib/fmt.c
 *
 * The image is copied into a buffer of exactly its size, so ASan sees any
 * read past its end. An input that does not start with the ELF magic is
 * also read as a modules.builtin.modinfo file (entries "module.key=value").
 * Besides the sanitizers: every pointer handed out lies inside the image
 * (sections) or inside its section (entries, values, parameters). */
#include "modelf.h"
#include "log.h"
#include "modinfo.h"
#include "modtree.h"
#include "fuzz_check.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sink(int prio, const char *msg)
{
	(void)prio;
	(void)msg;
}

/* What the applet and the packer read from a section (or a builtin file). */
static void walk_section(const char *sec, size_t seclen, const char *prefix)
{
	size_t pos = 0, len, vlen, plen = strlen(prefix);
	struct modinfo_entry e;
	struct modinfo_param *ps;
	const char *ent, *val;
	int n;

	while ((ent = modinfo_next(sec, seclen, &pos, &len))) {
		if (!fuzz_inside(sec, seclen, ent, len) || len == 0)
			FAIL("modinfo_next: entry outside the section or empty");
		if (pos > seclen)
			FAIL("modinfo_next: position %zu past the section (%zu)", pos, seclen);
		for (const char *const *k = (const char *const[]){ "name", "depends", "vermagic",
								   "alias", "softdep", NULL };
		     *k; k++)
			if ((val = modinfo_value(ent, len, *k, &vlen)) &&
			    !fuzz_inside(ent, len, val, vlen))
				FAIL("modinfo_value(%s): value outside the entry", *k);
	}
	for (pos = 0; modinfo_entry_next(sec, seclen, prefix, plen, &pos, &e);)
		if (!fuzz_inside(sec, seclen, e.key, e.klen) ||
		    (e.vlen && !fuzz_inside(sec, seclen, e.val, e.vlen)))
			FAIL("modinfo_entry_next: key or value outside the section");
	n = modinfo_params(sec, seclen, prefix, plen, &ps);
	for (int i = 0; i < n; i++) {
		if (!fuzz_inside(sec, seclen, ps[i].name, ps[i].nlen))
			FAIL("modinfo_params: name outside the section");
		if (!ps[i].desc && !ps[i].type)
			FAIL("modinfo_params: parameter with neither description nor type");
		if (ps[i].desc && !fuzz_inside(sec, seclen, ps[i].desc, ps[i].dlen))
			FAIL("modinfo_params: description outside the section");
		if (ps[i].type && !fuzz_inside(sec, seclen, ps[i].type, ps[i].tlen))
			FAIL("modinfo_params: type outside the section");
	}
	if (n <= 0 && ps)
		FAIL("modinfo_params: %d parameters but a list", n);
	free(ps);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *img = malloc(size ? size : 1);
	struct elf_view v;
	struct elf_section s;
	struct mt_module m;
	const char *sec;
	size_t seclen;

	if (!img)
		abort();
	memcpy(img, data, size);
	log_set_sink(sink);

	if (modinfo_section(img, size, &sec, &seclen) == 0) {
		if (!fuzz_inside(img, size, sec, seclen))
			FAIL("modinfo_section: section outside the image");
		walk_section(sec, seclen, "");
	}
	if (elf_open(&v, img, size) == 0) {
		if (elf_addrsize(&v) != 4 && elf_addrsize(&v) != 8)
			FAIL("elf_addrsize %u", elf_addrsize(&v));
		for (unsigned i = 0; i < v.shnum + 1; i++)
			if (elf_section_at(&v, i, &s) == 0 &&
			    !fuzz_inside(img, size, s.data, s.size))
				FAIL("elf_section_at(%u): section outside the image", i);
		if (elf_find(&v, ".symtab", &s) == 0 && !fuzz_inside(img, size, s.data, s.size))
			FAIL("elf_find: section outside the image");
	}
	memset(&m, 0, sizeof m);
	(void)mt_read_symbols(img, size, &m);
	for (size_t i = 0; i < m.nexports; i++)
		if (!m.exports[i][0])
			FAIL("mt_read_symbols: empty export name");
	for (size_t i = 0; i < m.nundef; i++)
		if (!m.undef[i][0])
			FAIL("mt_read_symbols: empty undefined symbol name");
	free_strv(m.exports, m.nexports);
	free_strv(m.undef, m.nundef);

	if (size < 4 || memcmp(img, "\177ELF", 4)) {
		/* modules.builtin.modinfo: the prefix is the first entry's module */
		const char *dot = memchr(img, '.', size < 64 ? size : 64);
		char prefix[66];
		size_t plen = dot ? (size_t)(dot - (const char *)img) + 1 : 0;
		memcpy(prefix, img, plen);
		prefix[plen] = '\0';
		if (!memchr(prefix, '\0', plen))
			walk_section((const char *)img, size, prefix);
	}
	free(img);
	return 0;
}
