/* fmt.c: the printf subset described in fmt.h, and buffered output to fd 1.
 *
 * One formatter, emit(), writes through a sink: a bounded buffer for
 * fmt_vsnprintf, the fd-1 buffer or a stack buffer for fd_printf. A sink
 * counts every byte offered, so the snprintf return value (the untruncated
 * length) comes for free. */
#include "fmt.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sink {
	char *buf;
	size_t cap, len; /* bytes kept in buf */
	size_t total;	 /* bytes offered, kept or not: snprintf's return value */
	int fd;		 /* >= 0: flush to this fd when full */
	int err;	 /* first write error, as -errno */
};

int write_all(int fd, const void *s, size_t n)
{
	const char *p = s;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

const char *fmt_nth(const char *list, unsigned i)
{
	while (i--)
		list += strlen(list) + 1;
	return list;
}

static void sink_flush(struct sink *k)
{
	if (k->fd >= 0 && k->len > 0) {
		int r = write_all(k->fd, k->buf, k->len);
		if (r < 0 && !k->err)
			k->err = r;
		k->len = 0;
	}
}

static void put(struct sink *k, const char *s, size_t n)
{
	k->total += n;
	while (n > 0) {
		if (k->len >= k->cap) {
			if (k->fd < 0)
				return; /* counted, not kept */
			sink_flush(k);
		}
		size_t room = k->cap - k->len, m = n < room ? n : room;
		memcpy(k->buf + k->len, s, m);
		k->len += m;
		s += m;
		n -= m;
	}
}

static void pad(struct sink *k, char c, int n)
{
	while (n-- > 0)
		put(k, &c, 1);
}

/* One integer conversion: digits of v (already made non-negative) in base,
 * with sign, zero padding and width. */
static const char hexdigits[] = "0123456789abcdef0123456789ABCDEF";

void fmt_hex_bytes(char *out, size_t cap, const unsigned char *b, const char *layout, int upper)
{
	const char *d = hexdigits + (upper ? 16 : 0);
	char *end = out + cap - 3;

	for (; *layout && out < end; layout++) {
		unsigned i = (unsigned)(*layout - '0');
		if (i > 9)
			i = (unsigned)(*layout - 'a' + 10);
		if (i > 15) {
			*out++ = *layout;
			continue;
		}
		*out++ = d[b[i] >> 4];
		*out++ = d[b[i] & 15];
	}
	*out = '\0';
}

/* A field of width columns: s (n bytes) after an optional '-', padded on
 * the left with spaces or (zero) zeros after the sign, or on the right with
 * spaces (left). Strings and numbers alike. */
static void put_field(struct sink *k, const char *s, size_t n, int neg, int width, int left,
		      int zero)
{
	int fill = width - (int)n - neg;

	zero &= !left;
	if (neg && zero)
		put(k, "-", 1); /* "-007" */
	if (!left)
		pad(k, zero ? '0' : ' ', fill);
	if (neg && !zero)
		put(k, "-", 1); /* "  -7" */
	put(k, s, n);
	if (left)
		pad(k, ' ', fill);
}

static void put_int(struct sink *k, uint64_t v, int neg, unsigned base, int upper, int width,
		    int left, int zero)
{
	const char *digits = hexdigits + (upper ? 16 : 0);
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof tmp - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	put_field(k, tmp + sizeof tmp - n, (size_t)n, neg, width, left, zero);
}

static int read_num(const char **f, va_list *ap)
{
	int n = 0;

	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	while (**f >= '0' && **f <= '9')
		n = n * 10 + (*(*f)++ - '0');
	return n;
}

static void emit(struct sink *k, const char *f, va_list ap0)
{
	va_list ap;

	va_copy(ap, ap0);
	while (*f) {
		const char *pct = strchr(f, '%');
		if (!pct) {
			put(k, f, strlen(f));
			break;
		}
		put(k, f, (size_t)(pct - f));
		f = pct + 1;
		int left = 0, zero = 0, width = 0, prec = -1, lng = 0;
		for (;; f++) {
			if (*f == '-')
				left = 1;
			else if (*f == '0')
				zero = 1;
			else
				break;
		}
		width = read_num(&f, &ap);
		if (width < 0) {
			left = 1;
			width = -width;
		}
		if (*f == '.') {
			f++;
			prec = read_num(&f, &ap);
		}
		/* 'z': size_t is as wide as long on every Linux ABI (LP64 and
		 * the 32-bit ones: on armhf "long long" would take 8 bytes of
		 * the va_list for a 4-byte size_t). */
		for (; *f == 'l' || *f == 'z'; f++)
			lng++;
		uint64_t u;
		switch (*f) {
		case 's':
		case 'c': {
			char ch;
			const char *str = &ch;
			size_t n = 1;
			if (*f == 'c')
				ch = (char)va_arg(ap, int);
			else {
				if (!(str = va_arg(ap, const char *)))
					str = "(null)";
				n = prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str);
			}
			put_field(k, str, n, 0, width, left, 0); /* '0' pads numbers only */
			break;
		}
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X': {
			/* Signed conversions widen with their sign, then print the
			 * magnitude after a '-'. */
			int sgn = *f == 'd' || *f == 'i';
			/* long is long long on the 64-bit targets: one read for both */
			if (lng >= 2 || (lng && sizeof(long) == sizeof(long long)))
				u = va_arg(ap, unsigned long long);
			else if (lng)
				u = sgn ? (uint64_t)(int64_t)va_arg(ap, long)
					: va_arg(ap, unsigned long);
			else
				u = sgn ? (uint64_t)(int64_t)va_arg(ap, int) : va_arg(ap, unsigned);
			sgn &= (int64_t)u < 0;
			put_int(k, sgn ? (uint64_t)0 - u : u, sgn, (*f | 32) == 'x' ? 16 : 10,
				*f == 'X', width, left, zero);
			break;
		}
		case '%': put(k, "%", 1); break;
		default: /* not ours: print the directive as written */
			put(k, pct, (size_t)(f - pct) + (*f != 0));
			if (!*f)
				goto out;
		}
		f++;
	}
out:
	va_end(ap);
}

int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct sink k = { .buf = buf, .cap = cap ? cap - 1 : 0, .fd = -1 };

	emit(&k, fmt, ap);
	if (cap)
		buf[k.len] = 0;
	return k.total > INT32_MAX ? INT32_MAX : (int)k.total;
}

int fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

char *fmt_alloc(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	fmt_vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static char out_buf[4096];
static struct sink out = { .buf = out_buf, .cap = sizeof out_buf, .fd = 1 };
int fd_flush(void)
{
	sink_flush(&out);
	return out.err;
}

static int vprint(int fd, const char *fmt, va_list ap)
{
	if (fd == 1) {
		size_t before = out.total;
		int err0 = out.err;
		emit(&out, fmt, ap);
		return out.err && !err0 ? -1 : (int)(out.total - before);
	}
	/* Unbuffered: one write per message, so lines from threads stay whole
	 * (a message longer than the stack buffer goes out in pieces). What fd
	 * 1 holds goes first, so that the two keep their order on a terminal. */
	char buf[1024];
	struct sink k = { .buf = buf, .cap = sizeof buf, .fd = fd };
	sink_flush(&out);
	emit(&k, fmt, ap);
	sink_flush(&k);
	return k.err ? -1 : (int)k.total;
}

int fd_printf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(fd, fmt, ap);
	va_end(ap);
	return n;
}

int out_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(1, fmt, ap);
	va_end(ap);
	return n;
}

int fd_putc(int fd, int c)
{
	char ch = (char)c;

	if (fd == 1) {
		put(&out, &ch, 1);
		return out.err ? -1 : c;
	}
	return write_all(fd, &ch, 1) < 0 ? -1 : c;
}
