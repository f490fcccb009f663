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

/* An entry split at its first '=' (without one: a key with an empty value). */
struct modinfo_entry {
	const char *key, *val;
	size_t klen, vlen;
};

/* Is e's key key? Is it a parameter's (parm, parmtype)? */
int modinfo_key_is(const struct modinfo_entry *e, const char *key);
int modinfo_is_param(const struct modinfo_entry *e);

/* The next entry of the section that starts with prefix (plen bytes; 0 for
 * a .modinfo section, "name." for modules.builtin.modinfo), prefix removed.
 * Start with *pos = 0; returns 1, or 0 at the end. */
int modinfo_entry_next(const char *sec, size_t seclen, const char *prefix, size_t plen, size_t *pos,
		       struct modinfo_entry *e);

/* A module parameter: its parm= ("NAME:DESC") and parmtype= ("NAME:TYPE")
 * entries merged by NAME; desc or type is NULL when that entry is missing. */
struct modinfo_param {
	const char *name, *desc, *type;
	size_t nlen, dlen, tlen;
};

/* The parameters of the entries modinfo_entry_next() walks, in the order
 * their names are first seen; *ps is malloc'd (NULL when there are none).
 * An entry without ':' is reported with kmod's words and skipped. Returns
 * the count or -ENOMEM. */
int modinfo_params(const char *sec, size_t seclen, const char *prefix, size_t plen,
		   struct modinfo_param **ps);

#endif
