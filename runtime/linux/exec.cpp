// Waiting for and replacing processes: wait4/waitid, execve, sessions and
// process groups (fork is clone's, in threads.cpp).
//
// execve or execveat of a riscv64 program (or a #! script whose interpreter
// is one) re-executes the translator (/proc/self/exe) with the process's
// runner options; any other program is the host kernel's to run.
#include "runtime/dispatcher.h"
#include "runtime/linux/syscall_impl.h"

#include <climits>
#include <csignal>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <functional>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace xlat::linux_abi {

int64_t sys_wait4(SyscallCtx &c) {
  // Wait statuses, options and struct rusage are the same on both ABIs.
  int status = 0;
  struct rusage ru;
  pid_t r =
      ::wait4((pid_t)c.a[0], &status, (int)c.a[2], c.a[3] ? &ru : nullptr);
  if (r < 0)
    return -errno;
  if (r > 0 && c.a[1] && !writeGuest(c.mem, c.a[1], status))
    return -EFAULT;
  if (c.a[3] && !writeGuest(c.mem, c.a[3], ru))
    return -EFAULT;
  return r;
}

int64_t sys_waitid(SyscallCtx &c) {
  // siginfo_t for SIGCHLD has one layout on every 64-bit ABI.
  void *info = nullptr;
  if (c.a[2] && !(info = hostPtr(c.mem, c.a[2], 128)))
    return -EFAULT;
  void *ru = nullptr;
  if (c.a[4] && !(ru = hostPtr(c.mem, c.a[4], sizeof(struct rusage))))
    return -EFAULT;
  return errnoResult(
      ::syscall(SYS_waitid, (int)c.a[0], (pid_t)c.a[1], info, (int)c.a[3], ru));
}

namespace {

// Reads a guest NULL-terminated array of string pointers (argv, envp).
int64_t readStringArray(const GuestMemory &mem, uint64_t g,
                        std::vector<std::string> &out) {
  constexpr size_t kMaxStrings = 1 << 20;
  for (size_t i = 0; g; ++i) {
    uint64_t p;
    if (i >= kMaxStrings)
      return -E2BIG;
    if (!readGuest(mem, g + i * 8, p))
      return -EFAULT;
    if (!p)
      return 0;
    std::string s;
    if (!mem.readString(p, s, 128 * 1024))
      return -EFAULT;
    out.push_back(std::move(s));
  }
  return 0;
}

enum class ImageKind { Guest, Script, Host };

// What execve would run: a riscv64 ELF, a #! script, or anything else
// (left to the host kernel, which reports ENOEXEC and friends itself).
int64_t classify(const std::string &path, ImageKind &kind, std::string &interp,
                 std::string &interpArg) {
  if (::access(path.c_str(), X_OK) < 0)
    return -errno;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -errno;
  char buf[256] = {};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  kind = ImageKind::Host;
  if (n >= (ssize_t)sizeof(Elf64_Ehdr) && !memcmp(buf, ELFMAG, SELFMAG)) {
    Elf64_Ehdr eh;
    memcpy(&eh, buf, sizeof eh);
    // Any guest xlat-run runs: it picks the ABI from the header again.
    if (eh.e_ident[EI_CLASS] == ELFCLASS64 && linuxAbiFor(eh.e_machine))
      kind = ImageKind::Guest;
    return 0;
  }
  if (n > 2 && buf[0] == '#' && buf[1] == '!') {
    // "#!interp [one argument]", as Linux splits it.
    std::string line(buf + 2, strnlen(buf + 2, n - 2));
    line = line.substr(0, line.find('\n'));
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos)
      return -ENOEXEC;
    size_t e = line.find_first_of(" \t", b);
    interp = line.substr(b, e == std::string::npos ? e : e - b);
    if (e != std::string::npos) {
      size_t ab = line.find_first_not_of(" \t", e);
      size_t ae = line.find_last_not_of(" \t");
      if (ab != std::string::npos)
        interpArg = line.substr(ab, ae - ab + 1);
    }
    kind = ImageKind::Script;
  }
  return 0;
}

std::vector<char *> cStrings(std::vector<std::string> &v) {
  std::vector<char *> out;
  for (std::string &s : v)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Replaces this process by `prog` run by the translator with argv `args`
// (args[0] becomes the guest's argv[0]). Returns only on failure.
int64_t execGuest(const Process &p, const std::string &prog,
                  std::vector<std::string> args,
                  std::vector<std::string> &env) {
  std::vector<std::string> host = {"xlat-run"};
  host.insert(host.end(), p.runnerArgs.begin(), p.runnerArgs.end());
  host.insert(host.end(), {"-0", args.empty() ? prog : args[0], "--", prog});
  if (!args.empty())
    host.insert(host.end(), args.begin() + 1, args.end());
  std::vector<char *> hv = cStrings(host), ev = cStrings(env);
  // What this process compiled would be lost with it.
  if (p.dispatcher)
    p.dispatcher->saveCache();
  ::execve("/proc/self/exe", hv.data(), ev.data());
  return -errno;
}

} // namespace

namespace {

// execve and execveat once the image is found: `path` names it for this
// process, `lasting()` for the translator that replaces it (the two differ
// for a /proc/self/fd path), `scriptPath` is what a guest interpreter gets
// for a #! script, and `hostExec` runs anything else natively.
int64_t execImage(SyscallCtx &c, const std::string &path,
                  const std::function<std::string()> &lasting,
                  const std::string &scriptPath, std::vector<std::string> args,
                  std::vector<std::string> &env,
                  const std::function<void(char **, char **)> &hostExec) {
  ImageKind kind;
  std::string interp, interpArg;
  if (int64_t err = classify(path, kind, interp, interpArg))
    return err;
  if (kind == ImageKind::Guest)
    return execGuest(c.proc, lasting(), std::move(args), env);
  if (kind == ImageKind::Script) {
    // A guest interpreter runs the script through the translator; a host
    // one (the host's /bin/sh) is the kernel's business.
    std::string interpHost = hostPath(c.proc, interp);
    ImageKind ik;
    std::string unused1, unused2;
    if (classify(interpHost, ik, unused1, unused2) == 0 &&
        ik == ImageKind::Guest) {
      std::vector<std::string> sargs = {interp};
      if (!interpArg.empty())
        sargs.push_back(interpArg);
      sargs.push_back(scriptPath.empty() ? lasting() : scriptPath);
      if (!args.empty())
        sargs.insert(sargs.end(), args.begin() + 1, args.end());
      return execGuest(c.proc, interpHost, std::move(sargs), env);
    }
  }
  std::vector<char *> av = cStrings(args), ev = cStrings(env);
  hostExec(av.data(), ev.data());
  return -errno;
}

// A path the translator exec'd in this process's place can open for an
// image this process reaches through /proc/self/fd/N (execveat with a
// dirfd), where N may be close-on-exec: the file's own path if it still
// names the same file, else a descriptor without close-on-exec that stays
// open in the new process (an unlinked file or a memfd has no other name).
std::string lastingPath(const std::string &here) {
  static const std::string kFdDir = "/proc/self/fd/";
  if (here.compare(0, kFdDir.size(), kFdDir) != 0)
    return here;
  char buf[PATH_MAX];
  struct stat a, b;
  if (::realpath(here.c_str(), buf) && ::stat(buf, &a) == 0 &&
      ::stat(here.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
      a.st_ino == b.st_ino)
    return buf;
  int fd = ::open(here.c_str(), O_PATH);
  return fd < 0 ? here : kFdDir + std::to_string(fd);
}

} // namespace

int64_t sys_execve(SyscallCtx &c) {
  std::string guestPath;
  std::vector<std::string> args, env;
  if (int64_t err = readPath(c.mem, c.a[0], guestPath))
    return err;
  if (int64_t err = readStringArray(c.mem, c.a[1], args))
    return err;
  if (int64_t err = readStringArray(c.mem, c.a[2], env))
    return err;
  std::string path = hostPath(c.proc, guestPath);
  return execImage(
      c, path, [&] { return path; }, guestPath, std::move(args), env,
      [&](char **av, char **ev) { ::execve(path.c_str(), av, ev); });
}

int64_t sys_execveat(SyscallCtx &c) {
  int dirfd = (int)c.a[0], flags = (int)c.a[4];
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
    return -EINVAL;
  std::string name;
  std::vector<std::string> args, env;
  if (int64_t err = readPath(c.mem, c.a[1], name))
    return err;
  if (int64_t err = readStringArray(c.mem, c.a[2], args))
    return err;
  if (int64_t err = readStringArray(c.mem, c.a[3], env))
    return err;
  // The image as this process reaches it, and the name the host's
  // execveat gets for a host image (absolute guest paths are translated).
  std::string here, hostName = name;
  if (name.empty()) {
    if (!(flags & AT_EMPTY_PATH))
      return -ENOENT;
    here = "/proc/self/fd/" + std::to_string(dirfd);
  } else if (name[0] == '/') {
    here = hostName = hostPath(c.proc, name);
  } else if (dirfd == AT_FDCWD) {
    here = name;
  } else {
    here = "/proc/self/fd/" + std::to_string(dirfd) + "/" + name;
  }
  if (!name.empty() && (flags & AT_SYMLINK_NOFOLLOW)) {
    struct stat st;
    if (::lstat(here.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
      return -ELOOP;
  }
  // A script named by an absolute or cwd-relative path keeps the guest's
  // name, as with execve; one reached through a dirfd gets a lasting path.
  std::string scriptPath = here.compare(0, 6, "/proc/") ? name : "";
  return execImage(
      c, here, [&] { return lastingPath(here); }, scriptPath, std::move(args),
      env,
      [&](char **av, char **ev) {
        ::syscall(SYS_execveat, dirfd, hostName.c_str(), av, ev, flags);
      });
}

int64_t sys_setpgid(SyscallCtx &c) {
  return errnoResult(::setpgid((pid_t)c.a[0], (pid_t)c.a[1]));
}
int64_t sys_getpgid(SyscallCtx &c) {
  return errnoResult(::getpgid((pid_t)c.a[0]));
}
int64_t sys_getsid(SyscallCtx &c) {
  return errnoResult(::getsid((pid_t)c.a[0]));
}
int64_t sys_setsid(SyscallCtx &c) { return errnoResult(::setsid()); }

} // namespace xlat::linux_abi
