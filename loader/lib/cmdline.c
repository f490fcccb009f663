/* cmdline.c: module settings from the kernel command line.
 *
 * Words are separated by blanks; double quotes group blanks into a word and
 * are kept in parameter values (the kernel's own parser strips them), so
 * `mod.p="a b"` reaches the module as the kernel would pass it to a
 * built-in. Names are normalised ('-' -> '_') as the kernel does. */
#include "config.h"

#include "alias.h"
#include "fmt.h"
#include "log.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_WORD 4096

/* Copy the next word of s into w; returns the position after it, or NULL at the end. */
static const char *next_word(const char *s, char *w, size_t cap, int *truncated)
{
	size_t n = 0;
	int quoted = 0;

	s += strspn(s, " \t\n");
	if (!*s)
		return NULL;
	*truncated = 0;
	for (; *s && (quoted || !strchr(" \t\n", *s)); s++) {
		if (*s == '"')
			quoted = !quoted;
		if (n + 1 < cap)
			w[n++] = *s;
		else
			*truncated = 1;
	}
	w[n] = '\0';
	return s;
}

/* key=A,B,...: module names. The value may be quoted as the kernel allows
 * (key="A,B": its parser drops the quotes around a value); a name with a
 * blank or a quote in it cannot be a module's, and is reported and skipped. */
static int add_list(struct config *c, char ***v, unsigned *n, const char *key, const char *csv)
{
	char buf[MAX_WORD];
	size_t len;

	fmt_snprintf(buf, sizeof buf, "%s", csv[0] == '"' ? csv + 1 : csv);
	len = strlen(buf);
	if (csv[0] == '"' && len && buf[len - 1] == '"')
		buf[len - 1] = '\0';
	for (char *cur = buf, *t; (t = text_word(&cur, ","));) {
		char norm[ALIAS_MAX];
		if (t[strcspn(t, " \t\n\"")]) {
			log_warn("kernel command line: %s'%.64s%s' is not a module name; ignored",
				 key, t, strlen(t) > 64 ? "..." : "");
			continue;
		}
		modname_normalize(t, norm, sizeof norm);
		if (config_push(v, n, norm) < 0 ||
		    (v == &c->blacklist && config_note(c, "blacklist", norm, key) < 0))
			return -ENOMEM;
	}
	return 0;
}

/* "mod.param=value": options for mod. Words without a '.' before '=' are the
 * kernel's own and none of our business. */
static int module_param(struct config *c, char *w)
{
	char *eq = strchr(w, '='), *dot = strchr(w, '.'), *value;

	if (!dot || dot == w || (eq && eq < dot) || dot[1] == '\0' || dot[1] == '=')
		return 0;
	*dot = '\0';
	for (char *p = w; *p; p++)
		if (*p == '"' || *p == '=')
			return 0;
	value = dot + 1; /* as the kernel passes it: quotes, blanks and '#' included */
	return config_add_options(c, w, value);
}

/* The keys of module lists, and the offsets of each one's list and count
 * in struct config (in the same order). */
static const char list_keys[] = "modprobe.blacklist=\0rd.driver.blacklist=\0rd.driver.pre=\0"
				"rd.driver.post=\0";
static const unsigned char list_at[][2] = {
	{ offsetof(struct config, blacklist), offsetof(struct config, nblacklist) },
	{ offsetof(struct config, blacklist), offsetof(struct config, nblacklist) },
	{ offsetof(struct config, pre), offsetof(struct config, npre) },
	{ offsetof(struct config, post), offsetof(struct config, npost) },
};
_Static_assert(offsetof(struct config, npost) < 256, "list offsets fit a byte");

static int one_word(struct config *c, char *w)
{
	unsigned i = 0;

	for (const char *k = list_keys; *k; k += strlen(k) + 1, i++)
		if (!strncmp(w, k, strlen(k)))
			return add_list(c, (char ***)((char *)c + list_at[i][0]),
					(unsigned *)((char *)c + list_at[i][1]), k, w + strlen(k));
	return module_param(c, w);
}

int config_parse_cmdline(struct config *c, const char *cmdline)
{
	char w[MAX_WORD];
	int truncated;

	for (const char *s = cmdline; (s = next_word(s, w, sizeof w, &truncated));) {
		if (truncated) {
			log_warn("kernel command line: word longer than %d bytes ignored",
				 MAX_WORD);
			continue;
		}
		if (!strcmp(w, "--"))
			break; /* the rest belongs to init */
		if (!strcmp(w, "modload.debug")) {
			log_set_level(LOG_D);
			continue;
		}
		if (one_word(c, w) < 0)
			return -ENOMEM;
	}
	return 0;
}
