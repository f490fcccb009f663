/* opt.h: command-line options for the applets, getopt_long's way.
 *
 * Short options in a string ("ab:c": -b takes an argument, attached or as the
 * next word), long options in a table ending with a NULL name ("--name=ARG"
 * or "--name ARG"; a unique prefix of a name is accepted, as getopt_long
 * does). Unless the short string starts with '+', options may follow
 * operands (they are moved in front at opt_begin, operands keeping their
 * order); "--" ends the options either way. The state lives in struct opt,
 * so parsing twice in one process (an applet running another's logic) is
 * safe. Errors are said in one line on stderr, naming the program. */
#ifndef MODLOAD_OPT_H
#define MODLOAD_OPT_H

struct opt_long {
	const char *name;
	int has_arg; /* 0 or 1 */
	int val;     /* what opt_next returns */
};

struct opt {
	int argc;
	char **argv;
	const char *shorts;
	const struct opt_long *longs;
	int ind;   /* next word; after -1: the first operand */
	char *arg; /* the current option's argument */
	int pos;   /* inside a cluster of short options: next letter */
	int nopts; /* words that are options (after permutation) */
};

void opt_begin(struct opt *o, int argc, char **argv, const char *shorts,
	       const struct opt_long *longs);
/* The next option's val (or its letter), -1 at the end, '?' on an error. */
int opt_next(struct opt *o);

/* argv[from..argc) joined by single spaces in a new string ("" for none):
 * module parameters, any length. NULL when out of memory. */
char *opt_join(int argc, char **argv, int from);

#endif
