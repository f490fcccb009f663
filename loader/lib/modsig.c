/* modsig.c: read a module's appended signature (modsig.h) without OpenSSL.
 *
 * The PKCS#7 blob is walked as DER with a cursor that never leaves
 * [start, end): every element's length is checked against what encloses it
 * before anything is read. kmod hands the blob to OpenSSL's d2i_PKCS7 and
 * shows nothing when that fails, so the structure is checked about as far as
 * OpenSSL checks it (found by experiment against Debian's kmod 30):
 *
 *   ContentInfo  SEQUENCE { OID signedData, [0] EXPLICIT SignedData }
 *   SignedData   SEQUENCE { INTEGER, SET OF AlgId, SEQUENCE { OID,
 *                [0] EXPLICIT content OPTIONAL } (an OCTET STRING for
 *                pkcs7-data), [0] certificates OPTIONAL, [1] crls OPTIONAL,
 *                SET OF SignerInfo (at least one) }
 *   SignerInfo   SEQUENCE { INTEGER, SEQUENCE { Name, INTEGER serial },
 *                AlgId digest, [0] SET OF Attribute OPTIONAL, AlgId,
 *                OCTET STRING encryptedDigest, [1] SET OF Attribute OPTIONAL }
 *   AlgId        SEQUENCE { OID, ANY OPTIONAL }
 *   Attribute    SEQUENCE { OID, SET OF ANY }
 *   Name         SEQUENCE OF SET OF SEQUENCE { OID, string }
 *
 * Checked: definite lengths only (long form with any leading zeros; the
 * outer header at most 8 bytes), nothing left over inside a SEQUENCE,
 * INTEGERs minimal and not empty, OIDs well formed, in ANY: NULL empty,
 * BOOLEAN one byte, BIT STRING's unused-bit count below 8, BMP and Universal
 * strings whole characters; Name values of the string types OpenSSL's
 * X509_NAME takes, UTF8String, BMPString and UniversalString holding valid
 * Unicode (no surrogates, nothing past U+10FFFF, no overlong UTF-8).
 * Not checked, where OpenSSL differs: certificates and CRLs are only
 * required to be SEQUENCEs (OpenSSL parses each X509), nested content other
 * than pkcs7-data is not descended into. Refused, where OpenSSL accepts:
 * BER indefinite lengths and constructed strings. A SignerInfo naming its key
 * by subjectKeyIdentifier ([0], CMS) is refused, as OpenSSL's PKCS7 refuses it.
 *
 * The fields are kmod's: signer is the issuer's first commonName, or else its
 * last attribute value (a SEQUENCE value counted whole); sig_key the serial
 * number's magnitude without leading zeros; sig_hashalgo the first
 * SignerInfo's digest algorithm, which must be one kmod names. */
#include "modsig.h"

#include <errno.h>
#include <string.h>

/* A cursor over DER: [p, end). */
struct der {
	const unsigned char *p, *end;
};

/* One element: tag is its identifier byte (0x100 for a high tag number,
 * which nothing here expects), at its first byte, c and n its contents. */
struct tlv {
	unsigned tag;
	const unsigned char *at, *c;
	size_t n;
};

static const char *const id_types[] = { "PGP", "X509", "PKCS#7" };

/* kmod's hash names, in the order of the header's hash byte, and their OIDs. */
static const struct {
	char name[7];
	unsigned char n, oid[9];
} hashes[] = {
	{ "md4", 8, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x04 } },
	{ "md5", 8, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05 } },
	{ "sha1", 5, { 0x2b, 0x0e, 0x03, 0x02, 0x1a } },
	{ "rmd160", 5, { 0x2b, 0x24, 0x03, 0x02, 0x01 } },
	{ "sha256", 9, { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 } },
	{ "sha384", 9, { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 } },
	{ "sha512", 9, { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 } },
	{ "sha224", 9, { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04 } },
	{ "sm3", 8, { 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11 } },
};

/* 1.2.840.113549.1.7.N: pkcs7-data (1), pkcs7-signedData (2). */
static const unsigned char oid_pkcs7[8] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07 };
static const unsigned char oid_cn[] = { 0x55, 0x04, 0x03 }; /* 2.5.4.3 */

/* The next element of d; -1 when it does not fit. */
static int next(struct der *d, struct tlv *t)
{
	const unsigned char *p = d->p, *end = d->end;
	size_t len, k;

	if (end - p < 2)
		return -1;
	t->at = p;
	t->tag = *p++;
	if ((t->tag & 0x1f) == 0x1f) {
		t->tag = 0x100;
		do
			if (p == end)
				return -1;
		while (*p++ & 0x80);
	}
	if (p == end || *p == 0x80) /* indefinite length: BER */
		return -1;
	len = *p++;
	if (len > 0x80) {
		for (k = len & 0x7f, len = 0; k; k--) {
			if (p == end || len >> (sizeof len * 8 - 8))
				return -1;
			len = len << 8 | *p++;
		}
	}
	if (len > (size_t)(end - p))
		return -1;
	t->c = p;
	t->n = len;
	d->p = p + len;
	return 0;
}

static int expect(struct der *d, unsigned tag, struct tlv *t)
{
	return next(d, t) || t->tag != tag ? -1 : 0;
}

/* The identifier byte of d's next element, or -1 at the end. */
static int peek(const struct der *d)
{
	return d->p < d->end ? *d->p : -1;
}

static struct der inside(const struct tlv *t)
{
	struct der d = { t->c, t->c + t->n };
	return d;
}

static int int_ok(const struct tlv *t)
{
	return t->n && !(t->n > 1 && ((t->c[0] == 0 && t->c[1] < 0x80) ||
				      (t->c[0] == 0xff && t->c[1] >= 0x80)));
}

static int oid_ok(const struct tlv *t)
{
	if (!t->n || t->c[t->n - 1] & 0x80)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->c[i] == 0x80 && (i == 0 || !(t->c[i - 1] & 0x80)))
			return 0; /* a sub-identifier with a leading zero digit */
	return 1;
}

static int oid_is(const struct tlv *t, const unsigned char *oid, size_t n)
{
	return t->n == n && !memcmp(t->c, oid, n);
}

/* 1.2.840.113549.1.7.k */
static int oid_pkcs7_is(const struct tlv *t, unsigned k)
{
	return t->n == 9 && !memcmp(t->c, oid_pkcs7, 8) && t->c[8] == k;
}

static int expect_int(struct der *d, struct tlv *t)
{
	return expect(d, 0x02, t) || !int_ok(t) ? -1 : 0;
}

static int expect_oid(struct der *d, struct tlv *t)
{
	return expect(d, 0x06, t) || !oid_ok(t) ? -1 : 0;
}

/* A value of type ANY, as OpenSSL decodes the universal types it knows. */
static int any_ok(const struct tlv *t)
{
	switch (t->tag) {
	case 0x00: return 0;
	case 0x01: return t->n == 1;
	case 0x02:
	case 0x0a: return int_ok(t);
	case 0x03: return t->n && t->c[0] < 8;
	case 0x05: return t->n == 0;
	case 0x06: return oid_ok(t);
	case 0x1c: return t->n % 4 == 0;
	case 0x1e: return t->n % 2 == 0;
	default: return 1;
	}
}

/* Text of w-byte characters (w 2: BMP, 4: Universal) or UTF-8 (w 0): only
 * Unicode scalar values, each encoded in the fewest bytes. */
static int text_ok(const unsigned char *s, size_t n, unsigned w)
{
	size_t i = 0;

	if (w && n % w)
		return 0;
	while (i < n) {
		unsigned long v = s[i++], min = 0;
		unsigned k = 0;

		if (w) {
			for (k = 1; k < w; k++)
				v = v << 8 | s[i++];
			k = 0;
		} else if (v >= 0xf8 || (v >= 0x80 && v < 0xc0))
			return 0;
		else if (v >= 0xf0)
			k = 3, v &= 7, min = 0x10000;
		else if (v >= 0xe0)
			k = 2, v &= 15, min = 0x800;
		else if (v >= 0xc0)
			k = 1, v &= 31, min = 0x80;
		for (; k; k--) {
			if (i >= n || (s[i] & 0xc0) != 0x80)
				return 0;
			v = v << 6 | (s[i++] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
			return 0;
	}
	return 1;
}

/* A Name's attribute value: one of the types X509_NAME takes. Universal
 * tags 7-9, 11, 13-15, 18-20, 22 and 29 are taken as they are. */
static int string_ok(const struct tlv *t)
{
	switch (t->tag) {
	case 0x0c: return text_ok(t->c, t->n, 0);
	case 0x1c: return text_ok(t->c, t->n, 4);
	case 0x1e: return text_ok(t->c, t->n, 2);
	case 0x30: return 1;
	default: return t->tag < 32 && (0x205ceb80u >> t->tag & 1);
	}
}

/* AlgorithmIdentifier; its OID goes to *oid. */
static int alg(struct der *d, struct tlv *oid)
{
	struct tlv t, any;
	struct der a;

	if (expect(d, 0x30, &t))
		return -1;
	a = inside(&t);
	if (expect_oid(&a, oid))
		return -1;
	if (a.p < a.end && (next(&a, &any) || !any_ok(&any)))
		return -1;
	return a.p == a.end ? 0 : -1;
}

/* [n] IMPLICIT SET OF Attribute, when it is next in d. */
static int attrs(struct der *d, unsigned tag)
{
	struct tlv t, a, v;
	struct der set, at, vals;

	if (peek(d) != (int)tag)
		return 0;
	if (next(d, &t))
		return -1;
	for (set = inside(&t); set.p < set.end;) {
		if (expect(&set, 0x30, &a))
			return -1;
		at = inside(&a);
		if (expect_oid(&at, &v) || expect(&at, 0x31, &v) || at.p != at.end)
			return -1;
		for (vals = inside(&v); vals.p < vals.end;)
			if (next(&vals, &v) || !any_ok(&v))
				return -1;
	}
	return 0;
}

/* The issuer Name; signer is set as kmod shows it. */
static int name(const struct tlv *nm, struct modsig_bytes *signer)
{
	struct der rdns = inside(nm), set, atv;
	struct tlv r, a, oid, v;
	int cn = 0;

	while (rdns.p < rdns.end) {
		if (expect(&rdns, 0x31, &r))
			return -1;
		for (set = inside(&r); set.p < set.end;) {
			if (expect(&set, 0x30, &a))
				return -1;
			atv = inside(&a);
			if (expect_oid(&atv, &oid) || next(&atv, &v) || atv.p != atv.end ||
			    !string_ok(&v))
				return -1;
			if (cn)
				continue;
			/* OpenSSL keeps a SEQUENCE value whole, header and all. */
			signer->p = v.tag == 0x30 ? v.at : v.c;
			signer->n = v.n + (size_t)(v.c - signer->p);
			cn = oid_is(&oid, oid_cn, sizeof oid_cn);
		}
	}
	return 0;
}

/* The serial number as its magnitude, leading zeros dropped. */
static void serial(const struct tlv *t, struct modsig_bytes *b)
{
	b->p = t->c;
	b->n = t->n;
	b->neg = t->c[0] >> 7;
	if (b->neg)
		for (b->last = b->n - 1; !b->p[b->last]; b->last--)
			;
	while (b->n && !modsig_byte(b, 0)) {
		b->p++;
		b->n--;
		b->last -= b->neg;
	}
}

/* One SignerInfo, into s (hash_algo NULL when kmod has no name for it). */
static int signer_info(const struct tlv *t, struct modsig *s)
{
	struct der d = inside(t), is;
	struct tlv v, nm, sn, hash;

	if (expect_int(&d, &v) || expect(&d, 0x30, &v))
		return -1;
	is = inside(&v);
	if (expect(&is, 0x30, &nm) || name(&nm, &s->signer) || expect_int(&is, &sn) ||
	    is.p != is.end)
		return -1;
	if (alg(&d, &hash) || attrs(&d, 0xa0) || alg(&d, &v) || expect(&d, 0x04, &v) ||
	    attrs(&d, 0xa1) || d.p != d.end)
		return -1;
	serial(&sn, &s->key);
	s->sig.p = v.c;
	s->sig.n = v.n;
	s->hash_algo = NULL;
	for (size_t i = 0; i < sizeof hashes / sizeof *hashes; i++)
		if (oid_is(&hash, hashes[i].oid, hashes[i].n))
			s->hash_algo = hashes[i].name;
	return 0;
}

/* SEQUENCE { OID, [0] EXPLICIT content OPTIONAL }, the signed content. */
static int content_info(struct der *d)
{
	struct tlv t, oid, c;
	struct der ci, ex;

	if (expect(d, 0x30, &t))
		return -1;
	ci = inside(&t);
	if (expect_oid(&ci, &oid))
		return -1;
	if (ci.p < ci.end) {
		if (expect(&ci, 0xa0, &t))
			return -1;
		ex = inside(&t);
		if (next(&ex, &c) || ex.p != ex.end || !any_ok(&c))
			return -1;
		if (oid_pkcs7_is(&oid, 1) && c.tag != 0x04 && c.tag != 0x24)
			return -1;
	}
	return ci.p == ci.end ? 0 : -1;
}

/* [n] IMPLICIT SEQUENCE OF certificates or CRLs, when it is next in d. */
static int certs(struct der *d, unsigned tag)
{
	struct tlv t, c;
	struct der l;

	if (peek(d) != (int)tag)
		return 0;
	if (next(d, &t))
		return -1;
	for (l = inside(&t); l.p < l.end;)
		if (expect(&l, 0x30, &c))
			return -1;
	return 0;
}

static int pkcs7(const unsigned char *p, size_t n, struct modsig *s)
{
	struct der d = { p, p + n }, sd, set;
	struct tlv t, v;
	struct modsig other = { 0 };
	int first = 1;

	if (expect(&d, 0x30, &t) || t.c - t.at > 8)
		return -1; /* OpenSSL reads at most 8 header bytes first */
	d = inside(&t);
	if (expect_oid(&d, &v) || !oid_pkcs7_is(&v, 2) || expect(&d, 0xa0, &t) || d.p != d.end)
		return -1;
	d = inside(&t);
	if (expect(&d, 0x30, &t) || d.p != d.end)
		return -1;
	sd = inside(&t);
	if (expect_int(&sd, &v) || expect(&sd, 0x31, &t))
		return -1;
	for (set = inside(&t); set.p < set.end;)
		if (alg(&set, &v))
			return -1;
	if (content_info(&sd) || certs(&sd, 0xa0) || certs(&sd, 0xa1) || expect(&sd, 0x31, &t) ||
	    sd.p != sd.end)
		return -1;
	for (set = inside(&t); set.p < set.end; first = 0)
		if (next(&set, &v) || v.tag != 0x30 || signer_info(&v, first ? s : &other))
			return -1;
	return first || !s->hash_algo ? -1 : 0;
}

int modsig_read(const void *mod, size_t len, struct modsig *s)
{
	static const char magic[] = "~Module signature appended~\n";
	const size_t ml = sizeof magic - 1;
	const unsigned char *p = mod, *h;
	size_t sl;

	memset(s, 0, sizeof *s);
	if (!p || len < ml + 12 || memcmp(p + len - ml, magic, ml))
		return -ENODATA;
	len -= ml + 12;
	h = p + len; /* algo, hash, id_type, signer_len, key_id_len, pad[3], be32 sig_len */
	sl = (size_t)h[8] << 24 | (size_t)h[9] << 16 | (size_t)h[10] << 8 | h[11];
	if (h[0] > 1 || h[1] >= sizeof hashes / sizeof *hashes || h[2] > 2 || !sl || sl > len ||
	    len - sl < (size_t)h[3] + h[4])
		return -ENODATA;
	s->id_type = id_types[h[2]];
	p += len - sl;
	if (h[2] == 2)
		return pkcs7(p, sl, s) ? -ENODATA : 0;
	s->hash_algo = hashes[h[1]].name;
	s->sig.p = p;
	s->sig.n = sl;
	s->key.p = p - h[4];
	s->key.n = h[4];
	s->signer.p = s->key.p - h[3];
	s->signer.n = h[3];
	return 0;
}

unsigned modsig_byte(const struct modsig_bytes *b, size_t i)
{
	unsigned v = b->p[i];

	return b->neg ? (~v + (i >= b->last)) & 0xff : v;
}
