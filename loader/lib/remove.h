/* remove.h: take a module out of the kernel, with kmod's checks first, and
 * kmod's words for the outcome. */
#ifndef MODLOAD_REMOVE_H
#define MODLOAD_REMOVE_H

#include <stddef.h>

enum remove_result {
	RM_OK = 0,
	RM_NOT_LOADED = -1,
	RM_BUILTIN = -2,
	RM_IN_USE = -3,	   /* holders (in *who, " a b") or a reference count */
	RM_FAILED = -4,	   /* the kernel refused: *err holds its errno */
	RM_NO_UNLOAD = -5, /* loaded, but no refcnt: a kernel without module unloading */
};

/* Remove name (a module name, '_' form). Without force, /sys/module is
 * consulted first, as kmod's rmmod does, so that an absent, built-in or used
 * module is reported without a syscall; the kernel's refusal is RM_FAILED,
 * except without /sys (early boot), where ENOENT and EWOULDBLOCK are taken
 * for RM_NOT_LOADED and RM_IN_USE. With REMOVE_FORCE nothing is checked
 * (delete_module with O_TRUNC) and every refusal is RM_FAILED; with
 * REMOVE_DRY_RUN (modprobe -r -n) only the checks are made, as kmod's
 * modprobe makes them before it would remove: RM_OK means it would try,
 * and without /sys the module counts as not loaded. who (cap bytes)
 * receives the holders. */
enum { REMOVE_FORCE = 1, REMOVE_DRY_RUN = 2 };
enum remove_result remove_module(const char *name, int how, char *who, size_t cap, int *err);

/* Whose words remove_words() uses: kmod's rmmod (0), or kmod's modprobe -r
 * (RW_MODPROBE), where with -a (RW_ALL) "in use", "builtin" and "not in
 * kernel" are warnings, and a module not loaded is an error only with
 * --first-time (RW_FIRST_TIME). */
enum { RW_MODPROBE = 1, RW_ALL = 2, RW_FIRST_TIME = 4 };

/* kmod's message for outcome r of removing name (arg: as the user gave it),
 * level included ("ERROR: Module snd is in use by: a b", "FATAL: Module snd
 * is in use."), into buf; NULL when kmod says nothing (RM_OK, and a module
 * not loaded for modprobe -r without --first-time, which is no failure). */
const char *remove_words(enum remove_result r, unsigned style, const char *name, const char *arg,
			 const char *who, int err, char *buf, size_t cap);

#endif
