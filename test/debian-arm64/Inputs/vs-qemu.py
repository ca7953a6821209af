"""Runs one arm64 program under qemu-aarch64 and under xlat-run, both with
the arm64 sysroot as -L, and compares what they did: stdout byte for byte
and the exit status, which must also be --status's (default 0). Prints
xlat-run's stdout (for FileCheck) and exits 0 when all agree; otherwise
says what differs on stderr and exits 1.

    vs-qemu.py XLAT_RUN SYSROOT --cwd DIR [--stdin FILE] [--status N] -- PROG [ARGS...]

PROG is a path inside the sysroot (/usr/bin/xz). Each run gets the same
stdin file and a scratch working directory of its own (under --cwd) so
that files a program writes do not meet."""
import argparse, os, shutil, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("xlat_run")
ap.add_argument("sysroot")
ap.add_argument("--stdin")
ap.add_argument("--cwd", required=True)
ap.add_argument("--status", type=int, default=0)
if "--" not in sys.argv:
    sys.exit("vs-qemu: no -- before the program")
split = sys.argv.index("--")
a = ap.parse_args(sys.argv[1:split])
cmd = sys.argv[split + 1:]
prog = os.path.join(a.sysroot, cmd[0].lstrip("/"))
env = dict(os.environ, LC_ALL="C", TZ="UTC")


def run(name, runner):
    d = os.path.join(a.cwd, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(a.stdin or os.devnull, "rb") as inp:
        p = subprocess.run(runner + [prog] + cmd[1:], stdin=inp, stdout=subprocess.PIPE,
                           cwd=d, env=env, timeout=600)
    return p.stdout, p.returncode


ref, ref_status = run("qemu", ["qemu-aarch64", "-L", a.sysroot])
out, status = run("xlat", [a.xlat_run, "-L", a.sysroot])
sys.stdout.buffer.write(out)
bad = False
if status != ref_status:
    print("vs-qemu: exit status %d, qemu-aarch64 %d" % (status, ref_status), file=sys.stderr)
    bad = True
if ref_status != a.status:
    print("vs-qemu: qemu-aarch64's exit status %d, not %d" % (ref_status, a.status), file=sys.stderr)
    bad = True
if out != ref:
    at = next((i for i, (x, y) in enumerate(zip(out, ref)) if x != y), min(len(out), len(ref)))
    print("vs-qemu: stdout differs from qemu-aarch64's at byte %d (%d and %d bytes)"
          % (at, len(out), len(ref)), file=sys.stderr)
    bad = True
sys.exit(1 if bad else 0)
