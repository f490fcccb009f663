/* wildmatch.c: shell-style matching (see wildmatch.h).
 *
 * The classic single-backtrack algorithm: on a mismatch, retry from the last
 * '*' one byte further on. Every other token matches exactly one byte, which
 * is what makes remembering only the last '*' enough. */
#include "wildmatch.h"

#include <string.h>

/* The classes' names, in the order of class_bits' bits. */
static const char class_names[] = "alnum\0alpha\0digit\0lower\0upper\0space\0"
				  "xdigit\0punct\0blank\0cntrl\0graph\0print\0";

/* Which classes c is in: the C locale's, ASCII only (a byte from 128 on is
 * in none), as musl's ctype functions say for every locale. Bits instead of
 * a table of those functions: 12 members of libc and a table of pointers. */
static unsigned class_bits(unsigned c)
{
	unsigned up = c - 'A' < 26, low = c - 'a' < 26, dig = c - '0' < 10;
	unsigned alnum = up | low | dig, graph = c - 33 < 94, blank = c == ' ' || c == '\t';

	return alnum | (up | low) << 1 | dig << 2 | low << 3 | up << 4 |
	       (blank | (c - '\n' < 4)) << 5 | (dig | ((c | 32) - 'a' < 6)) << 6 |
	       (graph & !alnum) << 7 | blank << 8 | (c < 32 || c == 127) << 9 | graph << 10 |
	       (graph | (c == ' ')) << 11;
}

static int in_class(const char *name, size_t len, unsigned char c)
{
	const char *n = class_names;

	for (unsigned i = 0; *n; i++, n += strlen(n) + 1)
		if (strlen(n) == len && !memcmp(n, name, len))
			return class_bits(c) >> i & 1;
	return 0;
}

/* One set starting after '[': 1 or 0 for c, *end after the closing ']';
 * -1 when there is no closing ']' (then '[' is an ordinary byte). */
static int match_set(const char *p, unsigned char c, const char **end)
{
	int neg = *p == '!' || *p == '^', hit = 0;

	if (neg)
		p++;
	for (int first = 1; *p && (*p != ']' || first); first = 0) {
		if (p[0] == '[' && p[1] == ':') {
			const char *close = p + 2; /* the class's ":]" */
			while (*close && !(close[0] == ':' && close[1] == ']'))
				close++;
			if (*close) {
				hit |= in_class(p + 2, (size_t)(close - p - 2), c);
				p = close + 2;
				continue;
			}
		}
		unsigned char lo = (unsigned char)*p;
		if (lo == '\\' && p[1])
			lo = (unsigned char)*++p;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			unsigned char hi = (unsigned char)p[2];
			if (hi == '\\' && p[3])
				hi = (unsigned char)*(p++ + 3);
			hit |= lo <= c && c <= hi;
			p += 3;
		} else {
			hit |= c == lo;
			p++;
		}
	}
	if (!*p)
		return -1;
	*end = p + 1;
	return hit != neg;
}

/* Does the token at p match the byte c? *next is the token after it. */
static int match_one(const char *p, unsigned char c, const char **next)
{
	if (*p == '?') {
		*next = p + 1;
		return 1;
	}
	if (*p == '[') {
		int r = match_set(p + 1, c, next);
		if (r >= 0)
			return r;
	}
	if (*p == '\\') {
		if (!p[1])
			return 0; /* a lone trailing backslash matches nothing (glibc) */
		p++;
	}
	*next = p + 1;
	return (unsigned char)*p == c;
}

int wildmatch(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL, *next;

	while (*s) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*p && match_one(p, (unsigned char)*s, &next)) {
			p = next;
			s++;
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}
