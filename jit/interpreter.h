// The reference interpreter: runs guest instructions one at a time through
// the native semantic functions. It is the oracle for differential testing
// and the --tier=interp engine.
#pragma once

#include "jit/tier.h"
#include "lifter/core/code_reader.h"
#include "lifter/riscv/insn.h"
#include "lifter/riscv/state.h"

#include <array>
#include <atomic>
#include <cstdint>

namespace xlat::jit {

class Interpreter {
public:
  // Runs until an instruction sets s.exit_reason or *stop becomes true
  // (checked before each instruction). *currentPc is updated before each
  // instruction so that a memory fault can name it. An instruction that
  // cannot be fetched ends the run with kExitMemFault.
  void run(rv::RvState &s, CodeReader &code, uint64_t *currentPc,
           const std::atomic<bool> &stop, TierStats &stats);
  // Runs one block: instructions up to and including the first that ends a
  // block (or until one sets s.exit_reason). For a translation that exits
  // with kExitGeneric: the same block without its assumptions.
  void runBlock(rv::RvState &s, CodeReader &code, uint64_t *currentPc,
                TierStats &stats);
  // Forgets decoded instructions (guest code changed).
  void flush();

private:
  const rv::Insn *lookup(uint64_t pc, CodeReader &code);

  struct Entry {
    uint64_t pc = ~0ull;
    rv::Insn insn;
  };
  static constexpr size_t kCacheSize = 1 << 14;
  std::array<Entry, kCacheSize> cache_{};
};

} // namespace xlat::jit
