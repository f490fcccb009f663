/* devscan.h: the modaliases of devices that already exist. */
#ifndef MODLOAD_DEVSCAN_H
#define MODLOAD_DEVSCAN_H

/* Call fn for the MODALIAS= of every uevent file below root (normally
 * /sys/devices), with the device's directory (root/...): this also finds
 * buses that publish no modalias file. Returns the number of directories
 * visited or a negative errno. One walk at a time (it keeps its path in a static). */
int devscan(const char *root, void (*fn)(void *ctx, const char *modalias, const char *path),
	    void *ctx);

#endif
