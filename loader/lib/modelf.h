/* modelf.h: bounds-checked access to an ELF relocatable (a kernel module) of
 * either class and byte order. Nothing is read through a struct cast.
 * (Not elf.h: with -Iloader/lib that name would shadow the system <elf.h>.) */
#ifndef MODLOAD_MODELF_H
#define MODLOAD_MODELF_H

#include <stddef.h>
#include <stdint.h>

struct elf_layout;

struct elf_view {
	const unsigned char *p;
	size_t len;
	int big; /* big-endian image */
	const struct elf_layout *l;
	uint64_t shoff, shnum;
	uint64_t stroff, strsize; /* the section name table */
};

/* A section's bytes, all inside the image. */
struct elf_section {
	const unsigned char *data;
	uint64_t size;
	unsigned link; /* sh_link: e.g. a symbol table's string table */
};

/* Check the headers; 0 or -ENOEXEC. */
int elf_open(struct elf_view *v, const void *elf, size_t len);
/* Find the section called name (with bytes in the file); 0 or -ENOEXEC. */
int elf_find(const struct elf_view *v, const char *name, struct elf_section *s);
/* Section number i; 0 or -ENOEXEC. */
int elf_section_at(const struct elf_view *v, unsigned i, struct elf_section *s);
/* Read an unsigned field of width n (2, 4 or 8) in the image's byte order. */
uint64_t elf_rd(const struct elf_view *v, const unsigned char *p, unsigned n);
/* 4 or 8: the class's address width (symbol table entries differ by class). */
unsigned elf_addrsize(const struct elf_view *v);

#endif
