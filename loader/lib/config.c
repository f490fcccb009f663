/* config.c: the configuration file and kernel command line parsers (format
 * in config.h). Every line is parsed on its own: a bad line is reported with
 * its file and line number and skipped, the rest still applies. */
#include "config.h"

#include "alias.h"
#include "fmt.h"
#include "log.h"
#include "readfile.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINE 8192
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)	     /* a macro's value as a string literal */
#define MAX_FILE (1 << 20)	     /* a configuration file's size limit */
#define MAX_WORDS (MAX_LINE / 2 + 1) /* a full line of one-letter words */
#define KEY_SHOWN 64		     /* bytes of a bad line's first word in its warning */

int config_push(char ***v, unsigned *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof **v);
	char *copy = strdup(s);
	if (!nv || !copy) {
		free(copy);
		if (nv)
			*v = nv;
		return -ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = copy;
	return 0;
}

static int push_name(char ***v, unsigned *n, const char *s)
{
	char norm[ALIAS_MAX];
	modname_normalize(s, norm, sizeof norm);
	return config_push(v, n, norm);
}

int config_note(struct config *c, const char *kind, const char *mod, const char *where)
{
	char line[PATH_MAX + 2 * ALIAS_MAX];

	fmt_snprintf(line, sizeof line, "%s %s %s", kind, mod, where);
	return config_push(&c->where, &c->nwhere, line);
}

/* Append a record of size bytes to the array *v of *n: its first n_str
 * fields are copies of s[0..n_str), s[0] a module name (normalised), the
 * rest zero. The record, or NULL (out of memory: nothing added). */
_Static_assert(offsetof(struct cfg_options, opts) == sizeof(char *) &&
		       offsetof(struct cfg_cmd, where) == 2 * sizeof(char *) &&
		       offsetof(struct cfg_softdep, mod) == 0,
	       "records start with their strings");
static void *add_record(void *v, unsigned *n, size_t size, const char *const *s, unsigned n_str)
{
	char norm[ALIAS_MAX], *nv = realloc(*(void **)v, (*n + 1) * size), **r;

	if (!nv)
		return NULL;
	*(void **)v = nv;
	r = memset(nv + *n * size, 0, size);
	modname_normalize(s[0], norm, sizeof norm);
	for (unsigned i = 0; i < n_str; i++)
		if (!(r[i] = strdup(i ? s[i] : norm))) {
			config_free_strings(r, n_str);
			return NULL;
		}
	(*n)++;
	return r;
}

int config_add_options(struct config *c, const char *mod, const char *opts)
{
	const char *s[] = { mod, opts };

	return add_record(&c->options, &c->noptions, sizeof *c->options, s, 2) ? 0 : -ENOMEM;
}

int config_add_cmd(struct config *c, int remove, const char *mod, const char *cmd,
		   const char *where)
{
	const char *s[] = { mod, cmd, where };
	struct cfg_cmd *nc = add_record(&c->cmds, &c->ncmds, sizeof *c->cmds, s, 3);

	if (!nc)
		return -ENOMEM;
	nc->remove = remove;
	return 0;
}

static int add_softdep(struct config *c, char **w, int nw)
{
	struct cfg_softdep *ns =
		add_record(&c->softdeps, &c->nsoftdeps, sizeof *c->softdeps, (const char **)w, 1);
	char ***list = NULL;
	unsigned *count = NULL;
	int err = 0;

	if (!ns)
		return -ENOMEM;
	ns->early = c->early;
	for (int i = 1; i < nw && !err; i++) {
		if (!strcmp(w[i], "pre:"))
			list = &ns->pre, count = &ns->npre;
		else if (!strcmp(w[i], "post:"))
			list = &ns->post, count = &ns->npost;
		else if (list)
			err = config_push(list, count, w[i]);
		else
			err = -EINVAL;
	}
	if (err) { /* a bad line must not replace an earlier good softdep */
		config_free_list(ns->pre, ns->npre);
		config_free_list(ns->post, ns->npost);
		free(ns->mod);
		c->nsoftdeps--;
	}
	return err;
}

/* The keywords; per keyword (in the same order) the fewest words its line
 * has, keyword included (the high nibble), and which of too_few says why a
 * line with fewer is bad. */
enum {
	K_OPTIONS,
	K_INSTALL,
	K_REMOVE,
	K_WEAKDEP,
	K_BLACKLIST,
	K_FORBID,
	K_LOAD,
	K_ALIAS,
	K_SOFTDEP
};
static const char keywords[] = "options\0install\0remove\0weakdep\0blacklist\0forbid\0load\0alias\0"
			       "softdep\0";
static const unsigned char need[] = { 0x30, 0x31, 0x31, 0x32, 0x23, 0x23, 0x23, 0x34, 0x35 };
_Static_assert(offsetof(struct config, load) ==
			       offsetof(struct config, blacklist) + 2 * sizeof(char **) &&
		       offsetof(struct config, nload) ==
			       offsetof(struct config, nblacklist) + 2 * sizeof(unsigned),
	       "blacklist, forbid and load lists follow each other");
static const char too_few[] = "options needs a module and at least one parameter\0"
			      "needs a module and a command\0"
			      "weakdep needs a module and the modules it names\0"
			      "expects a module name\0"
			      "alias needs a pattern and a module\0"
			      "softdep needs a module and pre:/post: lists";

/* One logical line, split into words; src and lineno name it. Returns 0,
 * -EINVAL (bad line) or -ENOMEM. */
static int apply(struct config *c, char **w, int nw, const char *rest, const char **why,
		 const char *src, unsigned lineno)
{
	const char *kw = keywords;
	unsigned k = 0;
	char where[PATH_MAX + 16], norm[ALIAS_MAX];
	int err;

	while (*kw && strcmp(kw, w[0]))
		kw += strlen(kw) + 1, k++;
	if (!*kw)
		return *why = "unknown keyword", -EINVAL;
	/* As kmod: words after the ones a line needs are ignored. */
	if (nw < need[k] >> 4)
		return *why = fmt_nth(too_few, need[k] & 15), -EINVAL;
	fmt_snprintf(where, sizeof where, "%s:%u", src, lineno);
	switch (k) {
	case K_OPTIONS:
		for (char *t = (char *)rest; *t; t++) /* as kmod: tabs become blanks */
			if (*t == '\t')
				*t = ' ';
		return config_add_options(c, w[1], rest);
	case K_INSTALL:
	case K_REMOVE: return config_add_cmd(c, k == K_REMOVE, w[1], rest, where);
	case K_WEAKDEP:
		for (int i = 2; i < nw; i++)
			if (push_name(&c->weak, &c->nweak, w[i]) < 0)
				return -ENOMEM;
		return 0;
	case K_ALIAS: {
		unsigned npat = c->nalias;
		if (alias_normalize(w[1], norm, sizeof norm) < 0)
			return *why = "alias pattern has an unmatched bracket", -EINVAL;
		err = config_push(&c->alias_pat, &npat, norm);
		return err ? err : push_name(&c->alias_mod, &c->nalias, w[2]);
	}
	case K_SOFTDEP:
		err = add_softdep(c, w + 1, nw - 1);
		if (err == -EINVAL)
			*why = "softdep module must be followed by pre: or post:";
		return err;
	default: /* blacklist, forbid, load: struct config's lists in this order */
		modname_normalize(w[1], norm, sizeof norm);
		err = config_push((char ***)((char *)c + offsetof(struct config, blacklist)) +
					  (k - K_BLACKLIST),
				  (unsigned *)((char *)c + offsetof(struct config, nblacklist)) +
					  (k - K_BLACKLIST),
				  norm);
		return err || k == K_LOAD ? err : config_note(c, w[0], norm, where);
	}
}

char *text_word(char **cur, const char *sep)
{
	char *w = *cur + strspn(*cur, sep), *end = w + strcspn(w, sep);

	if (!*w)
		return NULL;
	*cur = end + (*end != '\0');
	*end = '\0';
	return w;
}

static int split(char *line, char **w)
{
	int n = 0;
	for (char *t; n < MAX_WORDS && (t = text_word(&line, " \t\r"));)
		w[n++] = t;
	return n;
}

static int do_line(struct config *c, char *line, const char *src, unsigned lineno)
{
	char *w[MAX_WORDS], rest[MAX_LINE];
	const char *why = NULL, *r = line;
	int nw, err;

	if (line[0] == '#') /* as kmod: only there */
		return 0;
	/* What follows the second word and one blank, as written. */
	for (int i = 0; i < 2; i++) {
		r += strspn(r, " \t\r");
		r += strcspn(r, " \t\r");
	}
	fmt_snprintf(rest, sizeof rest, "%s", *r ? r + 1 : r);
	nw = split(line, w);
	if (nw == 0)
		return 0;
	err = 0;
	for (int i = 0; i < nw && !err; i++)
		if (strlen(w[i]) >= ALIAS_MAX)
			err = -EINVAL, why = "a word is longer than a module name or alias can be";
	if (!err)
		err = apply(c, w, nw, rest, &why, src, lineno);
	if (err == -EINVAL) {
		/* The keyword may be any long word: name at most KEY_SHOWN bytes of
		 * it, so the reason is never cut off the message. */
		int klen = (int)strlen(w[0]);
		log_warn("%s:%u: %.*s%s: %s; line ignored", src, lineno,
			 klen > KEY_SHOWN ? KEY_SHOWN : klen, w[0], klen > KEY_SHOWN ? "..." : "",
			 why ? why : "invalid");
		c->warnings++;
		return 0;
	}
	return err;
}

int config_parse(struct config *c, const char *text, size_t len, const char *src)
{
	char line[MAX_LINE] = "";
	size_t used = 0;
	unsigned lineno = 0, start = 1;
	int too_long = 0, nul = 0, comment = 0;
	const char *base = strrchr(src, '/');

	/* kmod reads its files and the modules' own softdeps (modules.softdep)
	 * in name order; the first softdep line for a module wins. */
	c->early = strcmp(base ? base + 1 : src, "modules.softdep") < 0;

	for (size_t i = 0; i <= len; i++) {
		char ch = i < len ? text[i] : '\n';
		/* As kmod's reader: a backslash takes the next byte with it: a
		 * newline (the line goes on; neither is kept, nothing takes
		 * their place) or any other byte (kept, the backslash not: x\y
		 * reads xy, and two backslashes one, which continues nothing). */
		if (ch == '\\' && i + 1 < len && (ch = text[++i]) == '\n') {
			lineno++;
			continue;
		}
		if (ch != '\n') {
			/* A NUL would end the line early: refuse it, unless in a comment. */
			comment |= ch == '#' && !used;
			nul |= ch == '\0' && !comment;
			if (used + 1 < sizeof line)
				line[used++] = ch;
			else
				too_long = 1;
			continue;
		}
		lineno++;
		line[used] = '\0';
		if (too_long || nul) {
			log_warn("%s:%u: line %s; ignored", src, start,
				 too_long ? "longer than " TEXT(MAX_LINE) " bytes"
					  : "contains a NUL byte");
			c->warnings++;
		} else if (do_line(c, line, src, start) < 0)
			return -ENOMEM;
		used = 0;
		too_long = nul = comment = 0;
		start = lineno + 1;
	}
	return 0;
}

int config_parse_file(struct config *c, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	char *text = NULL;
	size_t n;

	if (fd < 0) {
		err = -errno;
		if (err != -ENOENT)
			log_warn("%s: cannot open: %s", path, strerror(-err));
		return err;
	}
	/* At most MAX_FILE bytes; st_size is no guide (0 for a pipe), and a
	 * directory fails the read with EISDIR. */
	err = read_whole_fd(fd, MAX_FILE, &text, &n);
	close(fd);
	if (!err)
		err = config_parse(c, text, n, path);
	if (err)
		log_warn("%s: cannot read: %s", path, strerror(-err));
	free(text);
	return err;
}

int config_parse_path(struct config *c, const char *path)
{
	char **v = NULL;
	unsigned n = 0;
	struct dirent *d;
	DIR *dir = opendir(path);
	int err = 0;

	if (!dir)
		return config_parse_file(c, path); /* not a directory: a file (or its error) */
	while ((d = readdir(dir)) && !err) {	   /* as kmod: *.conf, in name order */
		size_t len = strlen(d->d_name);
		if (d->d_name[0] == '.' || len < 6 || strcmp(d->d_name + len - 5, ".conf"))
			continue;
		if (!(err = config_push(&v, &n, d->d_name)))
			for (unsigned i = n - 1; i > 0 && strcmp(v[i - 1], v[i]) > 0; i--) {
				char *t = v[i];
				v[i] = v[i - 1];
				v[i - 1] = t;
			}
	}
	closedir(dir);
	for (unsigned i = 0; i < n; i++) {
		char *f = fmt_alloc("%s/%s", path, v[i]);
		int e = f ? config_parse_file(c, f) : -ENOMEM;
		if (e == -ENOMEM)
			err = e;
		free(f);
		free(v[i]);
	}
	free(v);
	return err;
}
