// Initial A64 states and scratch memory for a stream, and the comparison of
// two runs' outcomes.
#pragma once

#include "lifter/aarch64/state.h"
#include "utils/lockstep/aarch64/generator.h"
#include "utils/lockstep/rng.h"

#include <cstdint>
#include <cstdio>

namespace xlat::lockstep::aarch64 {

using Scenario = lockstep::Scenario<a64::A64State>;
using Outcome = lockstep::Outcome<a64::A64State>;

// Interesting register values, bases inside the region (now and then at its
// edge or misaligned, to provoke faults), random NZCV, FPCR usually zero
// (the FP fast path) and otherwise a random rounding mode with FZ, DN and
// AHP now and then, random FPSR flags, V registers of special doubles and
// singles, sometimes an open exclusive monitor; random memory salted with
// the same values.
void makeScenario(Rng &rng, const Stream &stream, Scenario &out);

// Equal in everything architectural: X0-X30, SP, pc, NZCV (as mrs reads it,
// not the words that hold it), exit reason, fault address (for faults),
// TPIDR_EL0, FPCR, FPSR, V0-V31, the exclusive monitor (if open), memory.
bool sameOutcome(const Outcome &a, const Outcome &b);

void printDiff(FILE *out, const Outcome &a, const Outcome &b, const char *nameA,
               const char *nameB);
// The non-zero X registers, SP, NZCV, the FP control and status and the V
// registers of `s`.
void printState(FILE *out, const a64::A64State &s);
const char *exitName(uint32_t reason);

} // namespace xlat::lockstep::aarch64
