/* modtree_write.c: write a module as .ko.zst for the image.
 *
 * The frame records its content size because the loader sizes its one
 * decompression buffer from it (and refuses frames without it), and a
 * checksum so a damaged image fails loudly instead of feeding the kernel
 * garbage. The file is written under a temporary name and renamed, so an
 * interrupted packer never leaves a half-written module behind. */
#include "modtree_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "log.h"

static int compress_zst(const void *data, size_t len, int level, void **out, size_t *outlen)
{
	size_t bound = ZSTD_compressBound(len), r;
	ZSTD_CCtx *c;
	int err = 0;

	if (ZSTD_isError(bound))
		return -EFBIG;
	*out = malloc(bound ? bound : 1);
	c = ZSTD_createCCtx();
	if (!*out || !c) {
		err = -ENOMEM;
		goto out;
	}
	if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1))) {
		err = -EINVAL;
		goto out;
	}
	r = ZSTD_compress2(c, *out, bound, data, len);
	if (ZSTD_isError(r))
		err = -EIO;
	else
		*outlen = r;
out:
	ZSTD_freeCCtx(c);
	if (err) {
		free(*out);
		*out = NULL;
	}
	return err;
}

/* mkdir -p of everything before the last '/' in path. */
static int mkdir_parents(const char *path)
{
	char *dir = strdup(path), *p;
	int err = 0;

	if (!dir)
		return -ENOMEM;
	for (p = dir + 1; *p && !err; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			err = -errno;
		*p = '/';
	}
	free(dir);
	return err;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write buf to a fresh temporary next to path, then rename it over path. */
static int write_atomic(const char *path, const void *buf, size_t len)
{
	char *tmp;
	int fd, err;

	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	err = fchmod(fd, 0644) < 0 ? -errno : 0;
	if (!err)
		err = write_all(fd, buf, len);
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

int modtree_write_zst(const char *path, const void *data, size_t len, int level)
{
	void *z = NULL;
	size_t zlen = 0;
	int err;

	err = compress_zst(data, len, level, &z, &zlen);
	if (err) {
		log_err("%s: cannot compress: %s", path, strerror(-err));
		return err;
	}
	err = mkdir_parents(path);
	if (!err)
		err = write_atomic(path, z, zlen);
	if (err)
		log_err("%s: cannot write: %s", path, strerror(-err));
	free(z);
	return err;
}
