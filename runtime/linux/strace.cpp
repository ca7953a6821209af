// -strace: one line per syscall in qemu's format,
//   1234 openat(AT_FDCWD,"/etc/passwd",O_RDONLY) = 3
//   1234 openat(AT_FDCWD,"/x",O_RDONLY) = -1 errno=2 (No such file or
//   directory)
#include "lifter/core/log.h"
#include "runtime/linux/syscall_impl.h"

#include <cinttypes>
#include <cstring>
#include <string>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

struct FlagName {
  uint64_t bit;
  const char *name;
};

// Appends the names of the set bits in `v`, '|'-separated, and any bits
// left over in hex. Prints `zero` when nothing is set.
void appendFlags(std::string &out, uint64_t v, const FlagName *names, size_t n,
                 const char *zero) {
  bool first = true;
  auto sep = [&] {
    if (!first)
      out += '|';
    first = false;
  };
  for (size_t i = 0; i < n; ++i) {
    if ((v & names[i].bit) == names[i].bit && names[i].bit) {
      sep();
      out += names[i].name;
      v &= ~names[i].bit;
    }
  }
  if (v || first) {
    if (!v && zero) {
      out += zero;
      return;
    }
    sep();
    char buf[24];
    snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    out += buf;
  }
}

// asm-generic open flags (identical to x86-64's).
constexpr FlagName kOpenFlags[] = {
    {0100, "O_CREAT"},        {0200, "O_EXCL"},         {0400, "O_NOCTTY"},
    {01000, "O_TRUNC"},       {02000, "O_APPEND"},      {04000, "O_NONBLOCK"},
    {010000, "O_DSYNC"},      {020000, "O_ASYNC"},      {040000, "O_DIRECT"},
    {0100000, "O_LARGEFILE"}, {0200000, "O_DIRECTORY"}, {0400000, "O_NOFOLLOW"},
    {01000000, "O_NOATIME"},  {02000000, "O_CLOEXEC"},  {04000000, "O_SYNC"},
    {010000000, "O_PATH"},    {020000000, "O_TMPFILE"},
};

constexpr FlagName kProt[] = {
    {1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}};

constexpr FlagName kMapFlags[] = {
    {0x10, "MAP_FIXED"},        {0x20, "MAP_ANONYMOUS"},
    {0x100, "MAP_GROWSDOWN"},   {0x800, "MAP_DENYWRITE"},
    {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"},
    {0x4000, "MAP_NORESERVE"},  {0x8000, "MAP_POPULATE"},
    {0x10000, "MAP_NONBLOCK"},  {0x20000, "MAP_STACK"},
    {0x40000, "MAP_HUGETLB"},   {0x100000, "MAP_FIXED_NOREPLACE"},
};

constexpr FlagName kAtFlags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},
    {0x400, "AT_SYMLINK_FOLLOW"},   {0x800, "AT_NO_AUTOMOUNT"},
    {0x1000, "AT_EMPTY_PATH"},
};

const char *const kSignalNames[] = {
    nullptr,   "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP",
    "SIGABRT", "SIGBUS",  "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV",
    "SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
    "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
    "SIGPWR",  "SIGSYS",
};

const char *const kClockNames[] = {
    "CLOCK_REALTIME",           "CLOCK_MONOTONIC",
    "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
    "CLOCK_MONOTONIC_RAW",      "CLOCK_REALTIME_COARSE",
    "CLOCK_MONOTONIC_COARSE",   "CLOCK_BOOTTIME",
};

const char *const kFutexOps[] = {
    "FUTEX_WAIT",        "FUTEX_WAKE",        "FUTEX_FD",
    "FUTEX_REQUEUE",     "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",
    "FUTEX_LOCK_PI",     "FUTEX_UNLOCK_PI",   "FUTEX_TRYLOCK_PI",
    "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET",
};

void appendString(std::string &out, const GuestMemory &mem, uint64_t g) {
  constexpr size_t kShown = 64;
  std::string s;
  if (!g) {
    out += "NULL";
    return;
  }
  if (!mem.readString(g, s, 4096)) {
    char buf[24];
    snprintf(buf, sizeof buf, "0x%" PRIx64, g);
    out += buf;
    return;
  }
  out += '"';
  for (size_t i = 0; i < s.size() && i < kShown; ++i) {
    unsigned char ch = s[i];
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch < 0x20 || ch >= 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\%03o", ch);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
  if (s.size() > kShown)
    out += "...";
}

// execve's argv: ["a","b",...], at most a few strings.
void appendStringArray(std::string &out, const GuestMemory &mem, uint64_t g) {
  constexpr int kShown = 8;
  if (!g) {
    out += "NULL";
    return;
  }
  out += '[';
  for (int i = 0;; ++i) {
    uint64_t p;
    if (!mem.read(g + i * 8, &p, sizeof p)) {
      out += "?";
      break;
    }
    if (!p)
      break;
    if (i)
      out += ',';
    if (i == kShown) {
      out += "...";
      break;
    }
    appendString(out, mem, p);
  }
  out += ']';
}

const char *const kSockFamilies[] = {
    "AF_UNSPEC", "AF_UNIX", "AF_INET", nullptr, nullptr,  nullptr,
    nullptr,     nullptr,   nullptr,   nullptr, "AF_INET6",
};

const char *const kEpollOps[] = {nullptr, "EPOLL_CTL_ADD", "EPOLL_CTL_DEL",
                                 "EPOLL_CTL_MOD"};

// A small enumeration by name, or its number.
template <size_t N>
void appendEnum(std::string &out, const char *const (&names)[N], uint64_t v) {
  if (v < N && names[v])
    out += names[v];
  else
    out += std::to_string((int)v);
}

void appendArg(std::string &out, const GuestMemory &mem, Arg kind, uint64_t v) {
  char buf[32];
  auto num = [&](const char *fmt, auto x) {
    snprintf(buf, sizeof buf, fmt, x);
    out += buf;
  };
  switch (kind) {
  case Arg::None:
    return;
  case Arg::Int:
    return num("%d", (int)v);
  case Arg::Long:
    return num("%" PRId64, (int64_t)v);
  case Arg::UInt:
    return num("%" PRIu64, v);
  case Arg::Hex:
    return num("0x%" PRIx64, v);
  case Arg::Ptr:
    if (!v)
      out += "NULL";
    else
      num("0x%" PRIx64, v);
    return;
  case Arg::Str:
    return appendString(out, mem, v);
  case Arg::StrArray:
    return appendStringArray(out, mem, v);
  case Arg::SockFamily:
    return appendEnum(out, kSockFamilies, v);
  case Arg::EpollOp:
    return appendEnum(out, kEpollOps, v);
  case Arg::DirFd:
    if ((int)v == -100)
      out += "AT_FDCWD";
    else
      num("%d", (int)v);
    return;
  case Arg::OpenFlags: {
    static const char *const kAccess[] = {"O_RDONLY", "O_WRONLY", "O_RDWR",
                                          "O_ACCMODE"};
    out += kAccess[v & 3];
    if (v & ~3ull) {
      out += '|';
      appendFlags(out, v & ~3ull, kOpenFlags, std::size(kOpenFlags), nullptr);
    }
    return;
  }
  case Arg::Octal:
    return num("0%" PRIo64, v);
  case Arg::MmapProt:
    return appendFlags(out, v, kProt, std::size(kProt), "PROT_NONE");
  case Arg::MmapFlags: {
    static const char *const kType[] = {"0", "MAP_SHARED", "MAP_PRIVATE",
                                        "MAP_SHARED_VALIDATE"};
    out += kType[v & 3];
    if (v & ~3ull) {
      out += '|';
      appendFlags(out, v & ~3ull, kMapFlags, std::size(kMapFlags), nullptr);
    }
    return;
  }
  case Arg::AtFlags:
    return appendFlags(out, v, kAtFlags, std::size(kAtFlags), "0");
  case Arg::Signal:
    if (v > 0 && v < std::size(kSignalNames))
      out += kSignalNames[v];
    else
      num("%d", (int)v);
    return;
  case Arg::ClockId:
    if (v < std::size(kClockNames))
      out += kClockNames[v];
    else
      num("%d", (int)v);
    return;
  case Arg::FutexOp: {
    unsigned cmd = v & 0x7f;
    if (cmd < std::size(kFutexOps))
      out += kFutexOps[cmd];
    else
      num("%u", cmd);
    if (v & 128)
      out += "|FUTEX_PRIVATE_FLAG";
    if (v & 256)
      out += "|FUTEX_CLOCK_REALTIME";
    return;
  }
  }
}

} // namespace

std::string straceCall(SyscallCtx &c, const SyscallEntry &e) {
  std::string out = e.name;
  out += '(';
  if (!e.handler) {
    // Unknown argument count: show all six raw.
    for (int i = 0; i < 6; ++i) {
      if (i)
        out += ',';
      appendArg(out, c.mem, Arg::Hex, c.a[i]);
    }
  } else {
    for (int i = 0; i < 6 && e.args[i] != Arg::None; ++i) {
      // Like strace, show open's mode only when it is used.
      constexpr uint64_t kCreatOrTmpfile = 0100 | 020000000;
      if (e.args[i] == Arg::Octal && i > 0 && e.args[i - 1] == Arg::OpenFlags &&
          !(c.a[i - 1] & kCreatOrTmpfile))
        break;
      if (i)
        out += ',';
      // The host's names of the guest's open flags.
      uint64_t v = e.args[i] == Arg::OpenFlags ? openFlagsToHost(*c.proc.abi, c.a[i]) : c.a[i];
      appendArg(out, c.mem, e.args[i], v);
    }
  }
  out += ')';
  return out;
}

void straceResult(const std::string &call, const SyscallEntry &e, int64_t ret) {
  int pid = getpid();
  if (ret < 0 && ret >= -4095) {
    int err = (int)-ret;
    log().printf("%d %s = -1 errno=%d (%s)\n", pid, call.c_str(), err,
                 strerror(err));
  } else if (e.ret == Ret::Ptr) {
    log().printf("%d %s = 0x%" PRIx64 "\n", pid, call.c_str(), (uint64_t)ret);
  } else {
    log().printf("%d %s = %" PRId64 "\n", pid, call.c_str(), ret);
  }
}

} // namespace xlat::linux_abi
