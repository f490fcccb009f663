/* fuzz_uevent.c: the netlink uevent parser (uevent_parse).
 *
 * fuzz-link: loader/lib/uevent.c
 *
 * The input is one message as uevent_read() hands it over: copied into a
 * buffer of exactly its length plus the terminating NUL uevent_read adds.
 * Besides the sanitizers: every field found points into the message, just
 * after its "KEY=" at the start of a NUL-separated variable (never into the
 * "ACTION@DEVPATH" header), and is NUL-terminated inside the buffer. */
#include "uevent.h"
#include "fuzz_check.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(const char *buf, size_t len, const char *field, const char *key)
{
	size_t klen = strlen(key), off;

	if (!field)
		return;
	if (field < buf + klen || field > buf + len)
		FAIL("%s points outside the message", key);
	off = (size_t)(field - buf) - klen;
	if (memcmp(buf + off, key, klen))
		FAIL("%s does not follow its key", key);
	if (off == 0 || buf[off - 1] != '\0')
		FAIL("%s is not at the start of a variable (offset %zu)", key, off);
	if (off < strlen(buf) + 1)
		FAIL("%s found inside the header", key);
	if (!memchr(field, '\0', (size_t)(buf + len + 1 - field)))
		FAIL("%s runs past the buffer", key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uevent ev;
	char *buf;

	if (size >= UEVENT_BUF)
		return 0; /* uevent_read never hands over more */
	buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	uevent_parse(buf, size, &ev);
	check(buf, size, ev.action, "ACTION=");
	check(buf, size, ev.devpath, "DEVPATH=");
	check(buf, size, ev.modalias, "MODALIAS=");
	check(buf, size, ev.devname, "DEVNAME=");
	check(buf, size, ev.subsystem, "SUBSYSTEM=");
	free(buf);
	return 0;
}
