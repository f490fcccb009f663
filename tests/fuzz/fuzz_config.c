/* fuzz_config.c: the modprobe.d-style configuration parser (config_parse),
 * then every query over its result (config_query.c).
 *
 * fuzz-link: loader/lib/config.c loader/lib/config_query.c
 * fuzz-link: loader/lib/alias.c loader/lib/wildmatch.c loader/lib/log.c loader/lib/blob.c
 * fuzz-link: loader/lib/fmt.c loader/lib/readfile.c
 * fuzz-args: -max_len=20000 -dict=tests/fuzz/config.dict
 *
 * Besides the sanitizers, three checks (config_check.h for the third):
 *   - every logical line with a word in it (an independent model of the
 *     format: '\n' ends a line, a trailing '\' joins the next, '#' starts a
 *     comment, blanks are ' ', '\t' and '\r', any other byte is part of a word;
 *     a line too long or with a NUL outside a comment is refused) is either
 *     applied (one entry more in the result) or reported once ("install" and
 *     "remove" lines: either, or ignored); a line silently dropped or cut
 *     shows as a mismatch;
 *   - every warning has the form "fuzz.conf:LINE: ...", with LINE the first
 *     line of a logical line that has a word, and is not cut by the log's
 *     buffer;
 *   - the result's invariants, and the queries return everything. */
#include "config_check.h"

#include <stddef.h>
#include <stdint.h>

#define SRC "fuzz.conf"
#define MODEL_MAX_LINE 8191 /* config.c: longer logical lines are refused */

static unsigned nwarn, *warned, nwarned;
static size_t maxwarned;

static void sink(int prio, const char *msg)
{
	unsigned long line;
	char *end;

	if (strlen(msg) >= 511)
		FAIL("log message cut at %zu bytes: %.80s...", strlen(msg), msg);
	if (prio != LOG_W)
		FAIL("unexpected message priority %d: %s", prio, msg);
	if (strncmp(msg, SRC ":", strlen(SRC ":")))
		FAIL("warning does not start with '" SRC ":LINE:': %s", msg);
	line = strtoul(msg + strlen(SRC ":"), &end, 10);
	if (end == msg + strlen(SRC ":") || *end != ':')
		FAIL("warning has no line number: %s", msg);
	if (nwarned == maxwarned) {
		maxwarned = maxwarned ? 2 * maxwarned : 64;
		warned = realloc(warned, maxwarned * sizeof *warned);
		if (!warned)
			abort();
	}
	warned[nwarned++] = (unsigned)line;
	if (!strstr(msg, "not supported"))
		nwarn++;
}

struct model {
	unsigned lines, installs; /* logical lines with a word; install/remove lines */
	unsigned char *start;	  /* start[n]: line n starts a logical line with a word */
};

static int blank(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* One logical line [p, p+n) (continuations already removed). */
static void model_line(struct model *m, const unsigned char *p, size_t n, unsigned first)
{
	size_t i = 0, w;

	if (n > MODEL_MAX_LINE) { /* refused whole: one warning */
		m->lines++;
		m->start[first] = 1;
		return;
	}
	if (n && p[0] == '#') /* as kmod: a comment only there */
		return;
	for (size_t k = 0; k < n; k++) {
		if (p[k] == '\0') { /* a NUL outside a comment: refused whole */
			m->lines++;
			m->start[first] = 1;
			return;
		}
	}
	while (i < n && blank(p[i]))
		i++;
	if (i == n)
		return;
	m->lines++;
	m->start[first] = 1;
	for (w = i; w < n && !blank(p[w]); w++)
		;
	if (w - i == 7 && !memcmp(p + i, "weakdep", 7)) /* one entry per name, or none */
		m->installs++;
}

static void model(struct model *m, const uint8_t *data, size_t size, unsigned char *buf)
{
	size_t used = 0;
	unsigned lineno = 0, first = 1;

	for (size_t i = 0; i <= size; i++) {
		unsigned char ch = i < size ? data[i] : '\n';
		/* kmod: "\\\n" continues the line, "\\x" is x */
		if (ch == '\\' && i + 1 < size && (ch = data[++i]) == '\n') {
			lineno++;
			continue;
		}
		if (ch != '\n') {
			buf[used++] = ch;
			continue;
		}
		lineno++;
		model_line(m, buf, used, first);
		used = 0;
		first = lineno + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct model m = { 0, 0, calloc(size + 2, 1) };
	unsigned char *buf = malloc(size + 1);
	char *probe = malloc(size < 64 ? size + 1 : 65);
	unsigned entries;

	if (!m.start || !buf || !probe)
		abort();
	memcpy(probe, data, size < 64 ? size : 64);
	probe[size < 64 ? size : 64] = '\0';
	log_set_level(LOG_D);
	log_set_sink(sink);
	nwarn = nwarned = 0;
	memset(&c, 0, sizeof c);

	if (config_parse(&c, (const char *)data, size, SRC) == 0) {
		model(&m, data, size, buf);
		entries = c.noptions + c.nblacklist + c.nforbid + c.nload + c.nalias + c.nsoftdeps +
			  c.ncmds;
		if (c.warnings != nwarn)
			FAIL("%u warnings counted, %u said", c.warnings, nwarn);
		/* weakdep lines give any number of entries (m.installs counts them) */
		if (entries + c.warnings + m.installs < m.lines || entries + c.warnings > m.lines)
			FAIL("%u logical lines with words (%u install/remove), but %u entries and "
			     "%u "
			     "warnings",
			     m.lines, m.installs, entries, c.warnings);
		for (unsigned i = 0; i < nwarned; i++)
			if (warned[i] > size + 1 || !m.start[warned[i]])
				FAIL("warning for line %u, which starts no logical line with a "
				     "word",
				     warned[i]);
		check_config(&c, probe);
	}
	config_free(&c);
	free(m.start);
	free(buf);
	free(probe);
	return 0;
}
