#include "utils/lockstep/values.h"

#include "utils/lockstep/stream.h"

#include <cstring>
#include <iterator>

namespace xlat::lockstep {
namespace {

constexpr uint64_t kIntValues[] = {
    0, 1, 2, 3, ~0ull, ~1ull, 31, 32, 63, 64,
    0x7fffffffffffffffull, 0x8000000000000000ull,     // INT64 max/min
    0x7fffffffull, 0xffffffff80000000ull,             // INT32 max/min
    0x80000000ull, 0xffffffffull, 0x100000000ull,     // 32-bit edges
    0x8000ull, 0xffffffffffff8000ull, 0x7ffull, 0xfffffffffffff800ull,
};

constexpr uint64_t kDoubleValues[] = {
    0x0000000000000000, 0x8000000000000000,  // +-0
    0x7ff0000000000000, 0xfff0000000000000,  // +-inf
    0x7ff8000000000000, 0xfff8000000000000,  // canonical qNaN, negative
    0x7ff0000000000001, 0x7ff4000000000000,  // sNaNs
    0x7ffc00000000dead, 0xfff7ffffffffffff,  // payloads
    0x0000000000000001, 0x000fffffffffffff,  // subnormal min/max
    0x8000000000000001, 0x0010000000000000,  // -min subnormal, min normal
    0x7fefffffffffffff, 0xffefffffffffffff,  // +-max
    0x3ff0000000000000, 0xbff0000000000000,  // +-1
    0x3fe0000000000000, 0x3ff8000000000000,  // 0.5, 1.5
    0x4004000000000000, 0xc004000000000000,  // +-2.5 (ties)
    0x41dfffffffc00000, 0x41e0000000000000,  // 2^31-1, 2^31
    0xc1e0000000000000, 0xc1e0000000200000,  // -2^31, -2^31-1
    0x41efffffffe00000, 0x41f0000000000000,  // 2^32-1, 2^32
    0x43e0000000000000, 0xc3e0000000000000,  // +-2^63
    0x43f0000000000000, 0xbfe0000000000000,  // 2^64, -0.5
    0x36a0000000000000, 0x3810000000000000,  // float min subnormal/normal
    0x47efffffe0000000, 0x47f0000000000000,  // float max, 2^128
};

constexpr uint32_t kFloatValues[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000,  // +-0, +-inf
    0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000,  // qNaNs, sNaNs
    0x7fc0dead, 0x00000001, 0x007fffff, 0x80000001,  // payload, subnormals
    0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f800000,  // min normal, +-max, 1
    0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000,  // -1, 0.5, 1.5, 2.5
    0xc0200000, 0x4effffff, 0x4f000000, 0xcf000000,  // -2.5, <2^31, +-2^31
    0xcf000001, 0x4f7fffff, 0x4f800000, 0x5effffff,  // <-2^31, <2^32, 2^32, <2^63
    0x5f000000, 0xdf000000, 0x5f800000, 0xbf000000,  // +-2^63, 2^64, -0.5
};

} // namespace

uint64_t intValue(Rng &rng) {
  switch (rng.below(6)) {
  case 0: return rng.next();
  case 1: return uint64_t(int64_t(int32_t(rng.next())));
  case 2: return uint64_t(int64_t(rng.below(4097)) - 2048);
  case 3: return (1ull << rng.below(64)) - rng.below(2);
  default: return kIntValues[rng.below(std::size(kIntValues))];
  }
}

uint64_t doubleBits(Rng &rng) {
  if (rng.chance(1, 6))
    return rng.next();
  uint64_t v = kDoubleValues[rng.below(std::size(kDoubleValues))];
  return rng.chance(1, 4) ? v + (rng.chance(1, 2) ? 1 : -1) : v;
}

uint32_t floatBits(Rng &rng) {
  if (rng.chance(1, 6))
    return uint32_t(rng.next());
  uint32_t v = kFloatValues[rng.below(std::size(kFloatValues))];
  return rng.chance(1, 4) ? v + (rng.chance(1, 2) ? 1 : -1) : v;
}

uint64_t baseValue(Rng &rng) {
  uint64_t b = kMemSize / 4 + 16 * rng.below(kMemSize / 2 / 16);
  switch (rng.below(128)) {
  case 0: return b + 1 + rng.below(7);
  case 1: return kMemSize - rng.below(24);
  case 2: return rng.next();
  case 3: return b + 4;
  default: return b;
  }
}

void salt(Rng &rng, std::vector<uint8_t> &mem) {
  for (size_t off = 0; off + 8 <= mem.size(); off += 8) {
    uint64_t v;
    switch (rng.below(8)) {
    case 0: v = intValue(rng); break;
    case 1: v = doubleBits(rng); break;
    case 2: v = uint64_t(floatBits(rng)) << 32 | floatBits(rng); break;
    default: v = rng.next(); break;
    }
    memcpy(&mem[off], &v, 8);
  }
}


} // namespace xlat::lockstep
