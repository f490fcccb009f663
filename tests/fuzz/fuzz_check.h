/* fuzz_check.h: what every harness checks with. FAIL prints one line,
 * "fuzz check failed: ...", and aborts, which libFuzzer reports as a crash
 * with the input saved (tests/fuzz/README). fuzz_inside: does [p, p + n)
 * lie inside [base, base + len)? (For pointers a parser hands out into its
 * input; fuzz_blob.c checks offsets instead.) */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define FAIL(...)                                       \
	do {                                            \
		fprintf(stderr, "fuzz check failed: "); \
		fprintf(stderr, __VA_ARGS__);           \
		fprintf(stderr, "\n");                  \
		abort();                                \
	} while (0)

static inline int fuzz_inside(const void *base, size_t len, const void *p, size_t n)
{
	const char *b = base, *q = p;
	return q >= b && (size_t)(q - b) <= len && n <= len - (size_t)(q - b);
}

#endif
