/* insert.h: put one module file into the running kernel.
 *
 * Plain .ko files go through finit_module(). A .ko.zst goes through
 * finit_module(MODULE_INIT_COMPRESSED_FILE) when /sys/module/compression says
 * the kernel decompresses zstd itself; otherwise it is decompressed in memory
 * into the caller's reusable buffer and handed to init_module(). .ko.xz and
 * .ko.gz are left to the kernel. The format is taken from the file's magic
 * bytes, not its name. */
#ifndef MODLOAD_INSERT_H
#define MODLOAD_INSERT_H

#include <stddef.h>

/* One per worker thread: grown on demand, never shrunk, freed by insert_buf_free.
 * Start it zeroed: struct insert_buf buf = { 0 }; */
struct insert_buf {
	void *data;
	size_t cap;
};

/* Largest decompressed module accepted; anything larger is refused (-EFBIG). */
#define INSERT_MAX_MODULE (256u << 20)

/* Insert the module at path with the given parameter string ("" or NULL for
 * none). buf is needed only for .ko.zst. Returns 0, or a negative errno:
 * -EEXIST when already loaded, -ENOENT when the file is missing, -ESRCH for an
 * unknown symbol (the kernel says ENOENT; renamed so -ENOENT stays "no file"),
 * -EILSEQ when decompression failed, -EFBIG when the frame is too large or
 * has no content size, -EOPNOTSUPP for an .xz/.gz module the kernel cannot
 * decompress, or what the kernel returned. */
int insert_module(const char *path, const char *params, struct insert_buf *buf);

/* Read a module file into memory, decompressing .ko.zst. *data points into
 * buf for .ko.zst, or at a read-only mapping for a plain .ko; either way hand
 * it back with module_unmap(data, len, buf), which unmaps only the latter.
 * Errors as for insert_module; -EOPNOTSUPP for .xz/.gz. */
int module_read(const char *path, struct insert_buf *buf, const void **data, size_t *len);
void module_unmap(const void *data, size_t len, const struct insert_buf *buf);

/* Free buf and the calling thread's zstd decompression context. */
void insert_buf_free(struct insert_buf *buf);

/* Plain words for an error returned by insert_module ("Unknown symbol in module,
 * or unknown parameter (see dmesg)", "Invalid module format", ...). */
const char *insert_strerror(int err);

#endif
