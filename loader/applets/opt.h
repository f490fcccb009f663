/* opt.h: command-line options for the applets, getopt_long's way.
 *
 * Short options in a string ("ab:c": -b takes an argument, attached or as the
 * next word), long options in another ("--name=ARG" or "--name ARG"; a
 * unique prefix of a name is accepted, as getopt_long does), one entry
 * after the other: the letter opt_next returns, ':' when the option takes an
 * argument (else a space), the name and a NUL ("a all\0" "d:dirname\0"); the
 * string's own NUL ends them (a string rather than a table of pointers: 16
 * bytes an entry fewer). Unless the short string starts with '+', options
 * may follow operands (they are moved in front at opt_begin, operands
 * keeping their order); "--" ends the options either way. The state lives
 * in struct opt, so parsing twice in one process (an applet running
 * another's logic) is safe. Errors are said in one line on stderr, naming
 * the program. */
#ifndef MODLOAD_OPT_H
#define MODLOAD_OPT_H

struct opt {
	int argc;
	char **argv;
	const char *shorts;
	const char *longs; /* the long options' string, or NULL */
	int ind;	   /* next word; after -1: the first operand */
	char *arg;	   /* the current option's argument */
	int pos;	   /* inside a cluster of short options: next letter */
	int nopts;	   /* words that are options (after permutation) */
};

void opt_begin(struct opt *o, int argc, char **argv, const char *shorts, const char *longs);
/* The next option's val (or its letter), -1 at the end, '?' on an error. */
int opt_next(struct opt *o);

/* argv[from..argc) joined by single spaces in a new string ("" for none):
 * module parameters, any length. NULL when out of memory. */
char *opt_join(int argc, char **argv, int from);

#endif
