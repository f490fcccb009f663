/* modinfo.c: find a module's .modinfo section and walk its entries (the
 * ELF image is checked by elf.c). */
#include "modinfo.h"

#include "modelf.h"

#include <errno.h>
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
