/* num.c: see num.h. */
#include "num.h"

#include <errno.h>
#include <limits.h>

static int digit(char c, unsigned base)
{
	unsigned d = (unsigned char)c - '0', x = ((unsigned char)c | 32) - 'a';

	if (d > 9) /* a letter, either case (| 32: 'A'-'F' as 'a'-'f') */
		d = x < 6 ? x + 10 : base;
	return d < base ? (int)d : -1;
}

int parse_ulong(const char *s, unsigned base, unsigned long *v, const char **end)
{
	unsigned long n = 0;
	int d, any = 0, over = 0;

	for (; (d = digit(*s, base)) >= 0; s++, any = 1) {
		if (n > (ULONG_MAX - (unsigned)d) / base)
			over = 1;
		n = n * base + (unsigned)d;
	}
	if (end)
		*end = s;
	if (!any)
		return -EINVAL;
	if (over)
		return -ERANGE;
	*v = n;
	return 0;
}

int parse_int_word(const char *s, int *v)
{
	unsigned long n;
	const char *end;
	int err = parse_ulong(s, 10, &n, &end);

	if (err)
		return err;
	if (*end && !(*end == '\n' && !end[1]))
		return -EINVAL;
	if (n > INT_MAX)
		return -ERANGE;
	*v = (int)n;
	return 0;
}
