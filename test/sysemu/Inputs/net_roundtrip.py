#!/usr/bin/env python3
"""The user-network round trip of net.test, both ways, on the loopback:

    net_roundtrip.py XLAT-SYSTEM ARGS...

An HTTP server on a free loopback port serves /hello; the machine runs
with @HTTP@ in its arguments replaced by that port and @FWD@ by another
free port, which a hostfwd rule forwards to the guest's port 7777. Once
the guest listens there, a client reads its greeting and answers. Prints
the client's result, then the console output and the exit status."""
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    www = tempfile.mkdtemp()
    with open(os.path.join(www, "hello"), "w") as f:
        f.write("hello-from-host\n")
    handler = lambda *a, **k: Quiet(*a, directory=www, **k)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    fwd = free_port()
    args = [a.replace("@HTTP@", str(httpd.server_address[1])).replace("@FWD@", str(fwd))
            for a in sys.argv[1:]]
    out = tempfile.TemporaryFile()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out,
                            stderr=subprocess.STDOUT)
    got = b""
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None and not got:
        try:
            with socket.create_connection(("127.0.0.1", fwd), timeout=2) as s:
                # Long: a slow machine takes its time to answer; a guest not
                # listening yet resets the connection at once.
                s.settimeout(60)
                got = s.recv(100)
                if got:
                    s.sendall(b"host-hello\n")
                    s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        if not got:
            time.sleep(0.2)
    print("client got:", got.decode(errors="replace").strip())
    try:
        status = proc.wait(timeout=max(10, deadline - time.time()))
    except subprocess.TimeoutExpired:
        proc.kill()
        status = "timeout"
    out.seek(0)
    sys.stdout.write(out.read().decode(errors="replace"))
    print("exit", status)
    httpd.shutdown()


main()
