// Diagnostic logging: the -d categories, -D LOGFILE and -strace. Shared by
// every layer, so it lives with the ISA-neutral core.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace xlat {

enum LogMask : uint32_t {
  kLogInAsm = 1u << 0,   // guest instructions of each translated block
  kLogOp = 1u << 1,      // the lifted LLVM IR
  kLogOutAsm = 1u << 2,  // host code of each translated block
  kLogExec = 1u << 3,    // each block executed
  kLogUnimp = 1u << 4,   // unimplemented instructions and syscalls
  kLogStrace = 1u << 5,  // syscalls with decoded arguments
  kLogRegion = 1u << 6,  // the blocks of each region compiled as one
  kLogInt = 1u << 7,     // system mode: each trap and interrupt taken
  kLogMmu = 1u << 8,     // system mode: TLB fills and page faults
  kLogCpu = 1u << 9,     // system mode: the registers at each trap taken
  kLogGuestErrors = 1u << 10, // system mode: accesses to nothing there
};

// Parses "in_asm,op,unimp"; returns false and names the bad item otherwise.
bool parseLogMask(std::string_view spec, uint32_t &mask, std::string &bad);

// Process-wide log sink. Written once at start-up, then only read.
struct Log {
  uint32_t mask = 0;
  FILE *out = stderr;
  bool enabled(LogMask m) const { return (mask & m) != 0; }
  void printf(const char *fmt, ...) const __attribute__((format(printf, 2, 3)));
};

Log &log();

// -d region: the blocks of one region, head first, as one line.
void logRegion(const uint64_t *pcs, size_t n);

} // namespace xlat
