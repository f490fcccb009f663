/* ptc.c: musl's "pthread_create lock" (lock_ptc.c), as a static program
 * needs it: not at all.
 *
 * musl takes it for reading in pthread_create and for writing in dlopen and
 * fork, so that no thread is created while dlopen changes the TLS size. A
 * static program has no dlopen, so the size never changes and nothing can
 * hold the lock for writing; the thread list fork must see whole is guarded
 * by musl's own __tl_lock, not by this. musl's version is a rwlock that
 * pulls in the whole pthread_rwlock family (about 0.9 KB on arm64, 0.6 KB
 * on x86_64). Should musl ever call more of lock_ptc.c than these three,
 * its member is linked again and the duplicate definitions fail the link.
 * These names are musl-internal (hidden): a musl release that renames them
 * only brings its own member back. Only musl's members call them, and they
 * are linked after link-time optimisation: externally_visible keeps LTO
 * from dropping what no IR calls. */
#define PTC __attribute__((used, externally_visible)) void

PTC __inhibit_ptc(void);
PTC __acquire_ptc(void);
PTC __release_ptc(void);

PTC __inhibit_ptc(void)
{
}

PTC __acquire_ptc(void)
{
}

PTC __release_ptc(void)
{
}
