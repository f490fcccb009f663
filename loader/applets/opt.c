/* opt.c: the option parser of opt.h.
 *
 * Permutation is done once, up front: a stable partition of argv into
 * options (with their separate arguments) and operands. Parsing is then a
 * plain left-to-right walk over the option words. */
#include "opt.h"

#include "fmt.h"

#include <stdlib.h>
#include <string.h>

/* An entry's name (past its letter and ' ' or ':'), and whether it takes an
 * argument. */
static const char *long_name(const char *l)
{
	return l + 2;
}

static int long_arg(const char *l)
{
	return l && l[1] == ':';
}

static const char *find_long(const struct opt *o, const char *name, size_t n)
{
	const char *hit = NULL;

	for (const char *l = o->longs; l && *l; l = long_name(l) + strlen(long_name(l)) + 1) {
		const char *ln = long_name(l);
		if (strncmp(ln, name, n))
			continue;
		if (!ln[n])
			return l; /* exact */
		if (hit)
			return NULL; /* ambiguous prefix: treated as unknown */
		hit = l;
	}
	return hit;
}

/* Does the option word w take the next word as its argument? */
static int wants_next(const struct opt *o, const char *w)
{
	if (w[1] == '-') {
		const char *eq = strchr(w + 2, '=');
		const char *l = find_long(o, w + 2, eq ? (size_t)(eq - w - 2) : strlen(w + 2));
		return long_arg(l) && !eq;
	}
	for (const char *c = w + 1; *c; c++) {
		const char *s = strchr(o->shorts, *c);
		if (s && *c != ':' && s[1] == ':')
			return c[1] == '\0'; /* the rest of the word is the argument */
	}
	return 0;
}

static int is_option(const char *w)
{
	return w[0] == '-' && w[1] != '\0';
}

/* Move options (and their arguments) before operands, keeping both orders,
 * or (in_order) stop at the first operand; drop a "--" at the boundary. */
static void permute(struct opt *o, int in_order)
{
	char **v = o->argv;
	int n = 0;

	for (int i = 1; i < o->argc; i++) {
		int end = !strcmp(v[i], "--"); /* moved to the boundary, as the last "option" */
		if (!end && !is_option(v[i])) {
			if (in_order)
				break;
			continue;
		}
		int take = 1 + (!end && wants_next(o, v[i]) && i + 1 < o->argc);
		/* rotate v[i .. i+take) down to position 1 + n (in order: in place) */
		for (int k = 0; k < take; k++) {
			char *w = v[i + k];
			memmove(&v[1 + n + 1], &v[1 + n], (size_t)(i + k - 1 - n) * sizeof *v);
			v[1 + n++] = w;
		}
		if (end)
			break;
		i += take - 1;
	}
	o->nopts = n;
}

void opt_begin(struct opt *o, int argc, char **argv, const char *shorts, const char *longs)
{
	int in_order = *shorts == '+'; /* options end at the first operand */

	memset(o, 0, sizeof *o);
	o->argc = argc;
	o->argv = argv;
	o->longs = longs;
	o->ind = 1;
	o->shorts = shorts + in_order;
	permute(o, in_order);
}

/* Say what is wrong with an option (what: its name, or its letter as a
 * string) in one line naming the program; returns '?'. */
static int bad(const struct opt *o, const char *fmt, const char *what)
{
	const char *s = strrchr(o->argv[0], '/');

	fd_printf(2, fmt, s ? s + 1 : o->argv[0], what);
	return '?';
}

/* The argument of option val: attached (when not NULL), else the next word;
 * without either, fmt says so. Returns val, or '?'. */
static int take_arg(struct opt *o, char *attached, int val, const char *fmt, const char *what)
{
	if (attached)
		o->arg = attached;
	else if (o->ind <= o->nopts)
		o->arg = o->argv[o->ind++];
	else
		return bad(o, fmt, what);
	return val;
}

static int long_option(struct opt *o, char *w)
{
	char *eq = strchr(w, '=');
	const char *l = find_long(o, w, eq ? (size_t)(eq - w) : strlen(w));

	o->ind++;
	if (!l)
		return bad(o, "%s: unrecognized option '--%s'\n", w);
	if (long_arg(l))
		return take_arg(o, eq ? eq + 1 : NULL, *l,
				"%s: option '--%s' requires an argument\n", long_name(l));
	if (eq)
		return bad(o, "%s: option '--%s' takes no argument\n", long_name(l));
	return *l;
}

int opt_next(struct opt *o)
{
	char *w;

	o->arg = NULL;
	if (o->ind > o->nopts)
		return -1;
	w = o->argv[o->ind];
	if (!strcmp(w, "--")) {
		o->ind++;
		return -1;
	}
	if (o->pos == 0) {
		if (w[1] == '-')
			return long_option(o, w + 2);
		o->pos = 1;
	}
	char c = w[o->pos++], letter[2] = { c, '\0' };
	const char *s = c == ':' ? NULL : strchr(o->shorts, c);
	char *rest = w + o->pos; /* what follows the letter in this word */
	if (*rest == '\0' || (s && s[1] == ':')) {
		o->ind++; /* this word is used up */
		o->pos = 0;
	}
	if (!s)
		return bad(o, "%s: invalid option -- '%s'\n", letter);
	if (s[1] != ':')
		return c;
	return take_arg(o, *rest ? rest : NULL, c, "%s: option requires an argument -- '%s'\n",
			letter);
}

char *opt_join(int argc, char **argv, int from)
{
	size_t len = 1, used = 0;
	char *s;

	for (int i = from; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (!(s = malloc(len)))
		return NULL;
	s[0] = '\0';
	for (int i = from; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (used)
			s[used++] = ' ';
		memcpy(s + used, argv[i], n + 1);
		used += n;
	}
	return s;
}
