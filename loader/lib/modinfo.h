/* modinfo.h: the "key=value" strings of a module's .modinfo ELF section.
 * Works on any ELF class and byte order, every offset bounds-checked, so the
 * host packer can read foreign-architecture modules and the loader can read
 * a corrupt one without crashing. */
#ifndef MODLOAD_MODINFO_H
#define MODLOAD_MODINFO_H

#include <stddef.h>

/* Find .modinfo in the ELF image [elf, elf+len). Returns 0 and sets *sec and
 * *seclen, or -ENOEXEC when the image is not a valid ELF relocatable or has
 * no .modinfo section. */
int modinfo_section(const void *elf, size_t len, const char **sec, size_t *seclen);

/* Iterate the NUL-separated entries of a section: start with *pos = 0; returns
 * a pointer to the next non-empty entry and its length (without NUL), or NULL
 * at the end. Entries are not guaranteed NUL-terminated at the section's end,
 * so always use *entlen. */
const char *modinfo_next(const char *sec, size_t seclen, size_t *pos, size_t *entlen);

/* If entry (of length entlen) is "key=value", return value and its length. */
const char *modinfo_value(const char *entry, size_t entlen, const char *key, size_t *vlen);

#endif
