/* wildmatch.h: fnmatch(pattern, string, 0) as kmod uses it for aliases, without
 * the C library's wide-character tables (they would double the size of the
 * static binary for nothing module aliases use). */
#ifndef MODLOAD_WILDMATCH_H
#define MODLOAD_WILDMATCH_H

/* 1 when string matches pattern: '*' any run, '?' any byte, [...] a set
 * (ranges, '!' or '^' negation, [:class:]), '\' quotes the next byte; an
 * unterminated '[' is an ordinary byte. No flags: '/' and '.' are ordinary. */
int wildmatch(const char *pattern, const char *string);

#endif
