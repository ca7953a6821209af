// System administration calls: mounts, swap, accounting, host and domain
// names, the clock, the kernel log, reboot, fs ids and the round-robin
// interval. They act on the host the guest runs on, as the program would
// natively: the host kernel checks the privileges and answers, and the
// handlers only turn guest pointers and paths into host ones (structs are
// laid out alike on riscv64 and x86-64: struct timeval, timezone, timex,
// timespec).
#include "runtime/linux/syscall_impl.h"

#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

constexpr uint64_t kTimexSize = 208; // struct timex, 64-bit ABIs
constexpr uint64_t kTimespecSize = 16;

} // namespace

int64_t sys_mount(SyscallCtx &c) {
  // The source is a device path or a name ("tmpfs", "none"); the target a
  // path; fstype a name; data options the file system parses (at most a
  // page, which the kernel copies itself).
  std::string source, target, fstype;
  const char *src, *type = nullptr;
  if (int64_t err = readOptionalHostPath(c, c.a[0], source, src))
    return err;
  if (int64_t err = readHostPath(c, c.a[1], target))
    return err;
  if (c.a[2]) {
    if (int64_t err = readPath(c.mem, c.a[2], fstype))
      return err;
    type = fstype.c_str();
  }
  return errnoResult(::syscall(SYS_mount, src, target.c_str(), type, c.a[3],
                               kernelPtr(c.mem, c.a[4], 1)));
}

int64_t sys_umount2(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  return errnoResult(::syscall(SYS_umount2, path.c_str(), (int)c.a[1]));
}

int64_t sys_pivot_root(SyscallCtx &c) {
  std::string newRoot, putOld;
  if (int64_t err = readHostPath(c, c.a[0], newRoot))
    return err;
  if (int64_t err = readHostPath(c, c.a[1], putOld))
    return err;
  return errnoResult(::syscall(SYS_pivot_root, newRoot.c_str(), putOld.c_str()));
}

int64_t sys_swapon(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  return errnoResult(::syscall(SYS_swapon, path.c_str(), (int)c.a[1]));
}

int64_t sys_swapoff(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  return errnoResult(::syscall(SYS_swapoff, path.c_str()));
}

int64_t sys_acct(SyscallCtx &c) {
  std::string path;
  const char *p;
  if (int64_t err = readOptionalHostPath(c, c.a[0], path, p)) // NULL: accounting off
    return err;
  return errnoResult(::syscall(SYS_acct, p));
}

int64_t sys_sethostname(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_sethostname, kernelPtr(c.mem, c.a[0], c.a[1]), c.a[1]));
}

int64_t sys_setdomainname(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_setdomainname, kernelPtr(c.mem, c.a[0], c.a[1]), c.a[1]));
}

int64_t sys_settimeofday(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_settimeofday, kernelPtr(c.mem, c.a[0], 16),
                               kernelPtr(c.mem, c.a[1], 8)));
}

int64_t sys_adjtimex(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_adjtimex, kernelPtr(c.mem, c.a[0], kTimexSize)));
}

int64_t sys_clock_adjtime(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_clock_adjtime, (int)c.a[0],
                               kernelPtr(c.mem, c.a[1], kTimexSize)));
}

int64_t sys_syslog(SyscallCtx &c) {
  int len = (int)c.a[2];
  return errnoResult(::syscall(SYS_syslog, (int)c.a[0],
                               kernelPtr(c.mem, c.a[1], len > 0 ? len : 0), len));
}

int64_t sys_reboot(SyscallCtx &c) {
  // arg is a command string for LINUX_REBOOT_CMD_RESTART2 only.
  return errnoResult(::syscall(SYS_reboot, (int)c.a[0], (int)c.a[1],
                               (unsigned)c.a[2], kernelPtr(c.mem, c.a[3], 1)));
}

int64_t sys_vhangup(SyscallCtx &c) { return errnoResult(::syscall(SYS_vhangup)); }

// Per thread, as the raw calls are; they return the old id, never an error.
int64_t sys_setfsuid(SyscallCtx &c) {
  return ::syscall(SYS_setfsuid, (uid_t)c.a[0]);
}
int64_t sys_setfsgid(SyscallCtx &c) {
  return ::syscall(SYS_setfsgid, (gid_t)c.a[0]);
}

int64_t sys_sched_rr_get_interval(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_sched_rr_get_interval, (pid_t)c.a[0],
                               kernelPtr(c.mem, c.a[1], kTimespecSize)));
}

} // namespace xlat::linux_abi
