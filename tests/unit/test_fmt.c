/* test_fmt.c: fmt.c, opt.c and num.c against the C library they stand in for.
 *
 *   fmt_snprintf  against glibc's snprintf: every conversion, flag, width
 *                 and precision modload uses, with edge values and random
 *                 ones, into buffers of every size from 0 up (truncation and
 *                 the return value).
 *   opt           against glibc's getopt_long on generated command lines
 *                 (clusters, attached and separate arguments, long options
 *                 with '=' and prefixes, "--", operands between options):
 *                 the same options, arguments and operands in the same order.
 *   parse_ulong   against strtoul on digit strings, with overflow.
 * Built by run-fmt with -fsanitize=address,undefined. */
#include "fmt.h"
#include "num.h"
#include "opt.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned checks, failures;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		checks++;                                                    \
		if (!(cond)) {                                               \
			failures++;                                          \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Compare one format with one argument list through both formatters, for
 * every buffer size up to the full length + 2. */
static void cmp(const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, aq;
	int nw, ng;

	va_start(ap, fmt);
	for (size_t cap = 0; cap < sizeof want; cap++) {
		va_copy(aq, ap);
		memset(want, 'X', sizeof want);
		memset(got, 'X', sizeof got);
		nw = vsnprintf(want, cap, fmt, aq);
		va_end(aq);
		va_copy(aq, ap);
		ng = fmt_vsnprintf(got, cap, fmt, aq);
		va_end(aq);
		if (nw != ng || memcmp(want, got, cap + 1)) {
			CHECK(0, "format \"%s\" cap %zu: want %d \"%.*s\", got %d \"%.*s\"", fmt,
			      cap, nw, (int)cap, want, ng, (int)cap, got);
			break;
		}
		if (cap > (size_t)nw + 2)
			break;
	}
	checks++;
	va_end(ap);
}

static void test_fmt(void)
{
	static const char *const strs[] = { "", "a", "hello", "module-name_with.dots", NULL };
	static const long long ints[] = { 0,   1,    -1,      9,       10,	  -10,
					  255, 4096, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };

	cmp("plain text");
	cmp("%%");
	cmp("100%% done");
	for (size_t i = 0; strs[i]; i++) {
		cmp("%s", strs[i]);
		cmp("[%8s]", strs[i]);
		cmp("[%-8s]", strs[i]);
		cmp("[%.3s]", strs[i]);
		cmp("[%.*s]", 2, strs[i]);
		cmp("[%*s]", 12, strs[i]);
		cmp("[%-*s]", 12, strs[i]);
		cmp("[%*s]", -12, strs[i]);
		cmp("%-16s%s%c", "filename:", strs[i], '\n');
		cmp("%.*s:%*s%.*s%c", 4, "parmX", 11, "", 5, strs[i], 0 ? 'x' : '\n');
	}
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		long long v = ints[i];
		cmp("%d %i", (int)v, (int)v);
		cmp("%u %x %X", (unsigned)v, (unsigned)v, (unsigned)v);
		cmp("%02x %04x %08x", (unsigned)v & 0xff, (unsigned)v & 0xffff, (unsigned)v);
		cmp("%ld %lu %lx", (long)v, (unsigned long)v, (unsigned long)v);
		cmp("%lld %llu %llx", v, (unsigned long long)v, (unsigned long long)v);
		cmp("%zu", (size_t)v);
		cmp("[%8ld] [%-8ld] [%08ld] [%03lld]", (long)v, (long)v, (long)v, v);
		cmp("[%5d] [%-5d] [%05d]", (int)v, (int)v, (int)v);
	}
	cmp("%c%c%c", 'a', 0x7f, ' ');
	cmp("[%3c] [%-3c]", 'z', 'z');
	for (int i = 0; i < 20000; i++) {
		long long v = (long long)rnd() >> (rnd() % 64);
		int w = (int)(rnd() % 24);
		switch (rnd() % 6) {
		case 0: cmp("%*lld|", w, v); break;
		case 1: cmp("%-*lld|", w, v); break;
		case 2: cmp("%0*llx|", w, (unsigned long long)v); break;
		case 3: cmp("%*u|", w, (unsigned)v); break;
		case 4: cmp("%.*s|", w, "abcdefghijklmnopqrstuvwxyz"); break;
		default: cmp("%s=%d%c", "key", (int)v, ','); break;
		}
	}
	/* A long result: counted whole, cut at the buffer. */
	char big[8];
	CHECK(fmt_snprintf(big, sizeof big, "%s%s", "0123456789", "abc") == 13 &&
		      !strcmp(big, "0123456"),
	      "long result");
	/* fmt_hex_bytes against snprintf's %02x for the layouts fsprobe.c and
	 * partuuid.c use, and a buffer too small for the whole layout. */
	unsigned char u[16];
	char got[40], want[40];
	for (int i = 0; i < 16; i++)
		u[i] = (unsigned char)(0x0f * i + 0xa0 * (i & 1));
	fmt_hex_bytes(got, sizeof got, u, "3210-54-76-89-abcdef", 0);
	snprintf(want, sizeof want,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[3], u[2],
		 u[1], u[0], u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
	CHECK(!strcmp(got, want), "fmt_hex_bytes GUID: %s, not %s", got, want);
	fmt_hex_bytes(got, sizeof got, u, "32-10", 1);
	snprintf(want, sizeof want, "%02X%02X-%02X%02X", u[3], u[2], u[1], u[0]);
	CHECK(!strcmp(got, want), "fmt_hex_bytes FAT serial: %s, not %s", got, want);
	fmt_hex_bytes(got, 6, u, "0123", 0);
	CHECK(!strcmp(got, "00af"), "fmt_hex_bytes in 6 bytes: %s", got);
}

/* One generated command line through getopt_long and through opt. */
static void cmp_opts(int argc, char **argv, const char *shorts)
{
	static const struct option glong[] = {
		{ "all", 0, 0, 'a' },	 { "quiet", 0, 0, 'q' },       { "dirname", 1, 0, 'd' },
		{ "config", 1, 0, 'C' }, { "set-version", 1, 0, 'S' }, { 0, 0, 0, 0 }
	};
	static const char olong[] = "a all\0"
				    "q quiet\0"
				    "d:dirname\0"
				    "C:config\0"
				    "S:set-version\0";
	char want[2048] = "", got[2048] = "", *gv[32], *ov[32];
	size_t wl = 0, gl = 0;
	struct opt o;
	int c;

	memcpy(gv, argv, sizeof *argv * (size_t)(argc + 1));
	memcpy(ov, argv, sizeof *argv * (size_t)(argc + 1));
	optind = 0; /* glibc: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, gv, shorts, glong, NULL)) != -1)
		wl += (size_t)snprintf(want + wl, sizeof want - wl, "%c(%s) ", c == '?' ? '?' : c,
				       c == '?' ? ""
				       : optarg ? optarg
						: "");
	for (int i = optind; i < argc; i++)
		wl += (size_t)snprintf(want + wl, sizeof want - wl, "<%s> ", gv[i]);

	opt_begin(&o, argc, ov, shorts, olong);
	while ((c = opt_next(&o)) != -1)
		gl += (size_t)snprintf(got + gl, sizeof got - gl, "%c(%s) ", c == '?' ? '?' : c,
				       c == '?' ? ""
				       : o.arg	? o.arg
						: "");
	for (int i = o.ind; i < argc; i++)
		gl += (size_t)snprintf(got + gl, sizeof got - gl, "<%s> ", ov[i]);
	if (strcmp(want, got)) {
		char line[1024] = "";
		for (int i = 1; i < argc; i++) {
			strcat(line, argv[i]);
			strcat(line, " ");
		}
		CHECK(0, "%s: %s\n  getopt_long: %s\n  opt:         %s", shorts, line, want, got);
	} else
		checks++;
}

static void test_opt(void)
{
	static const char *const words[] = { "-a",     "-q",	     "-aq",	    "-d",
					     "-dDIR",  "-qdX",	     "-C",	    "-Cf",
					     "--all",  "--quiet",    "--dirname=R", "--dirname",
					     "--conf", "--config=c", "--set",	    "-S",
					     "mod",    "x=1",	     "param=-3",    "--",
					     "-",      "val" };
	/* Wrong options: glibc prints nothing with opterr = 0, we print a line;
	 * stderr is not compared, the results are. */
	static const char *const bad[] = { "-z", "--nope", "--all=x", "-d" };
	char *argv[32];

	for (int round = 0; round < 20000; round++) {
		int argc = 1 + (int)(rnd() % 8);
		argv[0] = "prog";
		for (int i = 1; i < argc; i++)
			argv[i] = (char *)words[rnd() % (sizeof words / sizeof *words)];
		argv[argc] = NULL;
		cmp_opts(argc, argv, "aqd:C:S:");
		cmp_opts(argc, argv, "+aqd:C:S:");
	}
	for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
		argv[0] = "prog";
		argv[1] = (char *)bad[b];
		argv[2] = "mod";
		argv[3] = NULL;
		cmp_opts(3, argv, "aqd:C:S:");
	}
}

static void test_num(void)
{
	static const char *const cases[] = { "0",
					     "7",
					     "42",
					     "4294967295",
					     "4294967296",
					     "18446744073709551615",
					     "18446744073709551616",
					     "12ab",
					     "ff",
					     "",
					     "x",
					     "00012",
					     "99999999999999999999999" };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		for (unsigned base = 10; base <= 16; base += 6) {
			const char *end;
			char *wend;
			unsigned long v = 0;
			int err = parse_ulong(cases[i], base, &v, &end);
			errno = 0;
			unsigned long w = strtoul(cases[i], &wend, (int)base);
			int werr = wend == cases[i] ? -EINVAL : errno == ERANGE ? -ERANGE : 0;
			CHECK(err == werr && end == wend && (err || v == w),
			      "parse_ulong(\"%s\", %u): err %d end +%td v %lu; strtoul %d +%td %lu",
			      cases[i], base, err, end - cases[i], v, werr, wend - cases[i], w);
		}
	}
	int v;
	CHECK(parse_int_word("12\n", &v) == 0 && v == 12, "sysfs number");
	CHECK(parse_int_word("12 ", &v) == -EINVAL, "trailing blank");
	CHECK(parse_int_word("-1", &v) == -EINVAL, "sign");
	CHECK(parse_int_word("2147483648", &v) == -ERANGE, "int overflow");
}

/* --no-opt: the ARM builds (musl, under qemu-user) check fmt and num against
 * musl's snprintf and strtoul; opt's reference is glibc's permuting
 * getopt_long, which musl's is not. */
int main(int argc, char **argv)
{
	int with_opt = !(argc > 1 && !strcmp(argv[1], "--no-opt"));

	test_fmt();
	if (with_opt)
		test_opt();
	test_num();
	printf("test_fmt: %u checks, %u failed\n", checks, failures);
	return failures != 0;
}
