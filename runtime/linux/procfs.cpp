// /proc files whose host contents would describe the translator instead of
// the guest: they are synthesized into a memfd at open. The rest of /proc
// (stat, status, fd/, ...) is the host's, which is right or harmless.
#include "runtime/linux/syscall_impl.h"

#include <cinttypes>
#include <cstdio>
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

// What a real rv64gc machine shows, one entry per host cpu.
std::string synthesizeCpuinfo() {
  std::string out;
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  for (long i = 0; i < (cpus > 0 ? cpus : 1); ++i) {
    char buf[256];
    snprintf(buf, sizeof buf,
             "processor\t: %ld\nhart\t\t: %ld\n"
             "isa\t\t: rv64imafdc_zicntr_zicsr_zifencei\nmmu\t\t: sv39\n"
             "mvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n",
             i, i);
    out += buf;
  }
  return out;
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

} // namespace

bool openProcFile(SyscallCtx &c, const std::string &path, int flags,
                  int64_t &result) {
  std::string data, name;
  if (path == "/proc/cpuinfo") {
    data = synthesizeCpuinfo();
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
