#!/usr/bin/env python3
"""elf_swap.py: rewrite an ELF relocatable in the other byte order.

    tests/fuzz/elf_swap.py IN OUT

How the big-endian seeds of tests/fuzz/corpus/modinfo were made from
little-endian modules cut small with objcopy (which cannot change the byte
order): the ELF header, the section headers and the entries of SHT_SYMTAB
sections are swapped field by field; section contents (.modinfo, string
tables) are bytes and stay as they are. Relocation sections are not
converted (cut them away first). Either class (32 or 64 bit)."""
import struct
import sys

EHDR = {1: "HHIIIIIHHHHHH", 2: "HHIQQQIHHHHHH"}
SHDR = {1: "IIIIIIIIII", 2: "IIQQQQIIQQ"}
SYM = {1: "IIIBBH", 2: "IBBHQQ"}
SHT_SYMTAB = 2


def swap(data):
    cls, order = data[4], data[5]
    src, dst = ("<", ">") if order == 1 else (">", "<")
    out = bytearray(data)
    out[5] = 2 if order == 1 else 1
    ehdr = EHDR[cls]
    fields = struct.unpack_from(src + ehdr, data, 16)
    struct.pack_into(dst + ehdr, out, 16, *fields)
    shoff = fields[5]
    shentsize, shnum = fields[10], fields[11]
    shdr = SHDR[cls]
    for i in range(shnum):
        at = shoff + i * shentsize
        sh = struct.unpack_from(src + shdr, data, at)
        struct.pack_into(dst + shdr, out, at, *sh)
        if sh[1] == SHT_SYMTAB:
            off, size = sh[4], sh[5]
            esz = struct.calcsize("<" + SYM[cls])
            for k in range(off, off + size - esz + 1, esz):
                sym = struct.unpack_from(src + SYM[cls], data, k)
                struct.pack_into(dst + SYM[cls], out, k, *sym)
    return bytes(out)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    with open(sys.argv[2], "wb") as f:
        f.write(swap(data))
