// Register and memory values that find bugs: integer boundaries, special
// and boundary FP values and their neighbours, bases inside the scratch
// region. Every ISA's initial states draw from them (its scenario.cpp).
#pragma once

#include "utils/lockstep/rng.h"

#include <cstdint>
#include <vector>

namespace xlat::lockstep {

// Random bits, sign-extended 32-bit values, small immediates, powers of two
// and their neighbours, or a boundary from the pool.
uint64_t intValue(Rng &rng);
// Pool values (zeros, infinities, NaNs, subnormals, rounding ties, integer
// conversion edges) and their neighbours (one ulp either way), or random bits.
uint64_t doubleBits(Rng &rng);
uint32_t floatBits(Rng &rng);
// Usually 16-aligned well inside the region; rarely misaligned, at the edge
// or wild, so that faults and misaligned atomics happen too.
uint64_t baseValue(Rng &rng);
// Fills `mem` with the values above and random words.
void salt(Rng &rng, std::vector<uint8_t> &mem);

} // namespace xlat::lockstep
