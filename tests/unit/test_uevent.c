/* test_uevent.c: uevent_parse() on real-looking messages, and on random
 * bytes (each buffer allocated to its exact size so ASan sees any overrun). */
#include "uevent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

#define CHECK(cond, ...)                          \
	do {                                      \
		checks++;                         \
		if (!(cond) && failures++ < 20) { \
			printf("FAIL: ");         \
			printf(__VA_ARGS__);      \
			printf("\n");             \
		}                                 \
	} while (0)

static void parse_copy(const char *msg, size_t len, struct uevent *ev, char **keep)
{
	char *buf = malloc(len + 1);
	memcpy(buf, msg, len);
	buf[len] = '\0';
	uevent_parse(buf, len, ev);
	*keep = buf;
}

int main(void)
{
	static const char msg[] =
		"add@/devices/pci0000:00/0000:00:02.0\0ACTION=add\0"
		"DEVPATH=/devices/pci0000:00/0000:00:02.0\0SUBSYSTEM=pci\0"
		"MODALIAS=pci:v00008086d000010D3sv00008086sd00000000bc02sc00i00\0SEQNUM=7";
	struct uevent ev;
	char *buf;

	parse_copy(msg, sizeof msg - 1, &ev, &buf);
	CHECK(ev.action && !strcmp(ev.action, "add"), "ACTION");
	CHECK(ev.subsystem && !strcmp(ev.subsystem, "pci"), "SUBSYSTEM");
	CHECK(ev.modalias && !strncmp(ev.modalias, "pci:v00008086", 13), "MODALIAS");
	CHECK(!ev.devname, "no DEVNAME");
	free(buf);

	parse_copy("remove@/x", 9, &ev, &buf); /* no variables at all */
	CHECK(!ev.action && !ev.modalias, "header only");
	free(buf);

	srand(20261125);
	for (int i = 0; i < 200000; i++) {
		char raw[64];
		size_t len = (size_t)rand() % sizeof raw;
		for (size_t k = 0; k < len; k++) {
			int r = rand() % 8;
			raw[k] = r == 0 ? '\0' : r == 1 ? '=' : "MODALIAS"[rand() % 8];
		}
		parse_copy(raw, len, &ev, &buf);
		CHECK(!ev.modalias || (ev.modalias > buf && ev.modalias <= buf + len),
		      "pointer in range");
		free(buf);
	}
	printf("test_uevent: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
