/* test_alloc.c: loader/rt/alloc.c in a static musl program (it replaces
 * musl's malloc there). Eight threads each keep 256 live blocks of random
 * sizes (16 B to 1 MiB, so both the size classes and the mapped path), and
 * in random order allocate, grow with realloc, free; every block is filled
 * with a pattern derived from its thread and slot, and checked before it is
 * touched again, so a block handed out twice or clobbered shows up. Also:
 * 16-byte alignment, calloc zeroing, calloc overflow, malloc(0), realloc of
 * NULL. Prints one line; exit 0 when everything held. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define SLOTS 256
#define ROUNDS 20000

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static int bad;

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t pick_size(uint64_t *s)
{
	uint64_t r = next(s);
	return r % 100 < 95 ? (size_t)(r >> 8) % 5000 : (size_t)(r >> 8) % (1u << 20);
}

static int intact(const struct slot *sl)
{
	for (size_t i = 0; i < sl->n; i += 1 + sl->n / 64)
		if (sl->p[i] != sl->tag)
			return 0;
	return sl->n == 0 || sl->p[sl->n - 1] == sl->tag;
}

static void *worker(void *arg)
{
	uint64_t seed = 0x1234567u + (uintptr_t)arg * 7919u;
	struct slot s[SLOTS] = { { 0 } };

	for (int r = 0; r < ROUNDS; r++) {
		struct slot *sl = &s[next(&seed) % SLOTS];
		if (sl->p && !intact(sl)) {
			__atomic_store_n(&bad, 1, __ATOMIC_RELAXED);
			break;
		}
		switch (next(&seed) % 3) {
		case 0:
			free(sl->p);
			sl->p = NULL;
			sl->n = 0;
			break;
		case 1: {
			size_t n = pick_size(&seed);
			unsigned char *q = realloc(sl->p, n);
			if (!q && n) {
				__atomic_store_n(&bad, 2, __ATOMIC_RELAXED);
				break;
			}
			sl->p = q;
			/* The kept prefix must still carry the old tag. */
			for (size_t i = 0; i < (n < sl->n ? n : sl->n); i += 97)
				if (q[i] != sl->tag)
					__atomic_store_n(&bad, 3, __ATOMIC_RELAXED);
			sl->n = n;
			memset(q, sl->tag, n);
			break;
		}
		default:
			free(sl->p);
			sl->n = pick_size(&seed);
			sl->p = malloc(sl->n);
			sl->tag = (unsigned char)(next(&seed) | 1);
			if (!sl->p || ((uintptr_t)sl->p & 15))
				__atomic_store_n(&bad, 4, __ATOMIC_RELAXED);
			else
				memset(sl->p, sl->tag, sl->n);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		free(s[i].p);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	unsigned char *z;

	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i)) {
			printf("test_alloc: pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int k = 0; k < 100; k++) {
		/* Recycled blocks come back dirty; calloc must still zero them. */
		z = malloc(700);
		memset(z, 0xee, 700);
		free(z);
		z = calloc(7, 100);
		for (int i = 0; i < 700; i++)
			if (z[i])
				bad = 5;
		free(z);
	}
	volatile size_t huge = SIZE_MAX / 2; /* volatile: the compiler would refuse the call */
	errno = 0;
	if (calloc(huge, 4) || errno != ENOMEM)
		bad = 6;
	z = malloc(0);
	if (!z)
		bad = 7;
	free(z);
	z = realloc(NULL, 10);
	if (!z)
		bad = 8;
	free(z);
	printf("test_alloc: %d threads x %d rounds: %s\n", THREADS, ROUNDS,
	       bad ? "FAILED" : "blocks intact, aligned, zeroed");
	if (bad)
		printf("test_alloc: failure kind %d\n", bad);
	return bad != 0;
}
