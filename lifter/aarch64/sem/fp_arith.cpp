// A64 scalar FP arithmetic and conversions, exact as FPSR sees them.
//
// The host's SSE arithmetic does the rounding, under FPCR's rounding mode
// in MXCSR (saved and restored around each operation; these sources are
// built with -ffp-model=strict so that nothing moves across that). What
// Arm does differently is done here:
//  - NaNs: a signalling operand wins over a quiet one, the first over the
//    second; an invalid operation gives the default NaN (positive, where
//    x86's is negative); FPCR.DN makes every NaN result the default one.
//  - tininess is detected before rounding: the result is recomputed
//    toward zero when it lies at or below the smallest normal;
//  - FPCR.FZ flushes denormal operands (Input Denormal) and tiny results
//    (Underflow without Inexact) to zero.
#include "lifter/aarch64/sem/sem.h"

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <xmmintrin.h>

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

constexpr uint32_t kFpcrFz = 1u << 24, kFpcrDn = 1u << 25;
constexpr uint32_t kIoc = 1u << 0, kDzc = 1u << 1, kOfc = 1u << 2, kUfc = 1u << 3,
                   kIxc = 1u << 4, kIdc = 1u << 7;

// MXCSR: every exception masked; the flags (IE, DE, ZE, OE, UE, PE) in
// bits 0-5; RC in bits 14:13 (nearest, down, up, zero).
constexpr unsigned kMxcsrMasked = 0x1f80;
enum Rounding : unsigned { kNearest = 0, kDown = 1, kUp = 2, kZero = 3 };
// FPCR.RMode (RN, RP, RM, RZ) as an MXCSR rounding control.
unsigned rounding(uint32_t fpcr) {
  static constexpr unsigned kRc[] = {kNearest, kUp, kDown, kZero};
  return kRc[(fpcr >> 22) & 3];
}

// Runs f under rounding rc with clear flags; returns the host flags.
template <typename F> unsigned underRounding(unsigned rc, F f) {
  unsigned saved = _mm_getcsr();
  _mm_setcsr(kMxcsrMasked | rc << 13);
  f();
  unsigned flags = _mm_getcsr() & 0x3f;
  _mm_setcsr(saved);
  return flags;
}

// The two formats, as bits and host values.
template <typename T> struct Fmt;
template <> struct Fmt<float> {
  using Bits = uint32_t;
  static constexpr unsigned kFrac = 23;
  static constexpr Bits kSign = 0x80000000u, kExp = 0x7f800000u, kQuiet = 0x00400000u;
  static constexpr Bits kDefaultNaN = 0x7fc00000u;
  static constexpr float kMinNormal = 1.17549435e-38f;
};
template <> struct Fmt<double> {
  using Bits = uint64_t;
  static constexpr unsigned kFrac = 52;
  static constexpr Bits kSign = 0x8000000000000000ull, kExp = 0x7ff0000000000000ull,
                        kQuiet = 0x0008000000000000ull;
  static constexpr Bits kDefaultNaN = 0x7ff8000000000000ull;
  static constexpr double kMinNormal = 2.2250738585072014e-308;
};

template <typename T> typename Fmt<T>::Bits bitsOf(T v) {
  typename Fmt<T>::Bits b;
  memcpy(&b, &v, sizeof b);
  return b;
}
template <typename T> T valueOf(typename Fmt<T>::Bits b) {
  T v;
  memcpy(&v, &b, sizeof v);
  return v;
}
template <typename T> bool isNaN(typename Fmt<T>::Bits b) {
  return (b & Fmt<T>::kExp) == Fmt<T>::kExp && (b & ~(Fmt<T>::kSign | Fmt<T>::kExp));
}
template <typename T> bool isSNaN(typename Fmt<T>::Bits b) {
  return isNaN<T>(b) && !(b & Fmt<T>::kQuiet);
}
template <typename T> bool isDenormal(typename Fmt<T>::Bits b) {
  return !(b & Fmt<T>::kExp) && (b & ~Fmt<T>::kSign);
}

// An operand as FPUnpack leaves it: flushed to a signed zero when FZ.
template <typename T> typename Fmt<T>::Bits operand(A64State *s, unsigned r) {
  auto b = typename Fmt<T>::Bits(s->v[r][0]);
  if ((s->fpcr & kFpcrFz) && isDenormal<T>(b)) {
    s->fpsr |= kIdc;
    b &= Fmt<T>::kSign;
  }
  return b;
}

template <typename T> void setResult(A64State *s, unsigned r, typename Fmt<T>::Bits b) {
  s->v[r][0] = b;
  s->v[r][1] = 0;
}

// FPProcessNaN: the NaN quietened, or the default NaN under FPCR.DN.
template <typename T> typename Fmt<T>::Bits processNaN(A64State *s, typename Fmt<T>::Bits b) {
  if (isSNaN<T>(b))
    s->fpsr |= kIoc;
  return (s->fpcr & kFpcrDn) ? Fmt<T>::kDefaultNaN : b | Fmt<T>::kQuiet;
}

// FPProcessNaNs and FPProcessNaNs3: true with the result when an operand
// is a NaN; a signalling one wins over a quiet one, an earlier operand
// over a later one.
template <typename T>
bool processNaNs(A64State *s, std::initializer_list<typename Fmt<T>::Bits> ops,
                 typename Fmt<T>::Bits &out) {
  for (auto b : ops)
    if (isSNaN<T>(b)) {
      out = processNaN<T>(s, b);
      return true;
    }
  for (auto b : ops)
    if (isNaN<T>(b)) {
      out = processNaN<T>(s, b);
      return true;
    }
  return false;
}

// The flags and the flushing of a result the host computed: `exact` runs
// the operation again under a given rounding mode and returns the result.
template <typename T, typename Op>
typename Fmt<T>::Bits finish(A64State *s, T r, unsigned hostFlags, Op exact) {
  using F = Fmt<T>;
  if (std::isnan(r)) { // an invalid operation: Arm's default NaN
    s->fpsr |= kIoc;
    return F::kDefaultNaN;
  }
  if (hostFlags & 0x04)
    s->fpsr |= kDzc;
  if (hostFlags & 0x08)
    s->fpsr |= kOfc;
  bool inexact = hostFlags & 0x20;
  // Tiny before rounding: the exact result below the smallest normal,
  // which the result rounded toward zero tells.
  bool tiny = false;
  if (std::fabs(r) <= F::kMinNormal && (r != 0 || inexact)) {
    T truncated;
    underRounding(kZero, [&] { truncated = exact(); });
    tiny = std::fabs(truncated) < F::kMinNormal;
  }
  if (tiny && (s->fpcr & kFpcrFz)) {
    s->fpsr |= kUfc;
    return bitsOf(r) & F::kSign;
  }
  if (tiny && inexact)
    s->fpsr |= kUfc;
  if (inexact)
    s->fpsr |= kIxc;
  return bitsOf(r);
}

// A binary operation of T on Vn and Vm into Vd.
template <typename T, typename Op> void binary(A64State *s, const Insn *i, Op op) {
  using Bits = typename Fmt<T>::Bits;
  Bits a = operand<T>(s, i->rn), b = operand<T>(s, i->rm), out;
  if (!processNaNs<T>(s, {a, b}, out)) {
    T x = valueOf<T>(a), y = valueOf<T>(b), r;
    auto exact = [&] {
      volatile T vx = x, vy = y; // computed here, under the mode just set
      return op(vx, vy);
    };
    unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
    out = finish<T>(s, r, flags, exact);
  }
  setResult<T>(s, i->rd, out);
}

template <typename Op> void binaryBySize(A64State *s, const Insn *i, Op op) {
  if (i->size == 2)
    binary<float>(s, i, op);
  else
    binary<double>(s, i, op);
}

// FPMulAdd: addend + op1 * op2 rounded once; the operands already
// negated as the instruction says. NaNs: FPProcessNaNs3 over addend, op1,
// op2, except that infinity times zero makes even a quiet NaN addend the
// default NaN, with Invalid Operation.
template <typename T> void mulAdd(A64State *s, const Insn *i, bool negA, bool neg1) {
  using Bits = typename Fmt<T>::Bits;
  Bits sign = Fmt<T>::kSign;
  Bits a = operand<T>(s, i->ra), x = operand<T>(s, i->rn), y = operand<T>(s, i->rm), out;
  if (negA)
    a ^= sign;
  if (neg1)
    x ^= sign;
  T va = valueOf<T>(a), vx = valueOf<T>(x), vy = valueOf<T>(y);
  bool infTimesZero = (std::isinf(vx) && vy == 0) || (vx == 0 && std::isinf(vy));
  bool done = processNaNs<T>(s, {a, x, y}, out);
  if (isNaN<T>(a) && !isSNaN<T>(a) && infTimesZero) {
    s->fpsr |= kIoc;
    out = Fmt<T>::kDefaultNaN;
  }
  if (!done) {
    T r;
    auto exact = [&] {
      volatile T ma = va, mx = vx, my = vy;
      return T(std::fma(T(mx), T(my), T(ma)));
    };
    unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
    out = finish<T>(s, r, flags, exact);
  }
  setResult<T>(s, i->rd, out);
}

template <bool NegA, bool Neg1> void mulAddBySize(A64State *s, const Insn *i) {
  if (i->size == 2)
    mulAdd<float>(s, i, NegA, Neg1);
  else
    mulAdd<double>(s, i, NegA, Neg1);
}

// fmax, fmin (NaNs propagate) and fmaxnm, fminnm (a quiet NaN loses to a
// number); +0 is above -0. No rounding, no flags but for NaNs and FZ.
template <typename T> void minMax(A64State *s, const Insn *i, bool max, bool numeric) {
  using Bits = typename Fmt<T>::Bits;
  Bits a = operand<T>(s, i->rn), b = operand<T>(s, i->rm), out;
  if (numeric && isNaN<T>(a) != isNaN<T>(b) && !isSNaN<T>(a) && !isSNaN<T>(b))
    out = isNaN<T>(a) ? b : a; // one quiet NaN: the number
  else if (!processNaNs<T>(s, {a, b}, out)) {
    T x = valueOf<T>(a), y = valueOf<T>(b);
    if (x == y) // equal, or zeros of either sign
      out = max ? (a & b) : (a | b);
    else
      out = (x > y) == max ? a : b;
  }
  setResult<T>(s, i->rd, out);
}

template <typename T> void squareRoot(A64State *s, const Insn *i) {
  using Bits = typename Fmt<T>::Bits;
  Bits a = operand<T>(s, i->rn), out;
  if (isNaN<T>(a)) {
    out = processNaN<T>(s, a);
  } else {
    T x = valueOf<T>(a), r;
    auto exact = [&] {
      volatile T vx = x;
      return T(std::sqrt(vx));
    };
    unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
    out = finish<T>(s, r, flags, exact);
  }
  setResult<T>(s, i->rd, out);
}

// fcvt: a NaN keeps its sign and the top of its payload, quietened.
template <typename From, typename To> void convert(A64State *s, const Insn *i) {
  using FB = typename Fmt<From>::Bits;
  using TB = typename Fmt<To>::Bits;
  FB a = operand<From>(s, i->rn);
  TB out;
  if (isNaN<From>(a)) {
    if (isSNaN<From>(a))
      s->fpsr |= kIoc;
    if (s->fpcr & kFpcrDn) {
      out = Fmt<To>::kDefaultNaN;
    } else {
      uint64_t payload = a & ~(Fmt<From>::kSign | Fmt<From>::kExp);
      payload = Fmt<From>::kFrac > Fmt<To>::kFrac ? payload >> (Fmt<From>::kFrac - Fmt<To>::kFrac)
                                                   : payload << (Fmt<To>::kFrac - Fmt<From>::kFrac);
      out = TB(a & Fmt<From>::kSign ? Fmt<To>::kSign : 0) | Fmt<To>::kExp | Fmt<To>::kQuiet |
            TB(payload);
    }
  } else {
    From x = valueOf<From>(a);
    To r;
    auto exact = [&] {
      volatile From vx = x;
      return To(vx);
    };
    unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
    out = finish<To>(s, r, flags, exact);
  }
  setResult<To>(s, i->rd, out);
}

// scvtf, ucvtf: a W or X register, signed or not, rounded to T.
template <typename T> void fromInteger(A64State *s, const Insn *i, bool isSigned) {
  uint64_t v = X(s, i->rn);
  if (!i->sf)
    v = isSigned ? uint64_t(int64_t(int32_t(v))) : uint32_t(v);
  T r;
  auto exact = [&] {
    volatile uint64_t vv = v;
    if (isSigned || int64_t(vv) >= 0)
      return T(int64_t(vv));
    // Halved with the lost bit kept sticky, converted, doubled: the same
    // rounding as the whole, which the host cannot convert unsigned.
    volatile T half = T(int64_t((vv >> 1) | (vv & 1)));
    return T(half * 2);
  };
  unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
  if (flags & 0x20)
    s->fpsr |= kIxc;
  setResult<T>(s, i->rd, bitsOf(r));
}

// fcvtzs, fcvtzu: toward zero, saturating; a NaN is 0. Invalid Operation
// for a NaN or a value out of range, Inexact otherwise when not integral.
template <typename T> void toInteger(A64State *s, const Insn *i, bool isSigned) {
  typename Fmt<T>::Bits a = operand<T>(s, i->rn);
  unsigned w = i->sf ? 64 : 32;
  uint64_t out;
  if (isNaN<T>(a)) {
    s->fpsr |= kIoc;
    out = 0;
  } else {
    double x = double(valueOf<T>(a)); // exact
    double t = std::trunc(x);
    double lo = isSigned ? -std::ldexp(1.0, w - 1) : 0.0;
    double hi = isSigned ? std::ldexp(1.0, w - 1) : std::ldexp(1.0, w); // exclusive
    if (t < lo) {
      s->fpsr |= kIoc;
      out = isSigned ? uint64_t(1) << (w - 1) : 0;
    } else if (t >= hi) {
      s->fpsr |= kIoc;
      out = isSigned ? ones(w - 1) : ones(w);
    } else {
      if (t != x)
        s->fpsr |= kIxc;
      if (isSigned)
        out = uint64_t(int64_t(t));
      else
        out = t >= std::ldexp(1.0, 63) ? uint64_t(int64_t(t - std::ldexp(1.0, 63))) | (1ull << 63)
                                       : uint64_t(int64_t(t));
    }
  }
  setX(s, i->rd, out & ones(w));
}

} // namespace

SEM(FADD) { binaryBySize(s, i, [](auto x, auto y) { return x + y; }); }
SEM(FSUB) { binaryBySize(s, i, [](auto x, auto y) { return x - y; }); }
SEM(FMUL) { binaryBySize(s, i, [](auto x, auto y) { return x * y; }); }
SEM(FDIV) { binaryBySize(s, i, [](auto x, auto y) { return x / y; }); }
// fnmul negates the rounded product (FPNeg): the sign of a NaN too.
SEM(FNMUL) {
  a64_sem_FMUL(s, i);
  s->v[i->rd][0] ^= uint64_t(1) << ((8u << i->size) - 1);
}
SEM(FMAX) { i->size == 2 ? minMax<float>(s, i, true, false) : minMax<double>(s, i, true, false); }
SEM(FMIN) { i->size == 2 ? minMax<float>(s, i, false, false) : minMax<double>(s, i, false, false); }
SEM(FMAXNM) { i->size == 2 ? minMax<float>(s, i, true, true) : minMax<double>(s, i, true, true); }
SEM(FMINNM) { i->size == 2 ? minMax<float>(s, i, false, true) : minMax<double>(s, i, false, true); }
SEM(FSQRT) { i->size == 2 ? squareRoot<float>(s, i) : squareRoot<double>(s, i); }
SEM(FCVT_SD) { convert<double, float>(s, i); }
SEM(FCVT_DS) { convert<float, double>(s, i); }
SEM(SCVTF) { i->size == 2 ? fromInteger<float>(s, i, true) : fromInteger<double>(s, i, true); }
SEM(UCVTF) { i->size == 2 ? fromInteger<float>(s, i, false) : fromInteger<double>(s, i, false); }
SEM(FCVTZS) { i->size == 2 ? toInteger<float>(s, i, true) : toInteger<double>(s, i, true); }
SEM(FCVTZU) { i->size == 2 ? toInteger<float>(s, i, false) : toInteger<double>(s, i, false); }
SEM(FMADD) { mulAddBySize<false, false>(s, i); }
SEM(FMSUB) { mulAddBySize<false, true>(s, i); }
SEM(FNMADD) { mulAddBySize<true, true>(s, i); }
SEM(FNMSUB) { mulAddBySize<true, false>(s, i); }
