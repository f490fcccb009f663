/* devscan.h: the modaliases of devices that already exist. */
#ifndef MODLOAD_DEVSCAN_H
#define MODLOAD_DEVSCAN_H

/* Call fn for the MODALIAS= of every uevent file below root (normally
 * /sys/devices): this also finds buses that publish no modalias file.
 * Returns the number of directories visited or a negative errno. */
int devscan(const char *root, void (*fn)(void *ctx, const char *modalias), void *ctx);

#endif
