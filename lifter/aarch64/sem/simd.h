// The AdvSIMD semantics' view of a V register: a 128-bit value of lanes.
//
// An operation reads its operands into Vec values first and writes its
// destination last, so that a destination that is also a source reads
// the old value, and a vector of 64 bits or a scalar clears the rest of
// its register (Insn::q, Insn::scalar).
#pragma once

#include "lifter/aarch64/sem/sem.h"

namespace xlat::a64::sem {

constexpr uint32_t kFpsrQc = 1u << 27; // cumulative saturation

struct Vec {
  uint64_t d[2];
};

inline Vec vreg(const A64State *s, unsigned r) { return {{s->v[r & 31][0], s->v[r & 31][1]}}; }
// Writes a whole result: the high half only for a 128-bit vector.
inline void setVreg(A64State *s, unsigned r, const Vec &v, bool full) {
  s->v[r & 31][0] = v.d[0];
  s->v[r & 31][1] = full ? v.d[1] : 0;
}

// Lane k of `bits` (8 to 64) bits.
inline uint64_t lane(const Vec &v, unsigned bits, unsigned k) {
  unsigned pos = k * bits;
  return (v.d[(pos >> 6) & 1] >> (pos & 63)) & ones(bits);
}
inline void setLane(Vec &v, unsigned bits, unsigned k, uint64_t x) {
  unsigned pos = k * bits;
  uint64_t m = ones(bits) << (pos & 63);
  uint64_t &w = v.d[(pos >> 6) & 1];
  w = (w & ~m) | ((x << (pos & 63)) & m);
}

inline int64_t sext(uint64_t x, unsigned bits) {
  return bits >= 64 ? int64_t(x) : int64_t(x << (64 - bits)) >> (64 - bits);
}

inline unsigned laneBits(const Insn *i) { return 8u << i->size; }
// Lanes of Insn::size in the operation's vector, 1 for a scalar.
inline unsigned lanes(const Insn *i) { return i->scalar ? 1 : (i->q ? 128u : 64u) >> (3 + i->size); }
inline bool fullWidth(const Insn *i) { return i->q && !i->scalar; }

// Signed or unsigned saturation of v to `bits`, setting FPSR.QC when it
// clamps.
using i128 = __int128;
inline uint64_t saturateSigned(A64State *s, i128 v, unsigned bits) {
  i128 max = (i128(1) << (bits - 1)) - 1, min = -(i128(1) << (bits - 1));
  if (v > max || v < min) {
    s->fpsr |= kFpsrQc;
    v = v > max ? max : min;
  }
  return uint64_t(v) & ones(bits);
}
inline uint64_t saturateUnsigned(A64State *s, i128 v, unsigned bits) {
  i128 max = (i128(1) << bits) - 1;
  if (v > max || v < 0) {
    s->fpsr |= kFpsrQc;
    v = v > max ? max : 0;
  }
  return uint64_t(v) & ones(bits);
}

} // namespace xlat::a64::sem
