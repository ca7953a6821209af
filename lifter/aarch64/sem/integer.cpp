// A64 integer data processing: arithmetic, logic, moves, bitfields, shifts,
// conditional selects and compares, bit counting and reversal, division,
// multiplies and CRC32.
#include "lifter/aarch64/sem/sem.h"

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

// As rotates (funnel shifts), which a host rotate instruction does.
inline uint64_t ror(uint64_t v, unsigned r, unsigned w) {
  return w == 32 ? __builtin_rotateright32(uint32_t(v), r) : __builtin_rotateright64(v, r);
}
inline bool bit(uint64_t v, unsigned b) { return (v >> b) & 1; }

// AddWithCarry of the Arm ARM: the sum of `width` bits and its flags.
uint64_t addWithCarry(uint64_t x, uint64_t y, unsigned carry, unsigned w, Flags &f) {
  x &= ones(w);
  y &= ones(w);
  // In the forms LLVM turns into one host add or sub and its flags (no
  // 128-bit sum): the carry out is the sum wrapping, signed overflow the
  // result's sign differing from both operands'.
  uint64_t sum = x + y + carry;
  uint64_t r = sum & ones(w);
  bool c = w == 64 ? (carry ? r <= x : r < x) : (sum >> 32) != 0;
  f = {signExtended(r, w), r, c, signExtended((x ^ r) & (y ^ r), w)};
  return r;
}

// AddWithCarry(x, NOT(y), 1): x - y, whose carry is x >= y, the form in
// which a host compare gives it (setae) for either width.
uint64_t subtract(uint64_t x, uint64_t y, unsigned w, Flags &f) {
  x &= ones(w);
  y &= ones(w);
  uint64_t r = (x - y) & ones(w);
  f = {signExtended(r, w), r, x >= y, signExtended((x ^ y) & (x ^ r), w)};
  return r;
}

Flags logicFlags(uint64_t r, unsigned w) { return {signExtended(r, w), r & ones(w), 0, 0}; }

uint64_t shifted(uint64_t v, unsigned type, unsigned amount, unsigned w) {
  v &= ones(w);
  switch (type & 3) {
  case 0: return (v << amount) & ones(w);
  case 1: return v >> amount;
  case 2: {
    int64_t sv = w == 64 ? int64_t(v) : int64_t(int32_t(uint32_t(v)));
    return uint64_t(sv >> amount) & ones(w);
  }
  default: return ror(v, amount, w);
  }
}

// The second operand of an add, sub or logical instruction by its form.
uint64_t operand2(const A64State *s, const Insn *i) {
  unsigned w = width(i);
  switch (i->form) {
  case Form::Immediate: return uint64_t(i->imm) & ones(w);
  case Form::Extended: return extended(X(s, i->rm), i->shift, i->amount, w);
  default: return shifted(X(s, i->rm), i->shift, i->amount, w);
  }
}
// The first: SP where register 31 is SP (immediate and extended forms).
uint64_t operand1(const A64State *s, const Insn *i) {
  return i->form == Form::Shifted ? X(s, i->rn) : XSP(s, i->rn);
}
// The destination of a flag-less add or sub: SP likewise.
void setAddResult(A64State *s, const Insn *i, uint64_t v) {
  if (i->form == Form::Shifted)
    setX(s, i->rd, v);
  else
    setXSP(s, i->rd, v);
}

void addSub(A64State *s, const Insn *i, bool sub, bool flags) {
  unsigned w = width(i);
  uint64_t a = operand1(s, i), b = operand2(s, i);
  Flags f;
  uint64_t r = sub ? subtract(a, b, w, f) : addWithCarry(a, b, 0, w, f);
  if (flags) {
    setX(s, i->rd, r);
    setFlags(s, f);
  } else {
    setAddResult(s, i, r);
  }
}

// A bitfield move's tmask (DecodeBitMasks with immediate false, for the
// element size the instruction's width already is): the bits at and below
// the field's top. The decoder puts wmask & tmask in imm.
uint64_t bitfieldTmask(const Insn *i) {
  return ones(((unsigned(i->imms) - i->amount) & (width(i) - 1)) + 1);
}

uint64_t reverseBits(uint64_t v, unsigned w) {
  uint64_t r = 0;
  for (unsigned b = 0; b < w; b++)
    r |= ((v >> b) & 1) << (w - 1 - b);
  return r;
}

uint64_t leadingZeros(uint64_t v, unsigned w) {
  v &= ones(w);
  return v ? __builtin_clzll(v) - (64 - w) : w;
}

uint32_t crc32(uint32_t acc, uint64_t data, unsigned bytes, uint32_t poly) {
  for (unsigned b = 0; b < bytes * 8; b++) {
    acc ^= (data >> b) & 1;
    acc = (acc >> 1) ^ (poly & (0u - (acc & 1)));
  }
  return acc;
}

} // namespace

SEM(ADR) { setX(s, i->rd, i->pc + uint64_t(i->imm)); }
SEM(ADRP) { setX(s, i->rd, (i->pc & ~uint64_t(0xfff)) + uint64_t(i->imm)); }

SEM(ADD_IMM) { addSub(s, i, false, false); }
SEM(ADDS_IMM) { addSub(s, i, false, true); }
SEM(SUB_IMM) { addSub(s, i, true, false); }
SEM(SUBS_IMM) { addSub(s, i, true, true); }
SEM(ADD_REG) { addSub(s, i, false, false); }
SEM(ADDS_REG) { addSub(s, i, false, true); }
SEM(SUB_REG) { addSub(s, i, true, false); }
SEM(SUBS_REG) { addSub(s, i, true, true); }

// Logical immediates write SP where register 31 is the destination (not
// ANDS); the register forms write XZR.
SEM(AND_IMM) { setXSP(s, i->rd, sized(i, X(s, i->rn) & operand2(s, i))); }
SEM(ORR_IMM) { setXSP(s, i->rd, sized(i, X(s, i->rn) | operand2(s, i))); }
SEM(EOR_IMM) { setXSP(s, i->rd, sized(i, X(s, i->rn) ^ operand2(s, i))); }
SEM(ANDS_IMM) {
  uint64_t r = sized(i, X(s, i->rn) & operand2(s, i));
  setX(s, i->rd, r);
  setFlags(s, logicFlags(r, width(i)));
}
SEM(AND_REG) { setX(s, i->rd, sized(i, X(s, i->rn) & operand2(s, i))); }
SEM(BIC) { setX(s, i->rd, sized(i, X(s, i->rn) & ~operand2(s, i))); }
SEM(ORR_REG) { setX(s, i->rd, sized(i, X(s, i->rn) | operand2(s, i))); }
SEM(ORN) { setX(s, i->rd, sized(i, X(s, i->rn) | ~operand2(s, i))); }
SEM(EOR_REG) { setX(s, i->rd, sized(i, X(s, i->rn) ^ operand2(s, i))); }
SEM(EON) { setX(s, i->rd, sized(i, X(s, i->rn) ^ ~operand2(s, i))); }
SEM(ANDS_REG) {
  uint64_t r = sized(i, X(s, i->rn) & operand2(s, i));
  setX(s, i->rd, r);
  setFlags(s, logicFlags(r, width(i)));
}
SEM(BICS) {
  uint64_t r = sized(i, X(s, i->rn) & ~operand2(s, i));
  setX(s, i->rd, r);
  setFlags(s, logicFlags(r, width(i)));
}

SEM(MOVN) { setX(s, i->rd, sized(i, ~(uint64_t(i->imm) << i->amount))); }
SEM(MOVZ) { setX(s, i->rd, uint64_t(i->imm) << i->amount); }
SEM(MOVK) {
  uint64_t keep = ~(uint64_t(0xffff) << i->amount);
  setX(s, i->rd, sized(i, (X(s, i->rd) & keep) | (uint64_t(i->imm) << i->amount)));
}

SEM(SBFM) {
  unsigned w = width(i);
  uint64_t src = X(s, i->rn), tmask = bitfieldTmask(i);
  uint64_t top = bit(src, i->imms) ? ones(w) : 0;
  setX(s, i->rd, ((top & ~tmask) | (ror(src, i->amount, w) & uint64_t(i->imm))) & ones(w));
}
SEM(BFM) {
  // (dst & ~wmask | ror & wmask) in the field, dst outside it: one mask.
  unsigned w = width(i);
  uint64_t dst = X(s, i->rd), mask = uint64_t(i->imm);
  setX(s, i->rd, ((dst & ~mask) | (ror(X(s, i->rn), i->amount, w) & mask)) & ones(w));
}
SEM(UBFM) { setX(s, i->rd, ror(X(s, i->rn), i->amount, width(i)) & uint64_t(i->imm)); }
SEM(EXTR) {
  unsigned w = width(i), lsb = i->amount;
  uint64_t hi = X(s, i->rn) & ones(w), lo = X(s, i->rm) & ones(w);
  uint64_t r = lsb ? ((lo >> lsb) | (hi << (w - lsb))) : lo;
  setX(s, i->rd, r & ones(w));
}

SEM(ADC) {
  Flags f;
  setX(s, i->rd, addWithCarry(X(s, i->rn), X(s, i->rm), unsigned(s->cf != 0), width(i), f));
}
SEM(ADCS) {
  Flags f;
  setX(s, i->rd, addWithCarry(X(s, i->rn), X(s, i->rm), unsigned(s->cf != 0), width(i), f));
  setFlags(s, f);
}
SEM(SBC) {
  Flags f;
  setX(s, i->rd, addWithCarry(X(s, i->rn), ~X(s, i->rm), unsigned(s->cf != 0), width(i), f));
}
SEM(SBCS) {
  Flags f;
  setX(s, i->rd, addWithCarry(X(s, i->rn), ~X(s, i->rm), unsigned(s->cf != 0), width(i), f));
  setFlags(s, f);
}

SEM(CCMN) {
  if (!conditionHolds(i->cond, s)) {
    s->setNzcv(uint32_t(i->nzcv) << 28);
    return;
  }
  uint64_t b = i->form == Form::Immediate ? uint64_t(i->imm) : X(s, i->rm);
  Flags f;
  addWithCarry(X(s, i->rn), b, 0, width(i), f);
  setFlags(s, f);
}
SEM(CCMP) {
  if (!conditionHolds(i->cond, s)) {
    s->setNzcv(uint32_t(i->nzcv) << 28);
    return;
  }
  uint64_t b = i->form == Form::Immediate ? uint64_t(i->imm) : X(s, i->rm);
  Flags f;
  subtract(X(s, i->rn), b, width(i), f);
  setFlags(s, f);
}

SEM(CSEL) {
  setX(s, i->rd, sized(i, conditionHolds(i->cond, s) ? X(s, i->rn) : X(s, i->rm)));
}
SEM(CSINC) {
  setX(s, i->rd, sized(i, conditionHolds(i->cond, s) ? X(s, i->rn) : X(s, i->rm) + 1));
}
SEM(CSINV) {
  setX(s, i->rd, sized(i, conditionHolds(i->cond, s) ? X(s, i->rn) : ~X(s, i->rm)));
}
SEM(CSNEG) {
  setX(s, i->rd, sized(i, conditionHolds(i->cond, s) ? X(s, i->rn) : 0 - X(s, i->rm)));
}

SEM(RBIT) { setX(s, i->rd, reverseBits(X(s, i->rn), width(i))); }
SEM(REV16) {
  uint64_t v = X(s, i->rn);
  v = ((v & 0x00ff00ff00ff00ffull) << 8) | ((v >> 8) & 0x00ff00ff00ff00ffull);
  setX(s, i->rd, sized(i, v));
}
SEM(REV32) {
  uint64_t v = X(s, i->rn);
  setX(s, i->rd, uint64_t(__builtin_bswap32(uint32_t(v))) |
                     uint64_t(__builtin_bswap32(uint32_t(v >> 32))) << 32);
}
SEM(REV) {
  uint64_t v = X(s, i->rn);
  setX(s, i->rd, i->sf ? __builtin_bswap64(v) : __builtin_bswap32(uint32_t(v)));
}
SEM(CLZ) { setX(s, i->rd, leadingZeros(X(s, i->rn), width(i))); }
SEM(CLS) {
  unsigned w = width(i);
  uint64_t v = X(s, i->rn) & ones(w);
  // Leading bits equal to the sign bit, the sign bit not counted: the
  // leading zeros of the w-1 bits where each bit differs from the next.
  setX(s, i->rd, leadingZeros(((v >> 1) ^ v) & ones(w - 1), w - 1));
}

SEM(UDIV) {
  unsigned w = width(i);
  uint64_t n = X(s, i->rn) & ones(w), m = X(s, i->rm) & ones(w);
  setX(s, i->rd, m ? n / m : 0);
}
SEM(SDIV) {
  unsigned w = width(i);
  int64_t n = w == 64 ? int64_t(X(s, i->rn)) : int64_t(int32_t(X(s, i->rn)));
  int64_t m = w == 64 ? int64_t(X(s, i->rm)) : int64_t(int32_t(X(s, i->rm)));
  uint64_t r;
  if (m == 0)
    r = 0;
  else if (m == -1)
    r = 0 - uint64_t(n); // INT_MIN / -1 wraps to INT_MIN
  else
    r = uint64_t(n / m);
  setX(s, i->rd, r & ones(w));
}
SEM(LSLV) { setX(s, i->rd, shifted(X(s, i->rn), 0, X(s, i->rm) % width(i), width(i))); }
SEM(LSRV) { setX(s, i->rd, shifted(X(s, i->rn), 1, X(s, i->rm) % width(i), width(i))); }
SEM(ASRV) { setX(s, i->rd, shifted(X(s, i->rn), 2, X(s, i->rm) % width(i), width(i))); }
SEM(RORV) { setX(s, i->rd, shifted(X(s, i->rn), 3, X(s, i->rm) % width(i), width(i))); }

SEM(CRC32) {
  setX(s, i->rd, crc32(uint32_t(X(s, i->rn)), X(s, i->rm), 1u << i->size, 0xEDB88320u));
}
SEM(CRC32C) {
  setX(s, i->rd, crc32(uint32_t(X(s, i->rn)), X(s, i->rm), 1u << i->size, 0x82F63B78u));
}

SEM(MADD) { setX(s, i->rd, sized(i, X(s, i->ra) + X(s, i->rn) * X(s, i->rm))); }
SEM(MSUB) { setX(s, i->rd, sized(i, X(s, i->ra) - X(s, i->rn) * X(s, i->rm))); }
SEM(SMADDL) {
  setX(s, i->rd, X(s, i->ra) + uint64_t(int64_t(int32_t(X(s, i->rn))) * int32_t(X(s, i->rm))));
}
SEM(SMSUBL) {
  setX(s, i->rd, X(s, i->ra) - uint64_t(int64_t(int32_t(X(s, i->rn))) * int32_t(X(s, i->rm))));
}
SEM(UMADDL) {
  setX(s, i->rd, X(s, i->ra) + uint64_t(uint32_t(X(s, i->rn))) * uint32_t(X(s, i->rm)));
}
SEM(UMSUBL) {
  setX(s, i->rd, X(s, i->ra) - uint64_t(uint32_t(X(s, i->rn))) * uint32_t(X(s, i->rm)));
}
SEM(SMULH) {
  __int128 p = (__int128)int64_t(X(s, i->rn)) * int64_t(X(s, i->rm));
  setX(s, i->rd, uint64_t(p >> 64));
}
SEM(UMULH) {
  unsigned __int128 p = (unsigned __int128)X(s, i->rn) * X(s, i->rm);
  setX(s, i->rd, uint64_t(p >> 64));
}
