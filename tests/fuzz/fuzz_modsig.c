/* fuzz_modsig.c: the appended-signature reader (modsig_read) on any bytes.
 *
 * fuzz-link: loader/lib/modsig.c
 * fuzz-args: -max_len=8192
 *
 * Each input is read twice: as a whole module image (so the header and
 * magic checks are fuzzed too; the seeds are real module tails), and as the
 * PKCS#7 blob itself, with a valid header and "~Module signature appended~\n"
 * put after it (so the DER walker sees every input). Besides the sanitizers:
 * modsig_read returns 0 or -ENODATA; on 0 every field lies inside the image,
 * names are set, the signer has no NUL, a PKCS#7 serial number has no
 * leading zero byte,
 * and every byte can be read through modsig_byte. */
#include "modsig.h"
#include "fuzz_check.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char magic[] = "~Module signature appended~\n";

/* [b->p, b->p + b->n) inside [base, base + len)? */
static int inside(const uint8_t *base, size_t len, const struct modsig_bytes *b)
{
	return fuzz_inside(base, len, b->p, b->n);
}

static void check(const uint8_t *img, size_t len)
{
	struct modsig s;
	unsigned sum = 0;
	int err = modsig_read(img, len, &s);

	if (err == -ENODATA)
		return;
	if (err)
		FAIL("modsig_read returned %d", err);
	if (!s.id_type || !s.hash_algo)
		FAIL("id_type or hash_algo not set");
	if (!inside(img, len, &s.signer) || !inside(img, len, &s.key) || !inside(img, len, &s.sig))
		FAIL("a field outside the image");
	if (memchr(s.signer.p, 0, s.signer.n))
		FAIL("NUL in the signer");
	if (!strcmp(s.id_type, "PKCS#7") && s.key.n && !modsig_byte(&s.key, 0))
		FAIL("serial number with a leading zero byte");
	if (s.key.neg && s.key.last >= s.key.n && s.key.n)
		FAIL("negative key: last non-zero byte %zu of %zu", s.key.last, s.key.n);
	for (size_t i = 0; i < s.key.n; i++)
		sum += modsig_byte(&s.key, i);
	for (size_t i = 0; i < s.sig.n; i++)
		sum += modsig_byte(&s.sig, i);
	if (sum > 255 * (s.key.n + s.sig.n))
		FAIL("modsig_byte above 255");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t ml = sizeof magic - 1;
	uint8_t *img;

	/* As it comes, in a buffer of its own size (so ASan sees overreads). */
	img = malloc(size ? size : 1);
	if (!img)
		return 0;
	memcpy(img, data, size);
	check(img, size);
	free(img);

	/* As a PKCS#7 blob: sha256, id_type 2, sig_len = size. */
	img = malloc(size + 12 + ml);
	if (!img)
		return 0;
	memcpy(img, data, size);
	memset(img + size, 0, 12);
	img[size + 1] = 4;
	img[size + 2] = 2;
	img[size + 8] = (uint8_t)(size >> 24);
	img[size + 9] = (uint8_t)(size >> 16);
	img[size + 10] = (uint8_t)(size >> 8);
	img[size + 11] = (uint8_t)size;
	memcpy(img + size + 12, magic, ml);
	check(img, size + 12 + ml);
	free(img);
	return 0;
}
