// -d in_asm of a RISC-V block (the disassembler is lifter/core/disasm.h).
#pragma once

#include "lifter/core/disasm.h"

namespace xlat::rv {

using Disassembler = xlat::Disassembler;

struct GuestBlock;

// -d in_asm: the block's instructions to the log, disassembled by `d` (or
// by mnemonic when d is null).
void logGuestBlock(const GuestBlock &block, Disassembler *d);

} // namespace xlat::rv
