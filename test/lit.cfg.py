# lit configuration for xlat's test suites.
#
# Tests run under bash (execute_external=True), so RUN lines may use `$?`,
# `;`, `test`, `for` and process substitution; lit joins RUN lines with `&&`
# and sets pipefail. Exit-status checks read `RUN: %xlat-run %t; test $? -eq 42`.
#
# Tiers: every run test has one RUN line per execution tier, e.g.
#   RUN: %xlat-run --tier=interp %t | diff %t.expected -
#   RUN: %xlat-run --tier=block  %t | diff %t.expected -
#   RUN: %xlat-run --tier=template  %t | diff %t.expected -
# %{tiers} expands to the tiers under test ("interp template block adaptive", override with
# `--param tiers=interp`), for tests that prefer a loop:
#   RUN: for t in %{tiers}; do %xlat-run --tier=$t %t | FileCheck %s || exit 1; done
# %{a64-tiers} is the same for AArch64 programs, as option words: the
# interpreter, the template and LLVM block tiers, and adaptive with a
# threshold low enough that short programs run compiled regions:
#   RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 | FileCheck %s || exit 1; done
#
# Parameters (--param NAME=VALUE or LIT_OPTS):
#   xlat_run=PATH   run this instead of build/bin/xlat-run
#   qemu=PATH       the oracle (default: qemu-riscv64 on PATH)
#   tiers="a b"     what %{tiers} expands to
#   aot=1           run xlat-aot on each program before xlat-run does
#                   (utils/xlat-run-aot): the suite on ahead-of-time code
#   cache=DIR       the runs' translation cache is DIR, as it is, instead
#                   of an empty one of the suite's own: the suite on a warm
#                   cache, or on one it cannot write (README, "Tests")

import os
import sys
import resource
import shutil
import subprocess

import lit.formats

config.name = "xlat"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".c", ".cpp", ".S", ".s", ".test", ".ll"]
config.excludes = ["Inputs", "CMakeLists.txt", "unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.xlat_obj_root, "test")

# A small, predictable environment: the guest programs print their
# environment in some tests.
for var in ["LC_ALL", "LANG", "TZ", "XLAT_OPTS", "XLAT_CACHE_DIR",
            "XDG_CACHE_HOME"]:
    config.environment.pop(var, None)
config.environment["LC_ALL"] = "C"
config.environment["TZ"] = "UTC"


def param(name, default):
    return lit_config.params.get(name, default)


# The translation cache (docs/cache-format.md): every run of the suite
# starts with an empty one of its own, which the tests then share, as a
# user's runs would. Tests of the JIT's own counters pass --no-cache.
cache_dir = param("cache", None)
if cache_dir is None:
    cache_dir = os.path.join(config.xlat_obj_root, "test", "xlat-cache")
    shutil.rmtree(cache_dir, ignore_errors=True)
config.environment["XLAT_CACHE_DIR"] = os.path.abspath(cache_dir)


# The project's tools.
xlat_run = param("xlat_run", os.path.join(config.xlat_tools_dir, "xlat-run"))
xlat_lift = os.path.join(config.xlat_tools_dir, "xlat-lift")
xlat_aot = os.path.join(config.xlat_tools_dir, "xlat-aot")
# No feature for them on purpose: a missing tool must fail tests, not skip them.

# FileCheck, not and count from LLVM 19, found through PATH (no
# substitution, so the words stay safe inside option values).
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, "/usr/lib/llvm-19/bin",
     config.environment.get("PATH", os.environ.get("PATH", ""))])

# The guest toolchain: static RV64GC Linux binaries. Tests add -O0/-O2.
cross = "riscv64-linux-gnu-"
cflags = "-static -Wall -Wno-unused-result"
config.substitutions.append(("%rv-cc", f"{cross}gcc {cflags}"))
config.substitutions.append(("%rv-cxx", f"{cross}g++ {cflags}"))
config.substitutions.append(("%rv-objdump", f"{cross}objdump"))
config.substitutions.append(("%rv-nm", f"{cross}nm"))
# The host's own build of a test, where the host kernel is the oracle.
config.substitutions.append(("%host-cc", "clang-19 -Wall -Wno-unused-result"))
if shutil.which(cross + "gcc"):
    config.available_features.add("rv-cc")

# The A64 guest's tests: static programs without a libc, assembled and
# linked by LLVM (a required dependency), run by qemu-aarch64 as the oracle.
# No libgcc: atomics inline (clang calls libgcc's outline atomics when it
# finds a GCC cross installation for the target).
config.substitutions.append(
    ("%a64-cc", "clang-19 --target=aarch64-linux-gnu -nostdlib -static -fuse-ld=lld "
                "-mno-outline-atomics"))
config.substitutions.append(
    ("%a64-sem-check", os.path.join(config.xlat_tools_dir, "a64-sem-check")))
# Programs against glibc (test/programs): Debian's arm64 cross toolchain,
# static as the RISC-V ones are.
config.substitutions.append(("%a64-gcc", f"aarch64-linux-gnu-gcc {cflags}"))
config.substitutions.append(("%a64-gxx", f"aarch64-linux-gnu-g++ {cflags}"))
config.substitutions.append(("%qemu-aarch64", "qemu-aarch64"))
if shutil.which("qemu-aarch64"):
    config.available_features.add("qemu-aarch64")

# A process that may map below vm.mmap_min_addr (the kernel's exemption).
try:
    for line in open("/proc/self/status"):
        if line.startswith("CapEff:") and int(line.split()[1], 16) >> 17 & 1:
            config.available_features.add("cap-sys-rawio")
except OSError:
    pass

# A mount namespace of a test's own (unshare -m: root), where it mounts a
# read-only or a full file system for the translation cache to meet.
try:
    probe = os.path.join(config.xlat_obj_root, "test", "mount-ns-probe")
    os.makedirs(probe, exist_ok=True)
    if subprocess.run(["unshare", "-m", "mount", "-t", "tmpfs", "-o", "size=4k", "none", probe],
                      capture_output=True, timeout=30).returncode == 0:
        config.available_features.add("mount-ns")
except (OSError, subprocess.TimeoutExpired):
    pass

# The oracle.
qemu = param("qemu", shutil.which("qemu-riscv64") or "qemu-riscv64")
if shutil.which(qemu):
    config.available_features.add("qemu")
config.substitutions.append(("%qemu-riscv64", qemu))

# xlat-run itself, even under aot=1: for tests of the cache the JIT writes
# and of how xlat-run treats a file it is handed (damaged, refused), which
# xlat-aot would add to or rewrite first, and where one program's path is
# wanted (bench/run --xlat, which chooses each mode's cache itself).
# Before %xlat-run, whose name is a prefix of it.
config.substitutions.append(("%xlat-run-unwrapped", xlat_run))
if param("aot", "0") == "1":
    xlat_run = " ".join([os.path.join(config.test_source_root, "..", "utils", "xlat-run-aot"),
                         xlat_aot, xlat_run])
config.substitutions.append(("%xlat-run", xlat_run))
config.substitutions.append(("%xlat-lift", xlat_lift))
config.substitutions.append(("%xlat-aot", xlat_aot))
# The debugger gdb stub tests drive (utils/bootstrap installs it; no feature:
# a missing one fails them).
config.substitutions.append(("%gdb", "gdb-multiarch"))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%{tiers}", param("tiers", "interp template block adaptive")))
config.substitutions.append(("%{a64-tiers}", param(
    "a64_tiers", '--tier=interp --tier=template --tier=block '
    '"--tier=adaptive --hot-threshold=64 --background-compile=off"')))

# Benchmark workloads built from Debian sources (test/bench): the `check`
# target fetches the sources first (bench/build-workloads --fetch-only); a
# workload whose source cannot be fetched has a reason file instead, and
# its test is unsupported rather than failed or passed.
bench_results = os.path.join(config.xlat_src_root, "bench", "results", "workloads")
for name in ["lua", "bzip2", "xz", "zstd", "sqlite3"]:
    why = os.path.join(bench_results, name, "unavailable")
    if os.path.exists(why):
        lit_config.note("bench-%s unsupported: %s" % (name, open(why).read().strip()))
    else:
        config.available_features.add("bench-" + name)

# The Debian archive's source index (test/utils/apt-fetch-archive.test).
try:
    import subprocess
    src = subprocess.run(["apt-cache", "showsrc", "--only-source", "bzip2"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if src.stdout.strip():
        config.available_features.add("apt-sources")
except OSError:
    pass

# binfmt_misc registrations (test/binfmt): root, a kernel that has it, and
# the right to mount (binfmt_misc itself, mount namespaces for the chroot).
binfmt_dir = "/proc/sys/fs/binfmt_misc"
try:
    if os.geteuid() == 0 and "binfmt_misc" in open("/proc/filesystems").read():
        if not os.path.exists(os.path.join(binfmt_dir, "register")):
            subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", binfmt_dir],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        private_mounts = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "true"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        if not os.access(os.path.join(binfmt_dir, "register"), os.W_OK):
            lit_config.note("binfmt-misc unsupported: cannot mount or write " + binfmt_dir)
        elif not private_mounts:
            lit_config.note("binfmt-misc unsupported: no mount namespaces for the chroot")
        else:
            config.available_features.add("binfmt-misc")
except OSError:
    pass
config.substitutions.append(("%xlat-binfmt", os.path.join(config.xlat_tools_dir, "xlat-binfmt")))

# Guests killed by a signal (abort tests) must not leave core files behind;
# the soft limit is inherited by every RUN line. A test that wants cores
# (of its own, in a directory of its own) raises it up to the hard limit,
# if the kernel writes them as files (core_pattern not a pipe to a helper).
core_hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
resource.setrlimit(resource.RLIMIT_CORE, (0, core_hard))
try:
    if core_hard != 0 and not open("/proc/sys/kernel/core_pattern").read().startswith("|"):
        config.available_features.add("core-dumps")
except OSError:
    pass

# System mode (test/sysemu): bare-metal programs built with the cross
# compiler against a tiny runtime (test/sysemu/Inputs), run by xlat-system
# and by qemu-system-riscv64 -M virt, the oracle.
xlat_system = param("xlat_system", os.path.join(config.xlat_tools_dir, "xlat-system"))
config.substitutions.append(("%xlat-system", xlat_system))
qemu_system = param("qemu_system", shutil.which("qemu-system-riscv64") or "qemu-system-riscv64")
if shutil.which(qemu_system):
    config.available_features.add("qemu-system")
config.substitutions.append(("%qemu-system", qemu_system + " -M virt -nographic -monitor none"))
sysemu_inputs = os.path.join(config.test_source_root, "sysemu", "Inputs")
config.substitutions.append(
    ("%rv-bare-cc",
     f"{cross}gcc -nostdlib -nostartfiles -static -ffreestanding -O2 -Wall "
     f"-march=rv64gc -mabi=lp64d -mcmodel=medany -I{sysemu_inputs} "
     f"-T {sysemu_inputs}/link.ld {sysemu_inputs}/start.S {sysemu_inputs}/bare.c"))
opensbi = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf"
if os.path.exists(opensbi):
    config.available_features.add("opensbi")

# The Linux kernel and initramfs of the boot test (utils/build-sysemu-images,
# which the check target runs first).
images = os.environ.get("XLAT_IMAGES_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
    "xlat-images", "sysemu")
if os.path.exists(os.path.join(images, "stamp")):
    config.available_features.add("sysemu-images")
else:
    lit_config.note("sysemu-images unsupported: no %s/stamp" % images)
config.substitutions.append(("%sysemu-images", images))

# Debian's own arm64 binaries and their libraries (utils/fetch-arm64-sysroot,
# which the check target runs first), for test/debian-arm64.
arm64 = os.environ.get("XLAT_ARM64_SYSROOT_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
    "xlat-images", "arm64-sysroot")
if os.path.exists(os.path.join(arm64, "stamp")):
    config.available_features.add("arm64-sysroot")
else:
    lit_config.note("arm64-sysroot unsupported: no %s/stamp" % arm64)
config.arm64_root = os.path.join(arm64, "root")
config.substitutions.append(("%arm64-root", config.arm64_root))
