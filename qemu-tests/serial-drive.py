#!/usr/bin/env python3
"""serial-drive.py: type commands into a shell on a VM's serial console.

    serial-drive.py SOCKET LOG OUTDIR WAIT_TEXT TOTAL_SECS STEP_SECS CMD...

Connects to QEMU's serial chardev (a listening UNIX socket), copies all it
reads to LOG, waits for WAIT_TEXT (e.g. the rescue shell's banner), then
sends each CMD as one line wrapped in markers that only the shell's output
can contain (the echoed input reads `@@E$((N+0))`, the output `@@EN`):

    echo @@B$((N+0)); CMD; echo @@E$((N+0))

What came between @@BN and @@EN goes to OUTDIR/stepN.out (N from 1).
Then it types `exit` and copies the console to LOG until the VM ends. A
step not finished in STEP_SECS, or the whole run past TOTAL_SECS, stops the
driver with exit 1 (what was read is in LOG); the VM's end (EOF) is fine
after the last command. Exit 0 when every step finished.
"""
import os
import re
import socket
import sys
import time


def main():
    sock_path, log_path, outdir, wait_text = sys.argv[1:5]
    total, step_secs = float(sys.argv[5]), float(sys.argv[6])
    cmds = sys.argv[7:]
    end = time.monotonic() + total
    s = None
    while time.monotonic() < end and s is None:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sock_path)
        except OSError:
            s = None
            time.sleep(0.1)
    if s is None:
        print("serial-drive: cannot connect to " + sock_path, file=sys.stderr)
        return 1
    log = open(log_path, "wb")
    buf = bytearray()

    def read_until(pattern, limit):
        """Read until pattern (a compiled bytes regex) matches buf; the match."""
        stop = min(limit, end)
        while True:
            m = pattern.search(buf)
            if m:
                return m
            left = stop - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(min(left, 1.0))
            try:
                data = s.recv(65536)
            except socket.timeout:
                continue
            if not data:
                return None
            log.write(data)
            log.flush()
            buf.extend(data)

    if not read_until(re.compile(re.escape(wait_text.encode())), end):
        print("serial-drive: never saw '%s'" % wait_text, file=sys.stderr)
        return 1
    time.sleep(1.0)  # let the shell print its prompt
    del buf[:]
    for n, cmd in enumerate(cmds, 1):
        line = "echo @@B$((%d+0)); %s; echo @@E$((%d+0))\n" % (n, cmd, n)
        s.sendall(line.encode())
        m = read_until(re.compile(rb"(?m)^@@B%d\r?\n(.*?)^@@E%d\r?$" % (n, n), re.S),
                       time.monotonic() + step_secs)
        if not m:
            print("serial-drive: step %d (%s) did not finish" % (n, cmd), file=sys.stderr)
            return 1
        with open(os.path.join(outdir, "step%d.out" % n), "wb") as f:
            f.write(m.group(1).replace(b"\r", b""))
        del buf[:m.end()]
    s.sendall(b"exit\n")  # leave the shell; copy what comes until the VM ends
    read_until(re.compile(rb"(?!)"), end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
