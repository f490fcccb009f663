/* fork.c: fork for the static loader: musl's _Fork, without the rest.
 *
 * Why: musl's fork (0.6 KB with what it pulls in) runs pthread_atfork
 * handlers and takes, then resets, the locks of musl's own malloc, stdio,
 * dynamic linker and aio around _Fork, so that a child of a threaded
 * program may go on using them. The loader registers no atfork handler,
 * has its own allocator (loader/rt/alloc.c, which musl's fork never
 * covered) and no stdio, dlopen or aio. Its two children either exec at
 * once (an install command: execve of /bin/sh, else _exit) or are forked
 * before any thread exists (coldplug's guard). _Fork still does what the
 * child needs: its own thread id, one thread in musl's count, signals
 * blocked around the system call. */
#include <unistd.h>

pid_t fork(void)
{
	return _Fork();
}
