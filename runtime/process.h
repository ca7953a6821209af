// A guest process in user mode: its address space, its image, its options.
#pragma once

#include "runtime/elf_loader.h"
#include "runtime/guest_memory.h"
#include "runtime/linux/linux_state.h"

#include <cstdint>
#include <string>
#include <vector>

namespace xlat {

struct LinuxAbi;
class Dispatcher;

struct Process {
  GuestMemory mem;
  LoadedImage image;
  StackInfo stack;
  const LinuxAbi *abi = nullptr;
  std::string exePath;            // absolute host path of the guest program
  std::string sysroot;            // -L
  // Where absolute guest paths are looked up first: -L, else the sysroot
  // the interpreter came from (see linux/paths.cpp).
  std::string effectiveSysroot;
  // xlat-run options a guest started by execve inherits (-L, --tier, ...).
  std::vector<std::string> runnerArgs;
  std::vector<std::string> argv;  // as the guest sees them
  Dispatcher *dispatcher = nullptr; // runs guest threads (new ones too)
  linux_abi::LinuxProcessState abiState; // signal dispositions, ...
};

} // namespace xlat
