/* alloc.c: malloc, free, calloc and realloc for the static loader.
 *
 * Why not musl's: mallocng is built for long-running programs (it returns
 * memory, resists heap corruption) and costs about 8 KB of the binary.
 * modload runs for seconds, allocates little and frees it at exit, so a
 * size-class allocator of a page of code does:
 *
 *   - requests up to ALLOC_MAX_CLASS bytes are rounded up to a power of two
 *     (at least 16) and served from that class's free list, refilled from
 *     256 KiB regions of mmap'ed memory; freed blocks go back on the list;
 *   - larger requests get their own mapping, released by free, grown with
 *     mremap by realloc (the decompression buffer of a big module);
 *   - every block has a 16-byte header naming its class or mapping size, so
 *     payloads stay 16-byte aligned as malloc's must;
 *   - one spin lock guards the lists (the worker threads of coldplug
 *     allocate rarely; contention is negligible).
 *
 * Built into the musl target only (the host build keeps the system malloc,
 * and sanitizers keep theirs). Compilers turn "malloc, then memset to 0"
 * into a call to calloc, which here is itself: calloc zeroes through a
 * volatile function pointer they cannot see through (the Makefile also
 * passes -fno-builtin-malloc for loader/rt). */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ALLOC_MIN_SHIFT 4
#define ALLOC_NCLASSES 13 /* 16 B .. 64 KiB */
#define ALLOC_MAX_CLASS ((size_t)1 << (ALLOC_MIN_SHIFT + ALLOC_NCLASSES - 1))
#define ALLOC_REGION ((size_t)256 << 10)
#define ALLOC_HDR 16
#define ALLOC_MAPPED 0xff

struct hdr {
	size_t size; /* mapping length for ALLOC_MAPPED blocks, else class size */
	size_t cls;  /* class index, or ALLOC_MAPPED */
};

struct free_block {
	struct free_block *next;
};

static struct free_block *free_list[ALLOC_NCLASSES];
static void *(*volatile zero_fill)(void *, int, size_t) = memset;
static char *region_next, *region_end;
static volatile int alloc_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&alloc_lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void unlock(void)
{
	__atomic_store_n(&alloc_lock, 0, __ATOMIC_RELEASE);
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static unsigned class_of(size_t n)
{
	unsigned c = 0;

	while (((size_t)1 << (ALLOC_MIN_SHIFT + c)) < n)
		c++;
	return c;
}

/* A block of class c (header included in its size), under the lock. */
static void *class_block(unsigned c)
{
	size_t size = (size_t)1 << (ALLOC_MIN_SHIFT + c);
	struct free_block *b = free_list[c];

	if (b) {
		free_list[c] = b->next;
		return b;
	}
	if ((size_t)(region_end - region_next) < size) {
		/* The old region's tail is abandoned: at most one block's worth. */
		char *r = map(ALLOC_REGION);
		if (!r)
			return NULL;
		region_next = r;
		region_end = r + ALLOC_REGION;
	}
	b = (struct free_block *)region_next;
	region_next += size;
	return b;
}

void *malloc(size_t n)
{
	struct hdr *h;

	if (n > SIZE_MAX - ALLOC_HDR - 4096) {
		errno = ENOMEM;
		return NULL;
	}
	if (n + ALLOC_HDR <= ALLOC_MAX_CLASS) {
		unsigned c = class_of(n + ALLOC_HDR);
		lock();
		h = class_block(c);
		unlock();
		if (h) {
			h->size = (size_t)1 << (ALLOC_MIN_SHIFT + c);
			h->cls = c;
		}
	} else {
		size_t len = (n + ALLOC_HDR + 4095) & ~(size_t)4095;
		h = map(len);
		if (h) {
			h->size = len;
			h->cls = ALLOC_MAPPED;
		}
	}
	if (!h) {
		errno = ENOMEM;
		return NULL;
	}
	return (char *)h + ALLOC_HDR;
}

void free(void *p)
{
	struct hdr *h;

	if (!p)
		return;
	h = (struct hdr *)((char *)p - ALLOC_HDR);
	if (h->cls == ALLOC_MAPPED) {
		munmap(h, h->size);
		return;
	}
	struct free_block *b = (struct free_block *)h;
	lock();
	b->next = free_list[h->cls];
	free_list[h->cls] = b;
	unlock();
}

void *calloc(size_t n, size_t m)
{
	void *p;

	if (m && n > SIZE_MAX / m) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * m);
	if (p)
		zero_fill(p, 0, n * m);
	return p;
}

void *realloc(void *p, size_t n)
{
	struct hdr *h;
	void *q;

	if (!p)
		return malloc(n);
	h = (struct hdr *)((char *)p - ALLOC_HDR);
	if (n <= h->size - ALLOC_HDR)
		return p; /* it fits: keep it (blocks never shrink) */
	if (h->cls == ALLOC_MAPPED && n <= SIZE_MAX - ALLOC_HDR - 4096) {
		size_t len = (n + ALLOC_HDR + 4095) & ~(size_t)4095;
		/* the system call itself: musl's mremap adds a size check
		 * (len is bounded above) and a lock for MREMAP_FIXED only */
		void *r = (void *)syscall(SYS_mremap, h, h->size, len, MREMAP_MAYMOVE);
		if (r == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		h = r;
		h->size = len;
		return (char *)h + ALLOC_HDR;
	}
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, h->size - ALLOC_HDR);
	free(p);
	return q;
}
