// A guest process in user mode: its address space, its image, its options.
#pragma once

#include "runtime/elf_loader.h"
#include "runtime/guest_memory.h"

#include <cstdint>
#include <string>
#include <vector>

namespace xlat {

struct LinuxAbi;

struct Process {
  GuestMemory mem;
  LoadedImage image;
  StackInfo stack;
  const LinuxAbi *abi = nullptr;
  std::string exePath;            // absolute host path of the guest program
  std::string sysroot;            // -L
  std::vector<std::string> argv;  // as the guest sees them
};

} // namespace xlat
