/* futexlock.h: a mutex and a wake-all condition built on futexes.
 *
 * Why not pthread's: the executor needs one lock and one "something changed"
 * signal; musl's pthread mutex and condition variable bring 3.5 KB of robust,
 * timed and process-shared machinery into the static loader. These are the
 * classic futex designs: the lock word is 0 free, 1 held, 2 held with
 * sleepers; the condition is a sequence number a waiter sleeps on until a
 * broadcast changes it (a broadcast between unlock and sleep makes the
 * futex wait return at once, so no wake-up is lost). Private to a process. */
#ifndef MODLOAD_FUTEXLOCK_H
#define MODLOAD_FUTEXLOCK_H

struct flock_mutex {
	int word;
};

struct flock_cond {
	int seq;
};

void flock_lock(struct flock_mutex *m);
void flock_unlock(struct flock_mutex *m);
/* Release m, sleep until the next flock_broadcast on c (or spuriously), take m. */
void flock_wait(struct flock_cond *c, struct flock_mutex *m);
void flock_broadcast(struct flock_cond *c);

#endif
