#!/usr/bin/env python3
"""configdiff.py: modload against kmod on real modprobe.d files (see tests/diff-config).

For each file, every name its lines mention (modules, aliases, softdep names,
install/remove names, alias patterns) is asked with --show-depends,
-b --show-depends, -R and -n -v, of kmod (-C FILE) and of modload twice: with
FILE compiled into the blob (ROOT_i, modpack --config FILE) and with FILE at
run time (-C FILE on the blob without configuration). Output (with the
module directory written as ROOT) and exit status must be the same."""
import argparse, os, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("--kver", required=True)
ap.add_argument("--root", required=True)       # depmod'ed, blob without config
ap.add_argument("--croot", required=True)      # per file: CROOT/<i>/lib/modules/KVER/modload.blob
ap.add_argument("--modload", required=True)
ap.add_argument("--nv", action="store_true")   # -n -v too (needs an empty /sys/module)
ap.add_argument("files", nargs="+")
a = ap.parse_args()

def names(path):
    out = []
    text = open(path, "rb").read().decode("utf-8", "replace").replace("\\\n", "")
    for line in text.split("\n"):
        if line.startswith("#"):
            continue
        w = line.split()
        if len(w) < 2:
            continue
        k = w[0]
        if k in ("blacklist", "install", "remove", "options"):
            out.append(w[1])
        elif k == "alias" and len(w) >= 3:
            out += [w[1], w[2]]
        elif k in ("softdep", "weakdep"):
            out += [x for x in w[1:] if x not in ("pre:", "post:")]
    seen, res = set(), []
    for n in out:
        if n not in seen:
            seen.add(n)
            res.append(n)
    return res

def run(cmd, root):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    d = os.path.join(root, "lib/modules", a.kver)
    return p.stdout.decode("utf-8", "replace").replace(d, "ROOT"), p.returncode

modes = [["--show-depends"], ["-b", "--show-depends"], ["-R"]] + ([["-n", "-v"]] if a.nv else [])
nq = ndiff = 0
for i, f in enumerate(a.files):
    croot = os.path.join(a.croot, str(i))
    for n in names(f):
        for m in modes:
            base = ["-S", a.kver] + m + [n]
            k = run(["modprobe", "-d", a.root, "-C", f] + base, a.root)
            ours = [("compiled in", run([a.modload, "modprobe", "-d", croot, "-C", "/dev/null"] + base, croot)),
                    ("at run time", run([a.modload, "modprobe", "-d", a.root, "-C", f] + base, a.root))]
            for how, o in ours:
                nq += 1
                if o != k:
                    ndiff += 1
                    print("DIFF %s (%s): modprobe %s %s" % (os.path.basename(f), how, " ".join(m), n))
                    print("  kmod    (rc %d): %s" % (k[1], k[0].rstrip("\n").replace("\n", "\n                   ")))
                    print("  modload (rc %d): %s" % (o[1], o[0].rstrip("\n").replace("\n", "\n                   ")))
print("diff-config: %s (%d files, %d queries, %d differences)" %
      ("PASS" if ndiff == 0 else "FAIL", len(a.files), nq, ndiff))
sys.exit(1 if ndiff else 0)
