/* fmt.h: printf-style formatting and output without libc's stdio.
 *
 * Why: in a static musl binary, printf's formatter (with its floating-point
 * code) and the FILE machinery cost about 14 KB, an eighth of the loader;
 * modload prints only strings and integers. These functions take the subset
 * modload uses, with the same meaning as printf's:
 *
 *   conversions  %s %c %d %i %u %x %X %%, with the length modifiers l, ll, z
 *   flags        '-' (left-justify), '0' (zero-pad numbers)
 *   width        a number or '*' (negative: left-justify)
 *   precision    '.N' or '.*' (for %s: at most that many bytes)
 *
 * Anything else is printed as written. Output to fd 1 is buffered (one
 * buffer, written out when full, before anything goes to another fd, and by
 * fd_flush, which main() calls when an applet returns); any other fd gets
 * one write(2) per call, so a message is never interleaved mid-line. The
 * fd-1 buffer is not locked: only the main thread prints results. */
#ifndef MODLOAD_FMT_H
#define MODLOAD_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: writes at most cap bytes including the NUL (none when cap
 * is 0) and returns the length the whole result would have. */
int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Format into a malloc'd string of the right size; NULL when out of memory. */
char *fmt_alloc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Format to fd; returns the bytes formatted, or -1 when a write failed. */
int fd_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fd_printf(1, ...), the most frequent call, one argument shorter. */
int out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fd_putc(int fd, int c);
/* Write out what is buffered for fd 1; 0, or -errno of the failed write (a
 * failure is remembered and returned again, as ferror would). */
int fd_flush(void);

/* Bytes of b as hex digit pairs, in the order layout gives: each of its
 * characters '0'-'9', 'a'-'f' is the index of a byte in b, any other is
 * copied ('-'). "3210-54-76-89-abcdef" writes a GPT GUID. out has room for
 * every pair and the NUL (cap 40 holds any UUID). */
void fmt_hex_bytes(char *out, size_t cap, const unsigned char *b, const char *layout, int upper);

/* The i-th (from 0) of the strings in list, one after the other, each
 * ended by its NUL: tables of words as one string, without pointers. */
const char *fmt_nth(const char *list, unsigned i);

/* Write all of s (EINTR retried); 0, or -errno. */
int write_all(int fd, const void *s, size_t n);

#endif
