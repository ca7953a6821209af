// The reference interpreter: runs guest instructions one at a time through
// the native semantic functions. It is the oracle for differential testing
// and the --tier=interp engine.
#pragma once

#include "jit/tier.h"
#include "lifter/riscv/block.h"
#include "lifter/core/code_reader.h"
#include "lifter/riscv/insn.h"
#include "lifter/riscv/sem_table.h"
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
  // The instruction at pc as run() would decode it (through the cache, the
  // filter and the decode log); null if it cannot be fetched.
  const rv::Insn *decode(uint64_t pc, CodeReader &code) { return lookup(pc, code); }
  // Executes one decoded instruction (a debugger's step): pc moves past
  // it first, as the semantics expect.
  static void execute(rv::RvState &s, const rv::Insn &in, uint64_t *currentPc,
                      TierStats &stats) {
    *currentPc = in.pc;
    s.pc = in.pc + in.len;
    rv::semanticFunction(in.op)(&s, &in);
    stats.insnsInterpreted++;
  }
  // System mode: decodes through a filter (rv::DecodeFilter). Decoded
  // instructions are forgotten.
  using DecodeFilter = rv::DecodeFilter;
  void setDecodeFilter(DecodeFilter f, const void *ctx) {
    filter_ = f;
    filterCtx_ = ctx;
    flush();
  }
  // -d in_asm for an interpreter: log(insn, ctx) sees each instruction as
  // it is decoded (once, until decoded instructions are forgotten).
  using DecodeLog = void (*)(const rv::Insn &, const void *ctx);
  void setDecodeLog(DecodeLog log, const void *ctx) {
    decodeLog_ = log;
    decodeLogCtx_ = ctx;
  }
  // Forgets decoded instructions (guest code changed, or in system mode
  // the mapping of virtual pcs). Constant time: entries of an older
  // generation miss.
  void flush();

private:
  const rv::Insn *lookup(uint64_t pc, CodeReader &code);

  struct Entry {
    uint64_t pc = ~0ull;
    uint64_t generation = 0;
    rv::Insn insn;
  };
  static constexpr size_t kCacheSize = 1 << 14;
  std::array<Entry, kCacheSize> cache_{};
  uint64_t generation_ = 0;
  DecodeFilter filter_ = nullptr;
  const void *filterCtx_ = nullptr;
  DecodeLog decodeLog_ = nullptr;
  const void *decodeLogCtx_ = nullptr;
};

} // namespace xlat::jit
