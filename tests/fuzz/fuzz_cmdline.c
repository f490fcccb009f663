/* fuzz_cmdline.c: the kernel command line parser (config_parse_cmdline), then
 * every query over its result (config_query.c).
 *
 * fuzz-link: loader/lib/cmdline.c loader/lib/config.c loader/lib/config_query.c
 * fuzz-link: loader/lib/alias.c loader/lib/wildmatch.c loader/lib/log.c loader/lib/blob.c
 * fuzz-link: loader/lib/fmt.c loader/lib/readfile.c
 * fuzz-args: -max_len=12000 -dict=tests/fuzz/cmdline.dict
 *
 * The input is the command line (up to its first NUL, as /proc/cmdline
 * would be read). Besides the sanitizers: every warning starts with
 * "kernel command line: " and is not cut by the log's buffer; every module
 * option stored appears whole in the input as "MOD.OPTION" (MOD compared
 * with '-' and '_' alike), so nothing is cut; and config_check.h's checks. */
#include "config_check.h"

#include <stddef.h>
#include <stdint.h>

static void sink(int prio, const char *msg)
{
	if (strlen(msg) >= 511)
		FAIL("log message cut at %zu bytes: %.80s...", strlen(msg), msg);
	if (prio == LOG_W && strncmp(msg, "kernel command line: ", 21))
		FAIL("warning does not name the kernel command line: %s", msg);
}

/* Is "mod.opts" in text as a whole word (blank or the ends around it)? */
static int appears(const char *text, const char *mod, const char *opts)
{
	size_t ml = strlen(mod), ol = strlen(opts);

	for (const char *p = text; *p; p++) {
		size_t i = 0;
		if (p != text && !(p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n'))
			continue;
		while (i < ml && (p[i] == mod[i] || (p[i] == '-' && mod[i] == '_')))
			i++;
		if (i < ml || p[ml] != '.' || strncmp(p + ml + 1, opts, ol))
			continue;
		char after = p[ml + 1 + ol];
		if (!after || after == ' ' || after == '\t' || after == '\n' || opts[0] == '"' ||
		    strchr(opts, '"'))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	log_set_level(LOG_N);
	log_set_sink(sink);
	memset(&c, 0, sizeof c);
	if (config_parse_cmdline(&c, text) == 0) {
		for (unsigned i = 0; i < c.noptions; i++)
			if (!appears(text, c.options[i].mod, c.options[i].opts))
				FAIL("option '%s.%s' is not a word of the input", c.options[i].mod,
				     c.options[i].opts);
		check_config(&c, text);
	}
	config_free(&c);
	free(text);
	return 0;
}
