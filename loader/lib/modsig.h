/* modsig.h: the signature appended to a module file, read as kmod 30 (built
 * with OpenSSL) reads it for modinfo's sig_id, signer, sig_key, sig_hashalgo
 * and signature fields. Nothing is verified: this only describes.
 *
 * A signed module ends with
 *     [signer][key id][signature: sig_len bytes][struct module_signature]
 *     "~Module signature appended~\n"
 * where struct module_signature is 12 bytes: u8 algo, hash, id_type,
 * signer_len, key_id_len, pad[3], be32 sig_len. For id_type 2 (PKCS#7, what
 * the kernel's sign-file writes) the signature is a DER PKCS#7 SignedData and
 * the fields come from its first SignerInfo; otherwise (PGP, X509) they are
 * the raw bytes in front of the header. Every byte read is bounds-checked:
 * the input may be anything. */
#ifndef MODLOAD_MODSIG_H
#define MODLOAD_MODSIG_H

#include <stddef.h>

/* A byte string inside the module image. neg: p[0..n) is the big-endian
 * two's complement of a negative number, shown as its magnitude (what
 * OpenSSL's BN_bn2bin gives); read such bytes only through modsig_byte. */
struct modsig_bytes {
	const unsigned char *p;
	size_t n;
	int neg;
	size_t last; /* with neg: index of the last non-zero byte */
};

struct modsig {
	const char *id_type;	    /* "PGP", "X509" or "PKCS#7" */
	const char *hash_algo;	    /* "sha256", ... */
	struct modsig_bytes signer; /* text, up to its first NUL (kmod prints it with %s) */
	struct modsig_bytes key;    /* key id, or the issuer's serial number */
	struct modsig_bytes sig;
};

/* Describe the signature at the end of the module image [mod, mod+len).
 * Returns 0, or -ENODATA when there is none or kmod would not show it (an
 * unknown algorithm, a malformed header or PKCS#7 structure). */
int modsig_read(const void *mod, size_t len, struct modsig *s);

/* Byte i (< b->n) of b. */
unsigned modsig_byte(const struct modsig_bytes *b, size_t i);

#endif
