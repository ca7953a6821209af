// AdvSIMD integer and bitwise operations, written as the Arm ARM's
// pseudocode writes them: a loop over the lanes of an arrangement, with
// the arithmetic done in a wide integer and then truncated or saturated.
// The lane loops run over constants once the lifter has materialised the
// instruction's fields, so LLVM can turn them into host vector code.
#include "lifter/aarch64/sem/simd.h"

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

// d[k] = f(n[k], m[k], d[k], bits) for each lane of the arrangement.
template <typename F> void lanewise(A64State *s, const Insn *i, const Vec &n, const Vec &m, F f) {
  unsigned bits = laneBits(i);
  Vec d = vreg(s, i->rd), r{};
  for (unsigned k = 0; k < lanes(i); k++)
    setLane(r, bits, k, f(lane(n, bits, k), lane(m, bits, k), lane(d, bits, k), bits));
  setVreg(s, i->rd, r, fullWidth(i));
}
template <typename F> void same(A64State *s, const Insn *i, F f) {
  lanewise(s, i, vreg(s, i->rn), vreg(s, i->rm), f);
}
// One source: d[k] = f(n[k], d[k], bits).
template <typename F> void unary(A64State *s, const Insn *i, F f) {
  lanewise(s, i, vreg(s, i->rn), Vec{}, [&](uint64_t a, uint64_t, uint64_t d, unsigned b) {
    return f(a, d, b);
  });
}

uint64_t mask(bool c) { return c ? ~uint64_t(0) : 0; }

// A lane shifted left by sh (right when negative), in unbounded integer
// arithmetic as the Arm ARM's shifts by register are, rounding the right
// shifts when asked. Shifts of 64 or more bits give a value no lane holds
// (so that it truncates to zero and saturates).
i128 shiftBy(i128 v, int sh, bool round) {
  if (sh >= 0) {
    if (v == 0)
      return 0;
    if (sh >= 64)
      return v > 0 ? i128(1) << 100 : -(i128(1) << 100);
    return v * (i128(1) << sh);
  }
  int r = -sh > 100 ? 100 : -sh;
  if (round)
    v += i128(1) << (r - 1);
  return v >> r;
}

// The shifts by register: by the signed low byte of each lane of Rm.
template <bool Signed, bool Round, bool Saturate> void shiftByRegister(A64State *s, const Insn *i) {
  same(s, i, [s](uint64_t a, uint64_t b, uint64_t, unsigned bits) {
    i128 v = Signed ? i128(sext(a, bits)) : i128(a);
    v = shiftBy(v, int(sext(b & 0xff, 8)), Round);
    if (!Saturate)
      return uint64_t(v) & ones(bits);
    return Signed ? saturateSigned(s, v, bits) : saturateUnsigned(s, v, bits);
  });
}

i128 signedOrNot(uint64_t v, unsigned bits, bool isSigned) {
  return isSigned ? i128(sext(v, bits)) : i128(v);
}

// Pairwise: lane k of the result combines lanes 2k and 2k+1 of Rn:Rm
// (Rn's lanes first).
template <typename F> void pairwise(A64State *s, const Insn *i, F f) {
  unsigned bits = laneBits(i), n = lanes(i);
  Vec a = vreg(s, i->rn), b = vreg(s, i->rm), r{};
  auto x = [&](unsigned k) { return k < n ? lane(a, bits, k) : lane(b, bits, k - n); };
  for (unsigned k = 0; k < n; k++)
    setLane(r, bits, k, f(x(2 * k), x(2 * k + 1), bits) & ones(bits));
  setVreg(s, i->rd, r, fullWidth(i));
}

template <typename F> void across(A64State *s, const Insn *i, unsigned resultBits, F f) {
  unsigned bits = laneBits(i);
  Vec n = vreg(s, i->rn), r{};
  uint64_t acc = lane(n, bits, 0);
  for (unsigned k = 1; k < lanes(i); k++)
    acc = f(acc, lane(n, bits, k), bits);
  setLane(r, resultBits, 0, acc & ones(resultBits));
  setVreg(s, i->rd, r, false);
}

// The half of a register that a lengthening operation reads: the low 64
// bits, or the high ones for the "2" forms (Q).
Vec sourceHalf(const Insn *i, const Vec &v) { return {{v.d[i->q && !i->scalar ? 1 : 0], 0}}; }

// Lengthening: lanes of 2 x bits from narrow lanes of Rn (the half Q
// picks) and wide or narrow lanes of Rm; a scalar form has one lane.
template <typename F>
void widening(A64State *s, const Insn *i, bool wideN, const Vec &m0, F f) {
  unsigned bits = laneBits(i), n = i->scalar ? 1 : 64 / bits;
  Vec a = vreg(s, i->rn), d = vreg(s, i->rd), r{};
  Vec narrowN = sourceHalf(i, a), m = sourceHalf(i, m0);
  for (unsigned k = 0; k < n; k++) {
    uint64_t x = wideN ? lane(a, 2 * bits, k) : lane(narrowN, bits, k);
    setLane(r, 2 * bits, k, f(x, lane(m, bits, k), lane(d, 2 * bits, k), bits));
  }
  setVreg(s, i->rd, r, !i->scalar);
}

// Narrowing: narrow lanes from wide ones, into the low half of Rd (the
// rest cleared) or, for the "2" forms, its high half (the low half kept).
template <typename F> void narrowing(A64State *s, const Insn *i, F f) {
  unsigned bits = laneBits(i), n = i->scalar ? 1 : 64 / bits;
  Vec a = vreg(s, i->rn), b = vreg(s, i->rm);
  Vec r{};
  for (unsigned k = 0; k < n; k++)
    setLane(r, bits, k, f(lane(a, 2 * bits, k), lane(b, 2 * bits, k), bits) & ones(bits));
  if (i->q && !i->scalar)
    s->v[i->rd][1] = r.d[0];
  else
    setVreg(s, i->rd, r, false);
}

uint64_t absDiff(uint64_t a, uint64_t b, unsigned bits, bool isSigned) {
  i128 x = signedOrNot(a, bits, isSigned), y = signedOrNot(b, bits, isSigned);
  return uint64_t(x > y ? x - y : y - x);
}

// Polynomial (carry-less) multiplication of two bytes.
uint64_t polyMul(uint64_t a, uint64_t b, unsigned bits) {
  uint64_t r = 0;
  for (unsigned k = 0; k < bits; k++)
    if ((b >> k) & 1)
      r ^= a << k;
  return r;
}

// Saturating doubling multiplies (sqdmulh, sqrdmulh, sqdmull and its
// accumulating forms).
uint64_t doublingMulHigh(A64State *s, uint64_t a, uint64_t b, unsigned bits, bool round) {
  i128 p = 2 * i128(sext(a, bits)) * i128(sext(b, bits));
  if (round)
    p += i128(1) << (bits - 1);
  return saturateSigned(s, p >> bits, bits);
}
uint64_t doublingMulLong(A64State *s, uint64_t a, uint64_t b, unsigned bits) {
  return saturateSigned(s, 2 * i128(sext(a, bits)) * i128(sext(b, bits)), 2 * bits);
}

// Lane `index` of Rm in every lane: the second operand of a by-element
// operation.
Vec broadcastElement(const A64State *s, const Insn *i) {
  unsigned bits = laneBits(i);
  uint64_t e = lane(vreg(s, i->rm), bits, i->imms);
  Vec r{};
  for (unsigned k = 0; k < 128 / bits; k++)
    setLane(r, bits, k, e);
  return r;
}

// Shifts by an immediate (Insn::imm: right for the right shifts).
template <bool Signed, bool Round, bool Accumulate> void shiftRight(A64State *s, const Insn *i) {
  int sh = int(i->imm);
  unary(s, i, [=](uint64_t a, uint64_t d, unsigned bits) {
    i128 v = shiftBy(signedOrNot(a, bits, Signed), -sh, Round);
    return (uint64_t(v) + (Accumulate ? d : 0)) & ones(bits);
  });
}

// The narrowing right shifts: wide lanes of Rn, shifted and rounded, then
// truncated (Sat 0) or saturated (1 signed to signed or unsigned to
// unsigned as Signed says; 2 signed to unsigned).
template <bool Signed, bool Round, int Sat> void shiftRightNarrow(A64State *s, const Insn *i) {
  int sh = int(i->imm);
  narrowing(s, i, [=](uint64_t a, uint64_t, unsigned bits) {
    i128 v = shiftBy(signedOrNot(a, 2 * bits, Signed), -sh, Round);
    if (Sat == 0)
      return uint64_t(v);
    if (Sat == 1 && Signed)
      return saturateSigned(s, v, bits);
    return saturateUnsigned(s, v, bits);
  });
}

// Saturating left shifts by an immediate: sqshl (signed), uqshl
// (unsigned), sqshlu (signed to unsigned).
template <bool SignedIn, bool SignedOut> void shiftLeftSaturating(A64State *s, const Insn *i) {
  int sh = int(i->imm);
  unary(s, i, [=](uint64_t a, uint64_t, unsigned bits) {
    i128 v = signedOrNot(a, bits, SignedIn) * (i128(1) << sh);
    return SignedOut ? saturateSigned(s, v, bits) : saturateUnsigned(s, v, bits);
  });
}

// Narrowing moves: truncate (xtn) or saturate.
template <bool SignedIn, bool SignedOut, bool Saturate> void extractNarrow(A64State *s, const Insn *i) {
  narrowing(s, i, [=](uint64_t a, uint64_t, unsigned bits) {
    i128 v = signedOrNot(a, 2 * bits, SignedIn);
    if (!Saturate)
      return uint64_t(v);
    return SignedOut ? saturateSigned(s, v, bits) : saturateUnsigned(s, v, bits);
  });
}

// Reverses the order of lanes within each `container` bits.
void reverseIn(A64State *s, const Insn *i, unsigned container) {
  unsigned bits = laneBits(i), group = container / bits;
  Vec n = vreg(s, i->rn), r{};
  for (unsigned k = 0; k < lanes(i); k++)
    setLane(r, bits, k ^ (group - 1), lane(n, bits, k));
  setVreg(s, i->rd, r, fullWidth(i));
}

// Adds adjacent pairs of lanes into lanes twice as wide (and to Rd's).
void addLongPairwise(A64State *s, const Insn *i, bool isSigned, bool accumulate) {
  unsigned bits = laneBits(i), n = lanes(i) / 2;
  Vec a = vreg(s, i->rn), d = vreg(s, i->rd), r{};
  for (unsigned k = 0; k < n; k++) {
    i128 sum = signedOrNot(lane(a, bits, 2 * k), bits, isSigned) +
               signedOrNot(lane(a, bits, 2 * k + 1), bits, isSigned);
    setLane(r, 2 * bits, k, uint64_t(sum) + (accumulate ? lane(d, 2 * bits, k) : 0));
  }
  setVreg(s, i->rd, r, i->q);
}

// The permutes: lane k of the result is lane pick(k) of Rn:Rm.
template <typename Pick> void permute(A64State *s, const Insn *i, Pick pick) {
  unsigned bits = laneBits(i), n = lanes(i);
  Vec a = vreg(s, i->rn), b = vreg(s, i->rm), r{};
  for (unsigned k = 0; k < n; k++) {
    unsigned from = pick(k, n);
    setLane(r, bits, k, from < n ? lane(a, bits, from) : lane(b, bits, from - n));
  }
  setVreg(s, i->rd, r, fullWidth(i));
}

void tableLookup(A64State *s, const Insn *i, bool extend) {
  uint8_t table[64];
  // Unrolled to the most registers there can be, each guarded: a register
  // number that a loop indexes keeps the lifter from holding the V
  // registers in a local copy (syncLocalState), in every region this
  // instruction is in; unrolled, each is a constant once Insn is folded.
#pragma clang loop unroll(full)
  for (unsigned t = 0; t < 4; t++) {
    if (t >= i->ra)
      break;
    Vec v = vreg(s, i->rn + t);
    for (unsigned b = 0; b < 16; b++)
      table[16 * t + b] = uint8_t(lane(v, 8, b));
  }
  Vec idx = vreg(s, i->rm), d = vreg(s, i->rd), r{};
  for (unsigned k = 0; k < (i->q ? 16u : 8u); k++) {
    uint64_t x = lane(idx, 8, k);
    setLane(r, 8, k, x < 16u * i->ra ? table[x] : extend ? lane(d, 8, k) : 0);
  }
  setVreg(s, i->rd, r, i->q);
}

} // namespace

// --- Three registers of the same arrangement ----------------------------------

SEM(SHADD) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return uint64_t((i128(sext(a, w)) + sext(b, w)) >> 1); }); }
SEM(UHADD) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return uint64_t((i128(a) + b) >> 1); }); }
SEM(SRHADD) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return uint64_t((i128(sext(a, w)) + sext(b, w) + 1) >> 1); }); }
SEM(URHADD) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return uint64_t((i128(a) + b + 1) >> 1); }); }
SEM(SHSUB) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return uint64_t((i128(sext(a, w)) - sext(b, w)) >> 1); }); }
SEM(UHSUB) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return uint64_t((i128(a) - i128(b)) >> 1); }); }
SEM(SQADD) { same(s, i, [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return saturateSigned(s, i128(sext(a, w)) + sext(b, w), w); }); }
SEM(UQADD) { same(s, i, [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return saturateUnsigned(s, i128(a) + b, w); }); }
SEM(SQSUB) { same(s, i, [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return saturateSigned(s, i128(sext(a, w)) - sext(b, w), w); }); }
SEM(UQSUB) { same(s, i, [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return saturateUnsigned(s, i128(a) - i128(b), w); }); }
SEM(CMGT) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return mask(sext(a, w) > sext(b, w)); }); }
SEM(CMGE) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return mask(sext(a, w) >= sext(b, w)); }); }
SEM(CMHI) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return mask(a > b); }); }
SEM(CMHS) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return mask(a >= b); }); }
SEM(CMEQ) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return mask(a == b); }); }
SEM(CMTST) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return mask(a & b); }); }
SEM(SSHL) { shiftByRegister<true, false, false>(s, i); }
SEM(USHL) { shiftByRegister<false, false, false>(s, i); }
SEM(SRSHL) { shiftByRegister<true, true, false>(s, i); }
SEM(URSHL) { shiftByRegister<false, true, false>(s, i); }
SEM(SQSHL) { shiftByRegister<true, false, true>(s, i); }
SEM(UQSHL) { shiftByRegister<false, false, true>(s, i); }
SEM(SQRSHL) { shiftByRegister<true, true, true>(s, i); }
SEM(UQRSHL) { shiftByRegister<false, true, true>(s, i); }
SEM(SMAX) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return sext(a, w) > sext(b, w) ? a : b; }); }
SEM(UMAX) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a > b ? a : b; }); }
SEM(SMIN) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return sext(a, w) < sext(b, w) ? a : b; }); }
SEM(UMIN) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a < b ? a : b; }); }
SEM(SABD) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return absDiff(a, b, w, true); }); }
SEM(UABD) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return absDiff(a, b, w, false); }); }
SEM(SABA) { same(s, i, [](uint64_t a, uint64_t b, uint64_t d, unsigned w) { return d + absDiff(a, b, w, true); }); }
SEM(UABA) { same(s, i, [](uint64_t a, uint64_t b, uint64_t d, unsigned w) { return d + absDiff(a, b, w, false); }); }
SEM(ADD_V) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a + b; }); }
SEM(SUB_V) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a - b; }); }
SEM(MLA) { same(s, i, [](uint64_t a, uint64_t b, uint64_t d, unsigned) { return d + a * b; }); }
SEM(MLS) { same(s, i, [](uint64_t a, uint64_t b, uint64_t d, unsigned) { return d - a * b; }); }
SEM(MUL) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a * b; }); }
SEM(PMUL) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned w) { return polyMul(a, b, w); }); }
SEM(SQDMULH) { same(s, i, [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return doublingMulHigh(s, a, b, w, false); }); }
SEM(SQRDMULH) { same(s, i, [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return doublingMulHigh(s, a, b, w, true); }); }
SEM(SMAXP) { pairwise(s, i, [](uint64_t a, uint64_t b, unsigned w) { return sext(a, w) > sext(b, w) ? a : b; }); }
SEM(UMAXP) { pairwise(s, i, [](uint64_t a, uint64_t b, unsigned) { return a > b ? a : b; }); }
SEM(SMINP) { pairwise(s, i, [](uint64_t a, uint64_t b, unsigned w) { return sext(a, w) < sext(b, w) ? a : b; }); }
SEM(UMINP) { pairwise(s, i, [](uint64_t a, uint64_t b, unsigned) { return a < b ? a : b; }); }
SEM(ADDP_V) {
  if (i->scalar) { // addp d, vn.2d
    setVreg(s, i->rd, Vec{{s->v[i->rn][0] + s->v[i->rn][1], 0}}, false);
    return;
  }
  pairwise(s, i, [](uint64_t a, uint64_t b, unsigned) { return a + b; });
}

SEM(AND_V) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a & b; }); }
SEM(BIC_V) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a & ~b; }); }
SEM(ORR_V) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a | b; }); }
SEM(ORN_V) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a | ~b; }); }
SEM(EOR_V) { same(s, i, [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a ^ b; }); }
SEM(BSL) { same(s, i, [](uint64_t a, uint64_t b, uint64_t d, unsigned) { return (d & a) | (~d & b); }); }
SEM(BIT) { same(s, i, [](uint64_t a, uint64_t b, uint64_t d, unsigned) { return (b & a) | (~b & d); }); }
SEM(BIF) { same(s, i, [](uint64_t a, uint64_t b, uint64_t d, unsigned) { return (~b & a) | (b & d); }); }

// --- Two registers ----------------------------------------------------------

SEM(REV64_V) { reverseIn(s, i, 64); }
SEM(REV32_V) { reverseIn(s, i, 32); }
SEM(REV16_V) { reverseIn(s, i, 16); }
SEM(SADDLP) { addLongPairwise(s, i, true, false); }
SEM(UADDLP) { addLongPairwise(s, i, false, false); }
SEM(SADALP) { addLongPairwise(s, i, true, true); }
SEM(UADALP) { addLongPairwise(s, i, false, true); }
SEM(SUQADD) { unary(s, i, [s](uint64_t a, uint64_t d, unsigned w) { return saturateSigned(s, i128(sext(d, w)) + a, w); }); }
SEM(USQADD) { unary(s, i, [s](uint64_t a, uint64_t d, unsigned w) { return saturateUnsigned(s, i128(d) + sext(a, w), w); }); }
SEM(CLS_V) {
  unary(s, i, [](uint64_t a, uint64_t, unsigned w) {
    uint64_t x = (a ^ (a >> 1)) & ones(w - 1); // bits that differ from the next higher
    return uint64_t(x ? w - 2 - (63 - __builtin_clzll(x)) : w - 1);
  });
}
SEM(CLZ_V) { unary(s, i, [](uint64_t a, uint64_t, unsigned w) { return uint64_t(a ? w - 1 - (63 - __builtin_clzll(a)) : w); }); }
SEM(CNT) { unary(s, i, [](uint64_t a, uint64_t, unsigned) { return uint64_t(__builtin_popcountll(a)); }); }
SEM(NOT_V) { unary(s, i, [](uint64_t a, uint64_t, unsigned) { return ~a; }); }
SEM(RBIT_V) {
  unary(s, i, [](uint64_t a, uint64_t, unsigned) {
    uint64_t r = 0;
    for (unsigned b = 0; b < 8; b++)
      r |= ((a >> b) & 1) << (7 - b);
    return r;
  });
}
SEM(SQABS) { unary(s, i, [s](uint64_t a, uint64_t, unsigned w) { i128 v = sext(a, w); return saturateSigned(s, v < 0 ? -v : v, w); }); }
SEM(SQNEG) { unary(s, i, [s](uint64_t a, uint64_t, unsigned w) { return saturateSigned(s, -i128(sext(a, w)), w); }); }
SEM(CMGT_Z) { unary(s, i, [](uint64_t a, uint64_t, unsigned w) { return mask(sext(a, w) > 0); }); }
SEM(CMGE_Z) { unary(s, i, [](uint64_t a, uint64_t, unsigned w) { return mask(sext(a, w) >= 0); }); }
SEM(CMEQ_Z) { unary(s, i, [](uint64_t a, uint64_t, unsigned) { return mask(a == 0); }); }
SEM(CMLE_Z) { unary(s, i, [](uint64_t a, uint64_t, unsigned w) { return mask(sext(a, w) <= 0); }); }
SEM(CMLT_Z) { unary(s, i, [](uint64_t a, uint64_t, unsigned w) { return mask(sext(a, w) < 0); }); }
SEM(ABS_V) { unary(s, i, [](uint64_t a, uint64_t, unsigned w) { return sext(a, w) < 0 ? -a : a; }); }
SEM(NEG_V) { unary(s, i, [](uint64_t a, uint64_t, unsigned) { return -a; }); }
SEM(XTN) { extractNarrow<false, false, false>(s, i); }
SEM(SQXTN) { extractNarrow<true, true, true>(s, i); }
SEM(UQXTN) { extractNarrow<false, false, true>(s, i); }
SEM(SQXTUN) { extractNarrow<true, false, true>(s, i); }
SEM(SHLL) { widening(s, i, false, Vec{}, [](uint64_t a, uint64_t, uint64_t, unsigned w) { return a << w; }); }

// --- Across lanes -------------------------------------------------------------

SEM(ADDV) { across(s, i, laneBits(i), [](uint64_t acc, uint64_t x, unsigned) { return acc + x; }); }
SEM(SADDLV) {
  unsigned bits = laneBits(i);
  Vec n = vreg(s, i->rn), r{};
  int64_t sum = 0;
  for (unsigned k = 0; k < lanes(i); k++)
    sum += sext(lane(n, bits, k), bits);
  setLane(r, 2 * bits, 0, uint64_t(sum));
  setVreg(s, i->rd, r, false);
}
SEM(UADDLV) { across(s, i, 2 * laneBits(i), [](uint64_t acc, uint64_t x, unsigned) { return acc + x; }); }
SEM(SMAXV) { across(s, i, laneBits(i), [](uint64_t acc, uint64_t x, unsigned w) { return sext(x, w) > sext(acc, w) ? x : acc; }); }
SEM(UMAXV) { across(s, i, laneBits(i), [](uint64_t acc, uint64_t x, unsigned) { return x > acc ? x : acc; }); }
SEM(SMINV) { across(s, i, laneBits(i), [](uint64_t acc, uint64_t x, unsigned w) { return sext(x, w) < sext(acc, w) ? x : acc; }); }
SEM(UMINV) { across(s, i, laneBits(i), [](uint64_t acc, uint64_t x, unsigned) { return x < acc ? x : acc; }); }

// --- Three registers, different widths -----------------------------------------

#define LONG(ID, WIDE_N, EXPR)                                                  \
  SEM(ID) {                                                                    \
    widening(s, i, WIDE_N, vreg(s, i->rm),                                     \
             [s](uint64_t a, uint64_t b, uint64_t d, unsigned w) {             \
               (void)s; (void)d;                                               \
               return uint64_t(EXPR);                                          \
             });                                                               \
  }
#define SA i128(sext(a, w))
#define SB i128(sext(b, w))
#define SAW i128(sext(a, 2 * w)) // a wide lane of Rn
LONG(SADDL, false, SA + SB)
LONG(UADDL, false, i128(a) + b)
LONG(SADDW, true, SAW + SB)
LONG(UADDW, true, i128(a) + b)
LONG(SSUBL, false, SA - SB)
LONG(USUBL, false, i128(a) - i128(b))
LONG(SSUBW, true, SAW - SB)
LONG(USUBW, true, i128(a) - i128(b))
LONG(SABAL, false, d + absDiff(a, b, w, true))
LONG(UABAL, false, d + absDiff(a, b, w, false))
LONG(SABDL, false, absDiff(a, b, w, true))
LONG(UABDL, false, absDiff(a, b, w, false))
LONG(SMLAL, false, d + uint64_t(SA * SB))
LONG(UMLAL, false, d + a * b)
LONG(SMLSL, false, d - uint64_t(SA * SB))
LONG(UMLSL, false, d - a * b)
LONG(SMULL, false, SA * SB)
LONG(UMULL, false, a * b)
LONG(PMULL, false, polyMul(a, b, w))
LONG(SQDMULL, false, doublingMulLong(s, a, b, w))
LONG(SQDMLAL, false, saturateSigned(s, i128(sext(d, 2 * w)) + sext(doublingMulLong(s, a, b, w), 2 * w), 2 * w))
LONG(SQDMLSL, false, saturateSigned(s, i128(sext(d, 2 * w)) - sext(doublingMulLong(s, a, b, w), 2 * w), 2 * w))

#define HIGH_NARROW(ID, EXPR)                                                  \
  SEM(ID) {                                                                    \
    narrowing(s, i, [](uint64_t a, uint64_t b, unsigned w) { return uint64_t(EXPR) >> w; }); \
  }
HIGH_NARROW(ADDHN, a + b)
HIGH_NARROW(RADDHN, a + b + (uint64_t(1) << (w - 1)))
HIGH_NARROW(SUBHN, a - b)
HIGH_NARROW(RSUBHN, a - b + (uint64_t(1) << (w - 1)))
#undef HIGH_NARROW

// --- By element -------------------------------------------------------------------

SEM(MLA_E) { lanewise(s, i, vreg(s, i->rn), broadcastElement(s, i), [](uint64_t a, uint64_t b, uint64_t d, unsigned) { return d + a * b; }); }
SEM(MLS_E) { lanewise(s, i, vreg(s, i->rn), broadcastElement(s, i), [](uint64_t a, uint64_t b, uint64_t d, unsigned) { return d - a * b; }); }
SEM(MUL_E) { lanewise(s, i, vreg(s, i->rn), broadcastElement(s, i), [](uint64_t a, uint64_t b, uint64_t, unsigned) { return a * b; }); }
SEM(SQDMULH_E) { lanewise(s, i, vreg(s, i->rn), broadcastElement(s, i), [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return doublingMulHigh(s, a, b, w, false); }); }
SEM(SQRDMULH_E) { lanewise(s, i, vreg(s, i->rn), broadcastElement(s, i), [s](uint64_t a, uint64_t b, uint64_t, unsigned w) { return doublingMulHigh(s, a, b, w, true); }); }

#define LONG_E(ID, EXPR)                                                       \
  SEM(ID) {                                                                    \
    Vec m = broadcastElement(s, i);                                            \
    widening(s, i, false, m, [s](uint64_t a, uint64_t b, uint64_t d, unsigned w) { \
      (void)s; (void)d;                                                        \
      return uint64_t(EXPR);                                                   \
    });                                                                        \
  }
LONG_E(SMLAL_E, d + uint64_t(SA * SB))
LONG_E(UMLAL_E, d + a * b)
LONG_E(SMLSL_E, d - uint64_t(SA * SB))
LONG_E(UMLSL_E, d - a * b)
LONG_E(SMULL_E, SA * SB)
LONG_E(UMULL_E, a * b)
LONG_E(SQDMULL_E, doublingMulLong(s, a, b, w))
LONG_E(SQDMLAL_E, saturateSigned(s, i128(sext(d, 2 * w)) + sext(doublingMulLong(s, a, b, w), 2 * w), 2 * w))
LONG_E(SQDMLSL_E, saturateSigned(s, i128(sext(d, 2 * w)) - sext(doublingMulLong(s, a, b, w), 2 * w), 2 * w))
#undef LONG_E
#undef LONG
#undef SA
#undef SB
#undef SAW

// --- Shifts by an immediate ------------------------------------------------------

SEM(SSHR) { shiftRight<true, false, false>(s, i); }
SEM(USHR) { shiftRight<false, false, false>(s, i); }
SEM(SSRA) { shiftRight<true, false, true>(s, i); }
SEM(USRA) { shiftRight<false, false, true>(s, i); }
SEM(SRSHR) { shiftRight<true, true, false>(s, i); }
SEM(URSHR) { shiftRight<false, true, false>(s, i); }
SEM(SRSRA) { shiftRight<true, true, true>(s, i); }
SEM(URSRA) { shiftRight<false, true, true>(s, i); }
SEM(SRI) {
  unsigned sh = unsigned(i->imm);
  unary(s, i, [=](uint64_t a, uint64_t d, unsigned w) {
    uint64_t m = sh >= w ? 0 : ones(w) >> sh;
    return (d & ~m) | (sh >= w ? 0 : a >> sh);
  });
}
SEM(SHL_V) {
  unsigned sh = unsigned(i->imm);
  unary(s, i, [=](uint64_t a, uint64_t, unsigned) { return a << sh; });
}
SEM(SLI) {
  unsigned sh = unsigned(i->imm);
  unary(s, i, [=](uint64_t a, uint64_t d, unsigned w) {
    uint64_t m = (ones(w) << sh) & ones(w);
    return (d & ~m) | ((a << sh) & m);
  });
}
SEM(SQSHL_I) { shiftLeftSaturating<true, true>(s, i); }
SEM(UQSHL_I) { shiftLeftSaturating<false, false>(s, i); }
SEM(SQSHLU) { shiftLeftSaturating<true, false>(s, i); }
SEM(SHRN) { shiftRightNarrow<false, false, 0>(s, i); }
SEM(RSHRN) { shiftRightNarrow<false, true, 0>(s, i); }
SEM(SQSHRN) { shiftRightNarrow<true, false, 1>(s, i); }
SEM(UQSHRN) { shiftRightNarrow<false, false, 1>(s, i); }
SEM(SQRSHRN) { shiftRightNarrow<true, true, 1>(s, i); }
SEM(UQRSHRN) { shiftRightNarrow<false, true, 1>(s, i); }
SEM(SQSHRUN) { shiftRightNarrow<true, false, 2>(s, i); }
SEM(SQRSHRUN) { shiftRightNarrow<true, true, 2>(s, i); }
SEM(SSHLL) {
  unsigned sh = unsigned(i->imm);
  widening(s, i, false, Vec{}, [=](uint64_t a, uint64_t, uint64_t, unsigned w) { return uint64_t(sext(a, w)) << sh; });
}
SEM(USHLL) {
  unsigned sh = unsigned(i->imm);
  widening(s, i, false, Vec{}, [=](uint64_t a, uint64_t, uint64_t, unsigned) { return a << sh; });
}

// --- Modified immediates -------------------------------------------------------------

SEM(MOVI) { setVreg(s, i->rd, Vec{{uint64_t(i->imm), uint64_t(i->imm)}}, i->q); }
SEM(MVNI) { a64_sem_MOVI(s, i); }
SEM(FMOV_VI) { a64_sem_MOVI(s, i); }
SEM(ORR_VI) {
  Vec d = vreg(s, i->rd);
  setVreg(s, i->rd, Vec{{d.d[0] | uint64_t(i->imm), d.d[1] | uint64_t(i->imm)}}, i->q);
}
SEM(BIC_VI) {
  Vec d = vreg(s, i->rd);
  setVreg(s, i->rd, Vec{{d.d[0] & ~uint64_t(i->imm), d.d[1] & ~uint64_t(i->imm)}}, i->q);
}

// --- Copies ----------------------------------------------------------------------------

SEM(DUP_ELEM) {
  unsigned bits = laneBits(i);
  uint64_t e = lane(vreg(s, i->rn), bits, i->imms);
  unary(s, i, [=](uint64_t, uint64_t, unsigned) { return e; });
}
SEM(DUP_GEN) {
  uint64_t e = X(s, i->rn);
  unary(s, i, [=](uint64_t, uint64_t, unsigned) { return e; });
}
SEM(SMOV) {
  int64_t e = sext(lane(vreg(s, i->rn), laneBits(i), i->imms), laneBits(i));
  setX(s, i->rd, i->q ? uint64_t(e) : uint32_t(e));
}
SEM(UMOV) { setX(s, i->rd, lane(vreg(s, i->rn), laneBits(i), i->imms)); }
SEM(INS_GEN) {
  Vec d = vreg(s, i->rd);
  setLane(d, laneBits(i), i->imms, X(s, i->rn));
  setVreg(s, i->rd, d, true);
}
SEM(INS_ELEM) {
  Vec d = vreg(s, i->rd);
  setLane(d, laneBits(i), i->imms, lane(vreg(s, i->rn), laneBits(i), i->amount));
  setVreg(s, i->rd, d, true);
}

// --- Permutes, extract, table lookup --------------------------------------------------------

SEM(UZP1) { permute(s, i, [](unsigned k, unsigned) { return 2 * k; }); }
SEM(UZP2) { permute(s, i, [](unsigned k, unsigned) { return 2 * k + 1; }); }
SEM(TRN1) { permute(s, i, [](unsigned k, unsigned n) { return (k & ~1u) + (k & 1 ? n : 0); }); }
SEM(TRN2) { permute(s, i, [](unsigned k, unsigned n) { return (k | 1u) + (k & 1 ? n : 0); }); }
SEM(ZIP1) { permute(s, i, [](unsigned k, unsigned n) { return k / 2 + (k & 1 ? n : 0); }); }
SEM(ZIP2) { permute(s, i, [](unsigned k, unsigned n) { return n / 2 + k / 2 + (k & 1 ? n : 0); }); }
SEM(EXT) {
  unsigned bytes = i->q ? 16 : 8;
  Vec a = vreg(s, i->rn), b = vreg(s, i->rm), r{};
  for (unsigned k = 0; k < bytes; k++) {
    unsigned from = unsigned(i->imm) + k;
    setLane(r, 8, k, from < bytes ? lane(a, 8, from) : lane(b, 8, from - bytes));
  }
  setVreg(s, i->rd, r, i->q);
}
SEM(TBL) { tableLookup(s, i, false); }
SEM(TBX) { tableLookup(s, i, true); }
