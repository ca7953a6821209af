// File-descriptor syscalls. Guest fds are host fds; buffers are handed to
// the host kernel as host pointers into the guest reservation, so the kernel
// itself reports EFAULT for unmapped guest pages.
#include "lifter/core/log.h"
#include "runtime/linux/syscall_impl.h"

#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace xlat::linux_abi {

// A guest struct iovec array turned into host iovecs.
int64_t translateIovecs(const GuestMemory &mem, uint64_t giov, uint64_t cnt,
                        std::vector<iovec> &out) {
  struct GuestIovec {
    uint64_t base, len;
  };
  if (cnt > IOV_MAX)
    return -EINVAL;
  out.resize(cnt);
  for (uint64_t i = 0; i < cnt; ++i) {
    GuestIovec g;
    if (!readGuest(mem, giov + i * sizeof(GuestIovec), g))
      return -EFAULT;
    if (static_cast<int64_t>(g.len) < 0)
      return -EINVAL;
    void *p = hostPtr(mem, g.base, g.len);
    if (!p && g.len)
      return -EFAULT;
    out[i] = {p, g.len};
  }
  return 0;
}

// One guest buffer as a host iovec, for guestMemIo.
static std::vector<iovec> oneBuffer(void *buf, uint64_t len) {
  return {{buf, len}};
}

int64_t sys_read(SyscallCtx &c) {
  void *buf = hostPtr(c.mem, c.a[1], c.a[2]);
  if (!buf)
    return -EFAULT;
  if (isGuestMemFd((int)c.a[0]))
    return guestMemIo(c, (int)c.a[0], oneBuffer(buf, c.a[2]), -1, false);
  return errnoResult(::read((int)c.a[0], buf, c.a[2]));
}

int64_t sys_write(SyscallCtx &c) {
  void *buf = hostPtr(c.mem, c.a[1], c.a[2]);
  if (!buf)
    return -EFAULT;
  if (isGuestMemFd((int)c.a[0]))
    return guestMemIo(c, (int)c.a[0], oneBuffer(buf, c.a[2]), -1, true);
  return errnoResult(::write((int)c.a[0], buf, c.a[2]));
}

int64_t sys_pread64(SyscallCtx &c) {
  void *buf = hostPtr(c.mem, c.a[1], c.a[2]);
  if (!buf)
    return -EFAULT;
  if (isGuestMemFd((int)c.a[0]) && (int64_t)c.a[3] >= 0)
    return guestMemIo(c, (int)c.a[0], oneBuffer(buf, c.a[2]), (int64_t)c.a[3], false);
  return errnoResult(::pread((int)c.a[0], buf, c.a[2], (off_t)c.a[3]));
}

int64_t sys_pwrite64(SyscallCtx &c) {
  void *buf = hostPtr(c.mem, c.a[1], c.a[2]);
  if (!buf)
    return -EFAULT;
  if (isGuestMemFd((int)c.a[0]) && (int64_t)c.a[3] >= 0)
    return guestMemIo(c, (int)c.a[0], oneBuffer(buf, c.a[2]), (int64_t)c.a[3], true);
  return errnoResult(::pwrite((int)c.a[0], buf, c.a[2], (off_t)c.a[3]));
}

int64_t sys_readv(SyscallCtx &c) {
  std::vector<iovec> iov;
  if (int64_t err = translateIovecs(c.mem, c.a[1], c.a[2], iov))
    return err;
  if (isGuestMemFd((int)c.a[0]))
    return guestMemIo(c, (int)c.a[0], iov, -1, false);
  return errnoResult(::readv((int)c.a[0], iov.data(), (int)iov.size()));
}

int64_t sys_writev(SyscallCtx &c) {
  std::vector<iovec> iov;
  if (int64_t err = translateIovecs(c.mem, c.a[1], c.a[2], iov))
    return err;
  if (isGuestMemFd((int)c.a[0]))
    return guestMemIo(c, (int)c.a[0], iov, -1, true);
  return errnoResult(::writev((int)c.a[0], iov.data(), (int)iov.size()));
}

int64_t sys_openat(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readPath(c.mem, c.a[1], path))
    return err;
  int flags = (int)openFlagsToHost(*c.proc.abi, c.a[2]);
  // /proc files that must describe the guest, not the translator.
  if (int64_t fd; openProcFile(c, path, flags, fd))
    return fd;
  path = hostPath(c.proc, path);
  return errnoResult(::syscall(SYS_openat, (int)c.a[0], path.c_str(), flags, (mode_t)c.a[3]));
}

int64_t sys_openat2(SyscallCtx &c) {
  // struct open_how {u64 flags, mode, resolve}: one layout on every ABI. A
  // newer libc may pass a larger struct whose unknown tail must be zero
  // (the kernel's copy_struct_from_user).
  struct OpenHow {
    uint64_t flags, mode, resolve;
  };
  uint64_t size = c.a[3];
  if (size < sizeof(OpenHow))
    return -EINVAL;
  if (size > GuestMemory::kPageSize)
    return -E2BIG;
  std::vector<uint8_t> raw(size);
  if (!c.mem.read(c.a[2], raw.data(), size))
    return -EFAULT;
  for (uint64_t i = sizeof(OpenHow); i < size; ++i)
    if (raw[i])
      return -E2BIG;
  OpenHow how;
  memcpy(&how, raw.data(), sizeof how);
  how.flags = openFlagsToHost(*c.proc.abi, how.flags);
  if ((how.flags >> 32) || (how.mode && !(how.flags & (O_CREAT | O_TMPFILE))))
    return -EINVAL;
  std::string path;
  if (int64_t err = readPath(c.mem, c.a[1], path))
    return err;
  // Paths that must stay inside dirfd are not the guest's root's business;
  // the others are translated like openat's.
  constexpr uint64_t kResolveBeneath = 0x08, kResolveInRoot = 0x10;
  if (!(how.resolve & (kResolveBeneath | kResolveInRoot))) {
    if (int64_t fd; openProcFile(c, path, (int)how.flags, fd))
      return fd;
    path = hostPath(c.proc, path);
  }
  return errnoResult(
      ::syscall(SYS_openat2, (int)c.a[0], path.c_str(), &how, sizeof how));
}

int64_t sys_close(SyscallCtx &c) {
  int64_t r = errnoResult(::close((int)c.a[0]));
  if (r == 0)
    memFdsClosed((unsigned)c.a[0], (unsigned)c.a[0]);
  return r;
}

int64_t sys_close_range(SyscallCtx &c) {
  unsigned first = (unsigned)c.a[0], last = (unsigned)c.a[1];
  unsigned flags = (unsigned)c.a[2];
  constexpr unsigned kUnshare = 2, kCloexec = 4;
  if ((flags & ~(kUnshare | kCloexec)) || first > last)
    return -EINVAL;
  if (!(flags & kCloexec))
    memFdsClosed(first, last);
  auto closeRange = [flags](unsigned lo, unsigned hi) {
    return ::syscall(SYS_close_range, lo, hi, flags);
  };
  // The -D log file is the translator's and stays open: programs close
  // everything above stderr before exec.
  int keep = log().out && log().out != stderr ? fileno(log().out) : -1;
  if (keep < 0 || (unsigned)keep < first || (unsigned)keep > last)
    return errnoResult(closeRange(first, last));
  long r = 0;
  if ((unsigned)keep > first)
    r = closeRange(first, (unsigned)keep - 1);
  if (r == 0 && (unsigned)keep < last)
    r = closeRange((unsigned)keep + 1, last);
  return errnoResult(r);
}

int64_t sys_lseek(SyscallCtx &c) {
  return errnoResult(::lseek((int)c.a[0], (off_t)c.a[1], (int)c.a[2]));
}

int64_t sys_getdents64(SyscallCtx &c) {
  // struct linux_dirent64 has one layout on every 64-bit ABI.
  void *buf = hostPtr(c.mem, c.a[1], c.a[2]);
  if (!buf)
    return -EFAULT;
  return errnoResult(::syscall(SYS_getdents64, (int)c.a[0], buf, c.a[2]));
}

int64_t sys_dup(SyscallCtx &c) {
  int64_t r = errnoResult(::dup((int)c.a[0]));
  if (r >= 0)
    memFdCopied((int)c.a[0], (int)r);
  return r;
}

int64_t sys_dup3(SyscallCtx &c) {
  int64_t r = errnoResult(::dup3((int)c.a[0], (int)c.a[1], (int)c.a[2]));
  if (r >= 0)
    memFdCopied((int)c.a[0], (int)r);
  return r;
}

int64_t sys_pipe2(SyscallCtx &c) {
  int fds[2];
  if (::pipe2(fds, (int)c.a[1]) < 0)
    return -errno;
  if (!c.mem.write(c.a[0], fds, sizeof fds)) {
    ::close(fds[0]);
    ::close(fds[1]);
    return -EFAULT;
  }
  return 0;
}

int64_t sys_fcntl(SyscallCtx &c) {
  int fd = (int)c.a[0], cmd = (int)c.a[1];
  switch (cmd) {
  case F_DUPFD:
  case F_DUPFD_CLOEXEC: {
    int64_t r = errnoResult(::fcntl(fd, cmd, (long)c.a[2]));
    if (r >= 0)
      memFdCopied(fd, (int)r);
    return r;
  }
  case F_GETFL: {
    int64_t r = errnoResult(::fcntl(fd, cmd));
    return r < 0 ? r : int64_t(openFlagsToGuest(*c.proc.abi, uint64_t(r)));
  }
  case F_SETFL:
    return errnoResult(::fcntl(fd, cmd, (long)openFlagsToHost(*c.proc.abi, c.a[2])));
  case F_GETFD:
  case F_SETFD:
  case F_GETOWN:
  case F_SETOWN:
  case F_GETSIG:
  case F_SETSIG:
  case F_GETLEASE:
  case F_SETLEASE:
  case F_NOTIFY:
  case F_GETPIPE_SZ:
  case F_SETPIPE_SZ:
  case F_ADD_SEALS:
  case F_GET_SEALS:
    return errnoResult(::fcntl(fd, cmd, (long)c.a[2]));
  case F_GETLK:
  case F_SETLK:
  case F_SETLKW:
  case F_OFD_GETLK:
  case F_OFD_SETLK:
  case F_OFD_SETLKW:
  case F_GETOWN_EX:
  case F_SETOWN_EX: {
    // struct flock / f_owner_ex: same layout on riscv64 and x86-64.
    void *p = hostPtr(c.mem, c.a[2], sizeof(struct flock));
    if (!p)
      return -EFAULT;
    return errnoResult(::syscall(SYS_fcntl, fd, cmd, p));
  }
  default:
    if (log().enabled(kLogUnimp))
      log().printf("xlat: unimplemented fcntl command %d\n", cmd);
    return -EINVAL;
  }
}

int64_t sys_ioctl(SyscallCtx &c) {
  int fd = (int)c.a[0];
  unsigned req = (unsigned)c.a[1];
  // Requests whose argument is a pointer to a struct laid out the same on
  // riscv64 and x86-64 (asm-generic termbits, winsize, int).
  size_t argSize = 0;
  switch (req) {
  case TCGETS:
  case TCSETS:
  case TCSETSW:
  case TCSETSF:
    argSize = 36; // kernel struct termios, NCCS = 19
    break;
  case TIOCGWINSZ:
  case TIOCSWINSZ:
    argSize = sizeof(struct winsize);
    break;
  case FIONREAD:
  case TIOCOUTQ:
  case TIOCGPGRP:
  case TIOCSPGRP:
  case FIONBIO:
    argSize = sizeof(int);
    break;
  case FIOCLEX:
  case FIONCLEX:
  case TCFLSH:
  case TCXONC:
  case TCSBRK:
    // The argument is a plain integer.
    return errnoResult(::ioctl(fd, req, (unsigned long)c.a[2]));
  default:
    if (log().enabled(kLogUnimp))
      log().printf("xlat: unimplemented ioctl 0x%x on fd %d\n", req, fd);
    return -ENOTTY;
  }
  void *p = hostPtr(c.mem, c.a[2], argSize);
  if (!p)
    return -EFAULT;
  return errnoResult(::ioctl(fd, req, p));
}

int64_t sys_ftruncate(SyscallCtx &c) {
  return errnoResult(::ftruncate((int)c.a[0], (off_t)c.a[1]));
}

int64_t sys_fsync(SyscallCtx &c) { return errnoResult(::fsync((int)c.a[0])); }

int64_t sys_fdatasync(SyscallCtx &c) {
  return errnoResult(::fdatasync((int)c.a[0]));
}

int64_t sys_flock(SyscallCtx &c) {
  return errnoResult(::flock((int)c.a[0], (int)c.a[1]));
}

int64_t sys_fallocate(SyscallCtx &c) {
  return errnoResult(
      ::fallocate((int)c.a[0], (int)c.a[1], (off_t)c.a[2], (off_t)c.a[3]));
}

} // namespace xlat::linux_abi
