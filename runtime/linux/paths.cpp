// Guest paths -> host paths, as qemu-user's -L does: an absolute guest path
// that exists under the sysroot is taken from there (the guest ld.so opens
// /lib/libc.so.6, which only the sysroot has), anything else is the host's.
// The guest's /proc/self/exe is the guest program, not the translator.
#include "runtime/linux/syscall_impl.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {

bool isProcSelfExe(const std::string &path) {
  return procSelfFile(path) == "exe";
}

std::string procSelfFile(const std::string &path) {
  static const std::string kProc = "/proc/";
  if (path.compare(0, kProc.size(), kProc) != 0)
    return "";
  size_t slash = path.find('/', kProc.size());
  if (slash == std::string::npos)
    return "";
  std::string who = path.substr(kProc.size(), slash - kProc.size());
  bool self = who == "self" || who == "thread-self" ||
              who == std::to_string(::getpid()) ||
              who == std::to_string(::syscall(SYS_gettid));
  return self ? path.substr(slash + 1) : "";
}

std::string hostPath(const Process &p, const std::string &guest) {
  if (guest.empty() || guest[0] != '/')
    return guest;
  if (isProcSelfExe(guest))
    return p.exePath;
  const std::string &root = p.effectiveSysroot;
  if (root.empty() || guest == "/")
    return guest;
  // Never translate twice (a path the guest got from us already).
  if (guest.compare(0, root.size(), root) == 0 &&
      (guest.size() == root.size() || guest[root.size()] == '/'))
    return guest;
  std::string inRoot = root + guest;
  struct stat st;
  if (::lstat(inRoot.c_str(), &st) == 0)
    return inRoot;
  return guest;
}

int64_t readHostPath(SyscallCtx &c, uint64_t g, std::string &out) {
  if (int64_t err = readPath(c.mem, g, out))
    return err;
  out = hostPath(c.proc, out);
  return 0;
}

int64_t readOptionalHostPath(SyscallCtx &c, uint64_t g, std::string &out,
                             const char *&p) {
  p = nullptr;
  if (!g)
    return 0;
  if (int64_t err = readHostPath(c, g, out))
    return err;
  p = out.c_str();
  return 0;
}

} // namespace xlat::linux_abi
