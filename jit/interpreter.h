// The reference interpreter: runs guest instructions one at a time through
// the native semantic functions. It is the oracle for differential testing
// and the --tier=interp engine, for each guest ISA (GuestIsa below says
// what it needs of one).
#pragma once

#include "jit/tier.h"
#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/sem_table.h"
#include "lifter/aarch64/state.h"
#include "lifter/core/code_reader.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/insn.h"
#include "lifter/riscv/sem_table.h"
#include "lifter/riscv/state.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

namespace xlat::jit {

// What the interpreter needs of a guest ISA: its state and decoded
// instruction, fetching, the semantic table, and the block boundary.
struct RiscvGuest {
  using State = rv::RvState;
  using Insn = rv::Insn;
  using Fn = rv::SemFn;
  static constexpr unsigned kPcShift = 1; // instructions are 2-byte aligned
  static bool fetch(CodeReader &code, uint64_t pc, Insn &in) { return rv::fetchInsn(code, pc, in); }
  static void fetchFault(State &s, CodeReader &code, uint64_t pc) {
    s.exit_reason = rv::kExitMemFault;
    s.fault_addr = rv::fetchFaultAddr(code, pc);
  }
  static uint64_t next(const Insn &in) { return in.pc + in.len; }
  // The semantic function that executes `in`, kept with it once decoded.
  static Fn function(const Insn &in) { return rv::semanticFunction(in.op); }
  static void execute(State &s, const Insn &in) { function(in)(&s, &in); }
  static bool endsBlock(const Insn &in) { return rv::flags(in.op) & rv::kEndsBlock; }
  static void makeIllegal(Insn &in) { in.op = rv::Op::ILLEGAL; }
};

struct A64Guest {
  using State = a64::A64State;
  using Insn = a64::Insn;
  using Fn = a64::SemFn;
  static constexpr unsigned kPcShift = 2;
  static bool fetch(CodeReader &code, uint64_t pc, Insn &in) { return a64::fetchInsn(code, pc, in); }
  // A misaligned pc is a PC alignment fault (SIGBUS), as on hardware.
  static void fetchFault(State &s, CodeReader &, uint64_t pc) {
    s.exit_reason = pc & 3 ? a64::kExitMisaligned : a64::kExitMemFault;
    s.fault_addr = pc;
  }
  static uint64_t next(const Insn &in) { return in.pc + 4; }
  static Fn function(const Insn &in) { return a64::semanticFunction(in.op); }
  static void execute(State &s, const Insn &in) { function(in)(&s, &in); }
  static bool endsBlock(const Insn &in) { return a64::flags(in.op) & a64::kEndsBlock; }
  static void makeIllegal(Insn &in) { in.op = a64::Op::ILLEGAL; }
};

template <class Guest> class BasicInterpreter {
public:
  using State = typename Guest::State;
  using Insn = typename Guest::Insn;

  // Runs until an instruction sets s.exit_reason or *stop becomes true
  // (checked before each instruction). *currentPc is updated before each
  // instruction so that a memory fault can name it. An instruction that
  // cannot be fetched ends the run with a fault.
  void run(State &s, CodeReader &code, uint64_t *currentPc,
           const std::atomic<bool> &stop, TierStats &stats);
  // Runs one block: instructions up to and including the first that ends a
  // block (or until one sets s.exit_reason). For a translation that exits
  // with kExitGeneric: the same block without its assumptions.
  void runBlock(State &s, CodeReader &code, uint64_t *currentPc, TierStats &stats);
  // The instruction at pc as run() would decode it (through the cache, the
  // filter and the decode log); null if it cannot be fetched.
  const Insn *decode(uint64_t pc, CodeReader &code) {
    const Entry *e = lookup(pc, code);
    return e ? &e->insn : nullptr;
  }
  // Executes one decoded instruction (a debugger's step): pc moves past
  // it first, as the semantics expect.
  static void execute(State &s, const Insn &in, uint64_t *currentPc, TierStats &stats) {
    *currentPc = in.pc;
    s.pc = Guest::next(in);
    Guest::execute(s, in);
    stats.insnsInterpreted++;
  }
  // System mode: decodes through a filter; true makes an instruction
  // illegal. Decoded instructions are forgotten.
  using DecodeFilter = bool (*)(const Insn &, const void *ctx);
  void setDecodeFilter(DecodeFilter f, const void *ctx) {
    filter_ = f;
    filterCtx_ = ctx;
    flush();
  }
  // -d in_asm for an interpreter: log(insn, ctx) sees each instruction as
  // it is decoded (once, until decoded instructions are forgotten).
  using DecodeLog = void (*)(const Insn &, const void *ctx);
  void setDecodeLog(DecodeLog log, const void *ctx) {
    decodeLog_ = log;
    decodeLogCtx_ = ctx;
  }
  // Forgets decoded instructions (guest code changed, or in system mode
  // the mapping of virtual pcs). Constant time: entries of an older
  // generation miss.
  void flush() { ++generation_; }

private:
  struct Entry {
    uint64_t pc = ~0ull;
    uint64_t generation = 0;
    typename Guest::Fn fn = nullptr;
    bool endsBlock = false; // Guest::endsBlock(insn), kept with it
    Insn insn;
  };
  // The hit, inline: the interpreter's loops run it for every instruction.
  const Entry *lookup(uint64_t pc, CodeReader &code) {
    if (cache_) {
      const Entry &e = cache_[(pc >> Guest::kPcShift) & (kCacheSize - 1)];
      if (e.pc == pc && e.generation == generation_)
        return &e;
    }
    return fill(pc, code);
  }
  const Entry *fill(uint64_t pc, CodeReader &code);

  // Direct-mapped by pc: large enough for the hot code of a big program
  // (an interpreter such as python's), 4.5 MB, so made at the first
  // lookup: most interpreters of a JIT-tier thread or a hart's privilege
  // modes never run.
  static constexpr size_t kCacheSize = 1 << 16;
  std::unique_ptr<Entry[]> cache_;
  uint64_t generation_ = 0;
  DecodeFilter filter_ = nullptr;
  const void *filterCtx_ = nullptr;
  DecodeLog decodeLog_ = nullptr;
  const void *decodeLogCtx_ = nullptr;
};

extern template class BasicInterpreter<RiscvGuest>;
extern template class BasicInterpreter<A64Guest>;
using Interpreter = BasicInterpreter<RiscvGuest>;
using A64Interpreter = BasicInterpreter<A64Guest>;

} // namespace xlat::jit
