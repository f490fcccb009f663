/* config.h: modload's configuration, a compatible subset of modprobe.d:
 *
 *   options MOD key=value ...     parameters for MOD (or for an alias of it)
 *   blacklist MOD                 no loads of MOD through an alias
 *   forbid MOD                    never load MOD, not even by name
 *   alias PATTERN MOD             PATTERN (a glob) means MOD
 *   softdep MOD pre: A B post: C  load A and B before MOD, C after
 *   load MOD                      load MOD at boot, whatever the devices
 *
 * '#' starts a comment, a trailing '\' joins the next line. `install` and
 * `remove` are recognised and refused (modload runs no shell commands).
 * The kernel command line adds MOD.key=value, modprobe.blacklist=A,B and
 * dracut's rd.driver.blacklist=, rd.driver.pre=, rd.driver.post=.
 *
 * Sources apply in order, later ones after earlier: the blob (build time),
 * the runtime file, the command line. Options accumulate, so for a
 * parameter given twice the kernel keeps the last value. */
#ifndef MODLOAD_CONFIG_H
#define MODLOAD_CONFIG_H

#include <stddef.h>

struct cfg_options {
	char *mod; /* module or alias name, normalised */
	char *opts;
};

struct cfg_softdep {
	char *mod;
	char **pre, **post;
	unsigned npre, npost;
};

struct config {
	struct cfg_options *options;
	unsigned noptions;
	char **blacklist, **forbid, **load, **pre, **post; /* pre/post: rd.driver.* */
	unsigned nblacklist, nforbid, nload, npre, npost;
	char **alias_pat, **alias_mod;
	unsigned nalias;
	struct cfg_softdep *softdeps;
	unsigned nsoftdeps;
	unsigned warnings; /* lines that were skipped */
	int said_install;  /* "install is not supported" is said once */
};

/* Parse text (len bytes, need not be NUL-terminated); src names it in
 * warnings ("src:line: reason"). Returns 0 or -ENOMEM. */
int config_parse(struct config *c, const char *text, size_t len, const char *src);
/* Read and parse a file; a missing file is not an error (returns -ENOENT
 * quietly); other read errors are logged. */
int config_parse_file(struct config *c, const char *path);
/* Kernel command line words (quote-aware). */
int config_parse_cmdline(struct config *c, const char *cmdline);
void config_free(struct config *c);
/* Options for mod: the words joined by spaces, taken as they are. */
int config_add_options(struct config *c, const char *mod, char **w, int nw);
/* Append a copy of s to a string list. */
int config_push(char ***v, unsigned *n, const char *s);

/* Queries (name normalised). Options of every matching entry, in order,
 * joined by spaces and appended to what buf holds (len bytes in all).
 * Returns the length the whole result has; when that is len or more, buf
 * holds only its start, so callers size buf from a first call. */
size_t config_options(const struct config *c, const char *mod, const char *alias, char *buf,
		      size_t len);
int config_has(char *const *list, unsigned n, const char *mod);
/* The softdeps of the first softdep line whose pattern (a glob) matches mod. */
const struct cfg_softdep *config_softdep(const struct config *c, const char *mod);

#endif
