/* test_wildmatch.c: wildmatch() must agree with the C library's fnmatch(p, s, 0)
 * (glibc here, the reference kmod uses) on hand-picked cases and on random
 * patterns and strings over a small alphabet rich in special characters.
 * Random patterns with a '[' that no ']' closes are left out: aliases with an
 * unbalanced bracket are refused before matching (alias_normalize), and
 * glibc's answer for them depends on what follows. */
#include "wildmatch.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

static void check(const char *p, const char *s)
{
	int want = fnmatch(p, s, 0) == 0, got = wildmatch(p, s);
	checks++;
	if (want != got && failures++ < 20)
		printf("FAIL: pattern '%s' string '%s': fnmatch %d, wildmatch %d\n", p, s, want,
		       got);
}

static void random_text(char *out, int len, const char *alphabet)
{
	size_t n = strlen(alphabet);
	for (int i = 0; i < len; i++)
		out[i] = alphabet[(size_t)rand() % n];
	out[len] = '\0';
}

/* Every byte in every class against the C library's ctype (C locale):
 * wildmatch computes the classes itself. */
static void check_classes(void)
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
	char p[16], s[2] = "";

	for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
		for (int c = 1; c < 256; c++) {
			int want = classes[i].test(c) != 0, got;
			snprintf(p, sizeof p, "[[:%s:]]", classes[i].name);
			s[0] = (char)c;
			got = wildmatch(p, s);
			checks++;
			if (got != want) {
				printf("FAIL: class %s, byte %d: ctype %d, wildmatch %d\n",
				       classes[i].name, c, want, got);
				failures++;
			}
		}
}

int main(void)
{
	static const char *const fixed[][2] = {
		{ "pci:v00008086d*sv*sd*bc*sc*i*",
		  "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01" },
		{ "usb:v13FDp3940d0[0-2]*dc*", "usb:v13FDp3940d01FFdc00" },
		{ "usb:v13FDp3940d0[0-2]*dc*", "usb:v13FDp3940d03FFdc00" },
		{ "a[!b]c", "abc" },
		{ "a[!b]c", "axc" },
		{ "a[^b]c", "axc" },
		{ "a[]]c", "a]c" },
		{ "a[", "a[" },
		{ "a[b", "a[b" },
		{ "a\\*", "a*" },
		{ "a\\*", "ab" },
		{ "a\\", "a\\" },
		{ "[[:digit:]]x", "5x" },
		{ "[[:alpha:]]x", "5x" },
		{ "[a-]", "-" },
		{ "[-a]", "-" },
		{ "*", "" },
		{ "", "" },
		{ "?", "" },
		{ "**a**", "bab" },
		{ "a*b*c", "abbbcbc" },
		{ "[0-9A-E]", "C" },
		{ "[0-9A-E]", "F" },
		{ "*[Ll]x", "yLx" },
		{ "[a\\-z]", "-" },
	};
	char p[16], s[16];

	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		check(fixed[i][0], fixed[i][1]);
	check_classes();
	srand(20261125);
	for (int i = 0; i < 400000; i++) {
		random_text(p, rand() % 9, "ab*?[]!^-\\:");
		random_text(s, rand() % 9, "ab-]*[\\:");
		const char *open = strrchr(p, '[');
		if (open && !strchr(open + 1, ']'))
			continue;
		check(p, s);
	}
	printf("test_wildmatch: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
