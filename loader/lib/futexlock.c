/* futexlock.c: see futexlock.h. */
#include "futexlock.h"

#include <limits.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's futex operations (linux/futex.h, which musl's toolchain does
 * not carry): wait and wake, private to this process. */
#define FUTEX_WAIT_PRIVATE (0 | 128)
#define FUTEX_WAKE_PRIVATE (1 | 128)

static void futex_wait(int *addr, int val)
{
	/* EINTR, EAGAIN (the word changed already): the callers re-check. */
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(int *addr, int n)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

void flock_lock(struct flock_mutex *m)
{
	int c = 0;

	if (__atomic_compare_exchange_n(&m->word, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	/* Contended: mark it "held with sleepers" and sleep until it is free. */
	if (c != 2)
		c = __atomic_exchange_n(&m->word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		futex_wait(&m->word, 2);
		c = __atomic_exchange_n(&m->word, 2, __ATOMIC_ACQUIRE);
	}
}

void flock_unlock(struct flock_mutex *m)
{
	if (__atomic_fetch_sub(&m->word, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->word, 0, __ATOMIC_RELEASE);
		futex_wake(&m->word, 1);
	}
}

void flock_wait(struct flock_cond *c, struct flock_mutex *m)
{
	int seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);

	flock_unlock(m);
	futex_wait(&c->seq, seq);
	flock_lock(m);
}

void flock_broadcast(struct flock_cond *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	futex_wake(&c->seq, INT_MAX);
}
