// Initial architected states and scratch memory for a stream, and the
// comparison of two runs' outcomes.
#pragma once

#include "lifter/riscv/state.h"
#include "utils/lockstep/riscv/generator.h"
#include "utils/lockstep/rng.h"

#include <cstdint>
#include <cstdio>
#include <vector>

namespace xlat::lockstep::riscv {

using Scenario = lockstep::Scenario<rv::RvState>;
using Outcome = lockstep::Outcome<rv::RvState>;

// Interesting register values (boundaries, special FP values, NaN-boxing
// mistakes), bases inside the region (now and then at its edge or
// misaligned, to provoke faults), a valid frm (now and then an invalid one),
// random fflags, sometimes a live LR reservation; random memory salted with
// the same interesting values.
void makeScenario(Rng &rng, const Stream &stream, Scenario &out);

// Equal in everything architectural: x, f, pc, exit reason, fault address
// (for faults), fflags, frm, the reservation (if one is held), memory.
bool sameOutcome(const Outcome &a, const Outcome &b);

// The differences, one line each: "  x10  0x... 0x...".
void printDiff(FILE *out, const Outcome &a, const Outcome &b,
               const char *nameA, const char *nameB);
// All non-zero registers and the FP CSRs of `s`, four to a line.
void printState(FILE *out, const rv::RvState &s);
const char *exitName(uint32_t reason);

} // namespace xlat::lockstep::riscv
