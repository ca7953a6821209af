#include "jit/perf_map.h"

#include <cstdio>
#include <ctime>
#include <elf.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::jit {
namespace {
std::mutex mu;
// Each output is per process: after fork the parent's stream is the
// parent's file, and the child starts its own.
struct Output {
  FILE *file = nullptr;
  pid_t pid = 0;
};
Output mapOut, dumpOut;
uint64_t codeIndex = 0;

// perf's jitdump format (tools/perf/Documentation/jitdump-specification.txt
// in Linux): a header, then records, little-endian as the host.
constexpr uint32_t kJitdumpMagic = 0x4A695444; // "JiTD"
struct JitdumpHeader {
  uint32_t magic, version, totalSize, elfMach, pad1, pid;
  uint64_t timestamp, flags;
};
constexpr uint32_t kCodeLoad = 0;
struct CodeLoad {
  uint32_t id, totalSize;
  uint64_t timestamp;
  uint32_t pid, tid;
  uint64_t vma, codeAddr, codeSize, codeIndex;
  // then the name, NUL-terminated, then the code
};
static_assert(sizeof(JitdumpHeader) == 40 && sizeof(CodeLoad) == 56);

// The clock perf record -k 1 (CLOCK_MONOTONIC) stamps its samples with,
// which is how perf inject matches code loads with samples.
uint64_t monotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000 + uint64_t(ts.tv_nsec);
}

// Opens out for this process (a forked child starts its own file).
bool openFor(Output &out, const char *path, pid_t pid, const char *mode = "w") {
  if (out.file && out.pid == pid)
    return true;
  out.file = fopen(path, mode);
  out.pid = pid;
  return out.file != nullptr;
}
} // namespace

PerfMap &PerfMap::instance() {
  static PerfMap *map = new PerfMap; // never destroyed: exit races
  return *map;
}

void PerfMap::add(uint64_t start, uint64_t size, const std::string &name,
                  uint64_t guestPc) {
  if (!enabled() || size == 0)
    return;
  // Named before the lock: the namer reads the guest's mappings and files.
  std::string function = namer_ && guestPc != kNoGuestPc ? namer_(guestPc) : "";
  std::string full = function.empty() ? name : function + " " + name;
  std::lock_guard<std::mutex> lock(mu);
  if (enabled_)
    writeMapLine(start, size, full);
  if (!jitdumpDir_.empty())
    writeCodeLoad(start, size, full);
}

void PerfMap::writeMapLine(uint64_t start, uint64_t size, const std::string &name) {
  pid_t pid = getpid();
  char path[64];
  snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)pid);
  if (!openFor(mapOut, path, pid))
    return;
  fprintf(mapOut.file, "%llx %llx %s\n", (unsigned long long)start,
          (unsigned long long)size, name.c_str());
  fflush(mapOut.file);
}

void PerfMap::writeCodeLoad(uint64_t start, uint64_t size, const std::string &name) {
  pid_t pid = getpid();
  if (!dumpOut.file || dumpOut.pid != pid) {
    std::string path = jitdumpDir_ + "/jit-" + std::to_string(pid) + ".dump";
    // Readable too: it is mapped below.
    if (!openFor(dumpOut, path.c_str(), pid, "w+")) {
      fprintf(stderr, "xlat-run: cannot write %s: %m\n", path.c_str());
      jitdumpDir_.clear();
      return;
    }
    JitdumpHeader h{kJitdumpMagic, 1, sizeof h, EM_X86_64, 0, uint32_t(pid),
                    monotonicNanos(), 0};
    fwrite(&h, sizeof h, 1, dumpOut.file);
    fflush(dumpOut.file);
    // perf finds the file by this mapping of it (an executable one, so
    // that perf record keeps the event); it stays mapped.
    long page = sysconf(_SC_PAGESIZE);
    if (mmap(nullptr, page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fileno(dumpOut.file), 0) ==
        MAP_FAILED)
      fprintf(stderr, "xlat-run: cannot map %s for perf: %m\n", path.c_str());
  }
  CodeLoad r{kCodeLoad,
             uint32_t(sizeof r + name.size() + 1 + size),
             monotonicNanos(),
             uint32_t(pid),
             uint32_t(syscall(SYS_gettid)),
             start,
             start,
             size,
             codeIndex++};
  fwrite(&r, sizeof r, 1, dumpOut.file);
  fwrite(name.c_str(), name.size() + 1, 1, dumpOut.file);
  fwrite(reinterpret_cast<const void *>(start), size, 1, dumpOut.file);
  fflush(dumpOut.file);
}

} // namespace xlat::jit
