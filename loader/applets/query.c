/* query.c: `modload resolve ALIAS...` and `modload deps NAME...`, host-side
 * questions to a packed directory. They are modprobe's -R and
 * --show-depends, for several names at once, so they run modprobe. */
#include "applets.h"
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>

static int as_modprobe(int argc, char **argv, char *flag, const char *what)
{
	char **args;
	int n = 0, status;

	if (argc < 2) {
		fd_printf(2, "usage: modload %s NAME...\n", what);
		return EXIT_USAGE;
	}
	args = malloc((size_t)(argc + 3) * sizeof *args);
	if (!args)
		return EXIT_SYSTEM;
	args[n++] = (char *)"modprobe";
	args[n++] = flag;
	args[n++] = (char *)"-a";
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	status = modprobe_main(n, args);
	free(args);
	return status;
}

int resolve_main(int argc, char **argv)
{
	return as_modprobe(argc, argv, (char *)"-R", "resolve");
}

int deps_main(int argc, char **argv)
{
	return as_modprobe(argc, argv, (char *)"--show-depends", "deps");
}
