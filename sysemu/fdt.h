// The flattened device tree the firmware and the kernel learn the machine
// from (built with libfdt).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xlat::sysemu {

class Machine;

struct FdtBootInfo {
  uint64_t initrdStart = 0, initrdEnd = 0; // 0, 0: none
};

// The device tree blob for m; empty with err set if libfdt fails.
std::vector<uint8_t> buildFdt(const Machine &m, const FdtBootInfo &boot,
                              std::string &err);

} // namespace xlat::sysemu
