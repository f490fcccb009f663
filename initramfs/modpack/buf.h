/* buf.h: a growable byte buffer for building blob sections on the host. */
#ifndef MODPACK_BUF_H
#define MODPACK_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *p;
	size_t len, cap;
};

void buf_put(struct buf *b, const void *data, size_t n);
void buf_u8(struct buf *b, uint8_t v);
void buf_u16(struct buf *b, uint16_t v);
void buf_u32(struct buf *b, uint32_t v);
void buf_align(struct buf *b, size_t a);
void buf_free(struct buf *b);
/* Like malloc/realloc, but abort the (host) program with a message on failure. */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
