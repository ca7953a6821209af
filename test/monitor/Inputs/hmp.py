#!/usr/bin/env python3
"""Drives xlat-system's monitor over its Unix socket, as a script would:

    hmp.py SOCKET COMMAND...

Prints each command after the prompt, then its output; 'sleep:S' waits,
'wait:FILE:TEXT' waits (up to 300 s) until FILE holds TEXT, and
'stopin:MODES' stops the machine at a moment the selected hart runs in
one of MODES (e.g. SU: not in the firmware), printed as 'stop'."""
import socket
import sys
import time

PROMPT = b"(xlat) "


def main():
    # Line by line, so that a run cut short by a timeout still shows how
    # far it got.
    sys.stdout.reconfigure(line_buffering=True)
    path = sys.argv[1]
    for _ in range(200):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            break
        except OSError:
            time.sleep(0.05)
    else:
        sys.exit("hmp.py: cannot connect to " + path)
    buf = b""

    def until_prompt():
        nonlocal buf
        while PROMPT not in buf:
            data = s.recv(65536)
            if not data:
                out, buf = buf, b""
                return out
            buf += data
        out, _, buf = buf.partition(PROMPT)
        return out

    sys.stdout.write(until_prompt().decode())
    for cmd in sys.argv[2:]:
        if cmd.startswith("sleep:"):
            time.sleep(float(cmd[6:]))
            continue
        if cmd.startswith("wait:"):
            path, _, text = cmd[5:].partition(":")
            deadline = time.time() + 300
            while time.time() < deadline:
                try:
                    if text in open(path, errors="replace").read():
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            else:
                sys.exit(f"hmp.py: {text!r} never appeared in {path}")
            continue
        if cmd.startswith("stopin:"):
            for _ in range(500):
                s.sendall(b"stop\ninfo cpus\n")
                until_prompt()
                cpus = until_prompt().decode()
                mode = [l for l in cpus.splitlines() if l.startswith("*")][0][-1]
                if mode in cmd[7:]:
                    break
                s.sendall(b"cont\n")
                until_prompt()
                time.sleep(0.01)
            else:
                sys.exit("hmp.py: the hart was never in mode " + cmd[7:])
            print("(xlat) stop")
            continue
        s.sendall(cmd.encode() + b"\n")
        print("(xlat) " + cmd)
        sys.stdout.write(until_prompt().decode())
        sys.stdout.flush()


main()
