#!/usr/bin/env python3
"""A minimal gdb remote-protocol client for tests of what gdb itself never
sends: garbage, a disconnect in the middle of a packet, a bare Ctrl-C.

    rsp.py SOCKET STEP...

Steps: 'p:PACKET' sends a packet and prints the reply ('reply: ...'),
'c:PACKET' sends a packet that resumes and does not wait, 'r' prints
the next reply, 'i' sends Ctrl-C, 'raw:TEXT' sends TEXT as it is,
'sleep:S', 'close' ends the connection."""
import socket
import sys
import time


def connect(path):
    for _ in range(100):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            time.sleep(0.1)
    sys.exit("rsp.py: cannot connect to " + path)


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, body):
        cs = sum(body.encode()) & 0xFF
        self.sock.sendall(b"$%s#%02x" % (body.encode(), cs))

    def reply(self):
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                body = self.buf[start + 1:end].decode()
                self.buf = self.buf[end + 3:]
                self.sock.sendall(b"+")
                return body
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data


def main():
    c = Client(connect(sys.argv[1]))
    for step in sys.argv[2:]:
        kind, _, arg = step.partition(":")
        if kind == "p":
            c.send(arg)
            print("reply:", c.reply())
        elif kind == "c":
            c.send(arg)
        elif kind == "r":
            print("reply:", c.reply())
        elif kind == "i":
            c.sock.sendall(b"\x03")
        elif kind == "raw":
            c.sock.sendall(arg.encode())
        elif kind == "sleep":
            time.sleep(float(arg))
        elif kind == "close":
            c.sock.close()
            return
        sys.stdout.flush()


main()
