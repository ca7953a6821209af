// A64 FP arithmetic and conversions, scalar and AdvSIMD, exact as FPSR
// sees them. A scalar instruction is an arrangement of one lane (Insn::
// scalar), so each operation is written once, over the lanes of Vec
// values (sem/simd.h), and flags accumulate lane by lane.
//
// The host's SSE arithmetic does the rounding, under FPCR's rounding mode
// in MXCSR (saved and restored around each operation; these sources are
// built with -ffp-model=strict so that nothing moves across that). The
// common case of add, subtract, multiply, divide and fused multiply-add
// (FPCR zero, no NaN operand, a result neither NaN nor tiny) is the host
// instruction alone, its flags left in MXCSR for FPSR (lifter/aarch64/
// fenv.h): saving and restoring MXCSR around each made nbody's loop 72
// host instructions per guest one. What Arm does differently is done here:
//  - NaNs: a signalling operand wins over a quiet one, the first over the
//    second; an invalid operation gives the default NaN (positive, where
//    x86's is negative); FPCR.DN makes every NaN result the default one.
//  - tininess is detected before rounding: the result is recomputed
//    toward zero when it lies at or below the smallest normal;
//  - FPCR.FZ flushes denormal operands (Input Denormal) and tiny results
//    (Underflow without Inexact) to zero.
#include "lifter/aarch64/fenv.h"
#include "lifter/aarch64/sem/simd.h"

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <xmmintrin.h>

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

constexpr uint32_t kFpcrFz = 1u << 24, kFpcrDn = 1u << 25, kFpcrAhp = 1u << 26;
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
template <typename T> typename Fmt<T>::Bits flushed(A64State *s, uint64_t v) {
  auto b = typename Fmt<T>::Bits(v);
  if ((s->fpcr & kFpcrFz) && isDenormal<T>(b)) {
    s->fpsr |= kIdc;
    b &= Fmt<T>::kSign;
  }
  return b;
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

template <typename T> using BitsOf = typename Fmt<T>::Bits;

// MXCSR's flags are FPSR's while A64 code runs (lifter/aarch64/fenv.h),
// set by the fast path of arith and mulAdd alone: an instruction whose
// host operations may set flags of their own (conversions, rounding to
// integral, square roots, the estimates' arithmetic) puts MXCSR back as
// it found it. Those that only compare, move bits or take the fast path
// are plain SEMs.
struct KeepHostFlags {
  unsigned csr = _mm_getcsr();
  ~KeepHostFlags() { _mm_setcsr(csr); }
};
#define KEPT_SEM(ID)                                                           \
  static void kept_##ID(A64State *s, const Insn *i);                           \
  SEM(ID) {                                                                    \
    KeepHostFlags keep;                                                        \
    kept_##ID(s, i);                                                           \
  }                                                                            \
  static void kept_##ID(A64State *s, const Insn *i)

// --- Operations on one lane's bits (operands already flushed) ----------------

// Whether the host's result r of an operation under FPCR all zero (round
// to nearest, no FZ, DN or AHP) is Arm's with no flags but those MXCSR
// keeps: r is neither a NaN (from a NaN operand, whose propagation and
// quietening Arm does its own way, or an invalid operation) nor tiny,
// whose underflow Arm detects before rounding; a zero is exact when
// zeroOperands() says it came from zero operands. (The caller tests FPCR
// first: a host operation under FPCR's other modes would leave flags in
// MXCSR that Arm's result may not have. A NaN operand sets no host flag
// that MXCSR keeps for FPSR.)
template <typename T, typename Z> bool hostResultIsArms(T r, Z zeroOperands) {
  if (std::fabs(r) > Fmt<T>::kMinNormal) // false for a NaN
    return true;
  return r == T{} && zeroOperands();
}

// The operations whose general path is out of line (xlat_a64_fp_slow):
// arith's four, fused multiply-add and the square root.
enum class FpOp : uint32_t { Add, Sub, Mul, Div, MulAdd, Sqrt };
template <FpOp K> struct FpBinary {
  static constexpr FpOp kOp = K;
  template <typename T> T operator()(T x, T y) const {
    switch (K) {
    case FpOp::Add: return x + y;
    case FpOp::Sub: return x - y;
    case FpOp::Mul: return x * y;
    default: return x / y;
    }
  }
};
constexpr FpBinary<FpOp::Add> fpAdd;
constexpr FpBinary<FpOp::Sub> fpSub;
constexpr FpBinary<FpOp::Mul> fpMul;
constexpr FpBinary<FpOp::Div> fpDiv;

} // namespace

// The general path of arith and mulAdd (NaN operands, tiny or NaN
// results, FPCR other than zero), out of line: a result and the FPSR
// flags it raises. The bitcode holds only this declaration, so translated
// code calls the runner's copy. Inlined, the general path made each FP
// operation of a region some 200 host instructions (MXCSR saved and set
// twice, the tininess retry, NaN propagation), the fast path ten, and
// fft's butterfly block took 70 ms to compile.
struct FpSlowResult {
  uint64_t bits;
  uint64_t fpsr;
};
extern "C" FpSlowResult xlat_a64_fp_slow(uint32_t fpcr, uint32_t op, uint32_t bits, uint64_t a,
                                         uint64_t b, uint64_t c);

namespace {

template <typename T, typename Op> BitsOf<T> arithSlow(A64State *s, BitsOf<T> a, BitsOf<T> b, Op op) {
  BitsOf<T> out;
  if (processNaNs<T>(s, {a, b}, out))
    return out;
  T x = valueOf<T>(a), y = valueOf<T>(b), r;
  auto exact = [&] {
    volatile T vx = x, vy = y; // computed here, under the mode just set
    return T(op(T(vx), T(vy)));
  };
  unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
  return finish<T>(s, r, flags, exact);
}

template <typename T> BitsOf<T> fromSlow(A64State *s, FpSlowResult r) {
  s->fpsr |= uint32_t(r.fpsr);
  return BitsOf<T>(r.bits);
}

template <typename T, typename Op> BitsOf<T> arith(A64State *s, BitsOf<T> a, BitsOf<T> b, Op op) {
  if (s->fpcr == 0) {
    T x = valueOf<T>(a), y = valueOf<T>(b);
    T r = op(x, y);
    // (T{}, not 0: an int converted under strict FP is a conversion at
    // run time, and the likely result puts the general path's call out of
    // the way.)
    if (__builtin_expect(hostResultIsArms(r, [&] { return x == T{} || y == T{}; }), 1))
      return bitsOf(r);
  }
  return fromSlow<T>(s, xlat_a64_fp_slow(s->fpcr, uint32_t(Op::kOp), sizeof(T) * 8, a, b, 0));
}

// FPMulAdd: addend + op1 * op2 rounded once; the operands already
// negated as the instruction says. NaNs: FPProcessNaNs3 over addend, op1,
// op2, except that infinity times zero makes even a quiet NaN addend the
// default NaN, with Invalid Operation.
template <typename T> BitsOf<T> mulAddSlow(A64State *s, BitsOf<T> a, BitsOf<T> x, BitsOf<T> y) {
  BitsOf<T> out;
  T va = valueOf<T>(a), vx = valueOf<T>(x), vy = valueOf<T>(y);
  bool infTimesZero = (std::isinf(vx) && vy == 0) || (vx == 0 && std::isinf(vy));
  bool done = processNaNs<T>(s, {a, x, y}, out);
  if (isNaN<T>(a) && !isSNaN<T>(a) && infTimesZero) {
    s->fpsr |= kIoc;
    return Fmt<T>::kDefaultNaN;
  }
  if (done)
    return out;
  T r;
  auto exact = [&] {
    volatile T ma = va, mx = vx, my = vy;
    return T(std::fma(T(mx), T(my), T(ma)));
  };
  unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
  return finish<T>(s, r, flags, exact);
}

template <typename T> BitsOf<T> mulAdd(A64State *s, BitsOf<T> a, BitsOf<T> x, BitsOf<T> y) {
  if (s->fpcr == 0) {
    // A zero result is exact only from zero terms: a zero product and a
    // zero addend.
    T va = valueOf<T>(a), vx = valueOf<T>(x), vy = valueOf<T>(y);
    T r = std::fma(vx, vy, va);
    if (__builtin_expect(
            hostResultIsArms(r, [&] { return (vx == T{} || vy == T{}) && va == T{}; }), 1))
      return bitsOf(r);
  }
  return fromSlow<T>(s, xlat_a64_fp_slow(s->fpcr, uint32_t(FpOp::MulAdd), sizeof(T) * 8, a, x, y));
}

// fmax, fmin (NaNs propagate) and fmaxnm, fminnm (a quiet NaN loses to a
// number); +0 is above -0. No rounding, no flags but for NaNs and FZ.
template <typename T> BitsOf<T> minMax(A64State *s, BitsOf<T> a, BitsOf<T> b, bool max, bool numeric) {
  BitsOf<T> out;
  if (numeric && isNaN<T>(a) != isNaN<T>(b) && !isSNaN<T>(a) && !isSNaN<T>(b))
    return isNaN<T>(a) ? b : a; // one quiet NaN: the number
  if (processNaNs<T>(s, {a, b}, out))
    return out;
  T x = valueOf<T>(a), y = valueOf<T>(b);
  if (x == y) // equal, or zeros of either sign
    return max ? (a & b) : (a | b);
  return (x > y) == max ? a : b;
}

template <typename T> BitsOf<T> squareRootSlow(A64State *s, BitsOf<T> a) {
  if (isNaN<T>(a))
    return processNaN<T>(s, a);
  T x = valueOf<T>(a), r;
  auto exact = [&] {
    volatile T vx = x;
    return T(std::sqrt(vx));
  };
  unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
  return finish<T>(s, r, flags, exact);
}

// The square root of a number not below zero (-0 included) is never tiny
// and raises Inexact alone: under FPCR zero the host's, whose PE stands
// for IXC (lifter/aarch64/fenv.h). nbody's square root per pair of bodies
// saved and restored MXCSR around its general path.
template <typename T> BitsOf<T> squareRoot(A64State *s, BitsOf<T> a) {
  T x = valueOf<T>(a);
  if (__builtin_expect(s->fpcr == 0 && x >= T{}, 1))
    return bitsOf(T(std::sqrt(x)));
  return fromSlow<T>(s, xlat_a64_fp_slow(s->fpcr, uint32_t(FpOp::Sqrt), sizeof(T) * 8, a, 0, 0));
}

// fcvt: a NaN keeps its sign and the top of its payload, quietened.
template <typename From, typename To> BitsOf<To> convert(A64State *s, BitsOf<From> a) {
  using TB = BitsOf<To>;
  if (isNaN<From>(a)) {
    if (isSNaN<From>(a))
      s->fpsr |= kIoc;
    if (s->fpcr & kFpcrDn)
      return Fmt<To>::kDefaultNaN;
    uint64_t payload = a & ~(Fmt<From>::kSign | Fmt<From>::kExp);
    payload = Fmt<From>::kFrac > Fmt<To>::kFrac ? payload >> (Fmt<From>::kFrac - Fmt<To>::kFrac)
                                                 : payload << (Fmt<To>::kFrac - Fmt<From>::kFrac);
    return TB(a & Fmt<From>::kSign ? Fmt<To>::kSign : 0) | Fmt<To>::kExp | Fmt<To>::kQuiet |
           TB(payload);
  }
  From x = valueOf<From>(a);
  To r;
  auto exact = [&] {
    volatile From vx = x;
    return To(vx);
  };
  unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
  return finish<To>(s, r, flags, exact);
}

// scvtf, ucvtf: a 64-bit integer (already extended), signed or not, over
// 2^fbits (the fixed-point forms), rounded to T.
template <typename T> BitsOf<T> fromInteger(A64State *s, uint64_t v, bool isSigned, unsigned fbits) {
  T r;
  auto exact = [&] {
    volatile uint64_t vv = v;
    T whole;
    if (isSigned || int64_t(vv) >= 0) {
      whole = T(int64_t(vv));
    } else {
      // Halved with the lost bit kept sticky, converted, doubled: the same
      // rounding as the whole, which the host cannot convert unsigned.
      volatile T half = T(int64_t((vv >> 1) | (vv & 1)));
      whole = T(half * 2);
    }
    // Scaling by a power of two rounds again only when the result is
    // tiny, which no 64-bit integer over at most 2^64 is.
    volatile T scaled = whole / T(std::ldexp(1.0, int(fbits)));
    return T(scaled);
  };
  unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
  if (flags & 0x20)
    s->fpsr |= kIxc;
  return bitsOf(r);
}

// The rounding of FPRoundInt and FPToFixed: FPCR's, or one an instruction
// names, including ties away from zero (fcvta*, frinta).
enum class Rnd : uint8_t { Even, PosInf, NegInf, Zero, Away };
Rnd fpcrRounding(uint32_t fpcr) {
  static constexpr Rnd kModes[] = {Rnd::Even, Rnd::PosInf, Rnd::NegInf, Rnd::Zero};
  return kModes[(fpcr >> 22) & 3];
}
// x rounded to an integral value; x finite and exact in a double.
double roundIntegral(double x, Rnd mode) {
  double t = std::floor(x), d = x - t; // exact
  switch (mode) {
  case Rnd::Zero: return std::trunc(x);
  case Rnd::PosInf: return std::ceil(x);
  case Rnd::NegInf: return t;
  case Rnd::Away: return d > 0.5 || (d == 0.5 && x > 0) ? t + 1 : t;
  default: return d > 0.5 || (d == 0.5 && std::fmod(t, 2.0) != 0) ? t + 1 : t;
  }
}

// fcvt[nmpaz][su]: x times 2^fbits, rounded, saturating into `w` bits; a
// NaN is 0. Invalid Operation for a NaN or a value out of range, Inexact
// otherwise when not integral.
template <typename T>
uint64_t toInteger(A64State *s, BitsOf<T> a, unsigned w, bool isSigned, unsigned fbits, Rnd mode) {
  if (isNaN<T>(a)) {
    s->fpsr |= kIoc;
    return 0;
  }
  double x = std::ldexp(double(valueOf<T>(a)), int(fbits)); // exact, or infinite
  double t = std::isinf(x) ? x : roundIntegral(x, mode);
  double lo = isSigned ? -std::ldexp(1.0, w - 1) : 0.0;
  double hi = isSigned ? std::ldexp(1.0, w - 1) : std::ldexp(1.0, w); // exclusive
  if (t < lo) {
    s->fpsr |= kIoc;
    return isSigned ? uint64_t(1) << (w - 1) : 0;
  }
  if (t >= hi) {
    s->fpsr |= kIoc;
    return isSigned ? ones(w - 1) : ones(w);
  }
  if (t != x)
    s->fpsr |= kIxc;
  uint64_t out = t >= std::ldexp(1.0, 63) ? uint64_t(int64_t(t - std::ldexp(1.0, 63))) | (1ull << 63)
                                          : uint64_t(int64_t(t));
  return out & ones(w);
}

// frint*: an integral value of T; only frintx raises Inexact.
template <typename T> BitsOf<T> roundToIntegral(A64State *s, BitsOf<T> a, Rnd mode, bool exact) {
  if (isNaN<T>(a))
    return processNaN<T>(s, a);
  T x = valueOf<T>(a);
  if (std::isinf(x) || x == 0)
    return a;
  double r = roundIntegral(double(x), mode);
  if (exact && r != double(x))
    s->fpsr |= kIxc;
  BitsOf<T> out = bitsOf(T(r));
  return r == 0 ? (out | (a & Fmt<T>::kSign)) : out; // a zero keeps x's sign
}

// The AdvSIMD compares: all ones where true. fcmeq raises Invalid
// Operation for a signalling NaN, the ordered ones for any NaN.
enum class Cmp : uint8_t { Eq, Ge, Gt, AbsGe, AbsGt };
template <typename T> uint64_t compare(A64State *s, BitsOf<T> a, BitsOf<T> b, Cmp c) {
  if (isNaN<T>(a) || isNaN<T>(b)) {
    if (c != Cmp::Eq || isSNaN<T>(a) || isSNaN<T>(b))
      s->fpsr |= kIoc;
    return 0;
  }
  T x = valueOf<T>(a), y = valueOf<T>(b);
  if (c == Cmp::AbsGe || c == Cmp::AbsGt)
    x = std::fabs(x), y = std::fabs(y);
  bool r = c == Cmp::Eq ? x == y : (c == Cmp::Ge || c == Cmp::AbsGe) ? x >= y : x > y;
  return r ? ~uint64_t(0) : 0;
}

// fmulx: fmul, but infinity times zero is 2.0 with the product's sign.
template <typename T> BitsOf<T> mulExtended(A64State *s, BitsOf<T> a, BitsOf<T> b) {
  T x = valueOf<T>(a), y = valueOf<T>(b);
  if (!isNaN<T>(a) && !isNaN<T>(b) &&
      ((std::isinf(x) && y == 0) || (x == 0 && std::isinf(y))))
    return bitsOf(T(2)) | ((a ^ b) & Fmt<T>::kSign);
  return arith<T>(s, a, b, fpMul);
}

// frecps and frsqrts: 2 + a * b and (3 + a * b) / 2 (a already negated),
// rounded once; infinity times zero gives 2 and 1.5 exactly.
template <typename T> BitsOf<T> recipStep(A64State *s, BitsOf<T> a, BitsOf<T> b, bool sqrt) {
  BitsOf<T> out;
  if (processNaNs<T>(s, {a, b}, out))
    return out;
  T x = valueOf<T>(a), y = valueOf<T>(b);
  if ((std::isinf(x) && y == 0) || (x == 0 && std::isinf(y)))
    return bitsOf(T(sqrt ? 1.5 : 2.0));
  // (3 + x*y) / 2 as 1.5 + (x/2)*y, halving an operand exactly where one
  // is large enough (else the sum cannot overflow and halves exactly).
  bool halveX = std::fabs(x) >= 4 * Fmt<T>::kMinNormal;
  bool halveY = !halveX && std::fabs(y) >= 4 * Fmt<T>::kMinNormal;
  T r;
  auto exact = [&] {
    volatile T vx = x, vy = y;
    if (!sqrt)
      return T(std::fma(T(vx), T(vy), T(2)));
    if (halveX)
      return T(std::fma(T(vx * T(0.5)), T(vy), T(1.5)));
    if (halveY)
      return T(std::fma(T(vx), T(vy * T(0.5)), T(1.5)));
    volatile T sum = std::fma(T(vx), T(vy), T(3));
    return T(sum * T(0.5));
  };
  unsigned flags = underRounding(rounding(s->fpcr), [&] { r = exact(); });
  return finish<T>(s, r, flags, exact);
}

// RecipEstimate and RecipSqrtEstimate of the Arm ARM: 9-bit fixed point
// in, 9-bit fixed point out (256..511).
unsigned recipEstimate(unsigned a) {
  a = a * 2 + 1;
  unsigned b = (1u << 19) / a;
  return (b + 1) / 2;
}
unsigned recipSqrtEstimate(unsigned a) {
  if (a < 256)
    a = a * 2 + 1;
  else
    a = ((a >> 1) << 1) * 2 + 2;
  uint64_t b = 512;
  while (uint64_t(a) * (b + 1) * (b + 1) < (uint64_t(1) << 28))
    b++;
  return unsigned((b + 1) / 2);
}

// An operand's fraction as a double's (52 bits, a single's shifted up) and
// its biased exponent, as the estimates scale them.
template <typename T> void fractionAndExponent(BitsOf<T> a, uint64_t &fraction, int &exp) {
  constexpr bool single = sizeof(T) == 4;
  fraction = single ? uint64_t(a & 0x7fffff) << 29 : uint64_t(a) & ones(52);
  exp = int((a & Fmt<T>::kExp) >> Fmt<T>::kFrac);
}

// FPRecipEstimate: the exponent reflected around the bias.
template <typename T> BitsOf<T> fpRecipEstimate(A64State *s, BitsOf<T> a) {
  using F = Fmt<T>;
  constexpr bool single = sizeof(T) == 4;
  if (isNaN<T>(a))
    return processNaN<T>(s, a);
  BitsOf<T> sign = a & F::kSign;
  T x = valueOf<T>(a);
  if (std::isinf(x))
    return sign;
  if (x == 0) {
    s->fpsr |= kDzc;
    return sign | F::kExp;
  }
  if (std::fabs(x) < std::ldexp(T(1), single ? -128 : -1024)) {
    Rnd mode = fpcrRounding(s->fpcr);
    bool toInf = mode == Rnd::Even || (mode == Rnd::PosInf && !sign) || (mode == Rnd::NegInf && sign);
    s->fpsr |= kOfc | kIxc;
    return toInf ? sign | F::kExp : sign | BitsOf<T>(F::kExp - 1); // or the largest number
  }
  if ((s->fpcr & kFpcrFz) && std::fabs(x) >= std::ldexp(T(1), single ? 126 : 1022)) {
    s->fpsr |= kUfc;
    return sign;
  }
  uint64_t fraction;
  int exp;
  fractionAndExponent<T>(a, fraction, exp);
  if (exp == 0) {
    if (!((fraction >> 51) & 1)) {
      exp = -1;
      fraction = (fraction & ones(50)) << 2;
    } else {
      fraction = (fraction & ones(51)) << 1;
    }
  }
  int resultExp = (single ? 253 : 2045) - exp;
  unsigned estimate = recipEstimate(256 | unsigned((fraction >> 44) & 0xff));
  fraction = uint64_t(estimate & 0xff) << 44;
  if (resultExp == 0) {
    fraction = uint64_t(1) << 51 | fraction >> 1;
  } else if (resultExp == -1) {
    fraction = uint64_t(1) << 50 | fraction >> 2;
    resultExp = 0;
  }
  return sign | BitsOf<T>(uint64_t(resultExp) << F::kFrac) |
         BitsOf<T>(single ? fraction >> 29 : fraction);
}

// FPRSqrtEstimate.
template <typename T> BitsOf<T> fpRSqrtEstimate(A64State *s, BitsOf<T> a) {
  using F = Fmt<T>;
  constexpr bool single = sizeof(T) == 4;
  if (isNaN<T>(a))
    return processNaN<T>(s, a);
  BitsOf<T> sign = a & F::kSign;
  T x = valueOf<T>(a);
  if (x == 0) {
    s->fpsr |= kDzc;
    return sign | F::kExp;
  }
  if (sign) {
    s->fpsr |= kIoc;
    return F::kDefaultNaN;
  }
  if (std::isinf(x))
    return 0;
  uint64_t fraction;
  int exp;
  fractionAndExponent<T>(a, fraction, exp);
  if (exp == 0) {
    while (!((fraction >> 51) & 1)) {
      fraction = (fraction << 1) & ones(52);
      exp--;
    }
    fraction = (fraction << 1) & ones(52);
  }
  unsigned scaled = (exp & 1) ? 128 | unsigned((fraction >> 45) & 0x7f)
                              : 256 | unsigned((fraction >> 44) & 0xff);
  int resultExp = ((single ? 380 : 3068) - exp) / 2;
  unsigned estimate = recipSqrtEstimate(scaled);
  return BitsOf<T>(uint64_t(resultExp) << F::kFrac) |
         BitsOf<T>(uint64_t(estimate & 0xff) << (F::kFrac - 8));
}

// frecpx: the exponent inverted (zeros and denormals: the largest), no
// fraction.
template <typename T> BitsOf<T> fpRecpX(A64State *s, BitsOf<T> a) {
  using F = Fmt<T>;
  if (isNaN<T>(a))
    return processNaN<T>(s, a);
  BitsOf<T> exp = a & F::kExp;
  BitsOf<T> out = exp ? ~exp & F::kExp : F::kExp - (BitsOf<T>(1) << F::kFrac);
  return (a & F::kSign) | out;
}

// fcvtxn: a double to a single rounded to odd (toward zero, then the
// lowest bit set if anything was lost).
BitsOf<float> convertToOdd(A64State *s, BitsOf<double> a) {
  if (isNaN<double>(a))
    return convert<double, float>(s, a);
  double x = valueOf<double>(a);
  float r;
  auto exact = [&] {
    volatile double vx = x;
    return float(vx);
  };
  unsigned flags = underRounding(kZero, [&] { r = exact(); });
  BitsOf<float> out = finish<float>(s, r, flags, exact);
  bool flushedToZero = (s->fpcr & kFpcrFz) && !(out & ~Fmt<float>::kSign);
  if ((flags & 0x20) && !flushedToZero && !std::isnan(r))
    out |= 1;
  return out;
}

// --- Half precision -------------------------------------------------------------
// IEEE binary16, or with FPCR.AHP Arm's alternative format (no infinities
// or NaNs: the top exponent holds numbers). Conversions never flush a
// half (FZ16), but flush singles and doubles as FPCR.FZ says.

template <typename T> BitsOf<T> fromHalf(A64State *s, uint16_t h) {
  using F = Fmt<T>;
  bool ahp = s->fpcr & kFpcrAhp;
  BitsOf<T> sign = h & 0x8000 ? F::kSign : 0;
  unsigned exp = (h >> 10) & 31, frac = h & 0x3ff;
  if (exp == 31 && !ahp) {
    if (!frac)
      return sign | F::kExp;
    if (!(frac & 0x200))
      s->fpsr |= kIoc;
    if (s->fpcr & kFpcrDn)
      return F::kDefaultNaN;
    return sign | F::kExp | F::kQuiet | (BitsOf<T>(frac) << (F::kFrac - 10));
  }
  double v = std::ldexp(double(exp ? frac | 0x400 : frac), int(exp ? exp : 1) - 25);
  return sign | bitsOf(T(v)); // exact
}

// FPRoundBase for a half: the value rounded as FPCR says, tininess before
// rounding, overflow to infinity or the largest number (IEEE) or Invalid
// Operation (AHP).
uint16_t roundToHalf(A64State *s, double v) {
  bool ahp = s->fpcr & kFpcrAhp;
  uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  double m = std::fabs(v);
  int e;
  std::frexp(m, &e); // m = f * 2^e, f in [0.5, 1)
  int exponent = e - 1;
  int biased = std::max(exponent + 15, 0);
  double mantissa = biased ? std::ldexp(m, -exponent) : std::ldexp(m, 14);
  double scaled = std::ldexp(mantissa, 10);
  double whole = std::floor(scaled), error = scaled - whole;
  if (m < std::ldexp(1.0, -60)) // far below the smallest half: lost whole
    whole = 0, error = 0.25;
  uint32_t intMant = uint32_t(whole);
  if (biased == 0 && error != 0)
    s->fpsr |= kUfc;
  bool up;
  switch (fpcrRounding(s->fpcr)) {
  case Rnd::Even: up = error > 0.5 || (error == 0.5 && (intMant & 1)); break;
  case Rnd::PosInf: up = error != 0 && !sign; break;
  case Rnd::NegInf: up = error != 0 && sign; break;
  default: up = false; break;
  }
  if (up) {
    intMant++;
    if (intMant == 1u << 10)
      biased = 1; // a denormal rounded up to the smallest normal
    if (intMant == 1u << 11) {
      biased++;
      intMant >>= 1;
    }
  }
  if (!ahp && biased >= 31) {
    Rnd mode = fpcrRounding(s->fpcr);
    bool toInf = mode == Rnd::Even || (mode == Rnd::PosInf && !sign) || (mode == Rnd::NegInf && sign);
    s->fpsr |= kOfc | kIxc;
    return sign | (toInf ? 0x7c00 : 0x7bff);
  }
  if (ahp && biased >= 32) {
    s->fpsr |= kIoc;
    return sign | 0x7fff;
  }
  if (error != 0)
    s->fpsr |= kIxc;
  return uint16_t(sign | biased << 10 | (intMant & 0x3ff));
}

template <typename T> uint16_t toHalf(A64State *s, BitsOf<T> a) {
  using F = Fmt<T>;
  bool ahp = s->fpcr & kFpcrAhp;
  uint16_t sign = (a & F::kSign) ? 0x8000 : 0;
  T x = valueOf<T>(a);
  if (isNaN<T>(a)) {
    if (ahp || isSNaN<T>(a))
      s->fpsr |= kIoc;
    if (ahp)
      return sign;
    if (s->fpcr & kFpcrDn)
      return 0x7e00;
    return uint16_t(sign | 0x7e00 | ((a >> (F::kFrac - 10)) & 0x1ff));
  }
  if (std::isinf(x)) {
    if (ahp) {
      s->fpsr |= kIoc;
      return sign | 0x7fff;
    }
    return sign | 0x7c00;
  }
  if (x == 0)
    return sign;
  return roundToHalf(s, double(x));
}

// --- Lanes -------------------------------------------------------------------------

// Calls f(T{}, ...) for the lane size: S (float) or D (double).
template <typename F> uint64_t bySize(unsigned bits, F f) {
  return bits == 32 ? uint64_t(f(float{})) : uint64_t(f(double{}));
}

// d[k] = f(T, n[k], m[k], d[k]) over the arrangement's lanes, Rn's and
// Rm's lanes flushed (FZ); Rd's flushed by the operations that read it.
template <typename F> void lanes3(A64State *s, const Insn *i, const Vec &n, const Vec &m, F f) {
  unsigned bits = laneBits(i);
  Vec d = vreg(s, i->rd), r{};
  for (unsigned k = 0; k < lanes(i); k++)
    setLane(r, bits, k, bySize(bits, [&](auto t) {
              using T = decltype(t);
              return f(t, flushed<T>(s, lane(n, bits, k)), flushed<T>(s, lane(m, bits, k)),
                       BitsOf<T>(lane(d, bits, k)));
            }));
  setVreg(s, i->rd, r, fullWidth(i));
}
template <typename F> void binaryLanes(A64State *s, const Insn *i, F f) {
  lanes3(s, i, vreg(s, i->rn), vreg(s, i->rm),
         [&](auto t, auto a, auto b, auto) { return f(t, a, b); });
}
// One source; the operand not flushed for the moves (fabs, fneg).
template <typename F> void unaryLanes(A64State *s, const Insn *i, F f, bool flush = true) {
  unsigned bits = laneBits(i);
  Vec n = vreg(s, i->rn), r{};
  for (unsigned k = 0; k < lanes(i); k++)
    setLane(r, bits, k, bySize(bits, [&](auto t) {
              using T = decltype(t);
              uint64_t a = lane(n, bits, k);
              return f(t, flush ? flushed<T>(s, a) : BitsOf<T>(a));
            }));
  setVreg(s, i->rd, r, fullWidth(i));
}

// Pairwise: lane k from lanes 2k and 2k+1 of Rn:Rm; the scalar form
// (Insn::scalar) from the two lanes of Rn.
template <typename F> void pairLanes(A64State *s, const Insn *i, F f) {
  unsigned bits = laneBits(i), n = i->scalar ? 1 : lanes(i);
  Vec a = vreg(s, i->rn), b = i->scalar ? Vec{} : vreg(s, i->rm), r{};
  auto x = [&](unsigned k) { return k < (i->scalar ? 2 : n) ? lane(a, bits, k) : lane(b, bits, k - n); };
  for (unsigned k = 0; k < n; k++)
    setLane(r, bits, k, bySize(bits, [&](auto t) {
              using T = decltype(t);
              BitsOf<T> p = flushed<T>(s, x(2 * k)), q = flushed<T>(s, x(2 * k + 1));
              return f(t, p, q);
            }));
  setVreg(s, i->rd, r, fullWidth(i));
}

// Across the four single lanes (fmaxv and friends): a tree of pairs, as
// the Arm ARM's Reduce.
template <typename F> void acrossLanes(A64State *s, const Insn *i, F f) {
  Vec n = vreg(s, i->rn), r{};
  float t{};
  BitsOf<float> l[4];
  for (unsigned k = 0; k < 4; k++)
    l[k] = flushed<float>(s, lane(n, 32, k));
  BitsOf<float> lo = f(t, l[0], l[1]), hi = f(t, l[2], l[3]);
  setLane(r, 32, 0, f(t, lo, hi));
  setVreg(s, i->rd, r, false);
}

// Lane `index` of Rm in every lane (by element).
Vec element(const A64State *s, const Insn *i) {
  unsigned bits = laneBits(i);
  uint64_t e = lane(vreg(s, i->rm), bits, i->imms);
  return Vec{{bits == 32 ? e | e << 32 : e, bits == 32 ? e | e << 32 : e}};
}

template <typename T> BitsOf<T> neg(BitsOf<T> b) { return b ^ Fmt<T>::kSign; }


// The conversions to integers of a V register's lanes (the AdvSIMD forms),
// and of a scalar to a general register.
void toIntegerLanes(A64State *s, const Insn *i, bool isSigned, Rnd mode, unsigned fbits) {
  unaryLanes(s, i, [&](auto t, auto a) {
    return toInteger<decltype(t)>(s, a, laneBits(i), isSigned, fbits, mode);
  });
}
void toGeneral(A64State *s, const Insn *i, bool isSigned, Rnd mode) {
  unsigned w = i->sf ? 64 : 32;
  uint64_t a = s->v[i->rn][0], out;
  if (i->size == 2)
    out = toInteger<float>(s, flushed<float>(s, a), w, isSigned, i->imms, mode);
  else
    out = toInteger<double>(s, flushed<double>(s, a), w, isSigned, i->imms, mode);
  setX(s, i->rd, out);
}
void fromGeneral(A64State *s, const Insn *i, bool isSigned) {
  uint64_t v = X(s, i->rn);
  if (!i->sf)
    v = isSigned ? uint64_t(int64_t(int32_t(v))) : uint32_t(v);
  uint64_t r = i->size == 2 ? fromInteger<float>(s, v, isSigned, i->imms)
                            : fromInteger<double>(s, v, isSigned, i->imms);
  setVreg(s, i->rd, Vec{{r, 0}}, false);
}
void fromIntegerLanes(A64State *s, const Insn *i, bool isSigned, unsigned fbits) {
  unsigned bits = laneBits(i);
  unaryLanes(s, i, [&](auto t, auto a) {
    uint64_t v = isSigned ? uint64_t(sext(a, bits)) : uint64_t(a);
    return fromInteger<decltype(t)>(s, v, isSigned, fbits);
  }, false);
}
void roundLanes(A64State *s, const Insn *i, Rnd mode, bool exact) {
  unaryLanes(s, i, [&](auto t, auto a) { return roundToIntegral<decltype(t)>(s, a, mode, exact); });
}
void compareLanes(A64State *s, const Insn *i, Cmp c) {
  binaryLanes(s, i, [&](auto t, auto a, auto b) { return compare<decltype(t)>(s, a, b, c); });
}
// Against +0.0; lt and le swap the operands of gt and ge.
void compareZeroLanes(A64State *s, const Insn *i, Cmp c, bool swap) {
  unaryLanes(s, i, [&](auto t, auto a) {
    using T = decltype(t);
    return swap ? compare<T>(s, 0, a, c) : compare<T>(s, a, 0, c);
  });
}

} // namespace

// --- Arithmetic: scalar (one lane) and vector ------------------------------------

SEM(FADD) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return arith<decltype(t)>(s, a, b, fpAdd); }); }
SEM(FSUB) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return arith<decltype(t)>(s, a, b, fpSub); }); }
SEM(FMUL) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return arith<decltype(t)>(s, a, b, fpMul); }); }
SEM(FDIV) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return arith<decltype(t)>(s, a, b, fpDiv); }); }
// fnmul negates the rounded product (FPNeg): the sign of a NaN too.
SEM(FNMUL) {
  binaryLanes(s, i, [s](auto t, auto a, auto b) {
    using T = decltype(t);
    return neg<T>(arith<T>(s, a, b, fpMul));
  });
}
SEM(FMULX) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return mulExtended<decltype(t)>(s, a, b); }); }
// fabd: |a - b|, a NaN's sign cleared too (FPAbs).
SEM(FABD) {
  binaryLanes(s, i, [s](auto t, auto a, auto b) {
    using T = decltype(t);
    return BitsOf<T>(arith<T>(s, a, b, fpSub) & ~Fmt<T>::kSign);
  });
}
SEM(FMAX) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, true, false); }); }
SEM(FMIN) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, false, false); }); }
SEM(FMAXNM) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, true, true); }); }
SEM(FMINNM) { binaryLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, false, true); }); }
SEM(FSQRT) { unaryLanes(s, i, [s](auto t, auto a) { return squareRoot<decltype(t)>(s, a); }); }
SEM(FABS) { unaryLanes(s, i, [](auto t, auto a) { return decltype(a)(a & ~Fmt<decltype(t)>::kSign); }, false); }
SEM(FNEG) { unaryLanes(s, i, [](auto t, auto a) { return neg<decltype(t)>(a); }, false); }
// fmla, fmls: Rd += Rn * Rm, fused (fmls negates Rn).
SEM(FMLA) {
  lanes3(s, i, vreg(s, i->rn), vreg(s, i->rm),
         [s](auto t, auto a, auto b, auto d) { return mulAdd<decltype(t)>(s, flushed<decltype(t)>(s, d), a, b); });
}
SEM(FMLS) {
  lanes3(s, i, vreg(s, i->rn), vreg(s, i->rm),
         [s](auto t, auto a, auto b, auto d) { return mulAdd<decltype(t)>(s, flushed<decltype(t)>(s, d), neg<decltype(t)>(a), b); });
}
SEM(FMLA_E) {
  lanes3(s, i, vreg(s, i->rn), element(s, i),
         [s](auto t, auto a, auto b, auto d) { return mulAdd<decltype(t)>(s, flushed<decltype(t)>(s, d), a, b); });
}
SEM(FMLS_E) {
  lanes3(s, i, vreg(s, i->rn), element(s, i),
         [s](auto t, auto a, auto b, auto d) { return mulAdd<decltype(t)>(s, flushed<decltype(t)>(s, d), neg<decltype(t)>(a), b); });
}
SEM(FMUL_E) {
  lanes3(s, i, vreg(s, i->rn), element(s, i),
         [s](auto t, auto a, auto b, auto) { return arith<decltype(t)>(s, a, b, fpMul); });
}
SEM(FMULX_E) {
  lanes3(s, i, vreg(s, i->rn), element(s, i),
         [s](auto t, auto a, auto b, auto) { return mulExtended<decltype(t)>(s, a, b); });
}

// fmadd and friends (scalar only): Rd = Ra + Rn * Rm rounded once; fmsub
// negates Rn, fnmadd Ra and Rn, fnmsub Ra.
// (A function per type, not a lambda by reference: one that clang left
// out of line kept the state's address in its closure, where no
// translation could keep the registers in host registers.)
template <bool NegA, bool Neg1, typename T> uint64_t fused(A64State *s, const Insn *i) {
  BitsOf<T> a = flushed<T>(s, s->v[i->ra][0]), x = flushed<T>(s, s->v[i->rn][0]),
            y = flushed<T>(s, s->v[i->rm][0]);
  return mulAdd<T>(s, NegA ? neg<T>(a) : a, Neg1 ? neg<T>(x) : x, y);
}
template <bool NegA, bool Neg1> void fusedScalar(A64State *s, const Insn *i) {
  unsigned bits = laneBits(i);
  uint64_t r = bits == 32 ? fused<NegA, Neg1, float>(s, i) : fused<NegA, Neg1, double>(s, i);
  setVreg(s, i->rd, Vec{{r & ones(bits), 0}}, false);
}
SEM(FMADD) { fusedScalar<false, false>(s, i); }
SEM(FMSUB) { fusedScalar<false, true>(s, i); }
SEM(FNMADD) { fusedScalar<true, true>(s, i); }
SEM(FNMSUB) { fusedScalar<true, false>(s, i); }

KEPT_SEM(FRECPS) {
  binaryLanes(s, i, [s](auto t, auto a, auto b) {
    using T = decltype(t);
    return recipStep<T>(s, neg<T>(a), b, false);
  });
}
KEPT_SEM(FRSQRTS) {
  binaryLanes(s, i, [s](auto t, auto a, auto b) {
    using T = decltype(t);
    return recipStep<T>(s, neg<T>(a), b, true);
  });
}
KEPT_SEM(FRECPE) { unaryLanes(s, i, [s](auto t, auto a) { return fpRecipEstimate<decltype(t)>(s, a); }); }
KEPT_SEM(FRSQRTE) { unaryLanes(s, i, [s](auto t, auto a) { return fpRSqrtEstimate<decltype(t)>(s, a); }); }
SEM(FRECPX) { unaryLanes(s, i, [s](auto t, auto a) { return fpRecpX<decltype(t)>(s, a); }); }
// The unsigned estimates: 32-bit lanes of fixed point below 1.
SEM(URECPE) {
  unaryLanes(s, i, [](auto, auto a) {
    uint32_t x = uint32_t(a);
    return x >> 31 ? uint32_t(recipEstimate((x >> 23) & 0x1ff)) << 23 : 0xffffffffu;
  }, false);
}
SEM(URSQRTE) {
  unaryLanes(s, i, [](auto, auto a) {
    uint32_t x = uint32_t(a);
    return x >> 30 ? uint32_t(recipSqrtEstimate((x >> 23) & 0x1ff)) << 23 : 0xffffffffu;
  }, false);
}

// --- Pairwise and across lanes ----------------------------------------------------

SEM(FADDP) { pairLanes(s, i, [s](auto t, auto a, auto b) { return arith<decltype(t)>(s, a, b, fpAdd); }); }
SEM(FMAXP) { pairLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, true, false); }); }
SEM(FMINP) { pairLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, false, false); }); }
SEM(FMAXNMP) { pairLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, true, true); }); }
SEM(FMINNMP) { pairLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, false, true); }); }
SEM(FMAXV) { acrossLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, true, false); }); }
SEM(FMINV) { acrossLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, false, false); }); }
SEM(FMAXNMV) { acrossLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, true, true); }); }
SEM(FMINNMV) { acrossLanes(s, i, [s](auto t, auto a, auto b) { return minMax<decltype(t)>(s, a, b, false, true); }); }

// --- Compares ---------------------------------------------------------------------------

SEM(FCMEQ) { compareLanes(s, i, Cmp::Eq); }
SEM(FCMGE) { compareLanes(s, i, Cmp::Ge); }
SEM(FCMGT) { compareLanes(s, i, Cmp::Gt); }
SEM(FACGE) { compareLanes(s, i, Cmp::AbsGe); }
SEM(FACGT) { compareLanes(s, i, Cmp::AbsGt); }
SEM(FCMEQ_Z) { compareZeroLanes(s, i, Cmp::Eq, false); }
SEM(FCMGE_Z) { compareZeroLanes(s, i, Cmp::Ge, false); }
SEM(FCMGT_Z) { compareZeroLanes(s, i, Cmp::Gt, false); }
SEM(FCMLE_Z) { compareZeroLanes(s, i, Cmp::Ge, true); }
SEM(FCMLT_Z) { compareZeroLanes(s, i, Cmp::Gt, true); }

// --- Rounding to integral values ------------------------------------------------------------

KEPT_SEM(FRINTN) { roundLanes(s, i, Rnd::Even, false); }
KEPT_SEM(FRINTP) { roundLanes(s, i, Rnd::PosInf, false); }
KEPT_SEM(FRINTM) { roundLanes(s, i, Rnd::NegInf, false); }
KEPT_SEM(FRINTZ) { roundLanes(s, i, Rnd::Zero, false); }
KEPT_SEM(FRINTA) { roundLanes(s, i, Rnd::Away, false); }
KEPT_SEM(FRINTX) { roundLanes(s, i, fpcrRounding(s->fpcr), true); }
KEPT_SEM(FRINTI) { roundLanes(s, i, fpcrRounding(s->fpcr), false); }

// --- Conversions ------------------------------------------------------------------------------

KEPT_SEM(FCVT_SD) {
  uint64_t r = convert<double, float>(s, flushed<double>(s, s->v[i->rn][0]));
  setVreg(s, i->rd, Vec{{r, 0}}, false);
}
KEPT_SEM(FCVT_DS) {
  uint64_t r = convert<float, double>(s, flushed<float>(s, s->v[i->rn][0]));
  setVreg(s, i->rd, Vec{{r, 0}}, false);
}
// fcvtl: the lanes of a half of Rn (Q: the high one) widened: halves to
// singles, singles to doubles.
KEPT_SEM(FCVTL) {
  Vec n = vreg(s, i->rn), r{};
  unsigned bits = laneBits(i);
  Vec half{{n.d[i->q], 0}};
  for (unsigned k = 0; k < 64 / bits; k++) {
    uint64_t x = lane(half, bits, k);
    setLane(r, 2 * bits, k,
            bits == 16 ? fromHalf<float>(s, uint16_t(x))
                       : convert<float, double>(s, flushed<float>(s, x)));
  }
  setVreg(s, i->rd, r, true);
}
// fcvtn: singles to halves or doubles to singles, into the low half of
// Rd (the high cleared) or, with Q, its high half; fcvtxn rounds to odd
// (and has a scalar form).
template <typename Narrow> void narrowFp(A64State *s, const Insn *i, Narrow narrow) {
  Vec n = vreg(s, i->rn), r{};
  unsigned bits = laneBits(i);
  for (unsigned k = 0; k < (i->scalar ? 1 : 64 / bits); k++)
    setLane(r, bits, k, narrow(lane(n, 2 * bits, k)));
  if (i->q && !i->scalar)
    s->v[i->rd][1] = r.d[0];
  else
    setVreg(s, i->rd, r, false);
}
KEPT_SEM(FCVTN) {
  if (laneBits(i) == 16)
    narrowFp(s, i, [s](uint64_t x) { return toHalf<float>(s, flushed<float>(s, x)); });
  else
    narrowFp(s, i, [s](uint64_t x) { return convert<double, float>(s, flushed<double>(s, x)); });
}
KEPT_SEM(FCVTXN) { narrowFp(s, i, [s](uint64_t x) { return convertToOdd(s, flushed<double>(s, x)); }); }

// fcvt between half precision and singles or doubles.
KEPT_SEM(FCVT_HS) { setVreg(s, i->rd, Vec{{toHalf<float>(s, flushed<float>(s, s->v[i->rn][0])), 0}}, false); }
KEPT_SEM(FCVT_HD) { setVreg(s, i->rd, Vec{{toHalf<double>(s, flushed<double>(s, s->v[i->rn][0])), 0}}, false); }
KEPT_SEM(FCVT_SH) { setVreg(s, i->rd, Vec{{fromHalf<float>(s, uint16_t(s->v[i->rn][0])), 0}}, false); }
KEPT_SEM(FCVT_DH) { setVreg(s, i->rd, Vec{{fromHalf<double>(s, uint16_t(s->v[i->rn][0])), 0}}, false); }

// General registers: scvtf and ucvtf from W or X (over 2^fbits in the
// fixed-point forms, Insn::imms), fcvt[nmpaz][su] to them.
KEPT_SEM(SCVTF) { fromGeneral(s, i, true); }
KEPT_SEM(UCVTF) { fromGeneral(s, i, false); }
KEPT_SEM(FCVTNS) { toGeneral(s, i, true, Rnd::Even); }
KEPT_SEM(FCVTNU) { toGeneral(s, i, false, Rnd::Even); }
KEPT_SEM(FCVTPS) { toGeneral(s, i, true, Rnd::PosInf); }
KEPT_SEM(FCVTPU) { toGeneral(s, i, false, Rnd::PosInf); }
KEPT_SEM(FCVTMS) { toGeneral(s, i, true, Rnd::NegInf); }
KEPT_SEM(FCVTMU) { toGeneral(s, i, false, Rnd::NegInf); }
KEPT_SEM(FCVTAS) { toGeneral(s, i, true, Rnd::Away); }
KEPT_SEM(FCVTAU) { toGeneral(s, i, false, Rnd::Away); }
KEPT_SEM(FCVTZS) { toGeneral(s, i, true, Rnd::Zero); }
KEPT_SEM(FCVTZU) { toGeneral(s, i, false, Rnd::Zero); }

// The same within V registers (vector and scalar), fixed point through
// the shift-by-immediate forms (Insn::imm: fbits).
KEPT_SEM(SCVTF_V) { fromIntegerLanes(s, i, true, 0); }
KEPT_SEM(UCVTF_V) { fromIntegerLanes(s, i, false, 0); }
KEPT_SEM(SCVTF_FIX) { fromIntegerLanes(s, i, true, unsigned(i->imm)); }
KEPT_SEM(UCVTF_FIX) { fromIntegerLanes(s, i, false, unsigned(i->imm)); }
KEPT_SEM(FCVTNS_V) { toIntegerLanes(s, i, true, Rnd::Even, 0); }
KEPT_SEM(FCVTNU_V) { toIntegerLanes(s, i, false, Rnd::Even, 0); }
KEPT_SEM(FCVTPS_V) { toIntegerLanes(s, i, true, Rnd::PosInf, 0); }
KEPT_SEM(FCVTPU_V) { toIntegerLanes(s, i, false, Rnd::PosInf, 0); }
KEPT_SEM(FCVTMS_V) { toIntegerLanes(s, i, true, Rnd::NegInf, 0); }
KEPT_SEM(FCVTMU_V) { toIntegerLanes(s, i, false, Rnd::NegInf, 0); }
KEPT_SEM(FCVTAS_V) { toIntegerLanes(s, i, true, Rnd::Away, 0); }
KEPT_SEM(FCVTAU_V) { toIntegerLanes(s, i, false, Rnd::Away, 0); }
KEPT_SEM(FCVTZS_V) { toIntegerLanes(s, i, true, Rnd::Zero, 0); }
KEPT_SEM(FCVTZU_V) { toIntegerLanes(s, i, false, Rnd::Zero, 0); }
KEPT_SEM(FCVTZS_FIX) { toIntegerLanes(s, i, true, Rnd::Zero, unsigned(i->imm)); }
KEPT_SEM(FCVTZU_FIX) { toIntegerLanes(s, i, false, Rnd::Zero, unsigned(i->imm)); }

#ifndef XLAT_SEMANTICS_BITCODE
extern "C" FpSlowResult xlat_a64_fp_slow(uint32_t fpcr, uint32_t op, uint32_t bits, uint64_t a,
                                         uint64_t b, uint64_t c) {
  A64State s; // only FPCR and FPSR are read or written
  s.fpcr = fpcr;
  s.fpsr = 0;
  uint64_t r = bySize(bits, [&](auto t) -> uint64_t {
    using T = decltype(t);
    switch (FpOp(op)) {
    case FpOp::Add: return arithSlow<T>(&s, a, b, fpAdd);
    case FpOp::Sub: return arithSlow<T>(&s, a, b, fpSub);
    case FpOp::Mul: return arithSlow<T>(&s, a, b, fpMul);
    case FpOp::Div: return arithSlow<T>(&s, a, b, fpDiv);
    case FpOp::MulAdd: return mulAddSlow<T>(&s, a, b, c);
    default: return squareRootSlow<T>(&s, a);
    }
  });
  return {r, s.fpsr};
}
#endif
