/* applets.h: the programs inside the modload binary. */
#ifndef MODLOAD_APPLETS_H
#define MODLOAD_APPLETS_H

/* Set by `modload -d DIR`: the packed directory, or NULL for the default. */
extern const char *applet_dir;

int modprobe_main(int argc, char **argv);
int coldplug_main(int argc, char **argv);
int resolve_main(int argc, char **argv);
int deps_main(int argc, char **argv);
int insmod_main(int argc, char **argv);
int rmmod_main(int argc, char **argv);
int lsmod_main(int argc, char **argv);
int modinfo_main(int argc, char **argv);
int scan_main(int argc, char **argv);

/* rmmod.c: kmod's words for a remove_module() outcome (remove.h); returns 0
 * for success, else -1 after saying what went wrong. */
#include "remove.h"
int remove_report(const char *name, const char *arg, enum remove_result r, const char *who,
		  int err);

/* Exit codes, as skarnet's tools use them. */
enum { EXIT_USAGE = 100, EXIT_SYSTEM = 111 };

#endif
