/* remove.h: take a module out of the kernel, with kmod's checks first. */
#ifndef MODLOAD_REMOVE_H
#define MODLOAD_REMOVE_H

#include <stddef.h>

enum remove_result {
	RM_OK = 0,
	RM_NOT_LOADED = -1,
	RM_BUILTIN = -2,
	RM_IN_USE = -3, /* holders (in *who, " a b") or a reference count */
	RM_FAILED = -4, /* the kernel refused: *err holds its errno */
};

/* Remove name (a module name, '_' form). Without force, /sys/module is
 * consulted first, as kmod does, so that an absent, built-in or used module
 * is reported without a syscall. who (cap bytes) receives the holders. */
enum remove_result remove_module(const char *name, int force, char *who, size_t cap, int *err);

#endif
