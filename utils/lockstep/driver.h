// The lockstep loop: generate a stream, run it from several initial states
// in the reference interpreter and in the tier under test, compare, and on
// the first divergence find the instruction that causes it and report.
#pragma once

#include "utils/lockstep/encodings.h"

#include <cstdint>
#include <string>

namespace xlat::lockstep {

struct Options {
  uint64_t seed = 1;
  uint64_t first = 0;      // index of the first block (to rerun one block)
  uint64_t count = 100;    // blocks (streams)
  unsigned insns = 20;     // instructions per block, terminator excluded
  unsigned states = 4;     // initial states per block
  std::string tier = "block";
  std::string extList = "I,M,A,F,D,C";
  ExtSet exts = kAllExts;
  bool verbose = false;
  // Testing the tool itself: flip bit 0 of the destination of the block's
  // first 32-bit addi (rd != x0, no jump before it) in the tier's result.
  bool injectBug = false;
};

// Returns the process exit status: 0 without divergence, 1 with one, 2 when
// an engine failed.
int runLockstep(const Options &opts);

} // namespace xlat::lockstep
