// Guest disassembly for -d in_asm and xlat-lift, through LLVM's MC layer
// (create() is in the LLVM part; logGuestBlock is not).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace xlat::rv {

class Disassembler {
public:
  // Null if LLVM's RISC-V target is not available.
  static std::unique_ptr<Disassembler> create();
  virtual ~Disassembler() = default;
  // One instruction of `len` bytes (2 or 4) whose encoding is `raw`.
  virtual std::string disassemble(uint64_t pc, uint32_t raw, unsigned len) = 0;
};

struct GuestBlock;

// -d in_asm: the block's instructions to the log, disassembled by `d` (or
// by mnemonic when d is null).
void logGuestBlock(const GuestBlock &block, Disassembler *d);

} // namespace xlat::rv
