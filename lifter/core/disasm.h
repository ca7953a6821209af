// Guest disassembly for -d in_asm, -d unimp and xlat-lift, through LLVM's
// MC layer, for every guest ISA (create() is in the LLVM part).
#pragma once

#include "lifter/core/guest_isa.h"

#include <cstdint>
#include <memory>
#include <string>

namespace xlat {

class Disassembler {
public:
  // Null if LLVM's target for the ISA is not available.
  static std::unique_ptr<Disassembler> create(GuestIsa isa);
  virtual ~Disassembler() = default;
  // One instruction of `len` bytes (RISC-V 2 or 4, A64 4) whose encoding
  // is `raw`; "<illegal>" for what LLVM does not decode.
  virtual std::string disassemble(uint64_t pc, uint32_t raw, unsigned len) = 0;
};

} // namespace xlat
