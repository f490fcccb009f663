/* modtree_read.c: module files into memory, decompressed by suffix.
 *
 * Plain .ko files are mapped, not read: the packer only looks at the ELF
 * headers and .modinfo of each, so a whole Debian tree (~400 MB) costs a few
 * page faults per module. Compressed files are mapped and inflated into a
 * growing malloc'ed buffer; each decoder accepts concatenated frames or
 * streams, as the compressors' own tools do. */
#include "modtree_int.h"

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "log.h"

/* Output of a decoder: grows by doubling up to MT_MAX_MODULE. */
struct growbuf {
	unsigned char *p;
	size_t len, cap;
};

/* Make sure at least some room is free after len; -EFBIG past the limit. */
static int grow(struct growbuf *g, size_t hint)
{
	size_t cap;
	void *p;

	if (g->len < g->cap)
		return 0;
	if (g->cap >= MT_MAX_MODULE)
		return -EFBIG;
	cap = g->cap ? g->cap * 2 : (hint < 4096 ? 4096 : hint);
	if (cap > MT_MAX_MODULE)
		cap = MT_MAX_MODULE;
	p = realloc(g->p, cap);
	if (!p)
		return -ENOMEM;
	g->p = p;
	g->cap = cap;
	return 0;
}

static int unzstd(const char *path, const void *src, size_t srclen, struct growbuf *g)
{
	ZSTD_inBuffer in = { src, srclen, 0 };
	unsigned long long csize = ZSTD_getFrameContentSize(src, srclen);
	ZSTD_DCtx *d = ZSTD_createDCtx();
	size_t ret = 1;
	int err = 0;

	if (!d)
		return -ENOMEM;
	/* With the content size known, one allocation (+1 byte so the decoder is
	 * never output-limited at the very end) is usually all it takes. */
	if (csize < MT_MAX_MODULE)
		err = grow(g, (size_t)csize + 1);
	for (;;) {
		ZSTD_outBuffer out;

		err = err ? err : grow(g, srclen * 4);
		if (err)
			break;
		out = (ZSTD_outBuffer){ g->p + g->len, g->cap - g->len, 0 };
		ret = ZSTD_decompressStream(d, &out, &in);
		if (ZSTD_isError(ret)) {
			log_warn("%s: zstd: %s", path, ZSTD_getErrorName(ret));
			err = -EBADMSG;
			break;
		}
		g->len += out.pos;
		/* All input consumed and room left over: nothing more will come. */
		if (in.pos == in.size && out.pos < out.size)
			break;
	}
	ZSTD_freeDCtx(d);
	if (!err && ret != 0) {
		log_warn("%s: zstd: truncated frame", path);
		err = -EBADMSG;
	}
	return err;
}

static int unxz(const char *path, const void *src, size_t srclen, struct growbuf *g)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;
	int err = 0;

	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return -ENOMEM;
	s.next_in = src;
	s.avail_in = srclen;
	for (;;) {
		size_t room;

		err = grow(g, srclen * 4);
		if (err)
			break;
		room = g->cap - g->len;
		s.next_out = g->p + g->len;
		s.avail_out = room;
		/* All input is present from the start, so FINISH right away. */
		r = lzma_code(&s, LZMA_FINISH);
		g->len += room - s.avail_out;
		if (r == LZMA_STREAM_END)
			break;
		if (r == LZMA_MEM_ERROR) {
			err = -ENOMEM; /* reported by the caller */
			break;
		}
		if (r != LZMA_OK) {
			log_warn("%s: xz: %s", path,
				 r == LZMA_BUF_ERROR ? "truncated stream" : "corrupt data");
			err = -EBADMSG;
			break;
		}
	}
	lzma_end(&s);
	return err;
}

static int ungz(const char *path, const void *src, size_t srclen, struct growbuf *g)
{
	z_stream z;
	int r, err = 0;

	if (srclen > UINT32_MAX)
		return -EFBIG;
	memset(&z, 0, sizeof z);
	/* 15 + 32: full window, gzip or zlib header detected automatically. */
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return -ENOMEM;
	z.next_in = (unsigned char *)src;
	z.avail_in = (unsigned)srclen;
	for (;;) {
		size_t room;

		err = grow(g, srclen * 4);
		if (err)
			break;
		room = g->cap - g->len;
		if (room > UINT32_MAX)
			room = UINT32_MAX;
		z.next_out = g->p + g->len;
		z.avail_out = (unsigned)room;
		r = inflate(&z, Z_NO_FLUSH);
		g->len += room - z.avail_out;
		if (r == Z_STREAM_END) {
			/* Another gzip member follows (as `cat a.gz b.gz`). */
			if (z.avail_in > 0 && z.next_in[0] == 0x1f && inflateReset(&z) == Z_OK)
				continue;
			break;
		}
		/* Z_BUF_ERROR with the output full only means "grow and go on". */
		if (r == Z_OK || (r == Z_BUF_ERROR && z.avail_out == 0))
			continue;
		if (r == Z_MEM_ERROR) {
			err = -ENOMEM; /* reported by the caller */
			break;
		}
		log_warn("%s: gzip: %s", path,
			 r == Z_BUF_ERROR ? "truncated stream"
			 : z.msg	  ? z.msg
					  : "corrupt data");
		err = -EBADMSG;
		break;
	}
	inflateEnd(&z);
	return err;
}

/* Map a regular file read-only; an empty file gives data NULL, len 0. */
static int map_file(const char *path, void **data, size_t *len)
{
	struct stat st;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = -EINVAL;
	else if ((uint64_t)st.st_size > SIZE_MAX)
		err = -EFBIG;
	*data = NULL;
	*len = err ? 0 : (size_t)st.st_size;
	if (!err && *len > 0) {
		*data = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (*data == MAP_FAILED) {
			err = -errno;
			*data = NULL;
		}
	}
	close(fd);
	return err;
}

typedef int (*decoder)(const char *, const void *, size_t, struct growbuf *);

static decoder decoder_for(const char *path)
{
	size_t n = strlen(path), c = mt_compress_suffix(path, n);

	if (c == 0)
		return NULL;
	if (strcmp(path + n - c, ".zst") == 0)
		return unzstd;
	if (strcmp(path + n - c, ".xz") == 0)
		return unxz;
	return ungz;
}

int mt_blob_open(const char *path, struct mt_blob *b)
{
	decoder dec = decoder_for(path);
	struct growbuf g = { 0 };
	void *src;
	size_t srclen;
	int err;

	memset(b, 0, sizeof *b);
	err = map_file(path, &src, &srclen);
	if (err) {
		log_warn("%s: %s", path, strerror(-err));
		return err;
	}
	if (!dec) {
		b->data = src;
		b->len = srclen;
		b->mapped = src != NULL;
		return 0;
	}
	err = dec(path, src, srclen, &g);
	if (src)
		munmap(src, srclen);
	if (err) {
		if (err == -EFBIG || err == -ENOMEM)
			log_warn("%s: %s", path, strerror(-err));
		free(g.p);
		return err;
	}
	b->data = g.p;
	b->len = g.len;
	return 0;
}

void mt_blob_close(struct mt_blob *b)
{
	if (b->mapped)
		munmap(b->data, b->len);
	else
		free(b->data);
	memset(b, 0, sizeof *b);
}

int modtree_read_module(const char *path, void **data, size_t *len)
{
	struct mt_blob b;
	int err = mt_blob_open(path, &b);

	if (err)
		return err;
	if (!b.mapped) {
		*data = b.data;
		*len = b.len;
		return 0;
	}
	/* The caller owns and frees the result: copy the mapping out. */
	*data = malloc(b.len);
	if (!*data) {
		mt_blob_close(&b);
		log_warn("%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	memcpy(*data, b.data, b.len);
	*len = b.len;
	mt_blob_close(&b);
	return 0;
}

int mt_slurp(const char *path, char **buf, size_t *len)
{
	void *src;
	size_t n;
	int err = map_file(path, &src, &n);

	if (err)
		return err;
	*buf = malloc(n + 1);
	if (*buf) {
		if (n)
			memcpy(*buf, src, n);
		(*buf)[n] = '\0';
		*len = n;
	}
	if (src)
		munmap(src, n);
	return *buf ? 0 : -ENOMEM;
}
