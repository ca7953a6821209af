// Finding the extent of a guest basic block.
#pragma once

#include "lifter/core/code_reader.h"
#include "lifter/core/guest_block.h"
#include "lifter/riscv/insn.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace xlat::rv {

using GuestBlock = BasicGuestBlock<Insn>;

// Fetches and decodes one instruction; false if its bytes are not readable.
bool fetchInsn(CodeReader &code, uint64_t pc, Insn &out);
// The address a failed fetch at pc faults on, as the kernel reports it: pc,
// or pc + 2 for a 4-byte instruction whose second half is on a page that
// cannot be executed.
uint64_t fetchFaultAddr(CodeReader &code, uint64_t pc);

// System mode: an instruction for which filter(insn, ctx) is true decodes
// as ILLEGAL (its raw bits and length kept), so that it traps to the
// runner, which decides what it does in the current privileged context.
using DecodeFilter = bool (*)(const Insn &, const void *ctx);

// Decodes instructions from pc up to and including the first one that ends a
// block (a control transfer or trap), at most maxInsns, stopping early before
// an instruction that cannot be fetched.
GuestBlock decodeBlock(CodeReader &code, uint64_t pc, unsigned maxInsns,
                       DecodeFilter filter = nullptr, const void *filterCtx = nullptr);

// Guest pcs a (non-empty) block may continue at without an indirect jump:
// a jal's target, both ways of a branch, or the next pc of a block cut
// short. Empty for jalr and traps.
std::vector<uint64_t> directSuccessors(const GuestBlock &block);

// Where a (non-empty) block that ends in a call (jal or jalr writing ra or
// t0) continues when the callee returns: the pc after the call; 0 for
// other blocks. A region that holds both the callee and this pc returns to
// it with a branch (Lifter::buildFunction).
uint64_t callContinuation(const GuestBlock &block);
// Whether a (non-empty) block ends in a return: jalr x0 through ra or t0.
bool endsInReturn(const GuestBlock &block);

// Gives the block at a pc (false if there is none to give).
using BlockDecodeFn = std::function<bool(uint64_t, GuestBlock &)>;

// Marks the frflags of each frflags/fsflags pair (kRestoreFflags) whose
// register is dead after the fsflags as kDeadFflagsRead: every path from
// there writes it before anything may read it. Paths run through `blocks`,
// then through up to 8 blocks that decodeMore gives; a path that goes
// further, or through an indirect jump, a return or a trap, counts as a
// read. Then the frflags need not read the host's flags, which waits for
// every FP operation in flight. The register's value is inexact only while
// it is dead: where a signal handler could look at it. Returns the blocks
// decodeMore gave: the marks hold while their bytes do.
std::vector<GuestBlock> markDeadFflagsReads(std::vector<GuestBlock> &blocks,
                                            const BlockDecodeFn &decodeMore = {});

// The RISC-V blocks of a region (xlat::formRegion).
inline std::vector<uint64_t> formRegion(uint64_t head, size_t limit,
                                        const BlockDecodeFn &decode,
                                        const std::function<bool(uint64_t)> &admit) {
  return xlat::formRegion<GuestBlock>(head, limit, decode, admit);
}

} // namespace xlat::rv
