/* select.h: which modules go into an image. */
#ifndef MODPACK_SELECT_H
#define MODPACK_SELECT_H

#include "blob.h"
#include "pack.h"

/* Mark (want[i] = 1) the default set: what a generic initramfs carries. */
void select_default(const struct pack *p, unsigned char *want);
/* Mark the comma-separated names; returns -ENOENT after logging an unknown one. */
int select_names(const struct pack *p, const char *list, unsigned char *want);
/* devices.c: mark in want what the `modload scan` output in file says the
 * image needs (b: the full blob, indices those of p), and in left the modules
 * the machine uses that it leaves out (no boot class). 0 or a negative
 * errno, after logging it. */
int select_devices(const struct pack *p, const struct blob *b, const char *file,
		   unsigned char *want, unsigned char *left);
/* Add everything the marked modules need: dependencies and softdeps (resolved
 * through the full blob b, whose module indices are those of p). */
void select_close(const struct pack *p, const struct blob *b, unsigned char *want);

#endif
