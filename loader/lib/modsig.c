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
 *                [0] EXPLICIT content OPTIONAL }, [0] certificates OPTIONAL,
 *                [1] crls OPTIONAL, SET OF SignerInfo (at least one) }
 *   SignerInfo   SEQUENCE { INTEGER, SEQUENCE { Name, INTEGER serial },
 *                AlgId digest, [0] SET OF Attribute OPTIONAL, AlgId,
 *                OCTET STRING encryptedDigest, [1] SET OF Attribute OPTIONAL }
 *   AlgId        SEQUENCE { OID, ANY OPTIONAL }
 *   Attribute    SEQUENCE { OID, SET OF ANY }
 *   Name         SEQUENCE OF SET OF SEQUENCE { OID, string }
 *
 * Checked: lengths (long forms with any leading zeros; the outer header at
 * most 7 bytes; BER's indefinite length for constructed elements, as OpenSSL
 * takes it), nothing left over inside a SEQUENCE,
 * INTEGERs minimal and not empty, OIDs well formed, in ANY: NULL empty,
 * BOOLEAN one byte, BIT STRING's unused-bit count below 8, BMP and Universal
 * strings whole characters; Name values of the string types OpenSSL's
 * X509_NAME takes, UTF8String, BMPString and UniversalString holding valid
 * Unicode (no surrogates, nothing past U+10FFFF, no overlong UTF-8).
 * Not checked, where OpenSSL differs: certificates and CRLs are only
 * required to be SEQUENCEs (OpenSSL parses each X509), and the signed
 * content is taken as ANY (OpenSSL decodes the types it knows and wants an
 * OCTET STRING for pkcs7-data). Refused, where OpenSSL accepts: constructed
 * (BER) strings, whose pieces OpenSSL joins. A SignerInfo naming its key by
 * subjectKeyIdentifier ([0], CMS) is refused, as OpenSSL's PKCS7 refuses it.
 * Nothing of this occurs in a module the kernel's sign-file signed.
 *
 * The fields are kmod's: signer is the issuer's first commonName, or else its
 * last attribute value (a SEQUENCE value counted whole); sig_key the serial
 * number's magnitude without leading zeros; sig_hashalgo the first
 * SignerInfo's digest algorithm, which must be one kmod names. */
#include "modsig.h"

#include <errno.h>
#include <string.h>

/* A cursor over DER, or an element's contents: [p, end). */
struct der {
	const unsigned char *p, *end;
};

static const char id_types[][7] = { "PGP", "X509", "PKCS#7" };

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

static const unsigned char oid_signed[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};							    /* 1.2.840.113549.1.7.2 */
static const unsigned char oid_cn[] = { 0x55, 0x04, 0x03 }; /* 2.5.4.3 */

static size_t size(const struct der *v)
{
	return (size_t)(v->end - v->p);
}

/* The header at d->p, which it moves past: returns the identifier byte
 * (0x100 | constructed bit for a high tag number, which nothing here
 * expects), | 0x200 for an indefinite length, else the length in *len.
 * -1 when it does not fit in d. */
static int head(struct der *d, size_t *len)
{
	const unsigned char *p = d->p, *end = d->end;
	size_t k;
	int tag;

	if (end - p < 2)
		return -1;
	tag = *p++;
	if ((tag & 0x1f) == 0x1f) {
		tag = 0x100 | (tag & 0x20);
		do
			if (p == end)
				return -1;
		while (*p++ & 0x80);
	}
	if (p == end)
		return -1;
	*len = *p++;
	if (*len == 0x80)
		tag |= 0x200;
	else if (*len > 0x80)
		for (k = *len & 0x7f, *len = 0; k; k--) {
			if (p == end || *len >> (sizeof *len * 8 - 8))
				return -1;
			*len = *len << 8 | *p++;
		}
	d->p = p;
	return tag;
}

/* Take the next element off d: returns its identifier (as head()) with its
 * contents in *in, or -1 when it does not fit in d. A constructed element
 * of indefinite length (BER, which OpenSSL takes too) ends at the matching
 * end-of-contents 00 00, found without recursion. */
static int get(struct der *d, struct der *in)
{
	size_t len, depth = 1;
	int tag = head(d, &len), t;

	in->p = d->p;
	if (tag < 0 || (tag & 0x200 && !(tag & 0x20)))
		return -1;
	while (tag & 0x200) {
		if (d->end - d->p >= 2 && !d->p[0] && !d->p[1]) {
			in->end = d->p;
			d->p += 2;
			if (!--depth)
				return tag & 0x1ff;
			continue;
		}
		if ((t = head(d, &len)) < 0 || (t & 0x200 && !(t & 0x20)))
			return -1;
		if (t & 0x200)
			depth++;
		else if (len > (size_t)(d->end - d->p))
			return -1;
		else
			d->p += len;
	}
	if (len > (size_t)(d->end - d->p))
		return -1;
	d->p = in->end = d->p + len;
	return tag;
}

static int want(struct der *d, int tag, struct der *in)
{
	return get(d, in) == tag ? 0 : -1;
}

static int int_ok(const struct der *v)
{
	const unsigned char *c = v->p;
	size_t n = size(v);

	return n && !(n > 1 && ((c[0] == 0 && c[1] < 0x80) || (c[0] == 0xff && c[1] >= 0x80)));
}

static int oid_ok(const struct der *v)
{
	const unsigned char *c = v->p;
	size_t n = size(v);

	if (!n || c[n - 1] & 0x80)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (c[i] == 0x80 && (i == 0 || !(c[i - 1] & 0x80)))
			return 0; /* a sub-identifier with a leading zero digit */
	return 1;
}

static int same(const struct modsig_bytes *b, const unsigned char *oid, size_t n)
{
	return b->n == n && !memcmp(b->p, oid, n);
}

static int want_oid(struct der *d, struct der *v)
{
	return want(d, 0x06, v) || !oid_ok(v) ? -1 : 0;
}

/* A value of type ANY, as OpenSSL decodes the universal types it knows. */
static int any_ok(int tag, const struct der *v)
{
	size_t n = size(v);

	switch (tag) {
	case -1:
	case 0x00: return 0;
	case 0x01: return n == 1;
	case 0x02:
	case 0x0a: return int_ok(v);
	case 0x03: return n && v->p[0] < 8;
	case 0x05: return n == 0;
	case 0x06: return oid_ok(v);
	case 0x1c: return n % 4 == 0;
	case 0x1e: return n % 2 == 0;
	default: return 1;
	}
}

/* Text of w-byte characters (w 2: BMP, 4: Universal) or UTF-8 (w 0): only
 * Unicode scalar values, each encoded in the fewest bytes. */
static int text_ok(const struct der *t, unsigned w)
{
	const unsigned char *s = t->p;
	unsigned long v, min;
	int k;

	if (w && size(t) % w)
		return 0;
	while (s < t->end) {
		v = *s++;
		min = 0;
		if (w)
			k = (int)w - 1;
		else if (v < 0x80)
			k = 0;
		else if (v < 0xc0 || v >= 0xf8)
			return 0;
		else {
			k = v >= 0xf0 ? 3 : v >= 0xe0 ? 2 : 1;
			min = k == 1 ? 0x80 : k == 2 ? 0x800 : 0x10000;
			v &= 0x3fu >> k;
		}
		for (; k; k--) {
			if (s == t->end || (!w && (*s & 0xc0) != 0x80))
				return 0;
			v = w ? v << 8 | *s++ : v << 6 | (*s++ & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
			return 0;
	}
	return 1;
}

/* A Name's attribute value: one of the types X509_NAME takes. Universal
 * tags 7-9, 11, 13-15, 18-20, 22 and 29 are taken as they are. */
static int string_ok(int tag, const struct der *v)
{
	switch (tag) {
	case 0x0c: return text_ok(v, 0);
	case 0x1c: return text_ok(v, 4);
	case 0x1e: return text_ok(v, 2);
	case 0x30: return 1;
	default: return tag >= 0 && tag < 32 && (0x205ceb80u >> tag & 1);
	}
}

/* Check the issuer Name rdns; *signer becomes what kmod shows: the first
 * commonName's value, else the last value (empty without any). */
static int name(struct der rdns, struct der *signer)
{
	struct der set, atv, oid, v;
	const unsigned char *at;
	int tag, cn = 0;

	signer->p = signer->end = rdns.p;
	while (rdns.p < rdns.end) {
		if (want(&rdns, 0x31, &set))
			return -1;
		while (set.p < set.end) {
			if (want(&set, 0x30, &atv) || want_oid(&atv, &oid))
				return -1;
			at = atv.p;
			tag = get(&atv, &v);
			if (atv.p != atv.end || !string_ok(tag, &v))
				return -1;
			if (cn)
				continue;
			/* OpenSSL keeps a SEQUENCE value whole, header and all. */
			signer->p = tag == 0x30 ? at : v.p;
			signer->end = v.end;
			cn = size(&oid) == sizeof oid_cn && !memcmp(oid.p, oid_cn, sizeof oid_cn);
		}
	}
	return 0;
}

/* The PKCS#7 structure as a schema, one step per byte, run by walk():
 *   0x30 0x31 0xa0 0xa1  take an element with this identifier, then the
 *                        steps inside it up to its E: what they take must
 *                        use up its contents
 *   O tag ... E          the same, when the next element is tag (else none)
 *   L tag ... E          take an element, repeat the steps inside for
 *                        each of its elements (none is fine)
 *   M tag ... E          L when the next element is tag
 *   0x02 0x04 0x06       take an INTEGER (minimal), OCTET STRING, OID
 *   A                    take a value of type ANY
 *   X                    A, when the enclosing element has more
 *   R                    skip the rest of the enclosing element
 *   N                    take a Name, its signer (modsig.h) into C_SIGNER
 *   C k                  keep what was just taken in slot k, the first
 *                        time only: so the first SignerInfo's fields */
enum { C_TYPE, C_SERIAL, C_HASH, C_SIG, C_SIGNER, C_N };
#define ALGID 0x30, 0x06, 'X', 'E'
#define ATTRS(tag) 'M', tag, 0x30, 0x06, 'L', 0x31, 'A', 'E', 'E', 'E'
/* clang-format off */
static const unsigned char schema[] = {
	0x30, 0x06, 'C', C_TYPE, 0xa0,		/* ContentInfo { OID, [0] EXPLICIT */
	  0x30, 0x02, 'L', 0x31, ALGID, 'E',	/* SignedData { version, SET OF AlgId, */
	    0x30, 0x06, 'O', 0xa0, 'A', 'E', 'E', /* { OID, [0] EXPLICIT content OPTIONAL }, */
	    'M', 0xa0, 0x30, 'R', 'E', 'E',	/* [0] certificates OPTIONAL, */
	    'M', 0xa1, 0x30, 'R', 'E', 'E',	/* [1] crls OPTIONAL, */
	    'L', 0x31, 0x30, 0x02,		/* SET OF SignerInfo { version, */
	      0x30, 'N', 0x02, 'C', C_SERIAL, 'E', /* { issuer, serial }, */
	      0x30, 0x06, 'C', C_HASH, 'X', 'E',	/* digest AlgId, */
	      ATTRS(0xa0), ALGID,		/* [0] attributes OPTIONAL, AlgId, */
	      0x04, 'C', C_SIG, ATTRS(0xa1),	/* encryptedDigest, [1] attributes OPTIONAL */
	'E', 'E', 'E', 'E', 'E',		/* } } } } } */
	'E',					/* the end of the schema */
};
/* clang-format on */

struct caps {
	struct modsig_bytes slot[C_N];
	unsigned set;
};

static void keep(struct caps *c, unsigned k, const struct der *v)
{
	if (!(c->set >> k & 1)) {
		c->slot[k].p = v->p;
		c->slot[k].n = size(v);
	}
	c->set |= 1u << k;
}

/* The step after the E that ends the element whose steps start at op. */
static const unsigned char *skip(const unsigned char *op)
{
	for (int depth = 1;; op++) {
		if (*op == 'E' && !--depth)
			return op + 1;
		if (*op == 'O' || *op == 'L' || *op == 'M')
			op++, depth++;
		else if (*op & 0x20)
			depth++;
		else if (*op == 'C')
			op++;
	}
}

/* Run the steps from op on d's elements up to the E ending them; returns
 * the step after that E, or NULL when the data does not fit the schema. */
static const unsigned char *walk(const unsigned char *op, struct der *d, struct caps *c)
{
	const unsigned char *body;
	struct der v = { 0 };
	int o, opt, each;

	for (;;) {
		switch (o = *op++) {
		case 'E': return op;
		case 'R': d->p = d->end; continue;
		case 'X':
			if (d->p == d->end)
				continue;
			/* fall through */
		case 'A':
			o = get(d, &v);
			if (!any_ok(o, &v))
				return NULL;
			continue;
		case 'N':
			if (want(d, 0x30, &v) || name(v, &v))
				return NULL;
			keep(c, C_SIGNER, &v);
			continue;
		case 'C': keep(c, *op++, &v); continue;
		case 0x02:
		case 0x04:
		case 0x06:
			if (want(d, o, &v) || (o == 0x02 && !int_ok(&v)) ||
			    (o == 0x06 && !oid_ok(&v)))
				return NULL;
			continue;
		}
		opt = o == 'O' || o == 'M';
		each = o == 'L' || o == 'M';
		if (opt || each)
			o = *op++;
		if (opt && (d->p == d->end || *d->p != o)) {
			op = skip(op);
			continue;
		}
		if (want(d, o, &v))
			return NULL;
		body = op;
		if (each && v.p == v.end) {
			op = skip(body);
			continue;
		}
		do
			if (!(op = walk(body, &v, c)))
				return NULL;
		while (each && v.p < v.end);
		if (v.p != v.end)
			return NULL;
	}
}

static int pkcs7(const unsigned char *p, size_t n, struct modsig *s)
{
	struct der d = { p, p + n }, v;
	struct caps c = { 0 };
	struct modsig_bytes *b = &s->key;

	/* OpenSSL reads 8 bytes first and wants the header and a byte of
	 * contents in them. */
	if (want(&d, 0x30, &v) || v.p - p > 7)
		return -1;
	d.p = p;
	if (!walk(schema, &d, &c) || !same(&c.slot[C_TYPE], oid_signed, sizeof oid_signed) ||
	    !(c.set >> C_SIG & 1))
		return -1;
	for (size_t i = 0; i < sizeof hashes / sizeof *hashes; i++)
		if (same(&c.slot[C_HASH], hashes[i].oid, hashes[i].n))
			s->hash_algo = hashes[i].name;
	s->signer = c.slot[C_SIGNER];
	s->sig = c.slot[C_SIG];
	/* The serial number's magnitude, without leading zeros. */
	*b = c.slot[C_SERIAL];
	b->neg = b->p[0] >> 7;
	if (b->neg)
		for (b->last = b->n - 1; !b->p[b->last]; b->last--)
			;
	while (b->n && !modsig_byte(b, 0)) {
		b->p++;
		b->n--;
		b->last -= (size_t)b->neg;
	}
	return s->hash_algo ? 0 : -1;
}

int modsig_read(const void *mod, size_t len, struct modsig *s)
{
	static const char magic[] = "~Module signature appended~\n";
	const size_t ml = sizeof magic - 1;
	const unsigned char *p = mod, *h, *nul;
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
	if (h[2] == 2) {
		if (pkcs7(p, sl, s))
			return -ENODATA;
	} else {
		s->hash_algo = hashes[h[1]].name;
		s->sig.p = p;
		s->sig.n = sl;
		s->key.p = p - h[4];
		s->key.n = h[4];
		s->signer.p = s->key.p - h[3];
		s->signer.n = h[3];
	}
	if ((nul = memchr(s->signer.p, 0, s->signer.n)))
		s->signer.n = (size_t)(nul - s->signer.p);
	return 0;
}

unsigned modsig_byte(const struct modsig_bytes *b, size_t i)
{
	unsigned v = b->p[i];

	return b->neg ? (~v + (i >= b->last)) & 0xff : v;
}
