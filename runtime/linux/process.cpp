// Process identity, limits, accounting and scheduling syscalls.
#include "lifter/core/log.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/syscall_impl.h"

#include <algorithm>
#include <cstring>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

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
  strcpy(u.machine, "riscv64");
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
    if (!ts.name[0]) {
      // Linux starts with the executable's basename (comm, 15 chars).
      const std::string &exe = c.proc.exePath;
      std::string base = exe.substr(exe.find_last_of('/') + 1);
      strncpy(ts.name, base.c_str(), sizeof ts.name - 1);
    }
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

// Guest threads are host threads: the host's barriers serve them.
int64_t sys_membarrier(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_membarrier, (int)c.a[0], (unsigned)c.a[1], (int)c.a[2]));
}

} // namespace xlat::linux_abi
