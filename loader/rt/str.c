/* str.c: strlen, strnlen, strchr, strchrnul, strrchr, strspn, strcspn,
 * strtok_r, strncmp, strcmp, strncasecmp, strcasecmp and strdup for the
 * static loader, a byte at a time.
 *
 * Why not musl's: they read a word at a time and strspn/strcspn build a
 * 256-bit table on the stack, which pays for long strings; the loader's
 * are names, aliases and configuration words, tens of bytes. musl's five
 * take about 0.9 KB on arm64 (0.8 KB on x86_64); these about a fifth.
 * strcmp and strcasecmp are strncmp and strncasecmp without a limit (musl's
 * strcmp and strncmp: 180 bytes on x86_64; its strrchr goes through
 * memrchr); the case-insensitive two fold ASCII letters only, as musl's
 * tolower does in the C locale, the only one the loader has. */
#include <stdlib.h>
#include <string.h>

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

char *strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

char *strchr(const char *s, int c)
{
	s = strchrnul(s, c);
	return *s == (char)c ? (char *)s : NULL;
}

/* The length of s's first run of bytes that are (in 1) or are not (in 0)
 * in set. */
static size_t span(const char *s, const char *set, int in)
{
	size_t n = 0;

	while (s[n] && (strchrnul(set, s[n])[0] != '\0') == in)
		n++;
	return n;
}

size_t strspn(const char *s, const char *accept)
{
	return span(s, accept, 1);
}

size_t strcspn(const char *s, const char *reject)
{
	return span(s, reject, 0);
}

static int fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* As musl's and POSIX's: separators skipped, the token ended with a NUL,
 * *save past it (NULL at the end of s). */
char *strtok_r(char *restrict s, const char *restrict sep, char **restrict save)
{
	if (!s && !(s = *save))
		return NULL;
	s += strspn(s, sep);
	if (!*s)
		return *save = NULL;
	*save = s + strcspn(s, sep);
	if (**save)
		*(*save)++ = '\0';
	else
		*save = NULL;
	return s;
}

/* Up to n bytes of a and b compared with ASCII letters folded. */
static int casecmp(const unsigned char *l, const unsigned char *r, size_t n)
{
	for (; n && *l && fold(*l) == fold(*r); n--, l++, r++)
		;
	return n ? fold(*l) - fold(*r) : 0;
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	return casecmp((const unsigned char *)a, (const unsigned char *)b, n);
}

int strcasecmp(const char *a, const char *b)
{
	return casecmp((const unsigned char *)a, (const unsigned char *)b, (size_t)-1);
}

/* Up to n bytes of a and b compared as unsigned bytes. */
static int cmp(const unsigned char *l, const unsigned char *r, size_t n)
{
	for (; n && *l && *l == *r; n--, l++, r++)
		;
	return n ? *l - *r : 0;
}

int strncmp(const char *a, const char *b, size_t n)
{
	return cmp((const unsigned char *)a, (const unsigned char *)b, n);
}

int strcmp(const char *a, const char *b)
{
	return cmp((const unsigned char *)a, (const unsigned char *)b, (size_t)-1);
}

char *strrchr(const char *s, int c)
{
	const char *hit = NULL;

	do
		if (*s == (char)c)
			hit = s;
	while (*s++);
	return (char *)hit;
}

size_t strnlen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	return d ? memcpy(d, s, n) : NULL;
}
