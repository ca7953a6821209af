// A64 scalar FP that needs no rounding: moves between registers, to and
// from general registers and of immediates, absolute value and negation,
// conditional selects and compares. A scalar write clears the rest of its
// V register. Only the compares raise exceptions: Invalid Operation for a
// signalling NaN (or any NaN in fcmpe and fccmpe), Input Denormal where
// FPCR.FZ flushes an operand to zero.
#include "lifter/aarch64/sem/sem.h"

#include <cstring>

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

// FPCR and FPSR bits.
constexpr uint32_t kFpcrFz = 1u << 24;
constexpr uint32_t kFpsrIoc = 1u << 0, kFpsrIdc = 1u << 7;

// The low 2^size bytes of V register r (size 2 or 3).
uint64_t fpBits(const A64State *s, unsigned r, unsigned size) {
  return s->v[r][0] & ones(8u << size);
}
void setFp(A64State *s, unsigned r, uint64_t v, unsigned size) {
  s->v[r][0] = v & ones(8u << size);
  s->v[r][1] = 0;
}

struct FpClass {
  bool nan, snan;
  double value; // when not a NaN; exact for singles too
};

// The operand as FPUnpack sees it: a denormal is zero (and Input Denormal
// raised) when FPCR.FZ is set.
FpClass unpack(A64State *s, uint64_t bits, unsigned size) {
  bool single = size == 2;
  unsigned expBits = single ? 8 : 11, fracBits = single ? 23 : 52;
  uint64_t exp = (bits >> fracBits) & ones(expBits), frac = bits & ones(fracBits);
  bool sign = (bits >> (expBits + fracBits)) & 1;
  if (exp == ones(expBits) && frac)
    return {true, !((frac >> (fracBits - 1)) & 1), 0};
  if (exp == 0 && frac && (s->fpcr & kFpcrFz)) {
    s->fpsr |= kFpsrIdc;
    return {false, false, sign ? -0.0 : 0.0};
  }
  if (single) {
    float f;
    uint32_t b = uint32_t(bits);
    memcpy(&f, &b, 4);
    return {false, false, f};
  }
  double d;
  memcpy(&d, &bits, 8);
  return {false, false, d};
}

// FPCompare: NZCV, and the exceptions, of comparing Vn with Vm or +0.0.
// imms bit 0: against zero; bit 1: signalling (fcmpe, fccmpe).
void compare(A64State *s, const Insn *i) {
  FpClass a = unpack(s, fpBits(s, i->rn, i->size), i->size);
  FpClass b = (i->imms & 1) ? FpClass{false, false, 0.0}
                            : unpack(s, fpBits(s, i->rm, i->size), i->size);
  if (a.nan || b.nan) {
    if (a.snan || b.snan || (i->imms & 2))
      s->fpsr |= kFpsrIoc;
    s->setNzcv(kFlagC | kFlagV);
  } else if (a.value == b.value) {
    s->setNzcv(kFlagZ | kFlagC);
  } else if (a.value < b.value) {
    s->setNzcv(kFlagN);
  } else {
    s->setNzcv(kFlagC);
  }
}

} // namespace

SEM(FMOV_R) { setFp(s, i->rd, fpBits(s, i->rn, i->size), i->size); }

// size 2: W from S; 3: X from D; 4: X from the upper half of V.
SEM(FMOV_TO_GP) {
  uint64_t v = i->size == 4 ? s->v[i->rn][1] : fpBits(s, i->rn, i->size);
  setX(s, i->rd, v);
}
// The other way; the upper half alone leaves the lower one.
SEM(FMOV_FROM_GP) {
  uint64_t v = X(s, i->rn);
  if (i->size == 4)
    s->v[i->rd][1] = v;
  else
    setFp(s, i->rd, v, i->size);
}

SEM(FMOV_IMM) { setFp(s, i->rd, uint64_t(i->imm), i->size); }

SEM(FCSEL) {
  unsigned r = conditionHolds(i->cond, s) ? i->rn : i->rm;
  setFp(s, i->rd, fpBits(s, r, i->size), i->size);
}

SEM(FCMP) { compare(s, i); }
SEM(FCCMP) {
  if (conditionHolds(i->cond, s))
    compare(s, i);
  else
    s->setNzcv(uint32_t(i->nzcv) << 28);
}
