// Path and file-status syscalls.
#include "runtime/linux/guest_structs.h"
#include "runtime/linux/syscall_impl.h"

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {

namespace {

// A path argument that may be NULL when AT_EMPTY_PATH is given.
int64_t readPathAt(SyscallCtx &c, uint64_t g, int flags, std::string &out) {
  if (!g && (flags & AT_EMPTY_PATH)) {
    out.clear();
    return 0;
  }
  return readHostPath(c, g, out);
}

int64_t writeStat(GuestMemory &mem, uint64_t g, const struct stat &st) {
  GenericStat gs = toGenericStat(st);
  return writeGuest(mem, g, gs) ? 0 : -EFAULT;
}

} // namespace

int64_t sys_fstat(SyscallCtx &c) {
  struct stat st;
  if (::fstat((int)c.a[0], &st) < 0)
    return -errno;
  return writeStat(c.mem, c.a[1], st);
}

int64_t sys_newfstatat(SyscallCtx &c) {
  int flags = (int)c.a[3];
  std::string path;
  if (int64_t err = readPathAt(c, c.a[1], flags, path))
    return err;
  struct stat st;
  if (::fstatat((int)c.a[0], path.c_str(), &st, flags) < 0)
    return -errno;
  return writeStat(c.mem, c.a[2], st);
}

int64_t sys_statx(SyscallCtx &c) {
  int flags = (int)c.a[2];
  std::string path;
  if (int64_t err = readPathAt(c, c.a[1], flags, path))
    return err;
  // struct statx is the same on every ABI: the host kernel fills it.
  void *buf = hostPtr(c.mem, c.a[4], 256);
  if (!buf)
    return -EFAULT;
  return errnoResult(::syscall(SYS_statx, (int)c.a[0], path.c_str(), flags,
                               (unsigned)c.a[3], buf));
}

int64_t sys_unlinkat(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return errnoResult(::unlinkat((int)c.a[0], path.c_str(), (int)c.a[2]));
}

int64_t sys_mkdirat(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return errnoResult(::mkdirat((int)c.a[0], path.c_str(), (mode_t)c.a[2]));
}

static int64_t renameAt(SyscallCtx &c, unsigned flags) {
  std::string from, to;
  if (int64_t err = readHostPath(c, c.a[1], from))
    return err;
  if (int64_t err = readHostPath(c, c.a[3], to))
    return err;
  return errnoResult(::syscall(SYS_renameat2, (int)c.a[0], from.c_str(),
                               (int)c.a[2], to.c_str(), flags));
}

int64_t sys_renameat(SyscallCtx &c) { return renameAt(c, 0); }
int64_t sys_renameat2(SyscallCtx &c) { return renameAt(c, (unsigned)c.a[4]); }

int64_t sys_faccessat(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  // The raw syscall: glibc's faccessat emulates flags, which this one lacks.
  return errnoResult(
      ::syscall(SYS_faccessat, (int)c.a[0], path.c_str(), (int)c.a[2]));
}

int64_t sys_faccessat2(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readPathAt(c, c.a[1], (int)c.a[3], path))
    return err;
  return errnoResult(::syscall(SYS_faccessat2, (int)c.a[0], path.c_str(),
                               (int)c.a[2], (int)c.a[3]));
}

int64_t sys_readlinkat(SyscallCtx &c) {
  std::string path;
  // Translated below, after /proc/self/exe (a link to the guest program).
  if (int64_t err = readPath(c.mem, c.a[1], path))
    return err;
  int64_t size = (int64_t)c.a[3];
  if (size <= 0)
    return -EINVAL;
  if (isProcSelfExe(path)) {
    // The guest program, not the translator; no NUL, truncated like Linux.
    const std::string &exe = c.proc.exePath;
    size_t n = std::min<size_t>(exe.size(), (size_t)size);
    return c.mem.write(c.a[2], exe.data(), n) ? (int64_t)n : -EFAULT;
  }
  void *buf = hostPtr(c.mem, c.a[2], (uint64_t)size);
  if (!buf)
    return -EFAULT;
  path = hostPath(c.proc, path);
  return errnoResult(
      ::readlinkat((int)c.a[0], path.c_str(), (char *)buf, (size_t)size));
}

int64_t sys_getcwd(SyscallCtx &c) {
  void *buf = hostPtr(c.mem, c.a[0], c.a[1]);
  if (!buf)
    return -EFAULT;
  // The raw syscall returns the length including the NUL, as the guest
  // expects; glibc's wrapper would return the pointer.
  return errnoResult(::syscall(SYS_getcwd, buf, c.a[1]));
}

int64_t sys_chdir(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  return errnoResult(::chdir(path.c_str()));
}

int64_t sys_fchdir(SyscallCtx &c) { return errnoResult(::fchdir((int)c.a[0])); }

// The translator is chrooted with its guest, as under qemu: what it loads
// later (the LLVM tiers when code gets hot) must then be inside the new
// root, or hot code stays in the template tier (one warning line).
int64_t sys_chroot(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  return errnoResult(::chroot(path.c_str()));
}

int64_t sys_umask(SyscallCtx &c) { return ::umask((mode_t)c.a[0] & 0777); }

int64_t sys_symlinkat(SyscallCtx &c) {
  std::string target, path;
  if (int64_t err = readPath(c.mem, c.a[0], target)) // link contents
    return err;
  if (int64_t err = readHostPath(c, c.a[2], path))
    return err;
  return errnoResult(::symlinkat(target.c_str(), (int)c.a[1], path.c_str()));
}

int64_t sys_linkat(SyscallCtx &c) {
  std::string from, to;
  if (int64_t err = readPathAt(c, c.a[1], (int)c.a[4], from))
    return err;
  if (int64_t err = readHostPath(c, c.a[3], to))
    return err;
  return errnoResult(::linkat((int)c.a[0], from.c_str(), (int)c.a[2],
                              to.c_str(), (int)c.a[4]));
}

int64_t sys_fchmod(SyscallCtx &c) {
  return errnoResult(::fchmod((int)c.a[0], (mode_t)c.a[1]));
}

int64_t sys_fchmodat(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return errnoResult(
      ::syscall(SYS_fchmodat, (int)c.a[0], path.c_str(), (mode_t)c.a[2]));
}

// fchmodat2 (Linux 6.6): fchmodat with flags (AT_SYMLINK_NOFOLLOW,
// AT_EMPTY_PATH), which the host checks.
int64_t sys_fchmodat2(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readPathAt(c, c.a[1], (int)c.a[3], path))
    return err;
  return errnoResult(::syscall(452, (int)c.a[0], path.c_str(), (mode_t)c.a[2],
                               (unsigned)c.a[3]));
}

int64_t sys_fchown(SyscallCtx &c) {
  return errnoResult(::fchown((int)c.a[0], (uid_t)c.a[1], (gid_t)c.a[2]));
}

int64_t sys_fchownat(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readPathAt(c, c.a[1], (int)c.a[4], path))
    return err;
  return errnoResult(::fchownat((int)c.a[0], path.c_str(), (uid_t)c.a[2],
                                (gid_t)c.a[3], (int)c.a[4]));
}

int64_t sys_utimensat(SyscallCtx &c) {
  // A NULL path means the fd itself (futimens).
  std::string path;
  const char *p = nullptr;
  if (c.a[1]) {
    if (int64_t err = readHostPath(c, c.a[1], path))
      return err;
    p = path.c_str();
  }
  struct timespec times[2];
  if (c.a[2] && !c.mem.read(c.a[2], times, sizeof times))
    return -EFAULT;
  return errnoResult(::syscall(SYS_utimensat, (int)c.a[0], p,
                               c.a[2] ? times : nullptr, (int)c.a[3]));
}

int64_t sys_truncate(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  return errnoResult(::truncate(path.c_str(), (off_t)c.a[1]));
}

} // namespace xlat::linux_abi

namespace xlat::linux_abi {

// Extended attributes: setxattr/getxattr/listxattr/removexattr on a path
// (following symlinks), on a path's link itself (l*), or on an fd (f*).
// Names and values are bytes on both ABIs; value and list buffers go to the
// host kernel as host pointers, so it reports E2BIG, ERANGE and EFAULT.
namespace {

enum class XattrOn { Path, Fd };

// The first argument as the host syscall takes it: a host path or an fd.
int64_t xattrTarget(SyscallCtx &c, XattrOn on, std::string &path,
                    long &target) {
  if (on == XattrOn::Fd) {
    target = (int)c.a[0];
    return 0;
  }
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  target = (long)path.c_str();
  return 0;
}

// At most XATTR_NAME_MAX bytes; an empty or longer name is ERANGE, as in
// the kernel.
int64_t readXattrName(const GuestMemory &m, uint64_t g, std::string &out) {
  constexpr size_t kMax = 256;
  if (!m.readString(g, out, kMax))
    return out.size() >= kMax ? -ERANGE : -EFAULT;
  return out.empty() ? -ERANGE : 0;
}

void *xattrBuffer(const GuestMemory &m, uint64_t g, uint64_t size) {
  return size ? hostPtr(m, g, size) : nullptr;
}

int64_t setXattr(SyscallCtx &c, long nr, XattrOn on) {
  std::string path, name;
  long target;
  if (int64_t err = xattrTarget(c, on, path, target))
    return err;
  if (int64_t err = readXattrName(c.mem, c.a[1], name))
    return err;
  return errnoResult(::syscall(nr, target, name.c_str(),
                               xattrBuffer(c.mem, c.a[2], c.a[3]), c.a[3],
                               (int)c.a[4]));
}

int64_t getXattr(SyscallCtx &c, long nr, XattrOn on) {
  std::string path, name;
  long target;
  if (int64_t err = xattrTarget(c, on, path, target))
    return err;
  if (int64_t err = readXattrName(c.mem, c.a[1], name))
    return err;
  return errnoResult(::syscall(nr, target, name.c_str(),
                               xattrBuffer(c.mem, c.a[2], c.a[3]), c.a[3]));
}

int64_t listXattr(SyscallCtx &c, long nr, XattrOn on) {
  std::string path;
  long target;
  if (int64_t err = xattrTarget(c, on, path, target))
    return err;
  return errnoResult(
      ::syscall(nr, target, xattrBuffer(c.mem, c.a[1], c.a[2]), c.a[2]));
}

int64_t removeXattr(SyscallCtx &c, long nr, XattrOn on) {
  std::string path, name;
  long target;
  if (int64_t err = xattrTarget(c, on, path, target))
    return err;
  if (int64_t err = readXattrName(c.mem, c.a[1], name))
    return err;
  return errnoResult(::syscall(nr, target, name.c_str()));
}

} // namespace

int64_t sys_setxattr(SyscallCtx &c) {
  return setXattr(c, SYS_setxattr, XattrOn::Path);
}
int64_t sys_lsetxattr(SyscallCtx &c) {
  return setXattr(c, SYS_lsetxattr, XattrOn::Path);
}
int64_t sys_fsetxattr(SyscallCtx &c) {
  return setXattr(c, SYS_fsetxattr, XattrOn::Fd);
}
int64_t sys_getxattr(SyscallCtx &c) {
  return getXattr(c, SYS_getxattr, XattrOn::Path);
}
int64_t sys_lgetxattr(SyscallCtx &c) {
  return getXattr(c, SYS_lgetxattr, XattrOn::Path);
}
int64_t sys_fgetxattr(SyscallCtx &c) {
  return getXattr(c, SYS_fgetxattr, XattrOn::Fd);
}
int64_t sys_listxattr(SyscallCtx &c) {
  return listXattr(c, SYS_listxattr, XattrOn::Path);
}
int64_t sys_llistxattr(SyscallCtx &c) {
  return listXattr(c, SYS_llistxattr, XattrOn::Path);
}
int64_t sys_flistxattr(SyscallCtx &c) {
  return listXattr(c, SYS_flistxattr, XattrOn::Fd);
}
int64_t sys_removexattr(SyscallCtx &c) {
  return removeXattr(c, SYS_removexattr, XattrOn::Path);
}
int64_t sys_lremovexattr(SyscallCtx &c) {
  return removeXattr(c, SYS_lremovexattr, XattrOn::Path);
}
int64_t sys_fremovexattr(SyscallCtx &c) {
  return removeXattr(c, SYS_fremovexattr, XattrOn::Fd);
}

} // namespace xlat::linux_abi
