// Guest disassembly for -d in_asm, -d unimp and xlat-lift, through LLVM's
// MC layer, for every guest ISA (create() is in the LLVM part).
#pragma once

#include "lifter/core/guest_isa.h"
#include "lifter/core/log.h"

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

// -d in_asm: a block's instructions to the log, disassembled by `d` (or
// by mnemonic(op) when d is null). Each ISA's Insn has pc, raw and op;
// length(insn) gives its bytes.
template <class Block, class Mnemonic, class Length>
void logGuestBlock(const Block &block, Disassembler *d, Mnemonic mnemonic,
                   Length length) {
  log().printf("IN: block 0x%llx\n", (unsigned long long)block.pc);
  for (const auto &in : block.insns) {
    unsigned len = length(in);
    std::string text = d ? d->disassemble(in.pc, in.raw, len)
                         : std::string(mnemonic(in.op));
    log().printf("0x%012llx:  %0*x  %s\n", (unsigned long long)in.pc, len * 2, in.raw,
                 text.c_str());
  }
  log().printf("\n");
}

} // namespace xlat
