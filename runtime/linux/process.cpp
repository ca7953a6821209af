// Process identity, limits, accounting and scheduling syscalls.
#include "lifter/core/log.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/syscall_impl.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

namespace xlat::linux_abi {

int64_t sys_getpid(SyscallCtx &c) { return ::getpid(); }
int64_t sys_getppid(SyscallCtx &c) { return ::getppid(); }
int64_t sys_gettid(SyscallCtx &c) { return guestTid(c.t); }
int64_t sys_getuid(SyscallCtx &c) { return ::getuid(); }
int64_t sys_geteuid(SyscallCtx &c) { return ::geteuid(); }
int64_t sys_getgid(SyscallCtx &c) { return ::getgid(); }
int64_t sys_getegid(SyscallCtx &c) { return ::getegid(); }

int64_t sys_uname(SyscallCtx &c) {
  // struct new_utsname: six 65-byte fields on every ABI.
  struct utsname u;
  if (::uname(&u) < 0)
    return -errno;
  memset(u.machine, 0, sizeof u.machine);
  strcpy(u.machine, c.proc.abi->name); // "riscv64", "aarch64": uname -m
  return writeGuest(c.mem, c.a[0], u) ? 0 : -EFAULT;
}

int64_t sys_getrandom(SyscallCtx &c) {
  void *buf = hostPtr(c.mem, c.a[0], c.a[1]);
  if (!buf)
    return -EFAULT;
  return errnoResult(::syscall(SYS_getrandom, buf, c.a[1], (unsigned)c.a[2]));
}

namespace {

// Limits that shape the translator's own address space: the guest may read
// them, but setting them would constrain the host process (qemu does the
// same).
bool limitIsHostOnly(int resource) {
  return resource == RLIMIT_AS || resource == RLIMIT_DATA ||
         resource == RLIMIT_STACK;
}

// prlimit64 for the calling process or another one. struct rlimit64 is two
// u64 on every ABI; resource numbers are asm-generic on both.
int64_t doPrlimit(SyscallCtx &c, int pid, int resource, uint64_t newAddr,
                  uint64_t oldAddr) {
  struct rlimit newLim, oldLim;
  const struct rlimit *newp = nullptr;
  if (newAddr) {
    if (!readGuest(c.mem, newAddr, newLim))
      return -EFAULT;
    bool self = pid == 0 || pid == ::getpid();
    if (!(self && limitIsHostOnly(resource)))
      newp = &newLim;
  }
  if (::syscall(SYS_prlimit64, pid, resource, newp,
                oldAddr ? &oldLim : nullptr) < 0)
    return -errno;
  if (oldAddr && !writeGuest(c.mem, oldAddr, oldLim))
    return -EFAULT;
  return 0;
}

} // namespace

int64_t sys_prlimit64(SyscallCtx &c) {
  return doPrlimit(c, (int)c.a[0], (int)c.a[1], c.a[2], c.a[3]);
}

int64_t sys_getrlimit(SyscallCtx &c) {
  return doPrlimit(c, 0, (int)c.a[0], 0, c.a[1]);
}

int64_t sys_setrlimit(SyscallCtx &c) {
  if (!c.a[1])
    return -EFAULT;
  return doPrlimit(c, 0, (int)c.a[0], c.a[1], 0);
}

int64_t sys_sysinfo(SyscallCtx &c) {
  struct sysinfo si;
  if (::sysinfo(&si) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[0], si) ? 0 : -EFAULT;
}

int64_t sys_getrusage(SyscallCtx &c) {
  struct rusage ru;
  if (::getrusage((int)c.a[0], &ru) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], ru) ? 0 : -EFAULT;
}

int64_t sys_times(SyscallCtx &c) {
  struct tms t;
  long ticks = ::syscall(SYS_times, &t);
  if (c.a[0] && !writeGuest(c.mem, c.a[0], t))
    return -EFAULT;
  return ticks;
}

namespace {

// prctl options that act on the host process the way they would on the
// guest's; the others would reconfigure the translator (PR_SET_MM,
// PR_SET_SECCOMP) or need translation nobody has asked for yet.
int64_t prctlPassthrough(SyscallCtx &c, int option) {
  switch (option) {
  case PR_SET_PDEATHSIG:
  case PR_SET_DUMPABLE:
  case PR_GET_DUMPABLE:
  case PR_SET_KEEPCAPS:
  case PR_GET_KEEPCAPS:
  case PR_SET_NO_NEW_PRIVS:
  case PR_GET_NO_NEW_PRIVS:
  case PR_SET_CHILD_SUBREAPER:
  case PR_CAPBSET_READ:
  case PR_CAPBSET_DROP:
  case PR_SET_TIMERSLACK:
  case PR_GET_TIMERSLACK:
  case PR_SET_THP_DISABLE:
  case PR_GET_THP_DISABLE:
  case PR_GET_SECCOMP:
  case PR_CAP_AMBIENT:
  case PR_SET_SECUREBITS:
  case PR_GET_SECUREBITS:
    return errnoResult(::prctl(option, c.a[1], c.a[2], c.a[3], c.a[4]));
  case PR_GET_PDEATHSIG:
  case PR_GET_CHILD_SUBREAPER: {
    void *p = hostPtr(c.mem, c.a[1], sizeof(int));
    if (!p)
      return -EFAULT;
    return errnoResult(::prctl(option, p, 0, 0, 0));
  }
  case PR_SET_VMA: // naming anonymous memory: cosmetic
    return 0;
  default:
    if (log().enabled(kLogUnimp))
      log().printf("xlat: unimplemented prctl option %d\n", option);
    return -EINVAL;
  }
}

} // namespace

int64_t sys_prctl(SyscallCtx &c) {
  int option = (int)c.a[0];
  LinuxThreadState &ts = threadState(c.t);
  switch (option) {
  case PR_SET_NAME: {
    // Linux copies up to 16 bytes and keeps the first 15.
    char name[16] = {};
    for (size_t i = 0; i + 1 < sizeof name; ++i) {
      if (!c.mem.read(c.a[1] + i, &name[i], 1))
        return -EFAULT;
      if (!name[i])
        break;
    }
    memcpy(ts.name, name, sizeof name);
    ::prctl(PR_SET_NAME, name); // lets ps and top show the guest's name
    return 0;
  }
  case PR_GET_NAME: {
    // Linux starts with the executable's basename, which xlat-run made
    // the host task's name too (a thread inherits its creator's).
    if (!ts.name[0])
      ::prctl(PR_GET_NAME, ts.name);
    return c.mem.write(c.a[1], ts.name, sizeof ts.name) ? 0 : -EFAULT;
  }
  default:
    return prctlPassthrough(c, option);
  }
}

int64_t sys_sched_yield(SyscallCtx &c) { return errnoResult(::sched_yield()); }

int64_t sys_sched_getaffinity(SyscallCtx &c) {
  void *mask = hostPtr(c.mem, c.a[2], c.a[1]);
  if (!mask)
    return -EFAULT;
  // The raw syscall returns the mask size in bytes, as the guest expects.
  return errnoResult(
      ::syscall(SYS_sched_getaffinity, (int)c.a[0], c.a[1], mask));
}

int64_t sys_sched_setaffinity(SyscallCtx &c) {
  void *mask = hostPtr(c.mem, c.a[2], c.a[1]);
  if (!mask)
    return -EFAULT;
  return errnoResult(
      ::syscall(SYS_sched_setaffinity, (int)c.a[0], c.a[1], mask));
}

int64_t sys_getcpu(SyscallCtx &c) {
  void *cpu = nullptr, *node = nullptr;
  if ((c.a[0] && !(cpu = hostPtr(c.mem, c.a[0], 4))) ||
      (c.a[1] && !(node = hostPtr(c.mem, c.a[1], 4))))
    return -EFAULT;
  return errnoResult(::syscall(SYS_getcpu, cpu, node, nullptr));
}

int64_t sys_sched_getparam(SyscallCtx &c) {
  struct sched_param sp;
  if (::sched_getparam((int)c.a[0], &sp) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], sp) ? 0 : -EFAULT;
}

int64_t sys_sched_getscheduler(SyscallCtx &c) {
  return errnoResult(::sched_getscheduler((int)c.a[0]));
}

int64_t sys_sched_get_priority_max(SyscallCtx &c) {
  return errnoResult(::sched_get_priority_max((int)c.a[0]));
}

int64_t sys_sched_get_priority_min(SyscallCtx &c) {
  return errnoResult(::sched_get_priority_min((int)c.a[0]));
}

} // namespace xlat::linux_abi

namespace xlat::linux_abi {

// Credentials. The raw syscalls act on the calling thread only, which is
// what the guest's libc expects: it broadcasts set*id to its threads itself.
int64_t sys_setuid(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_setuid, (uid_t)c.a[0]));
}
int64_t sys_setgid(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_setgid, (gid_t)c.a[0]));
}
int64_t sys_setreuid(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_setreuid, (uid_t)c.a[0], (uid_t)c.a[1]));
}
int64_t sys_setregid(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_setregid, (gid_t)c.a[0], (gid_t)c.a[1]));
}
int64_t sys_setresuid(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_setresuid, (uid_t)c.a[0], (uid_t)c.a[1],
                               (uid_t)c.a[2]));
}
int64_t sys_setresgid(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_setresgid, (gid_t)c.a[0], (gid_t)c.a[1],
                               (gid_t)c.a[2]));
}

namespace {
int64_t getThreeIds(SyscallCtx &c, long nr) {
  void *p[3];
  for (int i = 0; i < 3; ++i)
    if (!(p[i] = hostPtr(c.mem, c.a[i], 4)))
      return -EFAULT;
  return errnoResult(::syscall(nr, p[0], p[1], p[2]));
}
} // namespace

int64_t sys_getresuid(SyscallCtx &c) { return getThreeIds(c, SYS_getresuid); }
int64_t sys_getresgid(SyscallCtx &c) { return getThreeIds(c, SYS_getresgid); }

// getgroups / setgroups: (count, gid_t list), gid_t is 32-bit on both.
static int64_t groupsCall(SyscallCtx &c, long nr) {
  int n = (int)c.a[0];
  if (n < 0)
    return -EINVAL;
  void *list = n ? hostPtr(c.mem, c.a[1], (uint64_t)n * 4) : nullptr;
  if (n && !list)
    return -EFAULT;
  return errnoResult(::syscall(nr, n, list));
}

int64_t sys_getgroups(SyscallCtx &c) { return groupsCall(c, SYS_getgroups); }
int64_t sys_setgroups(SyscallCtx &c) { return groupsCall(c, SYS_setgroups); }

// The raw getpriority returns 20 - nice, as the guest's libc expects.
int64_t sys_getpriority(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_getpriority, (int)c.a[0], (id_t)c.a[1]));
}
int64_t sys_setpriority(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_setpriority, (int)c.a[0], (id_t)c.a[1], (int)c.a[2]));
}

// struct __user_cap_header_struct / data: u32 fields on every ABI.
int64_t sys_capget(SyscallCtx &c) {
  void *hdr = hostPtr(c.mem, c.a[0], 8);
  void *data = c.a[1] ? hostPtr(c.mem, c.a[1], 24) : nullptr;
  if (!hdr || (c.a[1] && !data))
    return -EFAULT;
  return errnoResult(::syscall(SYS_capget, hdr, data));
}
int64_t sys_capset(SyscallCtx &c) {
  void *hdr = hostPtr(c.mem, c.a[0], 8);
  void *data = hostPtr(c.mem, c.a[1], 24);
  if (!hdr || !data)
    return -EFAULT;
  return errnoResult(::syscall(SYS_capset, hdr, data));
}

// Locking pages of the reservation is harmless but pointless: succeed.
int64_t sys_mlock(SyscallCtx &c) { return 0; }
int64_t sys_mlock2(SyscallCtx &c) {
  constexpr uint64_t kMlockOnFault = 1;
  return c.a[2] & ~kMlockOnFault ? -EINVAL : 0;
}

// The guest's execution domain and flags: its own, not the translator's
// (READ_IMPLIES_EXEC or ADDR_NO_RANDOMIZE on the host process would change
// how xlat itself maps memory). 0xffffffff asks without changing.
int64_t sys_personality(SyscallCtx &c) {
  uint32_t old = c.proc.abiState.personality;
  if ((uint32_t)c.a[0] != 0xffffffffu)
    c.proc.abiState.personality = (uint32_t)c.a[0];
  return old;
}

// Scheduling and I/O priorities: the host's, for the host threads that
// play the guest's (same tids); the structs have one layout on every
// 64-bit ABI.
int64_t sys_sched_setparam(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_sched_setparam, (int)c.a[0],
                               kernelPtr(c.mem, c.a[1], sizeof(sched_param))));
}
int64_t sys_sched_setscheduler(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_sched_setscheduler, (int)c.a[0], (int)c.a[1],
                               kernelPtr(c.mem, c.a[2], sizeof(sched_param))));
}
// struct sched_attr: its size is the first field and an argument.
int64_t sys_sched_getattr(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_sched_getattr, (int)c.a[0],
                               kernelPtr(c.mem, c.a[1], (unsigned)c.a[2]),
                               (unsigned)c.a[2], (unsigned)c.a[3]));
}
int64_t sys_sched_setattr(SyscallCtx &c) {
  uint32_t size = 0;
  readGuest(c.mem, c.a[1], size);
  return errnoResult(::syscall(SYS_sched_setattr, (int)c.a[0],
                               kernelPtr(c.mem, c.a[1], size ? size : 48),
                               (unsigned)c.a[2]));
}
// The namespaces of the host thread are the guest thread's.
int64_t sys_setns(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_setns, (int)c.a[0], (int)c.a[1]));
}

int64_t sys_ioprio_get(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_ioprio_get, (int)c.a[0], (int)c.a[1]));
}
int64_t sys_ioprio_set(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_ioprio_set, (int)c.a[0], (int)c.a[1], (int)c.a[2]));
}
// Guest pids and descriptors are the host's; KCMP_VM compares the one
// address space all guest threads share.
int64_t sys_kcmp(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_kcmp, (pid_t)c.a[0], (pid_t)c.a[1],
                               (int)c.a[2], c.a[3], c.a[4]));
}

// Guest threads are host threads: the host's barriers serve them.
int64_t sys_membarrier(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_membarrier, (int)c.a[0], (unsigned)c.a[1], (int)c.a[2]));
}

} // namespace xlat::linux_abi

namespace xlat::linux_abi {

// --- riscv_hwprobe ----------------------------------------------------------
// The kernel's semantics (arch/riscv/kernel/sys_hwprobe.c, keys up to
// VENDOR_EXT_MIPS_0) for a machine whose harts are all the hart xlat
// implements: RV64IMAFDC with Zicsr, Zifencei and the counters, no V, no
// bit-manipulation, cache-block or vendor extensions.
namespace {

struct HwprobePair {
  int64_t key;
  uint64_t value;
};

enum HwprobeKey : int64_t {
  kKeyMvendorid,
  kKeyMarchid,
  kKeyMimpid,
  kKeyBaseBehavior,
  kKeyImaExt0,
  kKeyCpuperf0,
  kKeyZicbozBlockSize,
  kKeyHighestVirtAddress,
  kKeyTimeCsrFreq,
  kKeyMisalignedScalarPerf,
  kKeyMisalignedVectorPerf,
  kKeyVendorExtThead0,
  kKeyZicbomBlockSize,
  kKeyVendorExtSifive0,
  kKeyVendorExtMips0,
  kKeyMax = kKeyVendorExtMips0,
};
constexpr uint64_t kBaseBehaviorIma = 1;
// IMA_EXT_0 bits: RISCV_HWPROBE_IMA_FD and RISCV_HWPROBE_IMA_C. The finer
// Z* bits (Zba, Zbb, ..., V) are extensions the decoder does not have.
constexpr uint64_t kImaFd = 1 << 0, kImaC = 1 << 1;
constexpr unsigned kWhichCpus = 1;
// rdtime counts 100 ns ticks (runtime/user_memory.cpp: xlat_host_time).
constexpr uint64_t kTimebaseHz = 10'000'000;

// One hart's answer; false for a key this kernel does not define. Every
// hart is the same, so the per-set rules (-1 for differing ids, AND of
// extension bits) give the same answer for any non-empty set.
bool hwprobeValue(const GuestMemory &mem, int64_t key, uint64_t &value) {
  switch (key) {
  case kKeyMvendorid:
  case kKeyMarchid:
  case kKeyMimpid:
    value = 0; // not a real implementation: 0, as the spec allows
    return true;
  case kKeyBaseBehavior:
    value = kBaseBehaviorIma;
    return true;
  case kKeyImaExt0:
    value = kImaFd | kImaC;
    return true;
  case kKeyCpuperf0:
  case kKeyMisalignedScalarPerf:
  case kKeyMisalignedVectorPerf:
    value = 0; // RISCV_HWPROBE_MISALIGNED_*_UNKNOWN
    return true;
  case kKeyHighestVirtAddress:
    value = mem.limit() - 1;
    return true;
  case kKeyTimeCsrFreq:
    value = kTimebaseHz;
    return true;
  case kKeyZicbozBlockSize: // no Zicboz / Zicbom
  case kKeyZicbomBlockSize:
  case kKeyVendorExtThead0: // no vendor extensions
  case kKeyVendorExtSifive0:
  case kKeyVendorExtMips0:
    value = 0;
    return true;
  default:
    return false;
  }
}

// The kernel's riscv_hwprobe_pair_cmp: bitmask keys match when every
// asked-for bit is present, the others when equal.
bool hwprobeMatches(int64_t key, uint64_t have, uint64_t want) {
  switch (key) {
  case kKeyBaseBehavior:
  case kKeyImaExt0:
  case kKeyCpuperf0:
  case kKeyVendorExtThead0:
  case kKeyVendorExtSifive0:
  case kKeyVendorExtMips0:
    return (have & want) == want;
  default:
    return have == want;
  }
}

// The host's online cpus as a kernel cpumask (the guest's cpus are the
// host's, as sched_getaffinity shows), in whole 64-bit words.
std::vector<uint64_t> onlineCpus() {
  std::vector<uint64_t> mask;
  auto set = [&](long cpu) {
    if (cpu < 0 || cpu >= 1 << 16)
      return;
    if ((size_t)cpu / 64 >= mask.size())
      mask.resize(cpu / 64 + 1);
    mask[cpu / 64] |= 1ull << (cpu % 64);
  };
  if (FILE *f = fopen("/sys/devices/system/cpu/online", "r")) {
    long lo, hi;
    int n;
    while ((n = fscanf(f, "%ld", &lo)) == 1) {
      hi = lo;
      if (fscanf(f, "-%ld", &hi) < 0)
        hi = lo;
      for (long cpu = lo; cpu <= hi; ++cpu)
        set(cpu);
      if (fgetc(f) != ',')
        break;
    }
    fclose(f);
  }
  if (mask.empty()) {
    long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    for (long cpu = 0; cpu < (n > 0 ? n : 1); ++cpu)
      set(cpu);
  }
  return mask;
}

bool anyCpu(const std::vector<uint64_t> &m) {
  for (uint64_t w : m)
    if (w)
      return true;
  return false;
}

} // namespace

int64_t sys_riscv_hwprobe(SyscallCtx &c) {
  uint64_t pairs = c.a[0], count = c.a[1], setSize = c.a[2], setAddr = c.a[3];
  unsigned flags = (unsigned)c.a[4];
  std::vector<uint64_t> online = onlineCpus();
  uint64_t maskBytes = online.size() * 8;
  std::vector<uint64_t> cpus(online.size());
  // The guest's cpu set, clamped to the kernel's cpumask size.
  auto readSet = [&]() {
    setSize = std::min(setSize, maskBytes);
    return c.mem.read(setAddr, cpus.data(), setSize);
  };
  auto andOnline = [&] {
    for (size_t i = 0; i < cpus.size(); ++i)
      cpus[i] &= online[i];
  };

  if (flags & kWhichCpus) {
    // Which of the given cpus have all of these pairs?
    if (flags != kWhichCpus || !setSize || !setAddr)
      return -EINVAL;
    if (!readSet())
      return -EFAULT;
    if (!anyCpu(cpus))
      cpus = online;
    andOnline();
    bool clearAll = false;
    for (uint64_t i = 0; i < count; ++i) {
      HwprobePair p;
      uint64_t at = pairs + i * sizeof p;
      if (!readGuest(c.mem, at, p))
        return -EFAULT;
      uint64_t have;
      if (p.key < 0 || p.key > kKeyMax || !hwprobeValue(c.mem, p.key, have)) {
        clearAll = true;
        if (!writeGuest(c.mem, at, HwprobePair{-1, 0}))
          return -EFAULT;
        continue;
      }
      if (!clearAll && !hwprobeMatches(p.key, have, p.value))
        cpus.assign(cpus.size(), 0); // every hart answers alike
    }
    if (clearAll)
      cpus.assign(cpus.size(), 0);
    return c.mem.write(setAddr, cpus.data(), setSize) ? 0 : -EFAULT;
  }

  if (flags != 0)
    return -EINVAL;
  // NULL and 0 mean all online cpus; otherwise at least one must be online.
  if (setSize || setAddr) {
    if (!readSet())
      return -EFAULT;
    andOnline();
    if (!anyCpu(cpus))
      return -EINVAL;
  }
  for (uint64_t i = 0; i < count; ++i) {
    HwprobePair p;
    uint64_t at = pairs + i * sizeof p;
    if (!readGuest(c.mem, at, p.key))
      return -EFAULT;
    if (!hwprobeValue(c.mem, p.key, p.value))
      p = {-1, 0}; // unknown keys: key -1, value 0
    if (!writeGuest(c.mem, at, p))
      return -EFAULT;
  }
  return 0;
}

// --- pidfd ------------------------------------------------------------------
// Guest pids are host pids, so pidfds are host pidfds (pidfd_send_signal is
// in signals.cpp, next to kill).

int64_t sys_pidfd_open(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_pidfd_open, (pid_t)c.a[0], (unsigned)c.a[1]));
}

int64_t sys_pidfd_getfd(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_pidfd_getfd, (int)c.a[0], (int)c.a[1],
                               (unsigned)c.a[2]));
}

// --- process_vm_readv / process_vm_writev -----------------------------------
namespace {

// Does process `pid` keep its guest memory where this one does? Guest
// addresses are offsets into the translator's reservation, so the remote
// iovecs mean something only in a process whose reservation is at the same
// host address: this one, or one forked from it (fork copies the mappings)
// that has not exec'd since. A guest under another translator process has
// its reservation elsewhere, and a native process has no guest addresses
// at all: reading there would read the wrong memory, so that is refused
// with EPERM, which Linux also returns when it may not look. The check is
// that the process runs this translator and that its mappings tile exactly
// [base, base + limit), as the reservation does (the host may have merged
// a PROT_NONE neighbour into its inaccessible ends).
int64_t remoteLayoutMatches(const GuestMemory &mem, pid_t pid) {
  std::string dir = "/proc/" + std::to_string(pid);
  struct stat self, other;
  if (::stat("/proc/self/exe", &self) < 0)
    return -EPERM;
  if (::stat((dir + "/exe").c_str(), &other) < 0)
    return errno == ENOENT ? -ESRCH : -EPERM;
  if (self.st_dev != other.st_dev || self.st_ino != other.st_ino)
    return -EPERM;
  FILE *f = fopen((dir + "/maps").c_str(), "r");
  if (!f)
    return errno == ENOENT ? -ESRCH : -EPERM;
  uint64_t base = (uint64_t)mem.base(), end = base + mem.limit();
  uint64_t covered = base;
  bool ok = true;
  char line[512];
  while (ok && fgets(line, sizeof line, f)) {
    bool whole = strchr(line, '\n');
    unsigned long long lo, hi;
    char perms[8];
    if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) == 3 && hi > base &&
        lo < end) {
      bool none = !strcmp(perms, "---p");
      ok = (lo == covered || (lo < base && none)) && (hi <= end || none);
      covered = std::min<uint64_t>(hi, end);
    }
    // The rest of a line longer than the buffer.
    while (!whole && fgets(line, sizeof line, f))
      whole = strchr(line, '\n');
  }
  fclose(f);
  return ok && covered == end ? 0 : -EPERM;
}

int64_t processVm(SyscallCtx &c, long nr) {
  pid_t pid = (pid_t)c.a[0];
  if (pid != ::getpid())
    if (int64_t err = remoteLayoutMatches(c.mem, pid))
      return err;
  // Both sides are guest addresses of the same layout.
  std::vector<iovec> local, remote;
  if (int64_t err = translateIovecs(c.mem, c.a[1], c.a[2], local))
    return err;
  if (int64_t err = translateIovecs(c.mem, c.a[3], c.a[4], remote))
    return err;
  return errnoResult(::syscall(nr, pid, local.data(), local.size(),
                               remote.data(), remote.size(), c.a[5]));
}

} // namespace

int64_t sys_process_vm_readv(SyscallCtx &c) {
  return processVm(c, SYS_process_vm_readv);
}

int64_t sys_process_vm_writev(SyscallCtx &c) {
  return processVm(c, SYS_process_vm_writev);
}

// --- rseq -------------------------------------------------------------------
// Not implemented, on purpose, as qemu-user does: restartable sequences
// need the kernel to update the area's cpu_id on every return to the
// thread and to abort a critical section that a preemption or signal
// interrupts, by moving the guest pc to its abort handler. Accepting the
// registration without doing that would let glibc read a stale cpu_id
// (sched_getcpu) and let code that relies on aborts run unprotected. The
// host area cannot be lent either: the host glibc has registered its own
// for this thread, and the kernel would treat guest pointers in it as host
// addresses. With ENOSYS glibc marks rseq unavailable (__rseq_size = 0) and
// uses getcpu instead.
int64_t sys_rseq(SyscallCtx &c) { return -ENOSYS; }

} // namespace xlat::linux_abi
