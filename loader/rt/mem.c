/* mem.c: memmove, memcpy, memset and memchr for the static loader, a word
 * at a time where that pays.
 *
 * Why not musl's: on arm64 and armhf its memcpy and memmove are unrolled
 * for large copies (arm64: 768 bytes the pair, armhf 1,000; memset and
 * memchr another 460 / 330), while the loader's copies are short (names,
 * lines, headers) and zstd inlines its own fixed-size copies. On x86_64
 * musl's memcpy and memmove are 87 bytes of assembly and stay.
 *
 * Words are read and written unaligned (every target here allows it: the
 * may_alias, aligned(1) type says so to the compiler). memmove copies
 * forward when the destination is below the source or past its end, else
 * backward, so an overlap never reads what it has written. The loops must
 * stay loops: RT_CFLAGS turns off GCC's rewriting of them into calls to
 * these very functions. */
#include <stdint.h>
#include <string.h>

typedef unsigned long word;
typedef word __attribute__((may_alias, aligned(1))) uword;
#define W sizeof(word)

#ifndef __x86_64__
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d - (uintptr_t)s >= n) {
		for (; n >= W; n -= W, d += W, s += W)
			*(uword *)d = *(const uword *)s;
		while (n--)
			*d++ = *s++;
		return dst;
	}
	d += n;
	s += n;
	for (; n >= W; n -= W) {
		d -= W;
		s -= W;
		*(uword *)d = *(const uword *)s;
	}
	while (n--)
		*--d = *--s;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
	__attribute__((alias("memmove")));
#endif

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word w = (unsigned char)c * (~(word)0 / 255);

	for (; n >= W; n -= W, d += W)
		*(uword *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memchr(const void *src, int c, size_t n)
{
	const unsigned char *s = src;

	for (; n; n--, s++)
		if (*s == (unsigned char)c)
			return (void *)s;
	return NULL;
}
