/* config.h: modload's configuration, a compatible subset of modprobe.d:
 *
 *   options MOD key=value ...     parameters for MOD (or for an alias of it)
 *   blacklist MOD                 no loads of MOD through an alias
 *   forbid MOD                    never load MOD, not even by name
 *   alias PATTERN MOD             PATTERN (a glob) means MOD
 *   softdep MOD pre: A B post: C  load A and B before MOD, C after
 *   load MOD                      load MOD at boot, whatever the devices
 *   install MOD COMMAND           run COMMAND (/bin/sh -c) instead of inserting
 *   remove MOD COMMAND            run COMMAND instead of removing (modprobe -r)
 *   weakdep MOD A B               accepted; modpack packs A and B, nothing loads them
 *
 * As kmod: a line whose first character is '#' is a comment (a '#' later
 * on is part of the line); a trailing '\' joins the next line directly.
 * An options line's parameters and an install/remove command are kept as
 * written (tabs of an options line become blanks), from the second byte
 * after the module name on.
 * The kernel command line adds MOD.key=value, modprobe.blacklist=A,B and
 * dracut's rd.driver.blacklist=, rd.driver.pre=, rd.driver.post=.
 *
 * Sources apply in order, later ones after earlier: the blob (build time),
 * the runtime file, the command line. Options accumulate, so for a
 * parameter given twice the kernel keeps the last value. */
#ifndef MODLOAD_CONFIG_H
#define MODLOAD_CONFIG_H

#include <stddef.h>

/* The records below start with their strings, one after the other, the
 * module name first (config.c adds them so, config_free frees them so). */
struct cfg_options {
	char *mod; /* module or alias name, normalised */
	char *opts;
};

struct cfg_softdep {
	char *mod;
	char **pre, **post;
	unsigned npre, npost;
	int early; /* its file sorts before "modules.softdep": it beats a module's own */
};

struct cfg_cmd {
	char *mod;   /* normalised */
	char *cmd;   /* as written */
	char *where; /* "FILE:LINE" */
	int remove;
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
	struct cfg_cmd *cmds;
	unsigned ncmds;
	char **weak;
	unsigned nweak;
	char **where; /* "KIND MOD WHERE": blacklist/forbid lines' FILE:LINE, or the
		       * command-line switch ("blacklist x modprobe.blacklist=") */
	unsigned nwhere;
	unsigned warnings; /* lines that were skipped */
	int early;	   /* the file being parsed sorts before "modules.softdep" */
};

/* Parse text (len bytes, need not be NUL-terminated); src names it in
 * warnings ("src:line: reason"). Returns 0 or -ENOMEM. */
int config_parse(struct config *c, const char *text, size_t len, const char *src);
/* Read and parse a file; a missing file is not an error (returns -ENOENT
 * quietly); other errors (unreadable, a directory, over 1 MiB, out of
 * memory) are returned and logged once, naming the file. */
int config_parse_file(struct config *c, const char *path);
/* path is a file, or a directory whose *.conf files are read in name
 * order. */
int config_parse_path(struct config *c, const char *path);
/* Kernel command line words (quote-aware). */
int config_parse_cmdline(struct config *c, const char *cmdline);
void config_free(struct config *c);
/* Free a string list: its n strings, then v. */
void config_free_list(char **v, unsigned n);
/* Free v[0..n) (NULL entries too), not v: a record's strings. */
void config_free_strings(char **v, unsigned n);
/* Options for mod, taken as they are. */
int config_add_options(struct config *c, const char *mod, const char *opts);
/* An install (remove = 0) or remove command for mod; where: "FILE:LINE". */
int config_add_cmd(struct config *c, int remove, const char *mod, const char *cmd,
		   const char *where);
/* The first install/remove command for mod, or NULL. */
const struct cfg_cmd *config_cmd(const struct config *c, const char *mod, int remove);
/* Append a copy of s to a string list. */
int config_push(char ***v, unsigned *n, const char *s);
/* Note where a KIND line for mod was (c->where). */
int config_note(struct config *c, const char *kind, const char *mod, const char *where);

/* modpack writes c->where of the build-time configuration here, beside the
 * blob, one line each (FILE relative to the --config argument's directory),
 * for `modload status` to name the line behind a blob's flag. */
#define WHERE_FILE "modload.where"

/* Queries (name normalised). Options of every entry for mod or alias, in
 * order, joined by spaces into *out (malloc'd, "" when none; the caller frees
 * it). Returns 0 or -ENOMEM. */
int config_options(const struct config *c, const char *mod, const char *alias, char **out);
int config_has(char *const *list, unsigned n, const char *mod);
/* The softdeps of the first softdep line whose pattern (a glob) matches mod. */
const struct cfg_softdep *config_softdep(const struct config *c, const char *mod);

/* The next word of the text at *cur, delimited by any of sep and cut in
 * place with a NUL (strtok_r's way, without its save pointer); NULL at the
 * end. For config lines, the command line and /proc files alike. */
char *text_word(char **cur, const char *sep);

#endif
