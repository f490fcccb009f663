/* readfile.h: the one way modload reads a file into memory. */
#ifndef MODLOAD_READFILE_H
#define MODLOAD_READFILE_H

#include <stddef.h>

/* Read the file at path (relative to dirfd, or AT_FDCWD) to its end into a
 * malloc'd, NUL-terminated buffer. Reads until EOF, so /proc and /sys files
 * (whose st_size is 0 or a page) come whole. A file longer than max bytes is
 * refused with -EFBIG rather than cut. Returns 0 with *text and *len set, or
 * a negative errno (-ENOENT for a missing file); the caller frees *text. */
int read_whole_file(int dirfd, const char *path, size_t max, char **text, size_t *len);
/* The same for an open file, from where it is to its end (fd stays open). */
int read_whole_fd(int fd, size_t max, char **text, size_t *len);

/* Read at most cap - 1 bytes of the small file at path (relative to dirfd)
 * into buf, NUL-terminated (empty on failure): a sysfs attribute, a /proc
 * value. Returns the bytes read, or a negative errno. */
long read_small(int dirfd, const char *path, char *buf, size_t cap);

#endif
