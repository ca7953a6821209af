// What xlat-aot learns by decoding a function's bytes in a line, without
// following branches: the addresses its code forms (to find the functions
// it calls or takes the address of) and its jump tables (to find the
// blocks that only an indirect jump enters: a switch's cases, the handlers
// of an interpreter's computed goto). One sweep per guest ISA; the tables
// they find and how their targets are read are the same for both.
//
// Register values are tracked along the line, not along paths, so what it
// finds is a guess: a target is used only where it lies in the function and
// decodes, and a wrong one costs compile time, never correctness (an entry
// of the cache is used only for the bytes it was made from).
#pragma once

#include "lifter/core/code_reader.h"
#include "lifter/core/guest_isa.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace xlat::aot {

// A dispatch jump through a table of code addresses (RISC-V's `jr`, A64's
// `br`): entry i is at table + i * entrySize, and the target is the entry
// (8 bytes, absolute) or relBase plus the entry shifted left by `scale`:
// GCC's switch tables, 4-byte offsets from the table on RISC-V, 1- or
// 2-byte counts of instructions from a label on A64.
struct JumpTable {
  uint64_t jumpPc = 0;
  uint64_t table = 0;
  unsigned entrySize = 8;
  bool relative = false;
  bool signedEntries = true; // relative: the entry is sign-extended
  unsigned scale = 0;        // relative: the entry's left shift
  uint64_t relBase = 0;
  uint64_t entries = 0; // from a bounds check before it; 0 if none was seen
};

struct SweepFound {
  // Formed by auipc/lui + addi or adrp + add, adr, or a jal, b or bl.
  std::function<void(uint64_t)> address;
  std::function<void(const JumpTable &)> table;
};

// Decodes [start, end) in a line; bytes that do not decode are skipped an
// instruction's alignment at a time (data, padding) and forget what was
// known.
void sweepRiscv(CodeReader &code, uint64_t start, uint64_t end, const SweepFound &found);
void sweepAarch64(CodeReader &code, uint64_t start, uint64_t end, const SweepFound &found);
void sweep(GuestIsa isa, CodeReader &code, uint64_t start, uint64_t end,
           const SweepFound &found);

// The targets of a table: its entries, read through `data` while they lie
// in [lo, hi), are aligned as isa's instructions are and decode, at most
// `entries` of them (or 4096 without a bound).
std::vector<uint64_t> jumpTableTargets(GuestIsa isa, const JumpTable &t, CodeReader &data,
                                       CodeReader &code, uint64_t lo, uint64_t hi);

} // namespace xlat::aot
