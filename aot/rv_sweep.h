// What xlat-aot learns by decoding a RISC-V function's bytes in a line,
// without following branches: the addresses its code forms (to find the
// functions it calls or takes the address of) and its jump tables (to find
// the blocks that only an indirect jump enters: a switch's cases, the
// handlers of an interpreter's computed goto).
//
// Register values are tracked along the line, not along paths, so what it
// finds is a guess: a target is used only where it lies in the function and
// decodes, and a wrong one costs compile time, never correctness (an entry
// of the cache is used only for the bytes it was made from).
#pragma once

#include "lifter/riscv/block.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace xlat::aot {

// A dispatch `jr` through a table of code addresses: entry i is at
// table + i * entrySize, and the target is the entry (8 bytes, absolute) or
// relBase plus the entry (4 bytes, signed: GCC's switch tables, relative to
// the table).
struct JumpTable {
  uint64_t jumpPc = 0;
  uint64_t table = 0;
  unsigned entrySize = 8;
  bool relative = false;
  uint64_t relBase = 0;
  uint64_t entries = 0; // from a bounds check before it; 0 if none was seen
};

struct SweepFound {
  std::function<void(uint64_t)> address; // formed by auipc/lui + addi, or a jal
  std::function<void(const JumpTable &)> table;
};

// Decodes [start, end) in a line; bytes that do not decode are skipped a
// halfword at a time (data, padding) and forget what was known.
void sweepRiscv(CodeReader &code, uint64_t start, uint64_t end, const SweepFound &found);

// The targets of a table: its entries, read through `data` while they lie
// in [lo, hi), are halfword-aligned and decode, at most `entries` of them
// (or 4096 without a bound).
std::vector<uint64_t> jumpTableTargets(const JumpTable &t, CodeReader &data,
                                       CodeReader &code, uint64_t lo, uint64_t hi);

} // namespace xlat::aot
