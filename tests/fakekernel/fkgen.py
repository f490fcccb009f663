#!/usr/bin/env python3
"""fkgen.py: fixtures and checks for the fake-kernel suite (tests/fakekernel/README).

  fkgen.py tree SPEC DIR [--gcc]
        Make DIR/lib/modules/KVER from SPEC: one fake .ko per module (an ELF
        relocatable with .modinfo, .gnu.linkonce.this_module,
        __ksymtab_strings and a .symtab whose undefined symbols are the
        dependencies' exports), modules.order, modules.builtin and
        modules.builtin.modinfo. Written directly (fast) or, with --gcc, from
        generated C compiled by gcc -c. Prints the kernel release.
  fkgen.py random SEED DIR
        A random graph: DIR/spec, DIR/devices (one modalias a line),
        DIR/kconf (fake-kernel.conf lines: delays).
  fkgen.py graphs N DIR
        Random graphs 1..N into DIR/SEED/, each with its tree (DIR/SEED/tree).
  fkgen.py checkgraphs N DIR MODE... [--pre-only SEED]
        For each graph DIR/SEED and MODE, check DIR/SEED/MODE/fake-kernel.log
        against the graph's devices three ways (--exact, --pre, --post) and
        write the problems found to DIR/SEED/MODE.exact, .pre and .post
        (empty: none). --pre takes its --plans from DIR/SEED/chains.modload
        for coldplug (the executor follows its plan), from chains.kmod for
        modprobe (else chains.modload), when they are there, and writes what
        it excused to DIR/SEED/MODE.pre-excused. --pre-only SEED: only the
        --pre check, of graph SEED.
  fkgen.py check SPEC LOG [--want NAME,..] [--devices FILE] [--pre] [--post]
                 [--exact] [--fail NAME,..] [--forbid NAME,..]
                 [--plans FILE [--excused FILE]]
        Check a fake-kernel.log against the graph of SPEC: nothing inserted
        twice; nothing started before each dependency ended successfully;
        with --pre, nor before each of its pre softdeps (when inserted at
        all) ended, unless a probe list of --plans (one request's
        --show-depends a line, module names) puts the module first too:
        kmod's visited set skips a pre softdep that is still being probed
        further up (A pre: B, B pre: C, C post: A, A asked for as a
        dependency), and modload plans as kmod there (excused orders go to
        --excused FILE); with --exact, the modules started are exactly
        the closure (dependencies and softdeps) of what was wanted (names,
        aliases, and the modaliases of --devices), and each ended "ok";
        with --post, a post softdep reached only through its module starts
        after that module ended.

SPEC lines:
  kver RELEASE                         (default 6.1.0-fake)
  mod NAME [dep=A,B] [pre=X,Y] [post=Z] [alias=PATTERN]... [dir=kernel/x]
      [vermagic=STRING] [nothis] [license=L] [export=SYM]...
  builtin NAME [alias=PATTERN]...
"""
import fnmatch
import os
import random
import struct
import subprocess
import sys

DEFAULT_KVER = "6.1.0-fake"


# ---- the spec ----

class Mod:
    def __init__(self, name):
        self.name = name
        self.deps, self.pre, self.post, self.aliases, self.exports = [], [], [], [], []
        self.dir = "kernel/fake"
        self.vermagic = None
        self.this = True
        self.license = "GPL"
        self.builtin = False


def read_spec(path):
    kver, mods = DEFAULT_KVER, []
    with open(path) as f:
        for line in f:
            w = line.split("#", 1)[0].split()
            if not w:
                continue
            if w[0] == "kver":
                kver = w[1]
                continue
            if w[0] not in ("mod", "builtin"):
                sys.exit("fkgen: %s: unknown line: %s" % (path, line.strip()))
            m = Mod(w[1])
            m.builtin = w[0] == "builtin"
            for a in w[2:]:
                k, _, v = a.partition("=")
                if k == "dep":
                    m.deps += [x for x in v.split(",") if x]
                elif k == "pre":
                    m.pre += [x for x in v.split(",") if x]
                elif k == "post":
                    m.post += [x for x in v.split(",") if x]
                elif k == "alias":
                    m.aliases.append(v)
                elif k == "export":
                    m.exports.append(v)
                elif k == "dir":
                    m.dir = v
                elif k == "vermagic":
                    m.vermagic = v.replace("_", " ")
                elif k == "license":
                    m.license = v
                elif k == "nothis":
                    m.this = False
                else:
                    sys.exit("fkgen: %s: unknown attribute %s" % (path, a))
            mods.append(m)
    return kver, mods


def sym(name):
    return "fk_%s_fn" % name


def modinfo(m, kver):
    ent = ["license=" + m.license]
    if m.pre or m.post:
        sd = ""
        if m.pre:
            sd += "pre: " + " ".join(m.pre)
        if m.post:
            sd += (" " if sd else "") + "post: " + " ".join(m.post)
        ent.append("softdep=" + sd)
    ent += ["alias=" + a for a in m.aliases]
    ent.append("depends=" + ",".join(m.deps))
    ent.append("name=" + m.name)
    ent.append("vermagic=" + (m.vermagic or kver + " SMP preempt mod_unload modversions "))
    return ent


# ---- ELF relocatable, written directly ----

def elf_object(m, kver):
    """An x86-64 ELF relocatable shaped like a kernel module."""
    text = b"\x31\xc0\xc3" * (1 + len(m.deps))  # xor eax,eax; ret
    mi = b"".join(e.encode() + b"\0" for e in modinfo(m, kver))
    this = bytearray(0x380)
    this[24:24 + len(m.name)] = m.name.encode()
    exports = [sym(m.name)] + m.exports
    ksymstr = b"".join(s.encode() + b"\0" for s in exports)

    strtab = bytearray(b"\0")

    def s_off(s):
        off = len(strtab)
        strtab.extend(s.encode() + b"\0")
        return off

    # Elf64_Sym: name, info, other, shndx, value, size
    syms = [struct.pack("<IBBHQQ", 0, 0, 0, 0, 0, 0)]
    for i, e in enumerate(exports):
        syms.append(struct.pack("<IBBHQQ", s_off(e), 0x12, 0, 1, 3 * i, 3))  # GLOBAL FUNC
    if m.this:
        syms.append(struct.pack("<IBBHQQ", s_off("__this_module"), 0x11, 0, 3, 0, len(this)))
    for d in m.deps:  # undefined, in first-use order
        syms.append(struct.pack("<IBBHQQ", s_off(sym(d)), 0x10, 0, 0, 0, 0))
    symtab = b"".join(syms)

    names = [b"", b".text", b".modinfo", b".gnu.linkonce.this_module", b"__ksymtab_strings",
             b".symtab", b".strtab", b".shstrtab"]
    if not m.this:
        names[3] = b".data"
    shstr = bytearray()
    name_off = []
    for n in names:
        name_off.append(len(shstr))
        shstr.extend(n + b"\0")

    # sections: (type, flags, data, align, link, info, entsize)
    secs = [
        (0, 0, b"", 0, 0, 0, 0),
        (1, 6, text, 16, 0, 0, 0),              # PROGBITS AX
        (1, 2, mi, 1, 0, 0, 0),                 # PROGBITS A
        (1, 3, bytes(this), 64, 0, 0, 0),       # PROGBITS WA
        (1, 2, ksymstr, 1, 0, 0, 0),
        (2, 0, symtab, 8, 6, 1, 24),            # SYMTAB, link .strtab, first global 1
        (3, 0, bytes(strtab), 1, 0, 0, 0),      # STRTAB
        (3, 0, bytes(shstr), 1, 0, 0, 0),
    ]
    body = bytearray(b"\0" * 64)
    offs = []
    for (_, _, data, align, _, _, _) in secs:
        if align > 1:
            body.extend(b"\0" * (-len(body) % align))
        offs.append(len(body))
        body.extend(data)
    body.extend(b"\0" * (-len(body) % 8))
    shoff = len(body)
    for i, (typ, flags, data, align, link, info, entsize) in enumerate(secs):
        body.extend(struct.pack("<IIQQQQIIQQ", name_off[i], typ, flags, 0,
                                offs[i] if i else 0, len(data), link, info, align, entsize))
    ident = b"\x7fELF\x02\x01\x01" + b"\0" * 9
    hdr = ident + struct.pack("<HHIQQQIHHHHHH", 1, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64,
                              len(secs), len(secs) - 1)
    body[0:64] = hdr
    return bytes(body)


# ---- the same from C, through gcc -c ----

def c_source(m, kver):
    out = ["/* generated by fkgen.py */"]
    for i, e in enumerate(modinfo(m, kver)):
        out.append('static const char mi%d[] __attribute__((section(".modinfo"), used, '
                   'aligned(1))) = "%s";' % (i, e))
    if m.this:
        out.append("struct module { char pad[24]; char name[56]; char rest[0x380 - 80]; };")
        out.append('struct module __this_module __attribute__((section('
                   '".gnu.linkonce.this_module"))) = { .name = "%s" };' % m.name)
    exports = [sym(m.name)] + m.exports
    for i, e in enumerate(exports):
        out.append('static const char ks%d[] __attribute__((section("__ksymtab_strings"), '
                   'used, aligned(1))) = "%s";' % (i, e))
    for d in m.deps:
        out.append("extern int %s(void);" % sym(d))
    calls = "".join(" + %s()" % sym(d) for d in m.deps)
    for e in exports:
        out.append("int %s(void) { return 0%s; }" % (e, calls))
    return "\n".join(out) + "\n"


def write_tree(spec, top, use_gcc):
    kver, mods = read_spec(spec)
    base = os.path.join(top, "lib/modules", kver)
    os.makedirs(base, exist_ok=True)
    order, builtin, binfo = [], [], b""
    srcs = []
    for m in mods:
        rel = "%s/%s.ko" % (m.dir, m.name)
        if m.builtin:
            builtin.append(rel)
            for a in m.aliases:
                binfo += ("%s.alias=%s\0" % (m.name, a)).encode()
            continue
        order.append(rel)
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if use_gcc:
            with open(path[:-3] + ".c", "w") as f:
                f.write(c_source(m, kver))
            srcs.append(path[:-3])
        else:
            with open(path, "wb") as f:
                f.write(elf_object(m, kver))
    if srcs:
        # one gcc per directory: gcc -c a.c b.c writes a.o b.o into the cwd
        bydir = {}
        for s in srcs:
            bydir.setdefault(os.path.dirname(s), []).append(os.path.basename(s))
        for d, names in bydir.items():
            subprocess.run(["gcc", "-c", "-O1", "-fno-pic", "-fno-stack-protector",
                            "-fno-asynchronous-unwind-tables"] + [n + ".c" for n in names],
                           cwd=d, check=True)
            for n in names:
                os.rename(os.path.join(d, n + ".o"), os.path.join(d, n + ".ko"))
                os.unlink(os.path.join(d, n + ".c"))
    with open(os.path.join(base, "modules.order"), "w") as f:
        f.write("".join(r + "\n" for r in order))
    with open(os.path.join(base, "modules.builtin"), "w") as f:
        f.write("".join(r + "\n" for r in builtin))
    with open(os.path.join(base, "modules.builtin.modinfo"), "wb") as f:
        f.write(binfo)
    print(kver)


# ---- random graphs ----

def random_graph(seed, out):
    r = random.Random(seed)
    n = r.randint(20, 60)
    names = ["m%d" % i for i in range(n)]
    mods = []
    for i in range(n):
        m = Mod(names[i])
        k = r.choice([0, 0, 1, 1, 1, 2, 2, 3, 4]) if i else 0
        m.deps = r.sample(names[:i], min(k, i))
        lower = [x for x in names[:i] if x not in m.deps]
        if lower and r.random() < 0.2:
            m.pre = r.sample(lower, min(len(lower), r.randint(1, 2)))
        if i + 1 < n and r.random() < 0.12:
            m.post = [r.choice(names[i + 1:])]
        if r.random() < 0.6:
            m.aliases.append("fake:d%dv*" % i)
        if r.random() < 0.1:
            m.aliases.append("fake:shared%d*" % (i % 3))
        mods.append(m)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "spec"), "w") as f:
        for m in mods:
            a = ["mod", m.name]
            if m.deps:
                a.append("dep=" + ",".join(m.deps))
            if m.pre:
                a.append("pre=" + ",".join(m.pre))
            if m.post:
                a.append("post=" + ",".join(m.post))
            a += ["alias=" + x for x in m.aliases]
            f.write(" ".join(a) + "\n")
    devs = []
    with_alias = [m for m in mods if m.aliases]
    for m in r.sample(with_alias, max(1, len(with_alias) // 3)):
        devs.append(m.aliases[0].replace("*", str(r.randint(0, 9))))
    devs.append("fake:nomatch%d" % seed)
    if r.random() < 0.5:
        devs.append("fake:shared%dx" % r.randint(0, 2))
    with open(os.path.join(out, "devices"), "w") as f:
        f.write("".join(d + "\n" for d in devs))
    with open(os.path.join(out, "kconf"), "w") as f:
        for m in mods:
            if r.random() < 0.5:
                f.write("%s delay %d\n" % (m.name, r.randint(1, 4)))


# ---- checking a log against a graph ----

def resolve(mods, name):
    """Module names a request resolves to: a module name, else every alias match."""
    byname = {m.name: m for m in mods}
    n = name.replace("-", "_")
    if n in byname and not byname[n].builtin:
        return [n]
    hits = [m.name for m in mods if not m.builtin
            and any(fnmatch.fnmatchcase(name, a) for a in m.aliases)]
    return hits


def check(argv, out=sys.stdout):
    spec, logpath = argv[0], argv[1]
    opts = {"want": [], "devices": None, "post": False, "pre": False, "exact": False,
            "fail": [], "forbid": [], "plans": None, "excused": None}
    i = 2
    while i < len(argv):
        a = argv[i]
        if a in ("--post", "--pre", "--exact"):
            opts[a[2:]] = True
        elif a in ("--want", "--fail", "--forbid"):
            i += 1
            opts[a[2:]] = [x for x in argv[i].split(",") if x]
        elif a in ("--devices", "--plans", "--excused"):
            i += 1
            opts[a[2:]] = argv[i]
        else:
            sys.exit("fkgen check: unknown option " + a)
        i += 1
    _, mods = read_spec(spec)
    byname = {m.name: m for m in mods}
    problems = []

    events = []  # (kind, name, result)
    with open(logpath) if os.path.exists(logpath) else open(os.devnull) as f:
        for line in f:
            w = line.split()
            if w and w[0] == "start":
                events.append(("start", w[1], None))
            elif w and w[0] == "end":
                events.append(("end", w[1], w[2]))
            elif w and w[0] == "live":  # live in the kernel: as good as returned
                events.append(("end", w[1], "ok"))
    starts, ends = {}, {}
    for idx, (k, n, res) in enumerate(events):
        if k == "start":
            starts.setdefault(n, []).append(idx)
        else:
            ends.setdefault(n, []).append((idx, res))

    def ended_ok_before(n, idx):
        return any(j < idx and r in ("ok", "EEXIST") for j, r in ends.get(n, []))

    def ended_before(n, idx):
        return any(j < idx for j, _ in ends.get(n, []))

    # --plans: one probe list a line; first[k][name] = its first position
    first = []
    if opts["plans"]:
        with open(opts["plans"]) as f:
            for line in f:
                pos = {}
                for k, n in enumerate(line.split()):
                    pos.setdefault(n, k)
                first.append(pos)

    def planned_first(a, b):
        """Does some probe list insert a before b?"""
        return any(a in pos and b in pos and pos[a] < pos[b] for pos in first)

    excused = []

    for n, s in starts.items():
        if len(s) > 1:
            problems.append("%s inserted %d times" % (n, len(s)))
        if n not in byname:
            continue
        m = byname[n]
        for idx in s:
            for d in m.deps:
                if not ended_ok_before(d, idx):
                    problems.append("%s started before its dependency %s was live" % (n, d))
            for p in m.pre if opts["pre"] else []:
                for pm in resolve(mods, p):
                    if pm in starts and not ended_before(pm, idx):
                        what = "%s started before its pre softdep %s ended" % (n, pm)
                        if planned_first(n, pm):
                            excused.append(what + " (a probe list of --plans has it first too)")
                        else:
                            problems.append(what)

    wanted = []
    for w in opts["want"]:
        wanted += resolve(mods, w)
    if opts["devices"]:
        with open(opts["devices"]) as f:
            for line in f:
                if line.strip():
                    wanted += resolve(mods, line.strip())
    forbid = set(opts["forbid"])

    def closure(roots, skip_edge=None):
        seen, stack = set(), list(roots)
        while stack:
            n = stack.pop()
            if n in seen or n not in byname or n in forbid:
                continue
            seen.add(n)
            m = byname[n]
            for d in m.deps + [x for p in m.pre for x in resolve(mods, p)]:
                stack.append(d)
            for p in m.post:
                for x in resolve(mods, p):
                    if (n, x) != skip_edge:
                        stack.append(x)
        return seen

    want = closure(wanted)
    if opts["exact"]:
        for n in sorted(want - set(starts)):
            problems.append("%s wanted but never inserted" % n)
        for n in sorted(set(starts) - want):
            problems.append("%s inserted but not wanted" % n)
        for n in sorted(want & set(starts)):
            res = [r for _, r in ends.get(n, [])]
            if n not in opts["fail"] and "ok" not in res:
                problems.append("%s did not end ok: %s" % (n, ",".join(res) or "no end"))
    if opts["post"]:
        for n in sorted(want):
            for p in byname[n].post:
                for q in resolve(mods, p):
                    if q in closure(wanted, (n, q)):
                        continue  # reached another way too: no order implied
                    if q in starts and n in ends and starts[q][0] < ends[n][0][0]:
                        problems.append("post softdep %s of %s started before %s ended"
                                        % (q, n, n))
    if opts["excused"]:
        with open(opts["excused"], "w") as f:
            f.write("".join("  " + e + "\n" for e in excused))
    for p in problems[:40]:
        print("  " + p, file=out)
    if len(problems) > 40:
        print("  ... %d more" % (len(problems) - 40), file=out)
    if problems or out is sys.stdout:
        print("check: %d modules inserted, %d wanted, %d problems"
              % (len(starts), len(want), len(problems)), file=out)
    return 1 if problems else 0


def checkgraphs(n, top, modes, only=None):
    for seed in [only] if only else range(1, n + 1):
        g = os.path.join(top, str(seed))
        for mode in modes:
            log = os.path.join(g, mode, "fake-kernel.log")
            for what in ("pre",) if only else ("exact", "pre", "post"):
                args = [os.path.join(g, "spec"), log, "--devices",
                        os.path.join(g, "devices"), "--" + what]
                plans = ["chains.modload"] if mode == "coldplug" else \
                    ["chains.kmod", "chains.modload"]
                plans = [os.path.join(g, x) for x in plans if os.path.exists(os.path.join(g, x))]
                if what == "pre" and plans:
                    args += ["--plans", plans[0],
                             "--excused", os.path.join(g, "%s.pre-excused" % mode)]
                with open(os.path.join(g, "%s.%s" % (mode, what)), "w") as out:
                    check(args, out)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "tree":
        write_tree(args[0], args[1], "--gcc" in args[2:])
    elif cmd == "random":
        random_graph(int(args[0]), args[1])
    elif cmd == "graphs":
        for seed in range(1, int(args[0]) + 1):
            g = os.path.join(args[1], str(seed))
            random_graph(seed, g)
            with open(os.devnull, "w") as null:
                stdout, sys.stdout = sys.stdout, null
                write_tree(os.path.join(g, "spec"), os.path.join(g, "tree"), False)
                sys.stdout = stdout
    elif cmd == "checkgraphs":
        only = None
        if "--pre-only" in args:
            k = args.index("--pre-only")
            only = int(args[k + 1])
            args = args[:k] + args[k + 2:]
        checkgraphs(int(args[0]), args[1], args[2:], only)
    elif cmd == "check":
        sys.exit(check(args))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
