#!/usr/bin/env python3
"""blob_corrupt.py: bad blobs made from a good one, and modload run on each.

    blob_corrupt.py --good BLOB --modload BIN --out DIR [--seed N]

Writes DIR/NNN-NAME.blob for every case and runs
`modload -d CASEDIR resolve ...` (and `deps ...`) with the case installed as
CASEDIR/modload.blob.  Two kinds of case:

  reject  the file is invalid as a whole (cut short, extended, a byte flipped
          so that the checksum no longer fits, wrong magic, wrong version,
          not a regular file, missing): modload must exit non-zero, print
          nothing on stdout and exactly one line on stderr that names the
          blob file and says what is wrong with it.
  survive the checksum was recomputed after the damage, so the damage reaches
          the structural checks and the readers behind them: any exit status
          below 128 is fine (a clean rejection, or answers), a signal or a
          hang (10 s) is not.

Prints one line per failing case, then a summary line; exit 0 if all pass.
The bad files stay in DIR for the ASan reader (tests/diff/blobfuzz.c).
"""

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys

MAGIC = b"MODLOAD\x1a"
SUMMED_FROM = 20
HEADER_WORDS = [  # offset, name (struct blob_header in loader/lib/blob.h)
    (20, "kver"), (24, "nmods"), (28, "naliases"), (32, "prefix_buckets"), (36, "gram_buckets"), (40, "max_prefix")]
SECTIONS = ["STR", "MOD", "LIST", "EXTRA", "SLIST", "DIRS", "TOKENS", "ALIASES", "ABLOCKS",
            "PREFIX", "GRAMS", "ALWAYS", "CFGALIAS", "CFGOPTS", "CFGCMDS"]
HSZ = 44 + 8 * len(SECTIONS)
for i, s in enumerate(SECTIONS):
    HEADER_WORDS.append((44 + 8 * i, "sec[%s].off" % s))
    HEADER_WORDS.append((48 + 8 * i, "sec[%s].len" % s))

QUERIES = ["x", "ahci", "ext4", "crypto-crc32c",
           "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01",
           "usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip01in00",
           "of:NfooTbarCvendor,device", "acpi:PNP0303:", "virtio:d00000002v00001AF4",
           "cpu:type:x86,ven0000fam0006mod0086:feature:,0000,0001"]
DEPS = ["ext4", "ahci", "virtio_blk", "btrfs"]


def checksum(data):
    """blob_checksum() of loader/lib/blob.c."""
    M = (1 << 64) - 1
    a = [0x6D6F646C6F6164, 0, 0, 0, 0, 0, 0, 0]
    n64 = len(data) // 64 * 64
    for k, (w,) in enumerate(struct.iter_unpack("<Q", data[:n64])):
        a[k % 8] = (a[k % 8] + w) & M
    for i in range(n64, len(data)):
        a[i % 8] = (a[i % 8] + (data[i] << (8 * (i % 8)))) & M
    x = 0
    for v in a:
        x = ((x ^ v) * 0x9E3779B97F4A7C15) & M
    return (x ^ (x >> 32)) & 0xFFFFFFFF

def fix(data):
    d = bytearray(data)
    d[16:20] = struct.pack("<I", checksum(bytes(d[SUMMED_FROM:])))
    return bytes(d)


def put32(data, off, v):
    d = bytearray(data)
    d[off : off + 4] = struct.pack("<I", v & 0xFFFFFFFF)
    return bytes(d)


def flip(data, off, x=0xFF):
    d = bytearray(data)
    d[off] ^= x
    return bytes(d)


def cases(good, rng, elf):
    n = len(good)
    sec = [struct.unpack_from("<II", good, 44 + 8 * i) for i in range(len(SECTIONS))]
    out = []  # (name, data or special, kind)
    for cut in sorted({0, 1, 7, 8, 12, 19, 20, 64, HSZ - 1, HSZ, HSZ + 1, n // 4, n // 2, n - 4, n - 1}):
        out.append(("truncated-%d" % cut, good[:cut], "reject"))
    out.append(("extended-1", good + b"\0", "reject"))
    out.append(("extended-4096", good + bytes(4096), "reject"))
    for off in sorted({0, 7, 8, 12, 16, 19, 20, 24, 28, 32, 36, 40, 60, HSZ - 1, HSZ,
                       n // 3, n // 2, 2 * n // 3, n - 8, n - 1}):
        out.append(("flip-%d" % off, flip(good, off), "reject"))
        out.append(("flip1-%d" % off, flip(good, off, 0x01), "reject"))
    for s, (off, ln) in zip(SECTIONS, sec):
        if ln:
            out.append(("flip-%s-start" % s, flip(good, off), "reject"))
            out.append(("flip-%s-end" % s, flip(good, off + ln - 1), "reject"))
    out.append(("bad-magic", b"MODLOAX\x1a" + good[8:], "reject"))
    out.append(("zero-magic", bytes(8) + good[8:], "reject"))
    out.append(("zero-header", bytes(HSZ) + good[HSZ:], "reject"))
    out.append(("all-zero", bytes(n), "reject"))
    out.append(("all-ff", b"\xff" * n, "reject"))
    out.append(("elf-file", elf, "reject"))
    out.append(("text-file", b"alias pci:* ahci\n" * 100, "reject"))
    version = struct.unpack_from("<I", good, 8)[0]
    for v in sorted({0, version - 1, version + 1, 0xFFFFFFFF} - {version}):
        out.append(("version-%d" % v, put32(good, 8, v), "reject"))
    out.append(("size-field+1", put32(good, 12, n + 1), "reject"))
    out.append(("size-field-small", put32(good, 12, HSZ), "reject"))
    out.append(("is-a-directory", "DIR", "reject"))
    out.append(("missing", "MISSING", "reject"))
    # Checksum recomputed: the structure checks and the readers must cope.
    edges = [0, 1, 3, 4, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, n, n - 4, n + 4]
    for off, what in HEADER_WORDS:
        old = struct.unpack_from("<I", good, off)[0]
        for v in sorted(set(edges + [old + 4, old - 4 if old >= 4 else 0])):
            if v != old:
                out.append(("fixed-%s=%#x" % (what, v), fix(put32(good, off, v)), "survive"))
    # A count with its table's size as a 32-bit writer computes it (so that it
    # wraps), and EXTRA shorter than one record, modules still pointing into it.
    for v in (0xFFFFFFF1, 0xFFFFFFF8, 0xFFFFFFFF):
        d = put32(good, 28, v)
        d = put32(d, 48 + 8 * SECTIONS.index("ABLOCKS"), 4 * ((v + 15) % (1 << 32) // 16))
        out.append(("fixed-naliases-wrap=%#x" % v, fix(d), "survive"))
    for ln in (0, 4, 11):
        out.append(("fixed-EXTRA-len=%d" % ln, fix(put32(good, 48 + 8 * SECTIONS.index("EXTRA"), ln)),
                    "survive"))
    for i in range(200):
        s = rng.randrange(len(SECTIONS))
        off, ln = sec[s]
        if not ln:
            continue
        d = good
        for _ in range(rng.randint(1, 3)):
            at = off + rng.randrange(ln)
            d = flip(d, at, rng.randrange(1, 256))
        out.append(("fixed-%s-bytes-%d" % (SECTIONS[s], i), fix(d), "survive"))
    for i in range(20):
        cut = HSZ + rng.randrange(n - HSZ)
        out.append(("fixed-cut-%d" % cut, fix(put32(good[:cut], 12, cut)), "survive"))
    return out


def run(modload, d, args):
    try:
        p = subprocess.run([modload, "-d", d] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=10)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--good", required=True)
    ap.add_argument("--modload", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    good = open(a.good, "rb").read()
    if good[:8] != MAGIC or struct.unpack_from("<I", good, 16)[0] != checksum(good[SUMMED_FROM:]):
        print("FAIL: %s is not a good blob (or this script's checksum is out of date)" % a.good)
        return 1
    elf = open(a.modload, "rb").read()
    os.makedirs(a.out, exist_ok=True)
    casedir = os.path.join(a.out, "case")
    blob = os.path.join(casedir, "modload.blob")
    fails = []
    counts = {"reject": 0, "survive": 0}
    survived_open = 0
    for i, (name, data, kind) in enumerate(cases(good, random.Random(a.seed), elf)):
        shutil.rmtree(casedir, ignore_errors=True)
        os.makedirs(casedir)
        if data == "DIR":
            os.makedirs(blob)
        elif data != "MISSING":
            with open(blob, "wb") as f:
                f.write(data)
            with open(os.path.join(a.out, "%03d-%s.blob" % (i, name)), "wb") as f:
                f.write(data)
        counts[kind] += 1
        for args in (["resolve"] + QUERIES, ["deps"] + DEPS):
            rc, out, err = run(a.modload, casedir, args)
            what = "%s (%s %s)" % (name, kind, args[0])
            if rc is None:
                fails.append("%s: hung (killed after 10 s)" % what)
                continue
            if rc < 0 or rc >= 128:
                fails.append("%s: crashed (status %d%s)" % (what, rc, ", signal %d" % -rc if rc < 0 else ""))
                continue
            if kind == "survive":
                if args[0] == "resolve" and "modload.blob" not in err:
                    survived_open += 1
                continue
            lines = err.splitlines()
            if rc == 0:
                fails.append("%s: exit 0 on a bad blob" % what)
            elif out:
                fails.append("%s: printed on stdout: %r" % (what, out[:100]))
            elif len(lines) != 1:
                fails.append("%s: %d lines on stderr, not one: %r" % (what, len(lines), err[:300]))
            elif blob not in lines[0] or not lines[0].split(blob, 1)[1].strip(": "):
                fails.append("%s: message does not name the file and a reason: %r" % (what, lines[0]))
            elif args[0] == "resolve" and i < 3:
                print("sample message (%s): %s" % (name, lines[0]))
    shutil.rmtree(casedir, ignore_errors=True)
    for f in fails:
        print("FAIL " + f)
    print("%s: %d invalid blobs (must be rejected with one line), %d checksum-fixed damaged blobs "
          "(must not crash; %d were accepted), modload run twice on each: %d failures"
          % ("PASS" if not fails else "FAIL", counts["reject"], counts["survive"], survived_open, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
