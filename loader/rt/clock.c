/* clock.c: clock_gettime for the static loader, as one system call.
 *
 * Why not musl's: it goes through the vDSO, and finding the vDSO's symbol
 * (an ELF symbol-table walk at first use) costs about 1 KB of the binary.
 * The loader reads the clock a few times per module loaded; a system call
 * of a few hundred nanoseconds each is nothing next to init_module.
 *
 * musl's own code (the timed waits of pthread_join and the futex waits)
 * calls __clock_gettime, the name clock_gettime is an alias of: both are
 * defined here, so musl's clock_gettime.o and vdso.o are never linked. On
 * 32-bit ARM time_t is 64 bits wide (musl 1.2), which is clock_gettime64's
 * layout; 64-bit targets have only clock_gettime, with the same layout. */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int __clock_gettime(clockid_t clk, struct timespec *ts);

int __clock_gettime(clockid_t clk, struct timespec *ts)
{
#ifdef SYS_clock_gettime64
	return (int)syscall(SYS_clock_gettime64, clk, ts);
#else
	return (int)syscall(SYS_clock_gettime, clk, ts);
#endif
}

int clock_gettime(clockid_t clk, struct timespec *ts) __attribute__((alias("__clock_gettime")));
