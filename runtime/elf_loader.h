// Loading a guest ELF executable (and later its interpreter) into guest
// memory, and building the initial process stack.
#pragma once

#include "runtime/guest_memory.h"

#include <cstdint>
#include <string>
#include <vector>

namespace xlat {

struct LoadedImage {
  uint64_t entry = 0;      // where execution starts (interpreter's if any)
  uint64_t progEntry = 0;  // the program's own entry (AT_ENTRY)
  uint64_t loadBias = 0;   // added to the program's vaddrs (PIE)
  uint64_t phdrAddr = 0;   // guest address of the program headers (AT_PHDR)
  uint64_t phnum = 0, phent = 0;
  uint64_t interpBase = 0; // AT_BASE; 0 when static
  uint64_t brkStart = 0;   // first page after the highest segment
  // As Linux's mm fields, for /proc/self/stat: the lowest and highest
  // addresses of executable segments' file contents, and of all segments'.
  uint64_t startCode = 0, endCode = 0, startData = 0, endData = 0;
  std::string interpPath;  // PT_INTERP as found in the file ("" if none)
  std::string path;        // the file that was loaded
  uint16_t machine = 0;    // its e_machine: EM_RISCV or EM_AARCH64
};

// Checks that `path` is a loadable riscv64 or aarch64 ELF executable and
// maps its PT_LOAD segments. On failure returns false with a one-line
// reason in `err` (no trailing newline), e.g. "not an ELF file", "ELF for
// x86-64, not RISC-V or AArch64".
// With `fd` (an open descriptor of the file, as binfmt_misc's O flag passes
// one for a program the user may execute but not read), the file is read
// through it and `path` only names it.
bool loadElf(const std::string &path, GuestMemory &mem, LoadedImage &img,
             std::string &err, int fd = -1);

struct StackInfo {
  uint64_t sp = 0;         // initial guest sp (points at argc)
  uint64_t auxvAddr = 0;   // guest address of the auxv array
  uint64_t auxvLen = 0;    // bytes, including AT_NULL
  uint64_t execfnAddr = 0;
  // The argument and environment strings: [argStart, envStart), [envStart, envEnd).
  uint64_t argStart = 0, envStart = 0, envEnd = 0;
};

// The auxv entries that are the guest architecture's (LinuxAbi::auxv).
struct AuxvArch {
  uint64_t hwcap = 0;
  bool hasHwcap2 = false; // AT_HWCAP2: the architecture defines it
  uint64_t hwcap2 = 0;
  uint64_t minSigStkSz = 0; // AT_MINSIGSTKSZ: the kernel's signal frame size
};

// Maps the guest stack below the top of the address space and fills it as
// the Linux kernel does: argc, argv, envp, auxv (AT_PHDR, AT_PHENT, AT_PHNUM,
// AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID/EUID/GID/EGID, AT_SECURE,
// AT_RANDOM, AT_HWCAP and AT_HWCAP2, AT_CLKTCK, AT_EXECFN, AT_MINSIGSTKSZ;
// no AT_PLATFORM, which neither riscv64 nor arm64 gives), strings and 16
// random bytes.
bool setupStack(GuestMemory &mem, const LoadedImage &img, const AuxvArch &arch,
                const std::vector<std::string> &argv,
                const std::vector<std::string> &envp, StackInfo &out,
                std::string &err);

} // namespace xlat
