// FPSR's inexact, overflow and divide-by-zero flags while A64 code runs.
//
// The FP semantics (sem/fp_arith.cpp) do the common operation (FPCR all
// zero, no NaN, a result that is not tiny) as one host instruction under
// the thread's MXCSR, with no MXCSR access of their own: the host's sticky
// PE, OE and ZE flags then stand for FPSR's IXC, OFC and DZC, which are
// set exactly when x86 sets those. Everything else (NaNs, tininess, which
// Arm detects before rounding, FZ, DN, other rounding modes) takes the
// full path, which keeps MXCSR as it found it and sets FPSR itself. So
// FPSR is s->fpsr with MXCSR's three flags added: read by mrs, and folded
// into s->fpsr whenever the runner takes the state (foldHostFlags), with
// MXCSR's flags cleared again before guest code runs (clearHostFlags).
#pragma once

#include "lifter/aarch64/state.h"

#include <cstdint>
#include <xmmintrin.h>

namespace xlat::a64 {

// FPSR's flags as MXCSR holds them.
inline uint32_t hostFpsrFlags() {
  unsigned csr = _mm_getcsr();
  // ZE (bit 2), OE (3) and PE (5) are DZC (1), OFC (2) and IXC (4).
  return csr >> 1 & (2 | 4 | 16);
}

inline void clearHostFlags() { _mm_setcsr(_mm_getcsr() & ~0x3fu); }

inline void foldHostFlags(A64State &s) {
  s.fpsr |= hostFpsrFlags();
  clearHostFlags();
}

} // namespace xlat::a64
