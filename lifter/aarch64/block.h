// The extent of an A64 basic block and where it goes: what the
// translating tiers need of A64 beyond its instructions.
#pragma once

#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/insn.h"
#include "lifter/core/code_reader.h"
#include "lifter/core/disasm.h"
#include "lifter/core/guest_block.h"

#include <cstdint>
#include <vector>

namespace xlat::a64 {

using GuestBlock = BasicGuestBlock<Insn>;

// Decodes instructions from pc up to and including the first that ends a
// block (a branch, or a trap to the runner), at most maxInsns, stopping
// early before an instruction that cannot be fetched.
GuestBlock decodeBlock(CodeReader &code, uint64_t pc, unsigned maxInsns);

// Guest pcs a (non-empty) block may continue at without an indirect jump:
// b's and bl's target, both ways of a conditional branch, or the next pc
// of a block cut short. Empty for br, blr, ret and traps.
std::vector<uint64_t> directSuccessors(const GuestBlock &block);

// Where a block that ends in a call (bl, blr) continues when the callee
// returns: the pc after the call; 0 for other blocks.
uint64_t callContinuation(const GuestBlock &block);
// Whether a (non-empty) block ends in a return (ret, through any
// register: the instruction, not the register, says "return").
bool endsInReturn(const GuestBlock &block);

// -d in_asm of an A64 block.
inline void logGuestBlock(const GuestBlock &block, Disassembler *d) {
  xlat::logGuestBlock(block, d, mnemonic, [](const Insn &) { return 4u; });
}

} // namespace xlat::a64
