#include "jit/perf_map.h"

#include <cstdio>
#include <mutex>
#include <unistd.h>

namespace xlat::jit {
namespace {
std::mutex mu;
FILE *file = nullptr;
pid_t filePid = 0;
} // namespace

PerfMap &PerfMap::instance() {
  static PerfMap *map = new PerfMap; // never destroyed: exit races
  return *map;
}

void PerfMap::add(uint64_t start, uint64_t size, const std::string &name,
                  uint64_t guestPc) {
  if (!enabled_ || size == 0)
    return;
  // Named before the lock: the namer reads the guest's mappings and files.
  std::string function = namer_ && guestPc != kNoGuestPc ? namer_(guestPc) : "";
  std::lock_guard<std::mutex> lock(mu);
  pid_t pid = getpid();
  if (!file || filePid != pid) {
    // After fork the parent's stream is the parent's file: start our own.
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)pid);
    file = fopen(path, "w");
    filePid = pid;
    if (!file)
      return;
  }
  fprintf(file, "%llx %llx %s%s%s\n", (unsigned long long)start,
          (unsigned long long)size, function.c_str(), function.empty() ? "" : " ",
          name.c_str());
  fflush(file);
}

} // namespace xlat::jit
