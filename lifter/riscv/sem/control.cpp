// Jumps and conditional branches. Targets are not checked for alignment:
// with C present every even address is a valid instruction address, and the
// low bit of a jalr target is cleared by definition.
#include "lifter/riscv/sem/sem.h"

using namespace xlat::rv;
using namespace xlat::rv::sem;

SEM(JAL) {
  setX(s, i->rd, i->pc + i->len);
  s->pc = i->pc + imm(i);
}
SEM(JALR) {
  uint64_t target = (X(s, i->rs1) + imm(i)) & ~1ull;
  setX(s, i->rd, i->pc + i->len);
  s->pc = target;
}

namespace {
inline void branch(RvState *s, const Insn *i, bool taken) {
  s->pc = taken ? i->pc + imm(i) : i->pc + i->len;
}
} // namespace

SEM(BEQ) { branch(s, i, X(s, i->rs1) == X(s, i->rs2)); }
SEM(BNE) { branch(s, i, X(s, i->rs1) != X(s, i->rs2)); }
SEM(BLT) { branch(s, i, (int64_t)X(s, i->rs1) < (int64_t)X(s, i->rs2)); }
SEM(BGE) { branch(s, i, (int64_t)X(s, i->rs1) >= (int64_t)X(s, i->rs2)); }
SEM(BLTU) { branch(s, i, X(s, i->rs1) < X(s, i->rs2)); }
SEM(BGEU) { branch(s, i, X(s, i->rs1) >= X(s, i->rs2)); }

SEM(ILLEGAL) { trap(s, i, kExitIllegal); }
