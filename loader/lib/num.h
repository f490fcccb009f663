/* num.h: unsigned numbers from text, strictly (no sign, no base prefix, no
 * leading blanks), without libc's strtol family (whose general scanner costs
 * the static loader 2 KB). */
#ifndef MODLOAD_NUM_H
#define MODLOAD_NUM_H

/* Digits of s in base 10 or 16, up to the first other byte, whose address
 * goes to *end when end is not NULL. Returns 0, -EINVAL when s starts with
 * no digit, -ERANGE when the value does not fit an unsigned long. */
int parse_ulong(const char *s, unsigned base, unsigned long *v, const char **end);

/* A whole word as a non-negative int: digits only, then the end of the
 * string or a newline (as sysfs files end). Returns 0 or -EINVAL/-ERANGE. */
int parse_int_word(const char *s, int *v);

#endif
