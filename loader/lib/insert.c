/* insert.c: put one module file into the running kernel.
 *
 * The file's first bytes, not its name, say what it is (kmod does the same):
 *   zstd magic   finit_module(MODULE_INIT_COMPRESSED_FILE) when
 *                /sys/module/compression says "zstd"; otherwise the file is
 *                mapped, decompressed into the caller's buffer in one call
 *                (the frame header must give the content size) and handed to
 *                init_module();
 *   xz, gzip     finit_module(MODULE_INIT_COMPRESSED_FILE) only: modload
 *                carries a zstd decoder and nothing else;
 *   anything else  finit_module(), or map + init_module() where the kernel
 *                lacks finit_module (ENOSYS).
 *
 * The kernel says ENOENT for an unknown symbol; it is passed on as -ESRCH so
 * that -ENOENT always means "no such module file". Nothing here prints or
 * exits: every function returns 0 or a negative errno. */
#include "insert.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zstd.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

/* Buffer sizes are rounded up to this, so that a run of similar modules
 * reuses one allocation instead of growing it a few bytes at a time. */
#define BUF_ROUND ((size_t)64 << 10)

enum format { FMT_ELF, FMT_ZSTD, FMT_XZ, FMT_GZIP };

/* One decompression context per thread, made on first use and kept: creating
 * one per module would allocate and free its ~100 KB of tables every time.
 * insert_buf_free() releases it together with the thread's buffer. */
static __thread ZSTD_DCtx *thread_dctx;

static enum format sniff(const unsigned char *p, size_t n)
{
	/* zstd, xz, gzip (enum format's order): each magic's length, then it */
	/* clang-format off */
	static const unsigned char magic[] = {
		4, 0x28, 0xb5, 0x2f, 0xfd,
		6, 0xfd, '7', 'z', 'X', 'Z', 0x00,
		2, 0x1f, 0x8b,
	};
	/* clang-format on */
	const unsigned char *m = magic;

	for (unsigned f = FMT_ZSTD; f <= FMT_GZIP; f++, m += 1 + m[0])
		if (n >= m[0] && !memcmp(p, m + 1, m[0]))
			return (enum format)f;
	return FMT_ELF;
}

/* Does the running kernel decompress this format itself? Kernels with module
 * decompression (5.17+) name their one format in /sys/module/compression.
 * Read every time: it is three syscalls, and /sys may be mounted late. */
static int kernel_decompresses(enum format fmt)
{
	char s[16];

	if (read_small(AT_FDCWD, "/sys/module/compression", s, sizeof s) <= 0)
		return 0;
	s[strcspn(s, "\n")] = '\0';
	/* the names it uses, in enum format's order */
	const char *name = "\0zstd\0xz\0gzip";
	for (unsigned i = fmt; i; i--)
		name += strlen(name) + 1;
	return strcmp(s, name) == 0;
}

/* A module system call, EINTR retried: 0, or the kernel's errno as modload
 * reports it (see the top of this file: ENOENT is -ESRCH). */
static int module_call(long nr, long a, long b, long c)
{
	long r;

	do
		r = syscall(nr, a, b, c);
	while (r < 0 && errno == EINTR);
	return r >= 0 ? 0 : errno == ENOENT ? -ESRCH : -errno;
}

static int sys_finit_module(int fd, const char *params, int flags)
{
#ifdef SYS_finit_module
	return module_call(SYS_finit_module, fd, (long)params, flags);
#else
	(void)fd, (void)params, (void)flags;
	return -ENOSYS;
#endif
}

static int sys_init_module(const void *image, size_t len, const char *params)
{
	return module_call(SYS_init_module, (long)image, (long)len, (long)params);
}

static int open_module(const char *path)
{
	int fd;

	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

/* What the open file is, from its first bytes. */
static int sniff_fd(int fd, enum format *fmt)
{
	unsigned char magic[6];
	ssize_t n;

	do
		n = pread(fd, magic, sizeof(magic), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*fmt = sniff(magic, (size_t)n);
	return 0;
}

/* Map a whole regular file read-only; release with munmap(*map, *len). */
static int map_file(int fd, const void **map, size_t *len)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		return -ENOEXEC;
	if ((uint64_t)st.st_size > INSERT_MAX_MODULE)
		return -EFBIG;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*map = p;
	*len = (size_t)st.st_size;
	return 0;
}

/* Make buf hold at least need bytes. The old contents are not kept, so the
 * old block is freed before the new one is taken (no realloc copy, lower peak
 * memory); on failure buf is left empty but valid. Never shrinks. */
static int buf_reserve(struct insert_buf *buf, size_t need)
{
	size_t cap;

	if (buf->data && need <= buf->cap)
		return 0;
	cap = (need + BUF_ROUND) & ~(BUF_ROUND - 1);
	free(buf->data);
	buf->data = malloc(cap);
	buf->cap = buf->data ? cap : 0;
	return buf->data ? 0 : -ENOMEM;
}

/* Decompress the single zstd frame [src, src+srclen) into buf. The size is
 * taken from the frame header before anything is allocated: a frame without
 * it, or one claiming more than INSERT_MAX_MODULE, is refused (-EFBIG);
 * undecodable data, a checksum error or a size mismatch is -EILSEQ (not
 * -EBADMSG, which the kernel uses for a malformed signature). No dictionary:
 * ZSTD_decompress_usingDict with none lets link-time optimisation drop the
 * decoder's dictionary paths, which ZSTD_decompressDCtx keeps reachable
 * (0.6-0.9 KB); the result is the same, as no dictionary is ever loaded. */
static int zstd_decode(const void *src, size_t srclen, struct insert_buf *buf, size_t *len)
{
	unsigned long long size;
	size_t got;
	int err;

	size = ZSTD_getFrameContentSize(src, srclen);
	if (size == ZSTD_CONTENTSIZE_ERROR)
		return -EILSEQ;
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size > INSERT_MAX_MODULE)
		return -EFBIG;
	err = buf_reserve(buf, (size_t)size);
	if (err)
		return err;
	if (!thread_dctx)
		thread_dctx = ZSTD_createDCtx();
	if (!thread_dctx)
		return -ENOMEM;
	got = ZSTD_decompress_usingDict(thread_dctx, buf->data, (size_t)size, src, srclen, NULL, 0);
	if (ZSTD_isError(got) || got != size)
		return -EILSEQ;
	*len = got;
	return 0;
}

/* Map the open file whole, decompressed into buf when it is zstd: *data
 * and *len, for module_unmap to release. */
static int map_module(int fd, struct insert_buf *buf, const void **data, size_t *len)
{
	const void *map = NULL;
	size_t maplen = 0;
	int err = map_file(fd, &map, &maplen);

	if (err)
		return err;
	switch (sniff(map, maplen)) {
	case FMT_ELF:
		*data = map;
		*len = maplen;
		return 0;
	case FMT_ZSTD:
		err = buf ? zstd_decode(map, maplen, buf, len) : -EINVAL;
		if (!err)
			*data = buf->data;
		break;
	default: err = -EOPNOTSUPP; break;
	}
	munmap((void *)map, maplen);
	return err;
}

/* The module's bytes (decompressed here) to init_module. */
static int insert_bytes(int fd, const char *params, struct insert_buf *buf)
{
	const void *data;
	size_t len;
	int err = map_module(fd, buf, &data, &len);

	if (err)
		return err;
	err = sys_init_module(data, len, params);
	module_unmap(data, len, buf);
	return err;
}

static int insert_elf(int fd, const char *params, struct insert_buf *buf)
{
	int err = sys_finit_module(fd, params, 0);

	/* No finit_module (before Linux 3.8, or filtered): pass the bytes. */
	return err == -ENOSYS ? insert_bytes(fd, params, buf) : err;
}

static int insert_zstd(int fd, const char *params, struct insert_buf *buf)
{
	if (kernel_decompresses(FMT_ZSTD))
		return sys_finit_module(fd, params, MODULE_INIT_COMPRESSED_FILE);
	return insert_bytes(fd, params, buf);
}

/* xz and gzip: only the kernel can decompress these. Kernels without module
 * decompression say EOPNOTSUPP (6.1+), EINVAL (older: unknown flag; or built
 * for another format) or ENOSYS; all of those become -EOPNOTSUPP. */
static int insert_kernel_compressed(int fd, const char *params, enum format fmt)
{
	int err;

	err = sys_finit_module(fd, params, MODULE_INIT_COMPRESSED_FILE);
	if (err == -ENOSYS || (err == -EINVAL && !kernel_decompresses(fmt)))
		return -EOPNOTSUPP;
	return err;
}

static int insert_fd(int fd, const char *params, struct insert_buf *buf)
{
	enum format fmt = FMT_ELF;
	int err;

	err = sniff_fd(fd, &fmt);
	if (err)
		return err;
	if (fmt == FMT_ELF)
		return insert_elf(fd, params, buf);
	if (fmt == FMT_ZSTD)
		return insert_zstd(fd, params, buf);
	return insert_kernel_compressed(fd, params, fmt);
}

int insert_module(const char *path, const char *params, struct insert_buf *buf)
{
	int fd, err;

	fd = open_module(path);
	if (fd < 0)
		return fd;
	err = insert_fd(fd, params ? params : "", buf);
	close(fd);
	return err;
}

int module_read(const char *path, struct insert_buf *buf, const void **data, size_t *len)
{
	int fd = open_module(path), err;

	if (fd < 0)
		return fd;
	err = map_module(fd, buf, data, len);
	close(fd); /* the mapping outlives the descriptor */
	return err;
}

void module_unmap(const void *data, size_t len, const struct insert_buf *buf)
{
	/* Decompressed bytes live in buf and stay there for the next module. */
	if (!data || (buf && data == buf->data))
		return;
	munmap((void *)data, len);
}

void insert_buf_free(struct insert_buf *buf)
{
	if (buf) {
		free(buf->data);
		buf->data = NULL;
		buf->cap = 0;
	}
	ZSTD_freeDCtx(thread_dctx);
	thread_dctx = NULL;
}

/* The insert's own words for a negative errno, where they are not
 * strerror's (one string, as rt/strerror.c keeps its table); ENOENT, EPERM
 * and EKEYREJECTED, like any other errno, have strerror's, which are the
 * words kmod shows. */
#define INSERT_ERRORS(X)                                                       \
	X(ENOEXEC, "Invalid module format")                                    \
	X(EEXIST, "Module already in kernel")                                  \
	X(ESRCH, "Unknown symbol in module, or unknown parameter (see dmesg)") \
	X(EINVAL, "Invalid parameters")                                        \
	X(ENOKEY, "Module signature verification failed")                      \
	X(EILSEQ, "corrupt compressed file (zstd decompression failed)")       \
	X(EBADMSG, "Malformed module signature or ELF data")                   \
	X(EFBIG, "module too large or its zstd frame has no content size")     \
	X(EOPNOTSUPP, "compressed module the kernel cannot decompress "        \
		      "(modload decompresses only zstd)")
#define ERRNO_OF(e, s) e,
#define TEXT_OF(e, s) s "\0"

const char *insert_strerror(int err)
{
	static const unsigned char numbers[] = { INSERT_ERRORS(ERRNO_OF) };
	const char *s = INSERT_ERRORS(TEXT_OF);

	for (size_t i = 0; i < sizeof numbers; i++, s += strlen(s) + 1)
		if (numbers[i] == -err)
			return s;
	return strerror(err < 0 ? -err : err);
}
