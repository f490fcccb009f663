/* switchroot.h: leave the initramfs for the real root (`modload switchroot`,
 * the last step of /init), as util-linux's switch_root does it:
 *
 *   1. /dev, /proc, /sys and /run, where mounted, are moved to the same
 *      places under newroot (lazily unmounted when newroot lacks the
 *      directory);
 *   2. newroot is moved onto / and becomes the root (chroot);
 *   3. a child process deletes the old root's files, only when that root
 *      is a ramfs or tmpfs (an initramfs) and never crossing into another
 *      filesystem, while
 *   4. this process executes argv[0] (the root's init) with argv.
 *
 * Why the deletion runs beside the root's init rather than before it: the
 * initramfs's pages are freed as its files go, and for an image of 23 MB of
 * modules that took 0.13-0.36 s under TCG (README, "Two ways to finish the
 * boot"); the root's init needs none of that memory to start. The child
 * keeps the same priority: a lower one would leave the memory taken for as
 * long as the root's own start keeps the CPUs busy. */
#ifndef MODLOAD_SWITCHROOT_H
#define MODLOAD_SWITCHROOT_H

/* Returns only when it failed: said on stderr (naming the step); what was
 * already done stays done. */
void switch_root(const char *newroot, char *const argv[]);

#endif
