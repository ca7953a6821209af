#include "lifter/core/log.h"

#include <cstring>

namespace xlat {

bool parseLogMask(std::string_view spec, uint32_t &mask, std::string &bad) {
  static const struct {
    const char *name;
    uint32_t bit;
  } kItems[] = {
      {"in_asm", kLogInAsm}, {"op", kLogOp},     {"out_asm", kLogOutAsm},
      {"exec", kLogExec},    {"unimp", kLogUnimp}, {"strace", kLogStrace},
      {"region", kLogRegion}, {"int", kLogInt},   {"mmu", kLogMmu},
      {"cpu", kLogCpu},      {"guest_errors", kLogGuestErrors},
  };
  while (!spec.empty()) {
    size_t comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    bool found = false;
    for (const auto &k : kItems)
      if (item == k.name) {
        mask |= k.bit;
        found = true;
      }
    if (!found) {
      bad = std::string(item);
      return false;
    }
    if (comma == std::string_view::npos)
      break;
    spec.remove_prefix(comma + 1);
  }
  return true;
}

void Log::printf(const char *fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(out, fmt, ap);
  va_end(ap);
}

void logRegion(const uint64_t *pcs, size_t n) {
  if (!n)
    return;
  std::string line;
  char pc[24];
  for (size_t i = 0; i < n; i++) {
    snprintf(pc, sizeof pc, " 0x%llx", (unsigned long long)pcs[i]);
    line += pc;
  }
  log().printf("Region 0x%llx:%s\n", (unsigned long long)pcs[0], line.c_str());
}

Log &log() {
  static Log instance;
  return instance;
}

} // namespace xlat
