/* readfile.h: the one way modload reads a whole file into memory. */
#ifndef MODLOAD_READFILE_H
#define MODLOAD_READFILE_H

#include <stddef.h>

/* Read the file at path (relative to dirfd, or AT_FDCWD) to its end into a
 * malloc'd, NUL-terminated buffer. Reads until EOF, so /proc and /sys files
 * (whose st_size is 0 or a page) come whole. A file longer than max bytes is
 * refused with -EFBIG rather than cut. Returns 0 with *text and *len set, or
 * a negative errno (-ENOENT for a missing file); the caller frees *text. */
int read_whole_file(int dirfd, const char *path, size_t max, char **text, size_t *len);

#endif
