/* check.h: the unit tests' CHECK(cond, fmt, ...): counts a check and, when
 * cond is false, a failure, printing "FAIL [case] file:line: " and the
 * message on stdout. tcase names the case being run; a test prints ncheck
 * and nfail at its end. Included once by each test program. */
#ifndef MODLOAD_TESTS_CHECK_H
#define MODLOAD_TESTS_CHECK_H

#include <stdio.h>

static int nfail, ncheck;
static const char *tcase = "?";

#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		ncheck++;                                                                \
		if (!(cond)) {                                                           \
			nfail++;                                                         \
			fprintf(stdout, "FAIL [%s] %s:%d: ", tcase, __FILE__, __LINE__); \
			fprintf(stdout, __VA_ARGS__);                                    \
			fputc('\n', stdout);                                             \
		}                                                                        \
	} while (0)

#endif
