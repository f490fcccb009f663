/* test_config.c: unit tests of the configuration file and kernel command
 * line parsers (loader/lib/config.c, cmdline.c, config_query.c).
 *
 * Log output goes to stderr when /dev/kmsg logging is off (the default), so
 * each case captures fd 2 into a temporary file and checks the warnings by
 * text ("src:line: ..."). Every check prints one FAIL line with the input,
 * the expected and the actual value; the exit status is the number of
 * failed checks (capped at 100), 0 when all pass. */
#include "config.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* --- stderr capture ---------------------------------------------------- */
static int saved_err = -1;
static FILE *capf;
static char captured[65536];

static void cap_begin(void)
{
	fflush(stderr);
	capf = tmpfile();
	if (!capf) {
		perror("tmpfile");
		exit(100);
	}
	saved_err = dup(2);
	dup2(fileno(capf), 2);
}

/* Stop capturing; returns the captured text (also kept in `captured`). */
static const char *cap_end(void)
{
	size_t n;
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	rewind(capf);
	n = fread(captured, 1, sizeof captured - 1, capf);
	captured[n] = '\0';
	fclose(capf);
	return captured;
}

static int count_lines_with(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int count_lines(const char *text)
{
	int n = 0;
	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* Parse text as a file named src, capturing the log. */
static const char *parse(struct config *c, const char *text, const char *src)
{
	int err;
	cap_begin();
	err = config_parse(c, text, strlen(text), src);
	cap_end();
	CHECK(err == 0, "config_parse returned %d for:\n%s", err, text);
	return captured;
}

static const char *parse_cmdline(struct config *c, const char *line)
{
	int err;
	cap_begin();
	err = config_parse_cmdline(c, line);
	cap_end();
	CHECK(err == 0, "config_parse_cmdline returned %d for: %s", err, line);
	return captured;
}

static const char *opts_of(const struct config *c, const char *mod, const char *alias)
{
	static char *last;
	free(last);
	if (config_options(c, mod, alias, &last) < 0) {
		printf("FAIL: config_options: out of memory\n");
		exit(100);
	}
	return last;
}

static int has(char *const *list, unsigned n, const char *s)
{
	return config_has(list, n, s);
}

static char *joinlist(char *const *v, unsigned n)
{
	static char buf[4096];
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && used < sizeof buf; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "", v[i]);
	return buf;
}

/* --- cases -------------------------------------------------------------- */

static void t_keywords(void)
{
	struct config c = { 0 };
	const char *log;
	const struct cfg_softdep *sd;

	tcase = "keywords";
	log = parse(&c,
		    "options snd-hda-intel index=1 model=auto\n"
		    "blacklist pcspkr\n"
		    "forbid floppy\n"
		    "alias my-net e1000e\n"
		    "alias pci:v00008086d*sv*sd*bc02sc00i* e1000e\n"
		    "softdep ext4 pre: crc32c crc16 post: jbd2\n"
		    "load dm-mod\n",
		    "k.conf");
	CHECK(log[0] == '\0', "no warnings expected, got: %s", log);
	CHECK(c.warnings == 0, "warnings=%u, expected 0", c.warnings);
	CHECK(c.noptions == 1, "noptions=%u, expected 1", c.noptions);
	if (c.noptions >= 1) {
		CHECK(!strcmp(c.options[0].mod, "snd_hda_intel"),
		      "options mod '%s', expected snd_hda_intel", c.options[0].mod);
		CHECK(!strcmp(c.options[0].opts, "index=1 model=auto"), "options text '%s'",
		      c.options[0].opts);
	}
	CHECK(c.nblacklist == 1 && has(c.blacklist, c.nblacklist, "pcspkr"), "blacklist: %s",
	      joinlist(c.blacklist, c.nblacklist));
	CHECK(c.nforbid == 1 && has(c.forbid, c.nforbid, "floppy"), "forbid: %s",
	      joinlist(c.forbid, c.nforbid));
	CHECK(c.nload == 1 && has(c.load, c.nload, "dm_mod"),
	      "load: '%s', expected dm_mod (normalised)", joinlist(c.load, c.nload));
	CHECK(c.nalias == 2, "nalias=%u, expected 2", c.nalias);
	if (c.nalias == 2) {
		CHECK(!strcmp(c.alias_pat[0], "my_net"), "alias pattern '%s', expected my_net",
		      c.alias_pat[0]);
		CHECK(!strcmp(c.alias_mod[0], "e1000e"), "alias module '%s'", c.alias_mod[0]);
		CHECK(!strcmp(c.alias_pat[1], "pci:v00008086d*sv*sd*bc02sc00i*"),
		      "alias pattern '%s'", c.alias_pat[1]);
	}
	sd = config_softdep(&c, "ext4");
	CHECK(sd != NULL, "no softdep for ext4");
	if (sd) {
		CHECK(sd->npre == 2 && !strcmp(sd->pre[0], "crc32c") &&
			      !strcmp(sd->pre[1], "crc16"),
		      "softdep pre: '%s', expected crc32c,crc16", joinlist(sd->pre, sd->npre));
		CHECK(sd->npost == 1 && !strcmp(sd->post[0], "jbd2"), "softdep post: '%s'",
		      joinlist(sd->post, sd->npost));
	}
	CHECK(config_softdep(&c, "xfs") == NULL, "softdep for xfs where none was given");
	/* options given for an alias apply to the module it names */
	CHECK(!strcmp(opts_of(&c, "e1000e", "snd_hda_intel"), "index=1 model=auto"),
	      "options via alias: '%s'", opts_of(&c, "e1000e", "snd_hda_intel"));
	CHECK(!strcmp(opts_of(&c, "e1000e", NULL), ""), "options for e1000e: '%s', expected none",
	      opts_of(&c, "e1000e", NULL));
	config_free(&c);

	/* softdep with only post:, and post: before pre: */
	memset(&c, 0, sizeof c);
	log = parse(&c, "softdep a post: b\nsoftdep c post: d pre: e\n", "k2.conf");
	CHECK(log[0] == '\0', "no warnings expected, got: %s", log);
	sd = config_softdep(&c, "a");
	CHECK(sd && sd->npre == 0 && sd->npost == 1, "softdep a: pre %u post %u",
	      sd ? sd->npre : 99, sd ? sd->npost : 99);
	sd = config_softdep(&c, "c");
	CHECK(sd && sd->npre == 1 && !strcmp(sd->pre[0], "e") && sd->npost == 1 &&
		      !strcmp(sd->post[0], "d"),
	      "softdep c post: d pre: e parsed as pre '%s' post '%s'",
	      sd ? joinlist(sd->pre, sd->npre) : "-", sd ? joinlist(sd->post, sd->npost) : "-");
	config_free(&c);
}

static void t_bad_arity(void)
{
	struct config c = { 0 };
	const char *log;
	tcase = "arity";
	log = parse(&c,
		    "options foo\n"	    /* 1: no parameter */
		    "blacklist\n"	    /* 2 */
		    "blacklist\t\n"	    /* 3 */
		    "forbid\n"		    /* 4 */
		    "load\n"		    /* 5 */
		    "alias onlypattern\n"   /* 6 */
		    "alias pci:[ab foo\n"   /* 7: unmatched bracket */
		    "softdep foo\n"	    /* 8 */
		    "softdep foo bar baz\n" /* 9: no pre:/post: */
		    "blacklist good\n",	    /* 10 */
		    "a.conf");
	for (int l = 1; l <= 9; l++) {
		char want[32];
		snprintf(want, sizeof want, "a.conf:%d: ", l);
		CHECK(strstr(log, want), "no warning naming '%s' in:\n%s", want, log);
	}
	CHECK(!strstr(log, "a.conf:10:"), "warning for the good line 10:\n%s", log);
	CHECK(c.warnings == 9, "warnings=%u, expected 9", c.warnings);
	CHECK(c.nblacklist == 1 && has(c.blacklist, c.nblacklist, "good"),
	      "blacklist: '%s', expected good", joinlist(c.blacklist, c.nblacklist));
	CHECK(c.nalias == 0, "nalias=%u after bad alias lines", c.nalias);
	CHECK(c.nforbid == 0 && c.nload == 0 && c.noptions == 0, "forbid %u load %u options %u",
	      c.nforbid, c.nload, c.noptions);
	CHECK(strstr(log, "unmatched bracket"), "bracket warning does not say why:\n%s", log);
	config_free(&c);

	/* An ignored softdep line must not replace an earlier good one. */
	tcase = "softdep-bad-line";
	memset(&c, 0, sizeof c);
	log = parse(&c, "softdep foo pre: a\nsoftdep foo bar\n", "s.conf");
	CHECK(strstr(log, "s.conf:2:"), "no warning for s.conf:2:\n%s", log);
	{
		const struct cfg_softdep *sd = config_softdep(&c, "foo");
		CHECK(sd && sd->npre == 1 && !strcmp(sd->pre[0], "a"),
		      "input 'softdep foo pre: a\\nsoftdep foo bar': line 2 is reported as "
		      "ignored, so "
		      "softdep(foo) should be pre: a; got pre '%s' post '%s' (nsoftdeps=%u)",
		      sd ? joinlist(sd->pre, sd->npre) : "(none)",
		      sd ? joinlist(sd->post, sd->npost) : "", c.nsoftdeps);
	}
	config_free(&c);
}

static void t_comments(void)
{
	struct config c = { 0 };
	const char *log;
	tcase = "comments";
	/* As kmod: '#' is a comment only as a line's first character. */
	log = parse(&c,
		    "# a comment\n"
		    "\n"
		    "   \t \n"
		    "blacklist a # trailing comment\n"
		    "options b x=1 #y=2\n"
		    "#blacklist c\n"
		    "\tblacklist\td\t\r\n" /* tabs, CRLF */
		    "blacklist e",	   /* no final newline */
		    "c.conf");
	CHECK(log[0] == '\0', "no warnings expected, got: %s", log);
	CHECK(c.nblacklist == 3 && has(c.blacklist, 3, "a") && has(c.blacklist, 3, "d") &&
		      has(c.blacklist, 3, "e"),
	      "blacklist '%s', expected a,d,e", joinlist(c.blacklist, c.nblacklist));
	CHECK(!strcmp(opts_of(&c, "b", NULL), "x=1 #y=2"), "options b '%s', expected 'x=1 #y=2'",
	      opts_of(&c, "b", NULL));
	log = parse(&c, "   # indented\n", "i.conf");
	CHECK(strstr(log, "i.conf:1: #: unknown keyword"), "indented '#' is a bad line: %s", log);
	config_free(&c);

	/* Empty text and a text of only newlines. */
	memset(&c, 0, sizeof c);
	log = parse(&c, "", "e.conf");
	CHECK(log[0] == '\0' && c.warnings == 0, "empty text: '%s'", log);
	log = parse(&c, "\n\n\n", "e.conf");
	CHECK(log[0] == '\0' && c.warnings == 0, "blank text: '%s'", log);
	config_free(&c);
}

static void t_continuation(void)
{
	struct config c = { 0 };
	const char *log;
	tcase = "continuation";
	log = parse(&c,
		    "blacklist a\n"	   /* 1 */
		    "options foo x=1 \\\n" /* 2 */
		    "   y=2 \\\n"	   /* 3 */
		    "z=3\n"		   /* 4 */
		    "bogus word\n"	   /* 5: unknown keyword */
		    "softdep m \\\n"	   /* 6 */
		    "  pre: p1\\\n"	   /* 7: no blank before the backslash */
		    "p2\n"		   /* 8 */
		    "frobnicate\n"	   /* 9 */
		    "options bar \\\n"	   /* 10: continued bad line (no parameter) */
		    "\n"		   /* 11 */
		    "blacklist b\n",	   /* 12 */
		    "k.conf");
	/* As kmod: the backslash and newline go, nothing takes their place. */
	CHECK(!strcmp(opts_of(&c, "foo", NULL), "x=1    y=2 z=3"),
	      "continued options: '%s', expected 'x=1    y=2 z=3'", opts_of(&c, "foo", NULL));
	CHECK(strstr(log, "k.conf:5: bogus: unknown keyword"),
	      "after a 3-line continuation (lines 2-4) the bad line 5 must be named k.conf:5; "
	      "log:\n%s",
	      log);
	CHECK(strstr(log, "k.conf:9: frobnicate"),
	      "bad line 9 after a continuation (6-8) not named k.conf:9:\n%s", log);
	CHECK(strstr(log, "k.conf:10: options"),
	      "continued bad line 10-11 not named by its first line k.conf:10:\n%s", log);
	CHECK(count_lines(log) == 3, "expected 3 warning lines, got:\n%s", log);
	{
		const struct cfg_softdep *sd = config_softdep(&c, "m");
		/* "p1\" joins "p2" with nothing between, as kmod does */
		CHECK(sd && sd->npre == 1, "softdep m pre: '%s', expected p1p2",
		      sd ? joinlist(sd->pre, sd->npre) : "-");
	}
	CHECK(c.nblacklist == 2 && has(c.blacklist, 2, "b"), "blacklist '%s', expected a,b",
	      joinlist(c.blacklist, c.nblacklist));
	config_free(&c);

	/* A comment line inside a continuation does not swallow the next line's
	 * number; a '#' inside the continued text is part of the line (kmod). */
	memset(&c, 0, sizeof c);
	log = parse(&c, "options q a=1 \\\n# note\nbogus\n", "h.conf");
	CHECK(strstr(log, "h.conf:3: bogus"), "bad line 3 after continuation into a comment:\n%s",
	      log);
	CHECK(!strcmp(opts_of(&c, "q", NULL), "a=1 # note"), "options q '%s'",
	      opts_of(&c, "q", NULL));
	config_free(&c);

	/* As kmod: a backslash before any other byte is dropped, and two are
	 * one backslash, which does not continue the line. */
	memset(&c, 0, sizeof c);
	log = parse(&c, "options e v=a\\b w=\\\\\nblacklist c\n", "e.conf");
	CHECK(!strcmp(opts_of(&c, "e", NULL), "v=ab w=\\") && c.nblacklist == 1 && log[0] == '\0',
	      "escaped bytes: options e '%s', blacklist '%s', log '%s'", opts_of(&c, "e", NULL),
	      joinlist(c.blacklist, c.nblacklist), log);
	config_free(&c);

	/* A trailing backslash on the last line, with and without a newline. */
	memset(&c, 0, sizeof c);
	log = parse(&c, "blacklist z \\\n", "t.conf");
	CHECK(c.nblacklist == 1 && log[0] == '\0',
	      "'blacklist z \\\\\\n' at EOF: blacklist '%s' log '%s'",
	      joinlist(c.blacklist, c.nblacklist), log);
	config_free(&c);
}

static void t_unknown_keyword(void)
{
	struct config c = { 0 };
	const char *log;
	tcase = "unknown";
	log = parse(&c, "blacklist a\nmodprobe-ng x\nblacklist b\n", "/etc/modload.conf");
	CHECK(strstr(log, "modload: warning: /etc/modload.conf:2: modprobe-ng: unknown keyword; "
			  "line ignored\n"),
	      "expected 'modload: warning: /etc/modload.conf:2: modprobe-ng: unknown keyword; line "
	      "ignored', got:\n%s",
	      log);
	CHECK(count_lines(log) == 1, "expected one warning line, got:\n%s", log);
	CHECK(c.warnings == 1, "warnings=%u", c.warnings);
	CHECK(c.nblacklist == 2, "the rest must apply: blacklist '%s'",
	      joinlist(c.blacklist, c.nblacklist));
	config_free(&c);
}

static void t_install_once(void)
{
	struct config c = { 0 };
	const char *log;
	tcase = "install";
	log = parse(
		&c,
		"install foo /bin/true\nremove foo /bin/false\ninstall bar x\t $CMDLINE_OPTS # y\n"
		"install ba* z\nblacklist q extra\n#c\n  # d\noptions m  a=\"1  2\"\tb#c \n",
		"i.conf");
	CHECK(count_lines(log) == 1 && strstr(log, "i.conf:7: #"),
	      "only the indented '#' line is refused (as kmod), got:\n%s", log);
	CHECK(c.ncmds == 4, "4 commands, got %u", c.ncmds);
	CHECK(c.ncmds == 4 && !strcmp(c.cmds[2].cmd, "x\t $CMDLINE_OPTS # y") &&
		      !strcmp(c.cmds[2].where, "i.conf:3"),
	      "command kept as written: '%s'", c.ncmds > 2 ? c.cmds[2].cmd : "");
	CHECK(config_cmd(&c, "foo", 1) && config_cmd(&c, "foo", 1)->cmd[5] == 'f',
	      "remove command of foo");
	CHECK(config_cmd(&c, "bar", 0) == &c.cmds[2], "first matching install line wins");
	CHECK(c.nblacklist == 1, "blacklist with an extra word applied (kmod ignores it)");
	CHECK(!strcmp(opts_of(&c, "m", NULL), " a=\"1  2\" b#c "), "options verbatim: '%s'",
	      opts_of(&c, "m", NULL));
	config_free(&c);
}

static void t_options_order(void)
{
	struct config c = { 0 };
	tcase = "options-order";
	/* build-time, then runtime file, then command line, into one config
	 * (the loader applies the blob's, then the file's, then the cmdline's) */
	parse(&c, "options virtio-blk queue_depth=1 poll_queues=0\n", "build");
	parse(&c, "options virtio_blk queue_depth=2\noptions other x=1\n", "/etc/modload.conf");
	parse_cmdline(&c, "root=/dev/vda virtio_blk.queue_depth=3 virtio-blk.num_request_queues=1");
	CHECK(!strcmp(opts_of(&c, "virtio_blk", NULL), "queue_depth=1 poll_queues=0 queue_depth=2 "
						       "queue_depth=3 num_request_queues=1"),
	      "options order: got '%s', expected "
	      "'queue_depth=1 poll_queues=0 queue_depth=2 queue_depth=3 num_request_queues=1'",
	      opts_of(&c, "virtio_blk", NULL));
	CHECK(!strcmp(opts_of(&c, "other", NULL), "x=1"), "other: '%s'",
	      opts_of(&c, "other", NULL));
	/* module options and alias options, in line order */
	parse(&c, "options myal a=1\noptions virtio_blk b=2\n", "x");
	{
		const char *o = opts_of(&c, "virtio_blk", "myal");
		CHECK(strstr(o, "num_request_queues=1 a=1 b=2") != NULL,
		      "alias options in order: '%s'", o);
	}
	/* config_options returns all of them, however long (no cut at a buffer's
	 * size), and config_add_options keeps a word longer than a config line
	 * (the blob's options reach it as one word) */
	{
		char *big = malloc(10000);
		memset(big, 'v', 9999);
		big[9999] = '\0';
		for (int i = 0; i < 3; i++) {
			config_add_options(&c, "long_opts", big);
		}
		CHECK(strlen(opts_of(&c, "long_opts", NULL)) == 3 * 9999 + 2,
		      "3 options of 9999 bytes: %zu bytes back",
		      strlen(opts_of(&c, "long_opts", NULL)));
		free(big);
	}
	config_free(&c);
}

static void t_cmdline(void)
{
	struct config c = { 0 };
	const char *log;
	tcase = "cmdline";
	log = parse_cmdline(
		&c, "BOOT_IMAGE=/boot/vmlinuz-6.1.0 root=UUID=1234 ro quiet console=ttyS0,115200n8 "
		    "e1000e.InterruptThrottleRate=3000,3000 mod.p=\"a b\" mod-name.p=1 "
		    "modprobe.blacklist=a,b-c rd.driver.blacklist=d rd.driver.pre=x,y-z "
		    "rd.driver.post=w nodot foo=bar.baz .hidden=1 trailing. bool.flag "
		    "\tsnd.q=\"x\ty\"\n -- init.arg=1 modprobe.blacklist=after");
	CHECK(log[0] == '\0', "no warnings expected, got: %s", log);
	CHECK(!strcmp(opts_of(&c, "e1000e", NULL), "InterruptThrottleRate=3000,3000"),
	      "e1000e: '%s'", opts_of(&c, "e1000e", NULL));
	CHECK(!strcmp(opts_of(&c, "mod", NULL), "p=\"a b\""),
	      "mod.p=\"a b\" -> '%s', expected 'p=\"a b\"'", opts_of(&c, "mod", NULL));
	CHECK(!strcmp(opts_of(&c, "mod_name", NULL), "p=1"), "mod-name.p=1 -> mod_name '%s'",
	      opts_of(&c, "mod_name", NULL));
	CHECK(c.nblacklist == 3 && has(c.blacklist, 3, "a") && has(c.blacklist, 3, "b_c") &&
		      has(c.blacklist, 3, "d"),
	      "blacklist '%s', expected a,b_c,d", joinlist(c.blacklist, c.nblacklist));
	CHECK(c.npre == 2 && !strcmp(c.pre[0], "x") && !strcmp(c.pre[1], "y_z"),
	      "rd.driver.pre: '%s'", joinlist(c.pre, c.npre));
	CHECK(c.npost == 1 && !strcmp(c.post[0], "w"), "rd.driver.post: '%s'",
	      joinlist(c.post, c.npost));
	CHECK(!strcmp(opts_of(&c, "bool", NULL), "flag"), "bool.flag -> '%s', expected 'flag'",
	      opts_of(&c, "bool", NULL));
	CHECK(!strcmp(opts_of(&c, "snd", NULL), "q=\"x\ty\""),
	      "tab inside quotes: '%s', expected 'q=\"x<TAB>y\"'", opts_of(&c, "snd", NULL));
	/* nothing from words without a dot, with '=' before the dot, or after -- */
	for (unsigned i = 0; i < c.noptions; i++) {
		const char *m = c.options[i].mod;
		CHECK(strcmp(m, "init") && strcmp(m, "foo") && strcmp(m, "root") &&
			      strcmp(m, "console") && strcmp(m, "BOOT_IMAGE") && strcmp(m, "") &&
			      strcmp(m, "trailing"),
		      "unexpected options entry '%s' '%s'", m, c.options[i].opts);
	}
	CHECK(!has(c.blacklist, c.nblacklist, "after"), "words after -- were parsed");
	CHECK(c.noptions == 5, "noptions=%u, expected 5 (e1000e mod mod_name bool snd)",
	      c.noptions);
	config_free(&c);
}

/* Values that the kernel passes through unchanged must reach the module unchanged. */
static void t_cmdline_values(void)
{
	struct config c = { 0 };
	const char *log;
	tcase = "cmdline-values";
	parse_cmdline(&c, "m1.p=\"a  b\" m2.p=x#y m3.p=a\\ m4.p=\"#\"");
	CHECK(!strcmp(opts_of(&c, "m1", NULL), "p=\"a  b\""),
	      "input: m1.p=\"a  b\" (two blanks in quotes); expected options 'p=\"a  b\"', got "
	      "'%s'",
	      opts_of(&c, "m1", NULL));
	CHECK(!strcmp(opts_of(&c, "m2", NULL), "p=x#y"),
	      "input: m2.p=x#y; expected options 'p=x#y' (the kernel passes '#' on), got '%s'",
	      opts_of(&c, "m2", NULL));
	CHECK(!strcmp(opts_of(&c, "m3", NULL), "p=a\\"),
	      "input: m3.p=a\\ ; expected 'p=a\\', got '%s'", opts_of(&c, "m3", NULL));
	CHECK(!strcmp(opts_of(&c, "m4", NULL), "p=\"#\""),
	      "input: m4.p=\"#\"; expected 'p=\"#\"', got '%s'", opts_of(&c, "m4", NULL));
	config_free(&c);

	tcase = "cmdline-edge";
	memset(&c, 0, sizeof c);
	parse_cmdline(&c, "");
	parse_cmdline(&c, "   \t ");
	parse_cmdline(&c, "modprobe.blacklist= modprobe.blacklist=,, rd.driver.pre=");
	CHECK(c.nblacklist == 0 && c.npre == 0 && c.noptions == 0,
	      "empty lists gave bl %u pre %u opts %u", c.nblacklist, c.npre, c.noptions);
	parse_cmdline(&c, "\"unterminated.p=1 x.y=2");
	parse_cmdline(&c, "a.b=\"unterminated value");
	config_free(&c);

	/* A quoted list value, as the kernel takes it; names with blanks or
	 * quotes are said and skipped. */
	tcase = "cmdline-quoted-list";
	memset(&c, 0, sizeof c);
	log = parse_cmdline(&c, "modprobe.blacklist=\"floppy,virtio-net\" rd.driver.pre=\"a b\",c");
	CHECK(c.nblacklist == 2 && has(c.blacklist, c.nblacklist, "floppy") &&
		      has(c.blacklist, c.nblacklist, "virtio_net"),
	      "quoted blacklist: '%s'", joinlist(c.blacklist, c.nblacklist));
	CHECK(c.npre == 1 && !strcmp(c.pre[0], "c"), "rd.driver.pre with a blank: '%s'",
	      joinlist(c.pre, c.npre));
	CHECK(strstr(log, "kernel command line: rd.driver.pre='a b\"' is not a module name"),
	      "no warning for 'a b\"': '%s'", log);
	config_free(&c);
}

/* A NUL byte would end a line early: such a line is refused, named, and the
 * lines around it still apply; in a comment it does no harm. */
static void t_nul(void)
{
	static const char text[] = "blacklist a\nblacklist b\0 c\nblacklist d # \0\n";
	struct config c = { 0 };
	int err;

	tcase = "nul-byte";
	cap_begin();
	err = config_parse(&c, text, sizeof text - 1, "z.conf");
	cap_end();
	CHECK(err == 0, "config_parse returned %d", err);
	CHECK(strstr(captured, "z.conf:2: line contains a NUL byte"),
	      "no 'z.conf:2: line contains a NUL byte' warning:\n%s", captured);
	CHECK(c.nblacklist == 1 && c.warnings == 2,
	      "around a NUL line: blacklist '%s', %u warnings", joinlist(c.blacklist, c.nblacklist),
	      c.warnings);
	config_free(&c);
}

static void t_long(void)
{
	struct config c = { 0 };
	const char *log;
	size_t big = 20000;
	char *text = malloc(65536), *p;

	tcase = "long-line";
	/* line 1 ok, line 2 is 20000 bytes, line 3 ok */
	p = text + sprintf(text, "blacklist one\noptions big ");
	memset(p, 'x', big);
	p += big;
	p += sprintf(p, "=1\nblacklist three\nbogus\n");
	log = parse(&c, text, "l.conf");
	CHECK(strstr(log, "l.conf:2: line longer than 8192 bytes; ignored"),
	      "no 'l.conf:2: line longer than 8192 bytes; ignored' warning:\n%s", log);
	CHECK(strstr(log, "l.conf:4: bogus"),
	      "line numbering after a long line: no 'l.conf:4: bogus':\n%s", log);
	CHECK(c.nblacklist == 2 && c.noptions == 0, "after long line: blacklist '%s', %u options",
	      joinlist(c.blacklist, c.nblacklist), c.noptions);
	config_free(&c);

	/* a long line made of continued pieces */
	tcase = "long-continued";
	memset(&c, 0, sizeof c);
	p = text + sprintf(text, "options big ");
	for (int i = 0; i < 3000; i++)
		p += sprintf(p, "p%d=1 \\\n", i);
	sprintf(p, "last=1\nbogus\n");
	log = parse(&c, text, "lc.conf");
	CHECK(strstr(log, "lc.conf:1: line longer than"),
	      "continued long line: no 'lc.conf:1: line longer':\n%s", log);
	CHECK(strstr(log, "lc.conf:3002: bogus"),
	      "line after 3001 continued lines is not named lc.conf:3002:\n%s", log);
	config_free(&c);

	/* Continuation is decided by the line's real last byte, also when the
	 * line is too long to keep: a long line ending in '\' takes the next
	 * one with it, and a '\' where the kept part ends is no continuation. */
	tcase = "long-continuation";
	memset(&c, 0, sizeof c);
	p = text;
	memset(p, 'x', 9000);
	p += 9000;
	p += sprintf(p, "\\\nblacklist foo\noptions a ");
	memset(p, 'y', 8170);
	p += 8170;
	sprintf(p, "\\zzzzzzzzzzzzzzzzzzzz\nblacklist bar\n");
	log = parse(&c, text, "k.conf");
	CHECK(strstr(log, "k.conf:1: line longer") && strstr(log, "k.conf:3: line longer") &&
		      c.nblacklist == 1 && !strcmp(c.blacklist[0], "bar"),
	      "long lines with '\\': blacklist '%s', log '%s'", joinlist(c.blacklist, c.nblacklist),
	      log);
	config_free(&c);

	/* An unknown keyword of 5000 bytes: the warning names its start and
	 * still gives the reason (the log cuts messages at 512 bytes). */
	tcase = "long-keyword";
	memset(&c, 0, sizeof c);
	memset(text, 'k', 4000);
	sprintf(text + 4000, " x\n");
	log = parse(&c, text, "q.conf");
	CHECK(strstr(log, "q.conf:1: kkkk") && strstr(log, "...: unknown keyword; line ignored"),
	      "4000-byte keyword: warning '%s'", log);
	config_free(&c);

	/* A line just under the limit with many words: every word must arrive,
	 * or the line must be refused with a warning (never silently cut). */
	tcase = "many-words";
	memset(&c, 0, sizeof c);
	p = text + sprintf(text, "options many");
	for (int i = 0; i < 300; i++)
		p += sprintf(p, " p%d=%d", i, i);
	sprintf(p, "\n");
	log = parse(&c, text, "w.conf");
	{
		const char *o = opts_of(&c, "many", NULL);
		CHECK(strstr(o, "p299=299") || strstr(log, "w.conf:1:"),
		      "input: 'options many p0=0 ... p299=299' (301 words, %zu bytes); expected "
		      "all 300 "
		      "parameters or a warning, got %zu bytes of options ending '...%s' and log "
		      "'%s'",
		      strlen(text), strlen(o), strlen(o) > 20 ? o + strlen(o) - 20 : o, log);
	}
	config_free(&c);

	/* A module name longer than ALIAS_MAX (4096): no crash; say something or
	 * keep it whole (a silently cut name could match another module). */
	tcase = "long-name";
	memset(&c, 0, sizeof c);
	p = text + sprintf(text, "blacklist ");
	memset(p, 'n', 5000);
	sprintf(p + 5000, "\n");
	log = parse(&c, text, "n.conf");
	CHECK(c.nblacklist == 0 ? strstr(log, "n.conf:1:") != NULL : strlen(c.blacklist[0]) == 5000,
	      "5000-byte module name: expected a warning or the whole name; got %u entries of "
	      "length %zu, log '%s'",
	      c.nblacklist, c.nblacklist ? strlen(c.blacklist[0]) : (size_t)0, log);
	config_free(&c);

	/* Command line: a word of 10000 bytes, then normal words. */
	tcase = "long-cmdline-word";
	memset(&c, 0, sizeof c);
	p = text + sprintf(text, "root=/dev/vda huge.p=");
	memset(p, 'v', 10000);
	sprintf(p + 10000, " modprobe.blacklist=zz after.q=1");
	log = parse_cmdline(&c, text);
	CHECK(strstr(log, "longer than"), "no warning for a 10000-byte command line word:\n%s",
	      log);
	CHECK(has(c.blacklist, c.nblacklist, "zz") && !strcmp(opts_of(&c, "after", NULL), "q=1"),
	      "words after the long one not parsed: bl '%s', after '%s'",
	      joinlist(c.blacklist, c.nblacklist), opts_of(&c, "after", NULL));
	CHECK(!strcmp(opts_of(&c, "huge", NULL), ""), "the long word was used (%zu bytes)",
	      strlen(opts_of(&c, "huge", NULL)));
	config_free(&c);

	/* A word just below the command line's word limit: accepted, not cut. */
	tcase = "cmdline-word-4000";
	memset(&c, 0, sizeof c);
	p = text + sprintf(text, "big.p=");
	memset(p, 'v', 4000);
	p[4000] = '\0';
	log = parse_cmdline(&c, text);
	CHECK(strlen(opts_of(&c, "big", NULL)) == 4002,
	      "4006-byte word: options of %zu bytes, expected 4002; log '%s'",
	      strlen(opts_of(&c, "big", NULL)), log);
	config_free(&c);
	free(text);
}

static void t_file(void)
{
	struct config c = { 0 };
	char path[] = "/tmp/test_config.XXXXXX";
	int fd = mkstemp(path), err;
	const char *txt = "blacklist a\nfoo\n";
	char want[256];

	tcase = "file";
	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	CHECK(write(fd, txt, strlen(txt)) == (ssize_t)strlen(txt), "write");
	close(fd);
	cap_begin();
	err = config_parse_file(&c, path);
	cap_end();
	CHECK(err == 0, "config_parse_file: %d", err);
	snprintf(want, sizeof want, "%s:2: foo: unknown keyword", path);
	CHECK(strstr(captured, want), "file warning: expected '%s', got '%s'", want, captured);
	CHECK(c.nblacklist == 1, "file: blacklist not applied");
	unlink(path);
	cap_begin();
	err = config_parse_file(&c, path);
	cap_end();
	CHECK(err == -2 && captured[0] == '\0', "missing file: err %d (expected -ENOENT), log '%s'",
	      err, captured);
	/* Other errors are returned and said once, naming the file. */
	cap_begin();
	err = config_parse_file(&c, "/");
	cap_end();
	CHECK(err == -EISDIR && count_lines(captured) == 1 && strstr(captured, "/: cannot read: "),
	      "a directory: err %d (expected -EISDIR), log '%s'", err, captured);
	/* st_size 0 is no reason to read nothing: /dev/null is empty, a pipe is read */
	cap_begin();
	err = config_parse_file(&c, "/dev/null");
	cap_end();
	CHECK(err == 0 && captured[0] == '\0', "/dev/null: err %d, log '%s'", err, captured);
	{
		int p[2];
		char dev[64];
		CHECK(pipe(p) == 0, "pipe");
		CHECK(write(p[1], "blacklist from_pipe\n", 20) == 20, "write");
		close(p[1]);
		snprintf(dev, sizeof dev, "/dev/fd/%d", p[0]);
		err = config_parse_file(&c, dev);
		close(p[0]);
		CHECK(err == 0 && has(c.blacklist, c.nblacklist, "from_pipe"),
		      "a pipe (st_size 0): err %d, blacklist '%s'", err,
		      joinlist(c.blacklist, c.nblacklist));
	}
	config_free(&c);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_init("modload");
	t_keywords();
	t_bad_arity();
	t_comments();
	t_continuation();
	t_unknown_keyword();
	t_install_once();
	t_options_order();
	t_cmdline();
	t_cmdline_values();
	t_nul();
	t_long();
	t_file();
	printf("test_config: %d checks, %d failed\n", ncheck, nfail);
	(void)count_lines_with;
	return nfail > 100 ? 100 : nfail;
}
