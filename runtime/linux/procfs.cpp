// /proc files whose host contents would describe the translator instead of
// the guest: they are synthesized into a memfd at open, except mem, which
// is the host's own with guest addresses as offsets. The rest of /proc
// (status, fd/, ...) is the host's, which is right or harmless; the
// task's name (comm) is the guest program's (runtime/main.cpp).
#include "runtime/linux/syscall_impl.h"

#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <mutex>
#include <set>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

// Linux's format: start-end perms offset dev inode, then the name from
// column 74. Offsets are not recorded per mapping; file mappings show the
// file's device and inode.
std::string synthesizeMaps(const GuestMemory &mem) {
  std::string out;
  char line[160];
  for (const auto &[start, m] : mem.mappings()) {
    unsigned long long ino = 0;
    unsigned devMajor = 0, devMinor = 0;
    struct stat st;
    if (!m.name.empty() && m.name[0] == '/' &&
        ::stat(m.name.c_str(), &st) == 0) {
      ino = st.st_ino;
      devMajor = major(st.st_dev);
      devMinor = minor(st.st_dev);
    }
    int n =
        snprintf(line, sizeof line,
                 "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08x %02x:%02x %llu ",
                 start, m.end, (m.prot & PROT_READ) ? 'r' : '-',
                 (m.prot & PROT_WRITE) ? 'w' : '-',
                 (m.prot & PROT_EXEC) ? 'x' : '-', m.shared ? 's' : 'p', 0,
                 devMajor, devMinor, ino);
    out.append(line, n);
    if (!m.name.empty()) {
      constexpr int kNameColumn = 73;
      if (n < kNameColumn)
        out.append(kNameColumn - n, ' ');
      out += m.name;
    }
    out += '\n';
  }
  return out;
}

// One entry per host cpu, as the guest's kernel words it.
std::string synthesizeCpuinfo(const LinuxAbi &abi) {
  std::string out;
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  for (long i = 0; i < (cpus > 0 ? cpus : 1); ++i)
    out += abi.cpuinfoEntry(i);
  return out;
}

// The host's stat line of this task, with the fields that describe the
// address space made the guest's (proc(5) numbering): 23 vsize, 26-28
// startcode, endcode, startstack, 45-51 start_data .. env_end. The rest
// (pid, comm, state, times, rss, ...) is the host task's, which runs the
// guest. Empty if the host file cannot be read.
std::string synthesizeStat(const Process &p, const std::string &hostFile) {
  std::string line;
  if (FILE *f = fopen(hostFile.c_str(), "r")) {
    char buf[2048];
    while (size_t n = fread(buf, 1, sizeof buf, f))
      line.append(buf, n);
    fclose(f);
  }
  size_t paren = line.rfind(')');
  if (paren == std::string::npos)
    return "";
  std::vector<std::string> fields; // fields[0] is field 3 (state)
  size_t at = paren + 2;
  while (at < line.size()) {
    size_t end = line.find_first_of(" \n", at);
    if (end == std::string::npos)
      end = line.size();
    fields.push_back(line.substr(at, end - at));
    at = end + 1;
  }
  uint64_t vsize = 0;
  for (const auto &[start, m] : p.mem.mappings())
    vsize += m.end - start;
  const LoadedImage &img = p.image;
  const StackInfo &st = p.stack;
  const std::pair<int, uint64_t> guest[] = {
      {23, vsize},         {26, img.startCode}, {27, img.endCode},
      {28, st.sp},         {45, img.startData}, {46, img.endData},
      {47, img.brkStart},  {48, st.argStart},   {49, st.envStart},
      {50, st.envStart},   {51, st.envEnd},
  };
  for (auto [field, value] : guest)
    if ((size_t)field - 3 < fields.size())
      fields[field - 3] = std::to_string(value);
  std::string out = line.substr(0, paren + 1);
  for (const std::string &f : fields)
    out += " " + f;
  return out + "\n";
}

std::string synthesizeCmdline(const Process &p) {
  std::string out;
  for (const std::string &a : p.argv) {
    out += a;
    out += '\0';
  }
  return out;
}

int64_t memfdWith(const std::string &name, const std::string &data,
                  int openFlags) {
  int fd =
      ::memfd_create(name.c_str(), (openFlags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
  if (fd < 0)
    return -errno;
  for (size_t done = 0; done < data.size();) {
    ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w <= 0) {
      int err = w < 0 ? errno : EIO;
      ::close(fd);
      return -err;
    }
    done += (size_t)w;
  }
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

// Descriptors of the guest's mem files. The count lets every read and
// write skip the lookup while there are none.
std::mutex memFdsMu;
std::set<int> memFds;
std::atomic<size_t> memFdCount{0};

void addMemFd(int fd) {
  std::lock_guard<std::mutex> lock(memFdsMu);
  memFds.insert(fd);
  memFdCount = memFds.size();
}

} // namespace

bool isGuestMemFd(int fd) {
  if (memFdCount.load(std::memory_order_relaxed) == 0)
    return false;
  std::lock_guard<std::mutex> lock(memFdsMu);
  return memFds.count(fd);
}

void memFdCopied(int from, int to) {
  if (from != to && isGuestMemFd(from))
    addMemFd(to);
  else if (from != to)
    memFdsClosed(to, to); // dup2 over a mem descriptor replaced it
}

void memFdsClosed(unsigned first, unsigned last) {
  if (memFdCount.load(std::memory_order_relaxed) == 0)
    return;
  std::lock_guard<std::mutex> lock(memFdsMu);
  memFds.erase(memFds.lower_bound((int)std::min<unsigned>(first, INT32_MAX)),
               last >= (unsigned)INT32_MAX ? memFds.end()
                                           : memFds.upper_bound((int)last));
  memFdCount = memFds.size();
}

int64_t guestMemIo(SyscallCtx &c, int fd, const std::vector<iovec> &iov,
                   int64_t pos, bool write) {
  bool atFilePos = pos < 0;
  if (atFilePos && (pos = ::lseek(fd, 0, SEEK_CUR)) < 0)
    return -errno;
  uint64_t at = (uint64_t)pos, done = 0;
  bool stopped = false;
  for (const iovec &v : iov) {
    auto *buf = static_cast<uint8_t *>(v.iov_base);
    for (uint64_t off = 0; off < v.iov_len && !stopped;) {
      uint64_t pageEnd = (at | (GuestMemory::kPageSize - 1)) + 1;
      uint64_t n = std::min<uint64_t>(v.iov_len - off, pageEnd - at);
      if (!c.mem.inRange(at, n) || !c.mem.isMapped(at, n, 0)) {
        stopped = true;
        break;
      }
      if (write)
        c.mem.codePages().beforeHostWrite(at, n);
      off_t hostAt = (off_t)(uintptr_t)c.mem.g2h(at);
      ssize_t r = write ? ::pwrite(fd, buf + off, n, hostAt)
                        : ::pread(fd, buf + off, n, hostAt);
      if (r < 0 && done == 0)
        return -errno;
      if (r <= 0) {
        stopped = true;
        break;
      }
      done += r;
      at += r;
      off += r;
      stopped = (uint64_t)r < n;
    }
    if (stopped)
      break;
  }
  if (done == 0 && stopped)
    return -EIO;
  if (atFilePos)
    ::lseek(fd, (off_t)at, SEEK_SET);
  return (int64_t)done;
}

bool openProcFile(SyscallCtx &c, const std::string &path, int flags,
                  int64_t &result) {
  std::string data, name;
  if (path == "/proc/cpuinfo") {
    data = synthesizeCpuinfo(*c.proc.abi);
    name = "cpuinfo";
  } else {
    name = procSelfFile(path);
    if (name == "maps") {
      data = synthesizeMaps(c.mem);
    } else if (name == "auxv") {
      data.resize(c.proc.stack.auxvLen);
      if (!c.mem.read(c.proc.stack.auxvAddr, data.data(), data.size())) {
        result = -EIO;
        return true;
      }
    } else if (name == "cmdline") {
      data = synthesizeCmdline(c.proc);
    } else if (name == "stat") {
      data = synthesizeStat(c.proc, path);
      if (data.empty())
        return false;
    } else if (name == "mem") {
      // The translator's own mem file: guestMemIo turns its offsets, guest
      // addresses, into host ones inside the guest space.
      int fd = ::open("/proc/self/mem",
                      flags & (O_ACCMODE | O_CLOEXEC | O_NONBLOCK));
      result = fd < 0 ? -errno : fd;
      if (fd >= 0)
        addMemFd(fd);
      return true;
    } else {
      return false;
    }
  }
  // Like the real files, these are read-only.
  if ((flags & O_ACCMODE) != O_RDONLY) {
    result = -EACCES;
    return true;
  }
  result = memfdWith(name, data, flags);
  return true;
}

} // namespace xlat::linux_abi
