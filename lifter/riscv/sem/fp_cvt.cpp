// F and D conversions: floating point <-> integer, single <-> double.
#include "lifter/riscv/sem/fp.h"

#include <type_traits>

using namespace xlat::rv;
using namespace xlat::rv::sem;
using namespace xlat::rv::fp;

namespace {

// Whether dropping `rem` (nonzero bits below the integer part; `half` is the
// weight of one half) rounds the magnitude up in mode rm.
inline bool roundsUp(uint32_t rm, bool neg, bool odd, uint64_t rem, uint64_t half) {
  if (rem == 0)
    return false;
  switch (rm) {
  case kRNE: return rem > half || (rem == half && odd);
  case kRTZ: return false;
  case kRDN: return neg;
  case kRUP: return !neg;
  default:   return rem >= half; // RMM
  }
}

// Float to integer in software: round per rm, then the RISC-V table: NaN and
// too large -> the maximum, too small -> the minimum, both with NV only; NX
// for an inexact valid result. Negative values that round to 0 are valid for
// the unsigned conversions.
template <class T>
[[gnu::noinline]] uint64_t toIntSoft(RvState *s, UOf<T> b, uint32_t rm, int width,
                                     bool sgn) {
  constexpr int m = Fmt<T>::kMant;
  bool neg = b & kSign<T>;
  uint64_t maxPos = sgn ? (uint64_t(1) << (width - 1)) - 1 : ~uint64_t(0) >> (64 - width);
  uint64_t minNeg = sgn ? uint64_t(0) - (uint64_t(1) << (width - 1)) : 0;
  int e = biasedExp<T>(b);
  if (e == (int)(Fmt<T>::kExpMask >> m)) { // infinity or NaN
    fenv::raiseFlags(s, kFlagNV);
    return neg && !isNaN<T>(b) ? minNeg : maxPos;
  }
  uint64_t frac = b & ((UOf<T>(1) << m) - 1);
  uint64_t sig = e ? frac | (uint64_t(1) << m) : frac;
  int exp = (e ? e : 1) - Fmt<T>::kBias - m; // value = sig * 2^exp
  uint64_t ip = 0, rem = 0, half = 1;
  bool huge = false;
  if (exp >= 0) {
    huge = exp > 63 - m; // at least 2^64
    ip = huge ? 0 : sig << exp;
  } else if (exp > -64) {
    ip = sig >> -exp;
    rem = sig & ((uint64_t(1) << -exp) - 1);
    half = uint64_t(1) << (-exp - 1);
  } else {
    rem = sig != 0; // below one half
    half = 2;
  }
  uint64_t mag = ip + roundsUp(rm, neg, ip & 1, rem, half);
  bool valid = !huge && (neg ? (sgn ? mag <= uint64_t(1) << (width - 1) : mag == 0)
                             : mag <= maxPos);
  if (!valid) {
    fenv::raiseFlags(s, kFlagNV);
    return neg ? minNeg : maxPos;
  }
  if (rem)
    fenv::raiseFlags(s, kFlagNX);
  return neg ? 0 - mag : mag;
}

// Rounds |x| < 2^52 to an integral value in the MXCSR mode, raising PE when
// inexact: adding 2^52 with x's sign leaves no fraction bits. (No libm call,
// so the LLVM tiers inline it.)
inline double rintHost(double x) {
  uint64_t magic = (std::bit_cast<uint64_t>(x) & kSign<double>) | 0x4330000000000000ull;
  double m = std::bit_cast<double>(magic);
  return (x + m) - m;
}

template <class T> void toInt(RvState *s, const Insn *i, int width, bool sgn) {
  uint32_t rm;
  if (!resolveRm(s, i, rm))
    return;
  UOf<T> b = getBits<T>(s, i->rs1);
  bool neg = b & kSign<T>;
  // Small enough that no rounding leaves the range: the host converts, and
  // raises PE exactly when the result is inexact.
  int e = biasedExp<T>(b);
  if ((sgn || !neg) && e < Fmt<T>::kBias + width - 2) {
    T x = std::bit_cast<T>(b);
    if (rm == kRTZ) {
      setX(s, i->rd, (uint64_t)(int64_t)x); // truncating convert
      return;
    }
    if (i->rm == kRDyn && rm != kRMM) { // MXCSR.RC holds frm
      // From 2^52 on, every value is an integer.
      double r = e < Fmt<T>::kBias + 52 ? rintHost((double)x) : (double)x;
      setX(s, i->rd, (uint64_t)(int64_t)r);
      return;
    }
  }
  uint64_t r = toIntSoft<T>(s, b, rm, width, sgn);
  setX(s, i->rd, width == 32 ? sext32(r) : r); // also for fcvt.wu
}

template <class T, class I> void fromInt(RvState *s, const Insn *i) {
  uint32_t rm;
  if (!resolveRm(s, i, rm))
    return;
  I v = (I)X(s, i->rs1);
  if constexpr (sizeof(T) == 8 && sizeof(I) == 4) {
    setBits<T>(s, i->rd, std::bit_cast<UOf<T>>((T)v)); // exact
  } else {
    constexpr bool kSigned = std::is_signed_v<I>;
    uint64_t wide = kSigned ? (uint64_t)(int64_t)v : (uint64_t)v;
    auto op = [v] { return (T)v; };
    T r = rounded<T>(i, rm, op, kSigned ? Soft::FromI64 : Soft::FromU64, wide);
    setBits<T>(s, i->rd, std::bit_cast<UOf<T>>(r));
  }
}

} // namespace

SEM(FCVT_W_S) { toInt<float>(s, i, 32, true); }
SEM(FCVT_WU_S) { toInt<float>(s, i, 32, false); }
SEM(FCVT_L_S) { toInt<float>(s, i, 64, true); }
SEM(FCVT_LU_S) { toInt<float>(s, i, 64, false); }
SEM(FCVT_W_D) { toInt<double>(s, i, 32, true); }
SEM(FCVT_WU_D) { toInt<double>(s, i, 32, false); }
SEM(FCVT_L_D) { toInt<double>(s, i, 64, true); }
SEM(FCVT_LU_D) { toInt<double>(s, i, 64, false); }

SEM(FCVT_S_W) { fromInt<float, int32_t>(s, i); }
SEM(FCVT_S_WU) { fromInt<float, uint32_t>(s, i); }
SEM(FCVT_S_L) { fromInt<float, int64_t>(s, i); }
SEM(FCVT_S_LU) { fromInt<float, uint64_t>(s, i); }
SEM(FCVT_D_W) { fromInt<double, int32_t>(s, i); }
SEM(FCVT_D_WU) { fromInt<double, uint32_t>(s, i); }
SEM(FCVT_D_L) { fromInt<double, int64_t>(s, i); }
SEM(FCVT_D_LU) { fromInt<double, uint64_t>(s, i); }

SEM(FCVT_S_D) {
  uint32_t rm;
  if (!resolveRm(s, i, rm))
    return;
  uint64_t a = getBits<double>(s, i->rs1);
  auto op = [a] { return (float)std::bit_cast<double>(a); };
  setResult<float>(s, i->rd, rounded<float>(i, rm, op, Soft::Narrow, a));
}

// Exact; a signaling NaN raises NV (the host does) and NaNs become canonical.
SEM(FCVT_D_S) {
  uint32_t rm;
  if (!resolveRm(s, i, rm))
    return;
  setResult<double>(s, i->rd, (double)std::bit_cast<float>(getBits<float>(s, i->rs1)));
}
