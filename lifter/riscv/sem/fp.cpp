// F and D extensions: loads/stores, arithmetic, sign injection, min/max,
// comparisons, classification and moves. Conversions are in fp_cvt.cpp.
//
// Arithmetic is ordinary C++ compiled with -ffp-model=strict: the host
// computes in the guest's rounding mode (MXCSR.RC) and accrues the guest's
// flags in MXCSR. See fp.h for rounding-mode selection and RMM.
#include "lifter/riscv/sem/fp.h"

using namespace xlat::rv;
using namespace xlat::rv::sem;
using namespace xlat::rv::fp;

namespace {

inline uint64_t ea(const RvState *s, const Insn *i) { return X(s, i->rs1) + imm(i); }

template <class T> inline T asFloat(UOf<T> b) { return std::bit_cast<T>(b); }

template <class T> inline T fmaHost(T a, T b, T c) {
  if constexpr (sizeof(T) == 4)
    return __builtin_fmaf(a, b, c);
  else
    return __builtin_fma(a, b, c);
}

template <class T> inline T sqrtHost(T a) {
  if constexpr (sizeof(T) == 4)
    return __builtin_elementwise_sqrt(a); // no errno, so no libm call
  else
    return __builtin_elementwise_sqrt(a);
}

enum class BinOp { Add, Sub, Mul, Div };

template <class T, BinOp Op> void binary(RvState *s, const Insn *i) {
  uint32_t rm;
  if (!resolveRm(s, i, rm))
    return;
  UOf<T> a = getBits<T>(s, i->rs1), b = getBits<T>(s, i->rs2);
  auto op = [a, b] {
    T x = asFloat<T>(a), y = asFloat<T>(b);
    switch (Op) {
    case BinOp::Add: return x + y;
    case BinOp::Sub: return x - y;
    case BinOp::Mul: return x * y;
    case BinOp::Div: return x / y;
    }
  };
  constexpr Soft kind = Op == BinOp::Mul   ? Soft::Mul
                        : Op == BinOp::Div ? Soft::Div
                                           : Soft::Add;
  UOf<T> softB = Op == BinOp::Sub ? b ^ kSign<T> : b;
  setResult<T>(s, i->rd, rounded<T>(i, rm, op, kind, a, softB));
}

template <class T> void squareRoot(RvState *s, const Insn *i) {
  uint32_t rm;
  if (!resolveRm(s, i, rm))
    return;
  UOf<T> a = getBits<T>(s, i->rs1);
  auto op = [a] { return sqrtHost<T>(asFloat<T>(a)); };
  setResult<T>(s, i->rd, rounded<T>(i, rm, op, Soft::None, a));
}

// rd = (negProd ? -(a*b) : a*b) + (negAdd ? -c : c), rounded once.
template <class T, bool NegProd, bool NegAdd> void fused(RvState *s, const Insn *i) {
  uint32_t rm;
  if (!resolveRm(s, i, rm))
    return;
  UOf<T> a = getBits<T>(s, i->rs1), b = getBits<T>(s, i->rs2),
         c = getBits<T>(s, i->rs3);
  UOf<T> na = NegProd ? a ^ kSign<T> : a, nc = NegAdd ? c ^ kSign<T> : c;
  auto op = [na, b, nc] {
    return fmaHost<T>(asFloat<T>(na), asFloat<T>(b), asFloat<T>(nc));
  };
  T r = rounded<T>(i, rm, op, Soft::Fma, na, b, nc);
  // RISC-V raises NV for inf * 0 even when the addend is a quiet NaN; the
  // host does not.
  if (isNaN<T>(std::bit_cast<UOf<T>>(r)) && isQNaN<T>(c) &&
      ((isInf<T>(a) && isZero<T>(b)) || (isZero<T>(a) && isInf<T>(b))))
    fenv::raiseFlags(s, kFlagNV);
  setResult<T>(s, i->rd, r);
}

enum class Sgn { J, N, X };

template <class T, Sgn K> void signInject(RvState *s, const Insn *i) {
  UOf<T> a = getBits<T>(s, i->rs1), b = getBits<T>(s, i->rs2);
  UOf<T> sign = K == Sgn::J   ? b & kSign<T>
                : K == Sgn::N ? ~b & kSign<T>
                              : (a ^ b) & kSign<T>;
  setBits<T>(s, i->rd, (a & ~kSign<T>) | sign);
}

// A total order key for non-NaN values in which -0 < +0.
template <class T> inline UOf<T> orderKey(UOf<T> b) {
  return (b & kSign<T>) ? ~b : b | kSign<T>;
}

// IEEE 754-2019 minimumNumber / maximumNumber.
template <class T, bool Max> void minMax(RvState *s, const Insn *i) {
  UOf<T> a = getBits<T>(s, i->rs1), b = getBits<T>(s, i->rs2);
  if (isSNaN<T>(a) || isSNaN<T>(b))
    fenv::raiseFlags(s, kFlagNV);
  bool an = isNaN<T>(a), bn = isNaN<T>(b);
  UOf<T> r;
  if (an && bn)
    r = Fmt<T>::kCanonNaN;
  else if (an)
    r = b;
  else if (bn)
    r = a;
  else
    r = (orderKey<T>(a) < orderKey<T>(b)) != Max ? a : b;
  setBits<T>(s, i->rd, r);
}

// Host compares: == is quiet (ucomis: NV only for sNaN), < and <= are
// signaling (comis: NV for any NaN), as RISC-V specifies.
enum class Cmp { Eq, Lt, Le };

template <class T, Cmp K> void compare(RvState *s, const Insn *i) {
  UOf<T> ba = getBits<T>(s, i->rs1), bb = getBits<T>(s, i->rs2);
  if (i->fused & kSoftFpFlags) {
    // Between frflags and fsflags (InsnFused): a NaN's NV in software, so
    // that the host's flags stay as frflags read them; a compare of other
    // values raises nothing.
    if (isNaN<T>(ba) || isNaN<T>(bb)) {
      if (K != Cmp::Eq || isSNaN<T>(ba) || isSNaN<T>(bb))
        fenv::raiseFlags(s, kFlagNV);
      setX(s, i->rd, 0);
      return;
    }
  }
  T a = asFloat<T>(ba), b = asFloat<T>(bb);
  bool r;
  if constexpr (K == Cmp::Eq)
    r = a == b;
  else if constexpr (K == Cmp::Lt)
    r = a < b;
  else
    r = a <= b;
  setX(s, i->rd, r);
}

template <class T> uint64_t classify(UOf<T> b) {
  bool neg = b & kSign<T>;
  UOf<T> mag = b & ~kSign<T>;
  if (isNaN<T>(b))
    return (b & kQuiet<T>) ? 1u << 9 : 1u << 8;
  if (mag == Fmt<T>::kExpMask)
    return neg ? 1u << 0 : 1u << 7;
  if (mag == 0)
    return neg ? 1u << 3 : 1u << 4;
  if (biasedExp<T>(b) == 0)
    return neg ? 1u << 2 : 1u << 5;
  return neg ? 1u << 1 : 1u << 6;
}

} // namespace

// Loads and stores move bits unchanged; a loaded single is NaN-boxed.
SEM(FLW) { setBits<float>(s, i->rd, xlat_ld32(s, ea(s, i))); }
SEM(FLD) { setBits<double>(s, i->rd, xlat_ld64(s, ea(s, i))); }
SEM(FSW) { xlat_st32(s, ea(s, i), (uint32_t)s->f[i->rs2]); }
SEM(FSD) { xlat_st64(s, ea(s, i), s->f[i->rs2]); }

SEM(FADD_S) { binary<float, BinOp::Add>(s, i); }
SEM(FSUB_S) { binary<float, BinOp::Sub>(s, i); }
SEM(FMUL_S) { binary<float, BinOp::Mul>(s, i); }
SEM(FDIV_S) { binary<float, BinOp::Div>(s, i); }
SEM(FSQRT_S) { squareRoot<float>(s, i); }
SEM(FADD_D) { binary<double, BinOp::Add>(s, i); }
SEM(FSUB_D) { binary<double, BinOp::Sub>(s, i); }
SEM(FMUL_D) { binary<double, BinOp::Mul>(s, i); }
SEM(FDIV_D) { binary<double, BinOp::Div>(s, i); }
SEM(FSQRT_D) { squareRoot<double>(s, i); }

SEM(FMADD_S) { fused<float, false, false>(s, i); }
SEM(FMSUB_S) { fused<float, false, true>(s, i); }
SEM(FNMSUB_S) { fused<float, true, false>(s, i); }
SEM(FNMADD_S) { fused<float, true, true>(s, i); }
SEM(FMADD_D) { fused<double, false, false>(s, i); }
SEM(FMSUB_D) { fused<double, false, true>(s, i); }
SEM(FNMSUB_D) { fused<double, true, false>(s, i); }
SEM(FNMADD_D) { fused<double, true, true>(s, i); }

SEM(FSGNJ_S) { signInject<float, Sgn::J>(s, i); }
SEM(FSGNJN_S) { signInject<float, Sgn::N>(s, i); }
SEM(FSGNJX_S) { signInject<float, Sgn::X>(s, i); }
SEM(FSGNJ_D) { signInject<double, Sgn::J>(s, i); }
SEM(FSGNJN_D) { signInject<double, Sgn::N>(s, i); }
SEM(FSGNJX_D) { signInject<double, Sgn::X>(s, i); }

SEM(FMIN_S) { minMax<float, false>(s, i); }
SEM(FMAX_S) { minMax<float, true>(s, i); }
SEM(FMIN_D) { minMax<double, false>(s, i); }
SEM(FMAX_D) { minMax<double, true>(s, i); }

SEM(FEQ_S) { compare<float, Cmp::Eq>(s, i); }
SEM(FLT_S) { compare<float, Cmp::Lt>(s, i); }
SEM(FLE_S) { compare<float, Cmp::Le>(s, i); }
SEM(FEQ_D) { compare<double, Cmp::Eq>(s, i); }
SEM(FLT_D) { compare<double, Cmp::Lt>(s, i); }
SEM(FLE_D) { compare<double, Cmp::Le>(s, i); }

SEM(FCLASS_S) { setX(s, i->rd, classify<float>(getBits<float>(s, i->rs1))); }
SEM(FCLASS_D) { setX(s, i->rd, classify<double>(getBits<double>(s, i->rs1))); }

// Moves transfer bits unchanged: fmv.x.w takes the low 32 bits whatever the
// boxing, and sign-extends them.
SEM(FMV_X_W) { setX(s, i->rd, sext32(s->f[i->rs1])); }
SEM(FMV_W_X) { setBits<float>(s, i->rd, (uint32_t)X(s, i->rs1)); }
SEM(FMV_X_D) { setX(s, i->rd, s->f[i->rs1]); }
SEM(FMV_D_X) { setBits<double>(s, i->rd, X(s, i->rs1)); }
