// Round-to-nearest, ties-to-max-magnitude in software (integer arithmetic
// only, so no host flags are raised here; the caller takes the flags from the
// host's RNE computation, which are the same).
//
// Operands are unpacked to sig * 2^exp with the leading bit of sig at bit 63.
// Each operation produces a 64-bit significand whose bit 0 is sticky (set if
// anything nonzero was dropped): enough for a correct rounding to at most
// 53 bits in any mode.
#include "lifter/riscv/sem/fp.h"

using namespace xlat::rv;
using namespace xlat::rv::fp;

namespace {

using u128 = unsigned __int128;

struct Unpacked {
  bool neg;
  int exp;      // value = sig * 2^exp
  uint64_t sig; // bit 63 set, or zero for a zero value
};

// A wide intermediate: value = sig * 2^exp.
struct Wide {
  bool neg;
  int exp;
  u128 sig;
};

inline int clz128(u128 v) {
  uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
  if (hi)
    return __builtin_clzll(hi);
  return lo ? 64 + __builtin_clzll(lo) : 128;
}

inline u128 shiftRightJam(u128 v, int n) {
  if (n <= 0)
    return v;
  if (n >= 128)
    return v != 0;
  return (v >> n) | ((v & ((((u128)1) << n) - 1)) != 0);
}

Unpacked normalize(bool neg, int exp, uint64_t sig) {
  if (sig == 0)
    return {neg, 0, 0};
  int n = __builtin_clzll(sig);
  return {neg, exp - n, sig << n};
}

template <class T> Unpacked unpack(UOf<T> b) {
  constexpr int m = Fmt<T>::kMant;
  bool neg = b & kSign<T>;
  int e = biasedExp<T>(b);
  uint64_t frac = b & ((UOf<T>(1) << m) - 1);
  if (e == 0)
    return normalize(neg, 1 - Fmt<T>::kBias - m, frac);
  return normalize(neg, e - Fmt<T>::kBias - m, frac | (uint64_t(1) << m));
}

// Collapses a wide value to 64 significant bits with a sticky bit.
Unpacked narrow(Wide w) {
  if (w.sig == 0)
    return {w.neg, 0, 0};
  int n = clz128(w.sig);
  u128 s = w.sig << n;
  uint64_t hi = (uint64_t)(s >> 64), lo = (uint64_t)s;
  return {w.neg, w.exp - n + 64, hi | (lo != 0)};
}

// Puts the leading bit of a nonzero wide value at bit 125, leaving room for
// a carry. Right shifts only drop zero bits for the products we form.
Wide align125(Wide w) {
  int n = clz128(w.sig) - 2;
  if (n >= 0)
    return {w.neg, w.exp - n, w.sig << n};
  return {w.neg, w.exp - n, shiftRightJam(w.sig, -n)};
}

Wide widen(Unpacked u) { return {u.neg, u.exp, u.sig}; }

Unpacked addWide(Wide x, Wide y) {
  if (y.sig == 0)
    return narrow(x);
  if (x.sig == 0)
    return narrow(y);
  x = align125(x);
  y = align125(y);
  if (y.exp > x.exp || (y.exp == x.exp && y.sig > x.sig)) {
    Wide t = x;
    x = y;
    y = t;
  }
  // |x| >= |y|: cancellation of more than one bit needs exponents within
  // one of each other, where the alignment below drops nothing.
  u128 ys = shiftRightJam(y.sig, x.exp - y.exp);
  u128 sum = x.neg == y.neg ? x.sig + ys : x.sig - ys;
  return narrow({x.neg, x.exp, sum});
}

Wide mulWide(Unpacked a, Unpacked b) {
  return {a.neg != b.neg, a.exp + b.exp, (u128)a.sig * b.sig};
}

// Restoring division: 64 quotient bits, then the remainder as sticky.
Unpacked divide(Unpacked a, Unpacked b) {
  int exp = a.exp - b.exp - 63;
  u128 r = a.sig;
  if (a.sig < b.sig) {
    r <<= 1;
    exp -= 1;
  }
  uint64_t q = 0;
  for (int k = 0; k < 64; ++k) {
    q <<= 1;
    if (r >= b.sig) {
      r -= b.sig;
      q |= 1;
    }
    r <<= 1;
  }
  return {a.neg != b.neg, exp, q | (r != 0)};
}

// Rounds to format T, ties away from zero. Overflow gives infinity.
template <class T> UOf<T> roundRmm(Unpacked u) {
  using U = UOf<T>;
  constexpr int m = Fmt<T>::kMant, bias = Fmt<T>::kBias;
  constexpr int emin = 1 - bias;
  U sign = u.neg ? kSign<T> : 0;
  if (u.sig == 0)
    return sign;
  int e = u.exp + 63; // exponent of the leading bit
  if (e > bias)
    return sign | Fmt<T>::kExpMask;
  // The significand is added to the exponent field minus one, so that a
  // carry out of the mantissa (or into the first normal) lands in it.
  int shift = 63 - m;
  uint64_t base = 0;
  if (e >= emin)
    base = (uint64_t)(e + bias - 1) << m;
  else
    shift += emin - e;
  uint64_t keep = 0;
  bool up;
  if (shift >= 64) {
    up = shift == 64; // value in [half, 1) of the least subnormal
  } else {
    uint64_t rem = u.sig & ((uint64_t(1) << shift) - 1);
    keep = u.sig >> shift;
    up = rem >= uint64_t(1) << (shift - 1);
  }
  uint64_t bits = base + keep + up;
  if (bits >= (uint64_t)Fmt<T>::kExpMask)
    bits = Fmt<T>::kExpMask;
  return sign | (U)bits;
}

template <class T> Unpacked compute(Soft op, uint64_t a, uint64_t b, uint64_t c) {
  switch (op) {
  case Soft::Add:
    return addWide(widen(unpack<T>(a)), widen(unpack<T>(b)));
  case Soft::Mul:
    return narrow(mulWide(unpack<T>(a), unpack<T>(b)));
  case Soft::Div:
    return divide(unpack<T>(a), unpack<T>(b));
  case Soft::Fma:
    return addWide(mulWide(unpack<T>(a), unpack<T>(b)), widen(unpack<T>(c)));
  case Soft::FromI64: {
    bool neg = (int64_t)a < 0;
    return normalize(neg, 0, neg ? 0 - a : a);
  }
  case Soft::FromU64:
    return normalize(false, 0, a);
  case Soft::Narrow:
    return unpack<double>(a);
  case Soft::None:
    break;
  }
  return {false, 0, 0};
}

} // namespace

namespace xlat::rv::fp {

uint32_t softRmm32(Soft op, uint64_t a, uint64_t b, uint64_t c) {
  return roundRmm<float>(compute<float>(op, a, b, c));
}

uint64_t softRmm64(Soft op, uint64_t a, uint64_t b, uint64_t c) {
  return roundRmm<double>(compute<double>(op, a, b, c));
}

} // namespace xlat::rv::fp
