/* elf.c: the sections of a module's ELF image.
 *
 * The image is untrusted (the packer reads foreign modules, the loader may
 * meet a corrupt one), so nothing is read through an ELF struct cast: every
 * field is assembled byte by byte in the file's byte order, widened to 64 bits
 * and compared against the image length before it is used. Offsets are
 * checked as "off <= len && size <= len - off", which cannot overflow.
 *
 * Only what the kernel itself would accept is accepted: an ELF relocatable
 * whose section header entries have the standard size, whose section name
 * table is reachable through e_shstrndx, and a .modinfo that lives in the file
 * (not SHT_NOBITS). Extended section numbering (e_shnum == 0) is refused, as
 * the kernel's module loader does. */
#include "modelf.h"

#include <errno.h>
#include <string.h>

/* ELF constants used here (kept local so the file builds without <elf.h>). */
enum {
	EI_NIDENT_ = 16,
	EI_CLASS_ = 4,
	EI_DATA_ = 5,
	EI_VERSION_ = 6,
	ELFCLASS32_ = 1,
	ELFCLASS64_ = 2,
	ELFDATA2LSB_ = 1,
	ELFDATA2MSB_ = 2,
	ET_REL_ = 1,
	SHT_NOBITS_ = 8,
	SHN_LORESERVE_ = 0xff00,
};

/* Where the fields we need sit, for one ELF class (every offset and size
 * is below 256). */
struct elf_layout {
	unsigned char ehsize;  /* size of the ELF header */
	unsigned char e_shoff; /* offset of e_shoff in the ELF header */
	unsigned char e_shentsize;
	unsigned char e_shnum;
	unsigned char e_shstrndx;
	unsigned char addrsize;	 /* 4 or 8: width of e_shoff, sh_offset, sh_size */
	unsigned char shentsize; /* size of one section header */
	unsigned char sh_type;	 /* offsets inside a section header */
	unsigned char sh_offset;
	unsigned char sh_size;
	unsigned char sh_link;
};

static const struct elf_layout layout32 = {
	.ehsize = 52,
	.e_shoff = 32,
	.e_shentsize = 46,
	.e_shnum = 48,
	.e_shstrndx = 50,
	.addrsize = 4,
	.shentsize = 40,
	.sh_type = 4,
	.sh_offset = 16,
	.sh_size = 20,
	.sh_link = 24,
};

static const struct elf_layout layout64 = {
	.ehsize = 64,
	.e_shoff = 40,
	.e_shentsize = 58,
	.e_shnum = 60,
	.e_shstrndx = 62,
	.addrsize = 8,
	.shentsize = 64,
	.sh_type = 4,
	.sh_offset = 24,
	.sh_size = 32,
	.sh_link = 40,
};

uint64_t elf_rd(const struct elf_view *v, const unsigned char *p, unsigned n)
{
	uint64_t x = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		x |= (uint64_t)p[v->big ? n - 1 - i : i] << (8 * i);
	return x;
}

/* Is [off, off+size) inside the image? */
static int in_image(const struct elf_view *v, uint64_t off, uint64_t size)
{
	return off <= v->len && size <= v->len - off;
}

static int check_ident(struct elf_view *v)
{
	const unsigned char *p = v->p;

	if (v->len < EI_NIDENT_ || memcmp(p, "\177ELF", 4) != 0)
		return -ENOEXEC;
	if (p[EI_CLASS_] == ELFCLASS32_)
		v->l = &layout32;
	else if (p[EI_CLASS_] == ELFCLASS64_)
		v->l = &layout64;
	else
		return -ENOEXEC;
	if (p[EI_DATA_] != ELFDATA2LSB_ && p[EI_DATA_] != ELFDATA2MSB_)
		return -ENOEXEC;
	v->big = p[EI_DATA_] == ELFDATA2MSB_;
	if (p[EI_VERSION_] != 1 || v->len < v->l->ehsize)
		return -ENOEXEC;
	if (elf_rd(v, p + 16, 2) != ET_REL_)
		return -ENOEXEC;
	return 0;
}

/* Section header i; the caller has checked the table lies in the image. */
static const unsigned char *shdr(const struct elf_view *v, uint64_t shoff, unsigned i)
{
	return v->p + shoff + (uint64_t)i * v->l->shentsize;
}

/* Bounds of a section's bytes in the file; -ENOEXEC if it has none there. */
static int section_bytes(const struct elf_view *v, const unsigned char *sh, uint64_t *off,
			 uint64_t *size)
{
	const struct elf_layout *l = v->l;

	if (elf_rd(v, sh + l->sh_type, 4) == SHT_NOBITS_)
		return -ENOEXEC;
	*off = elf_rd(v, sh + l->sh_offset, l->addrsize);
	*size = elf_rd(v, sh + l->sh_size, l->addrsize);
	return in_image(v, *off, *size) ? 0 : -ENOEXEC;
}

/* Does the name at offset name in the string table [str, str+strsize) equal
 * want? The terminating NUL must be inside the table too. */
static int name_is(const unsigned char *str, uint64_t strsize, uint64_t name, const char *want)
{
	size_t n = strlen(want) + 1;

	if (name > strsize || strsize - name < n)
		return 0;
	return memcmp(str + name, want, n) == 0;
}

unsigned elf_addrsize(const struct elf_view *v)
{
	return v->l->addrsize;
}

int elf_open(struct elf_view *v, const void *elf, size_t len)
{
	const struct elf_layout *l;
	uint64_t shstrndx;

	memset(v, 0, sizeof *v);
	v->p = elf;
	v->len = len;
	if (!elf || check_ident(v) < 0)
		return -ENOEXEC;
	l = v->l;
	v->shoff = elf_rd(v, v->p + l->e_shoff, l->addrsize);
	v->shnum = elf_rd(v, v->p + l->e_shnum, 2);
	shstrndx = elf_rd(v, v->p + l->e_shstrndx, 2);
	if (elf_rd(v, v->p + l->e_shentsize, 2) != l->shentsize)
		return -ENOEXEC;
	/* shnum < 2^16 and shentsize <= 64, so the product cannot overflow. */
	if (v->shnum == 0 || v->shnum >= SHN_LORESERVE_ || shstrndx >= v->shnum ||
	    !in_image(v, v->shoff, v->shnum * l->shentsize))
		return -ENOEXEC;
	return section_bytes(v, shdr(v, v->shoff, (unsigned)shstrndx), &v->stroff, &v->strsize);
}

int elf_section_at(const struct elf_view *v, unsigned i, struct elf_section *s)
{
	const unsigned char *sh;
	uint64_t off, size;

	if (i == 0 || i >= v->shnum)
		return -ENOEXEC;
	sh = shdr(v, v->shoff, i);
	if (section_bytes(v, sh, &off, &size) < 0)
		return -ENOEXEC;
	s->data = v->p + off;
	s->size = size;
	s->link = (unsigned)elf_rd(v, sh + v->l->sh_link, 4);
	return 0;
}

int elf_find(const struct elf_view *v, const char *name, struct elf_section *s)
{
	for (unsigned i = 1; i < v->shnum; i++)
		if (name_is(v->p + v->stroff, v->strsize, elf_rd(v, shdr(v, v->shoff, i), 4), name))
			return elf_section_at(v, i, s);
	return -ENOEXEC;
}
