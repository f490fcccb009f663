#!/usr/bin/env python3
"""modsig_cases.py: signed-module edge cases for tests/diff-modinfo.

    modsig_cases.py MODULE.ko OUTDIR

MODULE.ko is a signed module of the test tree; its signature is cut off and
each case appends another one: raw PGP/X509 tails (every header id type,
hash and algorithm byte, empty and long fields), PKCS#7 SignedData written
with a small DER encoder (every hash kmod names and an unknown one, names
with and without commonName, every string type, invalid Unicode, serial
numbers zero, negative and with padding, long signatures that wrap, signed
and unsigned attributes, two SignerInfos, non-minimal lengths, truncated and
trailing data, structure errors kmod's OpenSSL refuses). Both modinfo tools
must print the same for each: the cases where modload knowingly differs
(constructed BER strings, certificates that are not X.509) are not made.
Prints the number of files written."""
import os
import struct
import sys

MAGIC = b"~Module signature appended~\n"


def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, *content):
    c = b"".join(content)
    return bytes([tag]) + length(len(c)) + c


def seq(*c):
    return tlv(0x30, *c)


def set_(*c):
    return tlv(0x31, *c)


def integer(v):
    if isinstance(v, bytes):
        return tlv(2, v)
    n = (v.bit_length() + 8) // 8 if v >= 0 else ((-v - 1).bit_length() + 8) // 8
    return tlv(2, v.to_bytes(max(n, 1), "big", signed=True))


def oid(s):
    p = [int(x) for x in s.split(".")]
    out = bytes([40 * p[0] + p[1]])
    for x in p[2:]:
        e = [x & 0x7F]
        x >>= 7
        while x:
            e.append(0x80 | (x & 0x7F))
            x >>= 7
        out += bytes(reversed(e))
    return tlv(6, out)


def utf8(s):
    return tlv(12, s.encode() if isinstance(s, str) else s)


NULL = b"\x05\x00"
HASH = {
    "md4": "1.2.840.113549.2.4", "md5": "1.2.840.113549.2.5", "sha1": "1.3.14.3.2.26",
    "rmd160": "1.3.36.3.2.1", "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2", "sha512": "2.16.840.1.101.3.4.2.3",
    "sha224": "2.16.840.1.101.3.4.2.4", "sm3": "1.2.156.10197.1.401",
}
CN, O, C = "2.5.4.3", "2.5.4.10", "2.5.4.6"
RSA = seq(oid("1.2.840.113549.1.1.1"), NULL)
DATA = seq(oid("1.2.840.113549.1.7.1"))


def name(*atvs):
    return seq(*[set_(seq(oid(o), v)) for o, v in atvs])


def signer_info(issuer=None, serial=1, hsh="sha256", sig=b"\x11" * 8, ver=1,
                auth=None, unauth=None, halg=None):
    issuer = issuer if issuer is not None else name((CN, utf8("Key")))
    parts = [integer(ver), seq(issuer, integer(serial)),
             halg if halg is not None else seq(oid(HASH.get(hsh, hsh)))]
    if auth is not None:
        parts.append(auth)
    parts += [RSA, tlv(4, sig)]
    if unauth is not None:
        parts.append(unauth)
    return seq(*parts)


def signed_data(sis, certs=None, content=DATA, algs=None):
    algs = algs if algs is not None else set_(seq(oid(HASH["sha256"])))
    body = [integer(1), algs, content]
    if certs is not None:
        body.append(certs)
    body.append(set_(*sis))
    return seq(*body)


def pkcs7(sis, **kw):
    return seq(oid("1.2.840.113549.1.7.2"), tlv(0xA0, signed_data(sis, **kw)))


def tail(blob, algo=0, hsh=0, idt=2, signer=b"", keyid=b"", siglen=None):
    sl = len(blob) if siglen is None else siglen
    hdr = bytes([algo, hsh, idt, len(signer), len(keyid), 0, 0, 0]) + struct.pack(">I", sl)
    return signer + keyid + blob + hdr + MAGIC


def raw(signer, keyid, sig, algo=0, hsh=0, idt=1):
    return tail(sig, algo, hsh, idt, signer, keyid)


def relen(t, form):
    """t with its length in a non-minimal long form of `form` bytes."""
    hl = 2 if t[1] < 0x80 else 2 + (t[1] & 0x7F)
    n = len(t) - hl
    return t[:1] + bytes([0x80 | form]) + n.to_bytes(form, "big") + t[hl:]


def indef(t):
    """t with BER's indefinite length."""
    hl = 2 if t[1] < 0x80 else 2 + (t[1] & 0x7F)
    return t[:1] + b"\x80" + t[hl:] + b"\x00\x00"


def cn(v):
    return tail(pkcs7([signer_info(issuer=name((CN, v)))]))


def cases():
    c = {}
    for idt in (0, 1, 2, 3):
        c["raw-id%d" % idt] = raw(b"Signer Name", bytes(range(1, 9)),
                                  bytes(range(0x30, 0x5D)), idt=idt)
    for h in range(10):
        c["raw-hash%d" % h] = raw(b"S", b"\x01", b"\x02", hsh=h)
    for a in range(3):
        c["raw-algo%d" % a] = raw(b"S", b"\x01", b"\x02", algo=a)
    c["raw-empty"] = raw(b"", b"", b"\x02")
    c["raw-siglen0"] = raw(b"", b"", b"")
    c["raw-nul-in-signer"] = raw(b"ab\0cd", b"\x01", b"\x02")
    for k, s in ((20, 21), (21, 40), (41, 1), (0, 60)):
        c["raw-key%d-sig%d" % (k, s)] = raw(b"s", bytes(range(k)), bytes(range(s)))
    c["raw-too-long"] = tail(b"\x01" * 8, idt=1, siglen=1 << 20)
    c["magic-only"] = MAGIC
    c["magic-short-header"] = b"\x00\x04\x02" + MAGIC
    p = lambda *a, **k: tail(pkcs7([signer_info(*a, **k)]))
    c["p7-basic"] = p()
    for h in list(HASH) + ["1.2.3.4"]:
        c["p7-hash-" + h] = p(hsh=h)
    c["p7-hash-null-param"] = p(halg=seq(oid(HASH["sha1"]), NULL))
    c["p7-hash-two-params"] = p(halg=seq(oid(HASH["sha1"]), NULL, NULL))
    c["p7-hash-bad-null"] = p(halg=seq(oid(HASH["sha1"]), b"\x05\x01\x00"))
    c["p7-hash-bool-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x01\x01\x05"))
    c["p7-hash-bool2-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x01\x02\x05\x05"))
    c["p7-hash-int-pad-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x02\x02\x00\x05"))
    c["p7-hash-bits-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x03\x02\x08\x05"))
    c["p7-hash-bmp-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x1e\x01\x05"))
    c["p7-hash-ctx-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x80\x01\x80"))
    c["p7-hash-eoc-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x00\x00"))
    c["p7-hash-oid-pad"] = p(halg=seq(tlv(6, b"\x60\x80\x86\x48\x01\x65\x03\x04\x02\x01")))
    c["p7-hash-oid-empty"] = p(halg=seq(tlv(6, b"")))
    c["p7-no-cn"] = p(issuer=name((O, utf8("Org")), (C, tlv(19, b"DE"))))
    c["p7-cn-first"] = p(issuer=name((CN, utf8("First")), (O, utf8("Org"))))
    c["p7-cn-middle"] = p(issuer=name((O, utf8("Org")), (CN, utf8("Mid")), (C, tlv(19, b"DE"))))
    c["p7-two-cn"] = p(issuer=name((CN, utf8("One")), (CN, utf8("Two"))))
    c["p7-empty-name"] = p(issuer=seq())
    c["p7-empty-rdn"] = p(issuer=seq(set_(), set_(seq(oid(CN), utf8("X")))))
    c["p7-multi-value-rdn"] = p(issuer=seq(set_(seq(oid(O), utf8("O")), seq(oid(CN), utf8("In")))))
    c["p7-unknown-attr"] = p(issuer=name(("1.2.3.4.5", utf8("Unk"))))
    c["p7-cn-child-oid"] = p(issuer=name((CN + ".0", utf8("Z"))))
    c["p7-attr-no-value"] = p(issuer=seq(set_(seq(oid(CN)))))
    c["p7-attr-two-values"] = p(issuer=seq(set_(seq(oid(CN), utf8("X"), utf8("Y")))))
    c["p7-name-is-set"] = p(issuer=set_(set_(seq(oid(CN), utf8("X")))))
    c["p7-attr-oid-pad"] = p(issuer=seq(set_(seq(tlv(6, b"\x55\x04\x80\x03"), utf8("Z")))))
    for tag in list(range(1, 16)) + list(range(17, 32)):
        c["p7-cn-tag%02d" % tag] = cn(bytes([tag]) + b"\x04ABCD")
    c["p7-cn-sequence"] = cn(b"\x30\x03\x0c\x01A")
    c["p7-cn-set"] = cn(b"\x31\x03\x0c\x01A")
    c["p7-cn-prim-sequence"] = cn(b"\x10\x01A")
    c["p7-cn-context"] = cn(b"\x80\x01A")
    c["p7-cn-high-tag"] = cn(b"\x1f\x81\x00\x01A")
    c["p7-cn-nul"] = cn(utf8(b"ab\0cd"))
    c["p7-cn-empty"] = cn(utf8(""))
    c["p7-cn-latin"] = cn(utf8("Zürich"))
    c["p7-cn-4byte"] = cn(utf8("A\U0001F600"))
    for n, b in (("ff", b"A\xff\xfeB"), ("overlong", b"A\xc0\x80B"), ("surrogate", b"A\xed\xa0\x80B"),
                 ("cut", b"A\xe2\x82"), ("above-10ffff", b"A\xf4\x90\x80\x80"),
                 ("5byte", b"A\xf8\x88\x80\x80\x80"), ("lone-cont", b"A\x80")):
        c["p7-cn-utf8-" + n] = cn(utf8(b))
    c["p7-cn-bmp"] = cn(tlv(30, "Bm".encode("utf-16-be")))
    c["p7-cn-bmp-odd"] = cn(tlv(30, b"\x00A\x00"))
    c["p7-cn-bmp-surrogate"] = cn(tlv(30, b"\xd8\x00\x00B"))
    c["p7-cn-univ"] = cn(tlv(28, b"\x00\x00\x00A"))
    c["p7-cn-univ-3"] = cn(tlv(28, b"\x00\x00\x00"))
    c["p7-cn-univ-big"] = cn(tlv(28, b"\x00\x11\x00\x00"))
    c["p7-cn-printable-binary"] = cn(tlv(19, b"a\x01\xffb"))
    c["p7-cn-ia5-high"] = cn(tlv(22, b"a\xffb"))
    c["p7-cn-t61-high"] = cn(tlv(20, b"a\xffb"))
    c["p7-cn-numeric-letters"] = cn(tlv(18, b"abc"))
    for n, v in (("0", 0), ("neg", -258), ("big", int.from_bytes(bytes(range(1, 26)), "big")),
                 ("0080", b"\x00\x80"), ("000005", b"\x00\x00\x05"), ("empty", b""),
                 ("ff80", b"\xff\x80"), ("ff00", b"\xff\x00"), ("ff", b"\xff"), ("80", b"\x80"),
                 ("8000", b"\x80\x00"), ("ff7f", b"\xff\x7f"), ("0000", b"\x00\x00"),
                 ("neg-long", -(1 << 300))):
        c["p7-serial-" + n] = p(serial=v)
    c["p7-serial-constructed"] = tail(pkcs7([seq(integer(1), seq(name((CN, utf8("K"))),
                                                             b"\x22\x03\x02\x01\x05"),
                                                 seq(oid(HASH["sha256"])), RSA, tlv(4, b"\x11"))]))
    for n in (0, 1, 19, 20, 21, 40, 41, 512):
        c["p7-sig%d" % n] = p(sig=bytes(i & 255 for i in range(n)))
    c["p7-version-pad"] = p(ver=b"\x00\x01")
    c["p7-version-neg"] = p(ver=-1)
    c["p7-version-big"] = p(ver=1 << 100)
    c["p7-version-5"] = p(ver=5)
    attr = seq(oid("1.2.840.113549.1.9.3"), set_(oid("1.2.840.113549.1.7.1")))
    c["p7-auth-attrs"] = p(auth=tlv(0xA0, attr))
    c["p7-auth-attrs-empty"] = p(auth=tlv(0xA0))
    c["p7-auth-attrs-bad"] = p(auth=tlv(0xA0, integer(3)))
    c["p7-unauth-attrs"] = p(unauth=tlv(0xA1, attr))
    c["p7-unauth-attrs-bad"] = p(unauth=tlv(0xA1, integer(1)))
    c["p7-unauth-attr-bad-value"] = p(unauth=tlv(0xA1, seq(oid("1.2.3"), set_(b"\x05\x01\x00"))))
    c["p7-two-signers"] = tail(pkcs7([signer_info(issuer=name((CN, utf8("A")))),
                                      signer_info(issuer=name((CN, utf8("B"))), hsh="md5")]))
    c["p7-second-signer-unknown-hash"] = tail(pkcs7([signer_info(), signer_info(hsh="1.2.3")]))
    c["p7-second-signer-bad"] = tail(pkcs7([signer_info(), integer(1)]))
    c["p7-no-signer"] = tail(pkcs7([]))
    c["p7-signers-not-set"] = tail(seq(oid("1.2.840.113549.1.7.2"), tlv(0xA0, seq(
        integer(1), set_(), DATA, seq(signer_info())))))
    c["p7-ski"] = tail(pkcs7([seq(integer(3), tlv(0x80, b"\xaa\xbb"), seq(oid(HASH["sha256"])),
                                  RSA, tlv(4, b"\x11"))]))
    c["p7-signer-extra"] = tail(pkcs7([seq(signer_info()[2:], integer(7))]))
    c["p7-issuer-serial-extra"] = tail(pkcs7([seq(integer(1), seq(name((CN, utf8("K"))),
                                                                  integer(1), integer(2)),
                                                  seq(oid(HASH["sha256"])), RSA, tlv(4, b"\x11"))]))
    c["p7-sig-bitstring"] = tail(pkcs7([seq(integer(1), seq(name((CN, utf8("K"))), integer(1)),
                                            seq(oid(HASH["sha256"])), RSA, tlv(3, b"\x00\x11"))]))
    c["p7-digest-enc-any-oid"] = tail(pkcs7([seq(integer(1), seq(name((CN, utf8("K"))), integer(1)),
                                                 seq(oid(HASH["sha256"])), seq(oid("1.2.3")),
                                                 tlv(4, b"\x11"))]))
    c["p7-digest-enc-not-seq"] = tail(pkcs7([seq(integer(1), seq(name((CN, utf8("K"))), integer(1)),
                                                 seq(oid(HASH["sha256"])), tlv(4, b"\x11"))]))
    c["p7-not-signed-data"] = tail(seq(oid("1.2.840.113549.1.7.1"), tlv(0xA0, tlv(4, b"x"))))
    c["p7-no-content"] = tail(seq(oid("1.2.840.113549.1.7.2")))
    sd = signed_data([signer_info()])
    c["p7-outer-extra"] = tail(seq(oid("1.2.840.113549.1.7.2"), tlv(0xA0, sd), integer(1)))
    c["p7-explicit-extra"] = tail(seq(oid("1.2.840.113549.1.7.2"), tlv(0xA0, sd, integer(1))))
    c["p7-digest-algs-empty"] = tail(pkcs7([signer_info()], algs=set_()))
    c["p7-digest-algs-two"] = tail(pkcs7([signer_info()], algs=set_(seq(oid(HASH["sha1"])),
                                                                    seq(oid("1.2.3"), NULL))))
    c["p7-digest-algs-bad"] = tail(pkcs7([signer_info()], algs=set_(integer(1))))
    c["p7-content-data"] = tail(pkcs7([signer_info()], content=seq(
        oid("1.2.840.113549.1.7.1"), tlv(0xA0, tlv(4, b"hi")))))
    c["p7-content-other"] = tail(pkcs7([signer_info()], content=seq(
        oid("1.2.3.4"), tlv(0xA0, integer(1)))))
    c["p7-content-two"] = tail(pkcs7([signer_info()], content=seq(
        oid("1.2.3.4"), tlv(0xA0, integer(1), integer(2)))))
    c["p7-certs-empty"] = tail(pkcs7([signer_info()], certs=tlv(0xA0)))
    c["p7-crls-empty"] = tail(pkcs7([signer_info()], certs=tlv(0xA1)))
    c["p7-certs-not-seq"] = tail(pkcs7([signer_info()], certs=tlv(0xA0, b"\x01\x01\x00")))
    c["p7-trailing"] = tail(pkcs7([signer_info()]) + b"GARBAGE")
    c["p7-truncated"] = tail(pkcs7([signer_info()])[:-5])
    c["p7-header-lengths"] = tail(pkcs7([signer_info()]), signer=b"XYZ", keyid=b"KK")
    c["p7-header-hash9"] = tail(pkcs7([signer_info()]), hsh=9)
    c["p7-header-algo2"] = tail(pkcs7([signer_info()]), algo=2)
    c["p7-indefinite"] = tail(b"\x30\x80" + pkcs7([signer_info()])[2:] + b"\x00\x00")
    si = signer_info()
    c["p7-indefinite-signer"] = tail(pkcs7([indef(si)]))
    c["p7-indefinite-explicit"] = tail(seq(oid("1.2.840.113549.1.7.2"),
                                           indef(tlv(0xA0, signed_data([si])))))
    c["p7-indefinite-name"] = p(issuer=indef(name((CN, utf8("Key")))))
    c["p7-indefinite-rdn"] = p(issuer=seq(indef(set_(seq(oid(CN), utf8("Key"))))))
    c["p7-indefinite-algid"] = p(halg=indef(seq(oid(HASH["sha1"]))))
    c["p7-indefinite-nested"] = tail(indef(seq(oid("1.2.840.113549.1.7.2"), indef(tlv(
        0xA0, indef(signed_data([indef(si)])))))))
    c["p7-indefinite-primitive"] = cn(b"\x0c\x80Key\x00\x00")
    c["p7-indefinite-in-any"] = p(halg=seq(oid(HASH["sha1"]), b"\x30\x80\x05\x00\x00\x00"))
    c["p7-indefinite-cn-sequence"] = cn(b"\x30\x80\x0c\x01A\x00\x00")
    c["p7-indefinite-trailing"] = tail(indef(pkcs7([si])) + b"junk")
    c["p7-indefinite-no-eoc"] = tail(indef(pkcs7([si]))[:-2])
    for form in (1, 2, 3, 4, 5, 6, 7, 8, 9):
        c["p7-long-length-outer-%d" % form] = tail(relen(pkcs7([signer_info()]), form))
        c["p7-long-length-signer-%d" % form] = tail(pkcs7([relen(signer_info(), form)]))
        c["p7-long-length-cn-%d" % form] = cn(relen(utf8("Hi"), form))
    c["p7-high-tag-param"] = p(halg=seq(oid(HASH["sha1"]), b"\x1f\x81\x00\x01A"))
    return c


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    mod = open(sys.argv[1], "rb").read()
    if mod.endswith(MAGIC):
        sl = struct.unpack(">I", mod[-len(MAGIC) - 4:-len(MAGIC)])[0]
        mod = mod[:-len(MAGIC) - 12 - sl]
    os.makedirs(sys.argv[2], exist_ok=True)
    n = 0
    for k, v in sorted(cases().items()):
        with open(os.path.join(sys.argv[2], k + ".ko"), "wb") as f:
            f.write(mod + v)
        n += 1
    print(n)


if __name__ == "__main__":
    main()
