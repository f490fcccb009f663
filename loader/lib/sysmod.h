/* sysmod.h: what /sys/module says about a module, read as kmod reads it
 * (lsmod's size, count and holders; rmmod's checks before delete_module). */
#ifndef MODLOAD_SYSMOD_H
#define MODLOAD_SYSMOD_H

enum sysmod_state {
	SYSMOD_UNKNOWN, /* no /sys/module (early boot) or it cannot be read */
	SYSMOD_ABSENT,	/* not loaded */
	SYSMOD_BUILTIN, /* a directory without initstate */
	SYSMOD_LOADED,
};

enum sysmod_state sysmod_state(const char *name);

/* 1 when /sys/module/NAME/initstate says "live" (its init has returned,
 * whether or not the insert that ran it has), else 0. */
int sysmod_live(const char *name);

/* /sys/module/NAME/ATTR ("refcnt", "coresize") as a number: 0, or a
 * negative errno (-ENOENT when it is missing, -EINVAL when it is not a
 * number). */
int sysmod_num(const char *name, const char *attr, long *v);

/* Call fn for each holder in /sys/module/NAME/holders, in directory order
 * (kmod's); returns how many, or a negative errno when the directory cannot
 * be read. */
int sysmod_holders(const char *name, void (*fn)(const char *holder, void *arg), void *arg);

#endif
