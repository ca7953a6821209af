// Helpers of the F and D semantics: register access with NaN-boxing,
// classification by bit tests, and rounding-mode selection on the host MXCSR.
//
// The guest FP environment lives in MXCSR (see fenv.h): MXCSR.RC holds frm and
// the host accrues IEEE flags there. So the common path of an instruction
// with rm = dyn is a plain host operation. A static rm switches RC around the
// operation. RMM has no host equivalent: the host computes under RNE, which
// gives the right flags and the right result except on exact ties, and
// softRmm (fp_soft.cpp) recomputes the result bits when the host reports an
// inexact finite result.
//
// Helper logic classifies values with integer bit tests only, so that it never
// raises host flags of its own.
#pragma once

#include "lifter/riscv/sem/fenv.h"
#include "lifter/riscv/sem/sem.h"

#include <bit>
#include <cstdint>

#ifdef XLAT_SEMANTICS_BITCODE
// See canonicalBits.
extern "C" [[gnu::const]] uint32_t xlat_nan_canon32(float v);
extern "C" [[gnu::const]] uint64_t xlat_nan_canon64(double v);
#endif

namespace xlat::rv::fp {

template <class T> struct Fmt;
template <> struct Fmt<float> {
  using U = uint32_t;
  static constexpr int kMant = 23;
  static constexpr int kBias = 127;
  static constexpr U kExpMask = 0x7f800000u;
  static constexpr U kCanonNaN = 0x7fc00000u;
};
template <> struct Fmt<double> {
  using U = uint64_t;
  static constexpr int kMant = 52;
  static constexpr int kBias = 1023;
  static constexpr U kExpMask = 0x7ff0000000000000ull;
  static constexpr U kCanonNaN = 0x7ff8000000000000ull;
};
template <class T> using UOf = typename Fmt<T>::U;
template <class T> constexpr UOf<T> kSign = UOf<T>(1) << (sizeof(T) * 8 - 1);
template <class T> constexpr UOf<T> kQuiet = UOf<T>(1) << (Fmt<T>::kMant - 1);

template <class T> inline bool isNaN(UOf<T> b) {
  return (b & ~kSign<T>) > Fmt<T>::kExpMask;
}
template <class T> inline bool isSNaN(UOf<T> b) {
  return isNaN<T>(b) && !(b & kQuiet<T>);
}
template <class T> inline bool isQNaN(UOf<T> b) {
  return isNaN<T>(b) && (b & kQuiet<T>);
}
template <class T> inline bool isInf(UOf<T> b) {
  return (b & ~kSign<T>) == Fmt<T>::kExpMask;
}
template <class T> inline bool isZero(UOf<T> b) { return (b & ~kSign<T>) == 0; }
template <class T> inline int biasedExp(UOf<T> b) {
  return (int)((b & Fmt<T>::kExpMask) >> Fmt<T>::kMant);
}

// --- Register access ------------------------------------------------------

constexpr uint64_t kBoxHigh = 0xffffffff00000000ull;

// Operand bits; a single that is not NaN-boxed reads as the canonical NaN.
template <class T> inline UOf<T> getBits(const RvState *s, unsigned r) {
  if constexpr (sizeof(T) == 4)
    return (s->f[r] & kBoxHigh) == kBoxHigh ? (uint32_t)s->f[r]
                                            : Fmt<float>::kCanonNaN;
  else
    return s->f[r];
}
template <class T> inline void setBits(RvState *s, unsigned r, UOf<T> v) {
  if constexpr (sizeof(T) == 4)
    s->f[r] = kBoxHigh | v;
  else
    s->f[r] = v;
}
// An arithmetic result: any NaN becomes the canonical NaN. In the bitcode
// this is a call the LLVM tiers lower themselves (lifter/core/nan_canon.h):
// they canonicalise only where the bits can be seen, not where the value
// only feeds more arithmetic.
template <class T> inline UOf<T> canonicalBits(T v) {
#ifdef XLAT_SEMANTICS_BITCODE
  if constexpr (sizeof(T) == 4)
    return xlat_nan_canon32(v);
  else
    return xlat_nan_canon64(v);
#else
  UOf<T> b = std::bit_cast<UOf<T>>(v);
  return isNaN<T>(b) ? Fmt<T>::kCanonNaN : b;
#endif
}
template <class T> inline void setResult(RvState *s, unsigned r, T v) {
  setBits<T>(s, r, canonicalBits<T>(v));
}

// --- MXCSR ------------------------------------------------------------------
constexpr uint32_t kHostPE = 0x20;
constexpr uint32_t kHostOE = 0x08;

using fenv::readCsr;
using fenv::writeCsr;

// Runs op with MXCSR.RC set for the static rounding mode rm (not RMM).
template <class Op> inline auto withRc(uint32_t rm, Op op) {
  uint32_t csr = readCsr();
  uint32_t want = fenv::rcBits(rm);
  if ((csr & fenv::kMxcsrRcMask) == want)
    return op();
  writeCsr((csr & ~fenv::kMxcsrRcMask) | want);
  auto r = op();
  // Re-read: keep the flags the operation accrued.
  writeCsr((readCsr() & ~fenv::kMxcsrRcMask) | (csr & fenv::kMxcsrRcMask));
  return r;
}

// The effective rounding mode of an instruction with an rm field. Returns
// false after trapping when rm is dynamic and frm holds a reserved value.
inline bool resolveRm(RvState *s, const Insn *i, uint32_t &rm) {
  rm = i->rm;
  if (rm != kRDyn)
    return true;
  rm = s->frm;
  if (rm <= kRMM)
    return true;
  sem::trap(s, i, kExitIllegal);
  return false;
}

// --- RMM ------------------------------------------------------------------

// What softRmm recomputes; operands are raw bits (or integers), with any
// negation of the instruction already applied to the sign bits.
enum class Soft : uint32_t {
  None,    // no tie is possible (sqrt): the RNE result is the RMM result
  Add,     // a + b
  Mul,     // a * b
  Div,     // a / b
  Fma,     // a * b + c, one rounding
  FromI64, // (int64_t)a
  FromU64, // (uint64_t)a
  Narrow,  // double a to single
};

// RMM result bits of an operation whose RNE result was finite and inexact.
uint32_t softRmm32(Soft op, uint64_t a, uint64_t b, uint64_t c);
uint64_t softRmm64(Soft op, uint64_t a, uint64_t b, uint64_t c);

template <class T, class Op>
[[gnu::noinline]] T rmmSlow(Op op, Soft kind, uint64_t a, uint64_t b,
                           uint64_t c) {
  uint32_t csr = readCsr();
  writeCsr(csr & ~(fenv::kMxcsrRcMask | fenv::kMxcsrFlags));
  T r = op();
  uint32_t flags = readCsr() & fenv::kMxcsrFlags;
  // RNE and RMM raise the same flags and differ only on exact ties, which
  // leave the result inexact and, at the overflow boundary, overflow both.
  if (kind != Soft::None && (flags & (kHostPE | kHostOE)) == kHostPE) {
    if constexpr (sizeof(T) == 4)
      r = std::bit_cast<float>(softRmm32(kind, a, b, c));
    else
      r = std::bit_cast<double>(softRmm64(kind, a, b, c));
  }
  writeCsr(csr | flags);
  return r;
}

// Computes op() rounded per the resolved mode rm of instruction i.
template <class T, class Op>
inline T rounded(const Insn *i, uint32_t rm, Op op, Soft kind, uint64_t a,
                 uint64_t b = 0, uint64_t c = 0) {
  if (rm == kRMM)
    return rmmSlow<T>(op, kind, a, b, c);
  if (i->rm == kRDyn)
    return op(); // MXCSR.RC already holds frm
  return withRc(rm, op);
}

} // namespace xlat::rv::fp
