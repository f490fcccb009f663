/* devscan.h: the modaliases of devices that already exist. */
#ifndef MODLOAD_DEVSCAN_H
#define MODLOAD_DEVSCAN_H

#include <stddef.h>

/* Call fn for the MODALIAS= of every uevent file below root (normally
 * /sys/devices), with the device's directory (root/...): this also finds
 * buses that publish no modalias file. Returns the number of directories
 * visited or a negative errno. One walk at a time (it keeps its path in a static). */
int devscan(const char *root, void (*fn)(void *ctx, const char *modalias, const char *path),
	    void *ctx);

/* The modalias of the device directory dfd into buf (cap bytes, NUL
 * terminated), from its `modalias` file and/or (if that gave nothing) the
 * MODALIAS= line of its `uevent` file, as `from` says. Returns 0, or -ENOENT
 * when it has none. */
enum { DEV_MODALIAS_FILE = 1, DEV_MODALIAS_UEVENT = 2 };
int dev_modalias(int dfd, int from, char *buf, size_t cap);

/* The last component of the symbolic link name (relative to dfd: a
 * device's driver, a driver's module), read into buf; NULL if there is no
 * such link. */
const char *dev_link_base(int dfd, const char *name, char *buf, size_t cap);

#endif
