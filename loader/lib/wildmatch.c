/* wildmatch.c: shell-style matching (see wildmatch.h).
 *
 * The classic single-backtrack algorithm: on a mismatch, retry from the last
 * '*' one byte further on. Every other token matches exactly one byte, which
 * is what makes remembering only the last '*' enough. */
#include "wildmatch.h"

#include <ctype.h>
#include <string.h>

static int in_class(const char *name, size_t len, unsigned char c)
{
	static const struct {
		const char *name;
		int (*test)(int);
	} classes[] = {
		{ "alnum", isalnum },	{ "alpha", isalpha }, { "digit", isdigit },
		{ "lower", islower },	{ "upper", isupper }, { "space", isspace },
		{ "xdigit", isxdigit }, { "punct", ispunct }, { "blank", isblank },
		{ "cntrl", iscntrl },	{ "graph", isgraph }, { "print", isprint },
	};
	for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
		if (strlen(classes[i].name) == len && !memcmp(classes[i].name, name, len))
			return classes[i].test(c) != 0;
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
