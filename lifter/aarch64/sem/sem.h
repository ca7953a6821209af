// Shared vocabulary of the A64 instruction semantics.
//
// Every semantic function has the signature
//     extern "C" void a64_sem_ID(A64State *s, const Insn *i)
// and is written once, in plain C++ over the architected state, as the
// RISC-V ones are (lifter/riscv/sem/sem.h, whose conventions hold here:
// s->pc holds the fall-through address on entry and semantics read
// i->pc; a trap sets s->exit_reason; memory is reached only through the
// operations of lifter/core/mem_ops.h).
#pragma once

#include "lifter/aarch64/insn.h"
#include "lifter/core/mem_ops.h"
#include "lifter/aarch64/state.h"

#include <cstdint>

#define SEM(ID)                                                                \
  extern "C" void a64_sem_##ID(::xlat::a64::A64State *s,                       \
                               const ::xlat::a64::Insn *i)

namespace xlat::a64::sem {

// Register 31 reads as zero (XZR) where an operand cannot be SP, ...
inline uint64_t X(const A64State *s, unsigned r) { return r == 31 ? 0 : s->x[r]; }
// ... and as SP where it can (a base, add/sub immediate, extended add/sub).
inline uint64_t XSP(const A64State *s, unsigned r) { return r == 31 ? s->sp : s->x[r]; }
inline void setX(A64State *s, unsigned r, uint64_t v) {
  if (r != 31)
    s->x[r] = v;
}
inline void setXSP(A64State *s, unsigned r, uint64_t v) {
  if (r == 31)
    s->sp = v;
  else
    s->x[r] = v;
}

// A W result is zero-extended into its X register.
inline uint64_t sized(const Insn *i, uint64_t v) { return i->sf ? v : uint32_t(v); }
inline unsigned width(const Insn *i) { return i->sf ? 64 : 32; }

inline uint64_t ones(unsigned n) { return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1; }

// ExtendReg of the Arm ARM: v's low B, H, W or X (option 0-3 unsigned,
// 4-7 signed) extended, shifted left by amount, in w bits.
inline uint64_t extended(uint64_t v, unsigned option, unsigned amount, unsigned w) {
  unsigned size = 8u << (option & 3);
  uint64_t e = v & ones(size);
  if ((option & 4) && size < 64 && ((e >> (size - 1)) & 1))
    e |= ~ones(size);
  return (e << amount) & ones(w);
}

// The flags an instruction sets, in A64State's form (nf ... vf).
struct Flags {
  int64_t n;
  uint64_t z;
  uint64_t c;
  int64_t v;
};
inline void setFlags(A64State *s, const Flags &f) {
  s->nf = f.n;
  s->zf = f.z;
  s->cf = f.c;
  s->vf = f.v;
}
// A w-bit value sign-extended: its sign in bit 63.
inline int64_t signExtended(uint64_t v, unsigned w) {
  return w == 64 ? int64_t(v) : int64_t(int32_t(uint32_t(v)));
}

// ConditionHolds of the Arm ARM: cond (EQ, NE, ... AL, NV) against NZCV.
inline bool conditionHolds(unsigned cond, const A64State *s) {
  bool n = s->nf < 0, z = s->zf == 0, c = s->cf != 0, v = s->vf < 0;
  bool r;
  switch (cond >> 1) {
  case 0: r = z; break;            // EQ / NE
  case 1: r = c; break;            // CS / CC
  case 2: r = n; break;            // MI / PL
  case 3: r = v; break;            // VS / VC
  case 4: r = c && !z; break;      // HI / LS
  case 5: r = n == v; break;       // GE / LT
  case 6: r = n == v && !z; break; // GT / LE
  default: return true;            // AL, and NV, which is AL too
  }
  return (cond & 1) ? !r : r;
}

// Where a load or store of a general or SIMD&FP register goes (its
// addressing, Insn::mode), and what its base register becomes after it;
// also the debugger's view of the access.
struct Address {
  uint64_t ea, base;
  bool writeback;
};
inline Address address(const A64State *s, const Insn *i) {
  if (i->mode == Mode::Literal)
    return {i->pc + uint64_t(i->imm), 0, false};
  uint64_t base = XSP(s, i->rn), imm = uint64_t(i->imm);
  switch (i->mode) {
  case Mode::PreIndex: return {base + imm, base + imm, true};
  case Mode::PostIndex: return {base, base + imm, true};
  case Mode::RegOffset: return {base + extended(X(s, i->rm), i->shift, i->amount, 64), 0, false};
  default: return {base + imm, 0, false}; // Offset, NonTemporal; Unprivileged is EL0 already
  }
}

inline void trap(A64State *s, const Insn *i, ExitReason why) {
  s->pc = i->pc;
  s->exit_reason = why;
}

} // namespace xlat::a64::sem
