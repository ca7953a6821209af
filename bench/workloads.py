"""The benchmark workloads: the small C kernels of bench/kernels and real
programs built from Debian sources by bench/build-workloads.

A workload is a list of steps; each step runs one program with arguments and
an optional stdin (a file, or the previous step's stdout). A run's result is
its total wall time and the SHA-256 of every step's stdout; a run under a
translator must produce the same digests as the native run (an arm64
build's: as qemu-aarch64's run of it, see bench/README.md).
"""
import hashlib, os, shutil, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
# XLAT_BENCH_RESULTS moves bench/results elsewhere (tests use a scratch one).
RESULTS = os.environ.get("XLAT_BENCH_RESULTS") or os.path.join(BENCH, "results")
KERNELS = os.path.join(BENCH, "kernels")
KERNEL_BIN = os.path.join(RESULTS, "bin")
DEBIAN_BIN = os.path.join(RESULTS, "workloads")
DATA = os.path.join(RESULTS, "data")
# The arm64 column: Debian's own arm64 binaries and libraries, unpacked by
# utils/fetch-arm64-sysroot (its default place, or $XLAT_ARM64_SYSROOT_DIR).
ARM64_ROOT = os.path.join(
    os.environ.get("XLAT_ARM64_SYSROOT_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
        "xlat-images", "arm64-sysroot"), "root")
# Where each Debian workload's program is in that sysroot.
ARM64_PROGRAMS = {"lua": "usr/bin/lua5.4", "bzip2": "bin/bzip2", "xz": "usr/bin/xz",
                  "zstd": "usr/bin/zstd", "sqlite3": "usr/bin/sqlite3"}

# Kernel flags: the same for both compilers. -ffp-contract=off because GCC
# fuses a*b+c into fmadd on riscv64 but has no FMA in the x86-64 baseline,
# and the outputs must match byte for byte.
KERNEL_FLAGS = ["-O2", "-static", "-ffp-contract=off"]

# Kernels: name -> (source, small args, full args); full is about a second
# natively.
KERNEL_SIZES = {
    "sieve": ("sieve.c", ["2000000", "2"], ["16000000", "32"]),
    "nbody": ("nbody.c", ["200000"], ["20000000"]),
    "fib": ("fib.c", ["27"], ["42"]),
    "qsort": ("qsort.c", ["200000", "1"], ["1000000", "8"]),
    "objects": ("objects.cpp", ["1"], ["40"]),
    "fft": ("fft.c", ["2"], ["600"]),
    # Code churn: its native time is mostly the code it generates, which a
    # translator must translate anew: ~0.1 s natively.
    "exprjit": ("exprjit.c", ["500", "100"], ["50000", "400"]),
}

# Input sizes of the generated data, in bytes.
DATA_BYTES = {"small": 64 << 10, "bzip2": 6 << 20, "xz": 2 << 20, "zstd": 2 << 20}


PREV = object()  # Step.stdin: the previous step's stdout


class Step:
    def __init__(self, prog, args, stdin=None, want=None):
        self.prog = prog    # key into the workload's binaries
        self.args = args
        self.stdin = stdin  # None, a file path, or PREV
        self.want = want    # a file the native stdout must equal, or None


class Workload:
    def __init__(self, name, kind, what, steps, bins):
        self.name = name
        self.kind = kind    # "kernel" or "debian"
        self.what = what    # one line for the table legend
        self.steps = steps  # size -> [Step]
        self.bins = bins    # prog -> {"rv64": path, "a64": path, "native": path}


def gen_data(nbytes):
    """Log-like text with a skewed vocabulary and some random hex tokens:
    compressible, but not trivially. Deterministic (own xorshift)."""
    path = os.path.join(DATA, "text-v1-%d.txt" % nbytes)
    if os.path.exists(path):
        return path
    state = 0x9E3779B97F4A7C15

    def rnd(n):
        nonlocal state
        state ^= (state << 13) & 0xFFFFFFFFFFFFFFFF
        state ^= state >> 7
        state ^= (state << 17) & 0xFFFFFFFFFFFFFFFF
        return state % n

    letters = "etaoinshrdlcumwfgypbvkjxqz"
    vocab = ["".join(letters[min(rnd(26), rnd(26))] for _ in range(2 + rnd(8)))
             for _ in range(4000)]
    verbs = ["GET", "PUT", "POST", "DELETE"]
    out, size, t = [], 0, 1_700_000_000
    while size < nbytes:
        t += rnd(5)
        words = " ".join(vocab[min(rnd(4000), rnd(4000), rnd(4000))]
                         for _ in range(3 + rnd(9)))
        line = "%d host%02d %s /%s/%s %d %x %s\n" % (
            t, rnd(40), verbs[rnd(4)], vocab[rnd(300)], vocab[rnd(4000)],
            [200, 200, 200, 404, 500][rnd(5)], rnd(1 << 32), words)
        out.append(line)
        size += len(line)
    os.makedirs(DATA, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("".join(out)[:nbytes])
    os.replace(tmp, path)
    return path


def kernel_binaries():
    """Builds the kernels (and hello) for each target when out of date: the
    arm64 ones only where its cross compiler is installed."""
    os.makedirs(KERNEL_BIN, exist_ok=True)
    stamp = " ".join(KERNEL_FLAGS)
    stamp_file = os.path.join(KERNEL_BIN, "flags")
    old = open(stamp_file).read() if os.path.exists(stamp_file) else ""
    bins = {}
    for name, src in [(n, s[0]) for n, s in KERNEL_SIZES.items()] + [("hello", "hello.c")]:
        path = os.path.join(KERNELS, src)
        out = {"rv64": os.path.join(KERNEL_BIN, name + ".rv64"),
               "native": os.path.join(KERNEL_BIN, name + ".native")}
        cpp = src.endswith(".cpp")
        compilers = [("rv64", "riscv64-linux-gnu-g++" if cpp else "riscv64-linux-gnu-gcc"),
                     ("native", "g++" if cpp else "gcc")]
        a64cc = "aarch64-linux-gnu-g++" if cpp else "aarch64-linux-gnu-gcc"
        if shutil.which(a64cc):
            out["a64"] = os.path.join(KERNEL_BIN, name + ".a64")
            compilers.append(("a64", a64cc))
        for arch, cc in compilers:
            o = out[arch]
            if old != stamp or not os.path.exists(o) or \
               os.path.getmtime(o) < os.path.getmtime(path):
                subprocess.run([cc] + KERNEL_FLAGS + [path, "-o", o, "-lm"], check=True)
        bins[name] = out
    with open(stamp_file, "w") as f:
        f.write(stamp)
    return bins


def debian_binaries(name):
    d = os.path.join(DEBIAN_BIN, name)
    bins = {"rv64": os.path.join(d, "rv64"), "native": os.path.join(d, "native")}
    a64 = os.path.join(ARM64_ROOT, ARM64_PROGRAMS[name])
    if os.path.exists(a64):
        bins["a64"] = a64
    return {name: bins}


def compressor(name, levels, what):
    """Compress then decompress at each level; the decompressed stream must
    be the input itself (checked by bench/run against the data file)."""
    def steps(size):
        data = gen_data(DATA_BYTES["small" if size == "small" else name])
        out = []
        for lv in levels:
            out.append(Step(name, [lv, "-c"], data))
            out.append(Step(name, ["-d", "-c"], PREV, want=data))
        return out
    return Workload(name, "debian", what, steps, debian_binaries(name))


def all_workloads():
    """name -> Workload; the Debian ones only when built."""
    kb = kernel_binaries()
    ws = {}
    for name, (_, small, full) in KERNEL_SIZES.items():
        ws[name] = Workload(name, "kernel", "kernel " + KERNEL_SIZES[name][0],
                            lambda size, s=small, f=full, n=name:
                            [Step(n, s if size == "small" else f)],
                            {name: kb[name]})
    lua_script = os.path.join(BENCH, "lua", "bench.lua")
    ws["lua"] = Workload(
        "lua", "debian", "Lua 5.4 interpreter running bench/lua/bench.lua",
        lambda size: [Step("lua", [lua_script, "1" if size == "small" else "160"])],
        debian_binaries("lua"))
    ws["bzip2"] = compressor("bzip2", ["-9"], "bzip2 -9 compress + decompress")
    ws["xz"] = compressor("xz", ["-6"], "xz -6 compress + decompress")
    ws["zstd"] = compressor("zstd", ["-3", "-19"],
                            "zstd -3 and -19 compress + decompress")
    sql = os.path.join(BENCH, "sql", "bench.sql")
    ws["sqlite3"] = Workload(
        "sqlite3", "debian", "sqlite3 shell running bench/sql/bench.sql in memory",
        lambda size: [Step("sqlite3", [
            "-batch", "-init", "/dev/null", "-cmd",
            ".parameter set @n %d" % (2000 if size == "small" else 300000),
            ":memory:"], sql)],
        debian_binaries("sqlite3"))
    return ws, kb["hello"]


def digest(data):
    return hashlib.sha256(data).hexdigest()
