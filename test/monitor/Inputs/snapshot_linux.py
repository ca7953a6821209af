#!/usr/bin/env python3
"""A snapshot round trip of Linux across two xlat-system processes:

    snapshot_linux.py DIR XLAT-SYSTEM ARGS...

ARGS hold @FWD@, a host port forwarded to the guest's 7777. The first run
boots with xlat_net on its command line; once the init listens on 7777,
`savevm s1` over the monitor; then a client trades a line with the guest
and the init ends. The second run starts with -loadvm s1, and the same
client exchange ends it. The init's lines after the save point must be
the same in both runs. Prints them and 'same' or 'different'."""
import os
import socket
import subprocess
import sys
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def exchange(port, proc):
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.settimeout(60)
                if s.recv(100):
                    s.sendall(b"host-hello\n")
                    s.shutdown(socket.SHUT_WR)
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def wait_for(path, text):
    deadline = time.time() + 300
    while time.time() < deadline:
        if text in open(path, errors="replace").read():
            return True
        time.sleep(0.1)
    return False


def monitor(sock, command):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    buf = b""
    def prompt():
        nonlocal buf
        while b"(xlat) " not in buf:
            data = s.recv(65536)
            if not data:
                break
            buf += data
        out, _, buf = buf.partition(b"(xlat) ")
        return out.decode()
    prompt()
    s.sendall(command.encode() + b"\n")
    reply = prompt()
    s.close()
    return reply


def run(dir, args, extra, name, save):
    fwd = free_port()
    console = os.path.join(dir, name + ".out")
    argv = [a.replace("@FWD@", str(fwd)) for a in args] + extra
    with open(console, "w") as out:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
        if save:
            if not wait_for(console, "xlat-init: listening on 7777"):
                sys.exit("the first run never listened")
            print("savevm:", repr(monitor(save, "savevm s1")))
        ok = exchange(fwd, proc)
        status = proc.wait(timeout=300)
    lines = [l for l in open(console, errors="replace").read().splitlines()
             if l.startswith("xlat-init:")]
    print(f"{name}: exchange {'ok' if ok else 'failed'}, exit {status}")
    return lines


def main():
    dir, args = sys.argv[1], sys.argv[2:]
    sock = os.path.join(dir, "mon.sock")
    first = run(dir, args, ["--snapshot-dir=" + dir,
                            "-monitor", f"unix:{sock},server,nowait"], "first", sock)
    after_save = first[first.index("xlat-init: listening on 7777") + 1:]
    second = run(dir, args, ["--snapshot-dir=" + dir, "-loadvm", "s1",
                             "-monitor", "none"], "second", None)
    for l in after_save:
        print("first:", l)
    for l in second:
        print("second:", l)
    print("same" if after_save and after_save == second else "different")


main()
