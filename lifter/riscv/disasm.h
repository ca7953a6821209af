// -d in_asm of a RISC-V block (the disassembler is lifter/core/disasm.h).
#pragma once

#include "lifter/core/disasm.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"

namespace xlat::rv {

using Disassembler = xlat::Disassembler;

// -d in_asm of a RISC-V block.
inline void logGuestBlock(const GuestBlock &block, Disassembler *d) {
  xlat::logGuestBlock(block, d, mnemonic, [](const Insn &in) { return unsigned(in.len); });
}

} // namespace xlat::rv
