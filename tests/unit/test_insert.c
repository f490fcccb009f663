/* test_insert.c: host test of insert.c's reading and decompression path.
 *
 * Needs no kernel: only module_read(), module_unmap(), insert_buf_free(),
 * insert_strerror() and the missing-file case of insert_module() are called,
 * so nothing is ever offered to the running kernel. run-insert prepares the
 * files in DIR (see there) and runs: test_insert DIR */
#include "insert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
static const char *dir;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static const char *in_dir(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* The whole file into a malloc'ed buffer (for comparing), or NULL. */
static char *slurp(const char *name, size_t *len)
{
	FILE *f = fopen(in_dir(name), "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		p = malloc((size_t)n);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return p;
}

/* module_read(name) must give exactly the bytes of the file plain. */
static void expect_bytes(const char *name, const char *plain, struct insert_buf *buf, int in_buf)
{
	const void *data = NULL;
	size_t len = 0, want_len = 0;
	char *want = slurp(plain, &want_len);
	char what[256];
	int err;

	err = module_read(in_dir(name), buf, &data, &len);
	snprintf(what, sizeof(what), "%s reads as %s (err %d, %zu bytes)", name, plain, err, len);
	check(want && err == 0 && len == want_len && memcmp(data, want, len) == 0, what);
	snprintf(what, sizeof(what), "%s data %s the buffer", name, in_buf ? "is in" : "is not in");
	check(err == 0 && (data == buf->data) == in_buf, what);
	if (err == 0)
		module_unmap(data, len, buf);
	free(want);
}

static void expect_error(const char *name, int want, struct insert_buf *buf)
{
	const void *data = NULL;
	size_t len = 0;
	char what[256];
	int err;

	err = module_read(in_dir(name), buf, &data, &len);
	snprintf(what, sizeof(what), "%s fails with %d (%s), got %d", name, want,
		 insert_strerror(want), err);
	check(err == want, what);
	if (err == 0)
		module_unmap(data, len, buf);
}

/* A frame header that claims 1 GiB of content: refused before any
 * allocation, whatever follows it. */
static void write_huge_frame(void)
{
	static const unsigned char frame[] = {
		0x28, 0xb5, 0x2f, 0xfd, /* magic */
		0xe0,			/* 8-byte content size, single segment */
		0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, /* 1 << 30 */
		0x01, 0x00, 0x00,				/* an empty last raw block */
	};
	int fd = open(in_dir("huge.ko.zst"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, frame, sizeof(frame)) != (ssize_t)sizeof(frame))
		check(0, "write huge.ko.zst");
	if (fd >= 0)
		close(fd);
}

static void test_strerror(void)
{
	check(strcmp(insert_strerror(-EEXIST), "Module already in kernel") == 0, "EEXIST words");
	check(strcmp(insert_strerror(-ENOEXEC), "Invalid module format") == 0, "ENOEXEC words");
	check(strstr(insert_strerror(-ESRCH), "Unknown symbol") != NULL, "ESRCH words");
	check(strstr(insert_strerror(-EFBIG), "content size") != NULL, "EFBIG words");
	check(strstr(insert_strerror(-EILSEQ), "decompression") != NULL, "EILSEQ words");
	check(strstr(insert_strerror(-EBADMSG), "signature") != NULL, "EBADMSG words");
	check(strcmp(insert_strerror(-ENOENT), "No such file or directory") == 0, "ENOENT words");
	check(insert_strerror(-EIO) != NULL && *insert_strerror(-EIO), "other errors have words");
}

int main(int argc, char **argv)
{
	struct insert_buf buf = { 0 };
	size_t cap;

	if (argc != 2) {
		fprintf(stderr, "usage: test_insert DIR\n");
		return 2;
	}
	dir = argv[1];
	write_huge_frame();

	expect_bytes("plain.ko", "plain.ko", &buf, 0);
	expect_bytes("small.ko.zst", "small.ko", &buf, 1);
	cap = buf.cap;
	expect_bytes("big.ko.zst", "big.ko", &buf, 1);
	check(buf.cap > cap, "buffer grew for the bigger module");
	cap = buf.cap;
	expect_bytes("small.ko.zst", "small.ko", &buf, 1);
	check(buf.cap == cap, "buffer not shrunk for the smaller module");
	expect_bytes("misnamed.ko", "small.ko", &buf, 1);

	expect_error("nosize.ko.zst", -EFBIG, &buf);
	expect_error("huge.ko.zst", -EFBIG, &buf);
	expect_error("corrupt.ko.zst", -EILSEQ, &buf);
	expect_error("truncated.ko.zst", -EILSEQ, &buf);
	expect_error("trailing.ko.zst", -EILSEQ, &buf);
	expect_error("badheader.ko.zst", -EILSEQ, &buf);
	expect_error("empty.ko", -ENOEXEC, &buf);
	expect_error("missing.ko", -ENOENT, &buf);
	expect_error("plain.ko.xz", -EOPNOTSUPP, &buf);
	check(insert_module(in_dir("missing.ko"), "", &buf) == -ENOENT,
	      "insert_module of a missing file is -ENOENT");

	/* After errors the buffer still decodes. */
	expect_bytes("big.ko.zst", "big.ko", &buf, 1);
	insert_buf_free(&buf);
	check(buf.data == NULL && buf.cap == 0, "insert_buf_free empties the buffer");
	expect_bytes("small.ko.zst", "small.ko", &buf, 1);
	insert_buf_free(&buf);

	test_strerror();
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
