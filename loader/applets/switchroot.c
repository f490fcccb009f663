/* switchroot.c: `modload switchroot NEWROOT INIT [ARGS]`: /init's last step
 * (switchroot.h). Exits only when it failed (111; 100 for a usage error). */
#include "applets.h"
#include "fmt.h"
#include "switchroot.h"

int switchroot_main(int argc, char **argv)
{
	if (argc < 3) {
		fd_printf(2, "usage: modload switchroot NEWROOT INIT [ARGS]\n");
		return EXIT_USAGE;
	}
	switch_root(argv[1], argv + 2);
	return EXIT_SYSTEM;
}
