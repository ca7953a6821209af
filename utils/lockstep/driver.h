// The lockstep loop: generate a stream, run it from several initial states
// in the reference interpreter and in the tier under test, compare, and on
// the first divergence find the instruction that causes it and report.
//
// The loop is the same for every guest ISA. What it needs of one is its
// plug (riscv/plug.h, aarch64/plug.h), a struct with:
//   kIsa, State, Generator     the ISA, its architected state, and the
//                              generator of its streams (generate(rng, pc,
//                              n), encodings(): the table lines drawn from)
//   kOnlyOption, kAllOnly,     the option that narrows what is drawn, its
//   makeGenerator(only, err)   default, and the generator it selects
//   state(GuestThread &)       the thread's state of this ISA
//   streamPc(rng)              where a stream is placed
//   makeScenario, sameOutcome, initial states; the comparison of two
//   printDiff, printState,     outcomes and its report
//   exitName
//   trap(insn), lineName(...)  the trap written over an instruction to cut
//                              a stream short; the table line's name
//   injectBug(stream, outcome) --inject-bug's wrong bit
#pragma once

#include "lifter/core/guest_isa.h"

#include <cstdint>
#include <string>

namespace xlat::lockstep {

struct Options {
  GuestIsa isa = GuestIsa::Riscv64;
  uint64_t seed = 1;
  uint64_t first = 0;      // index of the first block (to rerun one block)
  uint64_t count = 100;    // blocks (streams)
  unsigned insns = 20;     // instructions per block, terminator excluded
  unsigned states = 4;     // initial states per block
  std::string tier = "block";
  // The plug's narrowing option (--only-ext, --only-group); empty: all.
  std::string only;
  bool verbose = false;
  // Testing the tool itself: flip bit 0 of one destination register of an
  // instruction the run got past (the plug's injectBug) in the tier's result.
  bool injectBug = false;
};

// Returns the process exit status: 0 without divergence, 1 with one, 2 when
// an engine failed.
int runLockstep(const Options &opts);

} // namespace xlat::lockstep
