// RV64I register/immediate arithmetic and the M extension.
#include "lifter/riscv/sem/sem.h"

using namespace xlat::rv;
using namespace xlat::rv::sem;

namespace {
inline uint64_t rs1(const RvState *s, const Insn *i) { return X(s, i->rs1); }
inline uint64_t rs2(const RvState *s, const Insn *i) { return X(s, i->rs2); }
inline int64_t srs1(const RvState *s, const Insn *i) { return (int64_t)X(s, i->rs1); }
inline int64_t srs2(const RvState *s, const Insn *i) { return (int64_t)X(s, i->rs2); }
} // namespace

SEM(LUI) { setX(s, i->rd, imm(i)); }
SEM(AUIPC) { setX(s, i->rd, i->pc + imm(i)); }

SEM(ADDI) { setX(s, i->rd, rs1(s, i) + imm(i)); }
SEM(SLTI) { setX(s, i->rd, srs1(s, i) < i->imm); }
SEM(SLTIU) { setX(s, i->rd, rs1(s, i) < imm(i)); }
SEM(XORI) { setX(s, i->rd, rs1(s, i) ^ imm(i)); }
SEM(ORI) { setX(s, i->rd, rs1(s, i) | imm(i)); }
SEM(ANDI) { setX(s, i->rd, rs1(s, i) & imm(i)); }
SEM(SLLI) { setX(s, i->rd, rs1(s, i) << (i->imm & 63)); }
SEM(SRLI) { setX(s, i->rd, rs1(s, i) >> (i->imm & 63)); }
SEM(SRAI) { setX(s, i->rd, (uint64_t)(srs1(s, i) >> (i->imm & 63))); }

SEM(ADD) { setX(s, i->rd, rs1(s, i) + rs2(s, i)); }
SEM(SUB) { setX(s, i->rd, rs1(s, i) - rs2(s, i)); }
SEM(SLL) { setX(s, i->rd, rs1(s, i) << (rs2(s, i) & 63)); }
SEM(SLT) { setX(s, i->rd, srs1(s, i) < srs2(s, i)); }
SEM(SLTU) { setX(s, i->rd, rs1(s, i) < rs2(s, i)); }
SEM(XOR) { setX(s, i->rd, rs1(s, i) ^ rs2(s, i)); }
SEM(SRL) { setX(s, i->rd, rs1(s, i) >> (rs2(s, i) & 63)); }
SEM(SRA) { setX(s, i->rd, (uint64_t)(srs1(s, i) >> (rs2(s, i) & 63))); }
SEM(OR) { setX(s, i->rd, rs1(s, i) | rs2(s, i)); }
SEM(AND) { setX(s, i->rd, rs1(s, i) & rs2(s, i)); }

SEM(ADDIW) { setX(s, i->rd, sext32(rs1(s, i) + imm(i))); }
SEM(SLLIW) { setX(s, i->rd, sext32((uint32_t)rs1(s, i) << (i->imm & 31))); }
SEM(SRLIW) { setX(s, i->rd, sext32((uint32_t)rs1(s, i) >> (i->imm & 31))); }
SEM(SRAIW) { setX(s, i->rd, sext32((uint32_t)((int32_t)rs1(s, i) >> (i->imm & 31)))); }
SEM(ADDW) { setX(s, i->rd, sext32(rs1(s, i) + rs2(s, i))); }
SEM(SUBW) { setX(s, i->rd, sext32(rs1(s, i) - rs2(s, i))); }
SEM(SLLW) { setX(s, i->rd, sext32((uint32_t)rs1(s, i) << (rs2(s, i) & 31))); }
SEM(SRLW) { setX(s, i->rd, sext32((uint32_t)rs1(s, i) >> (rs2(s, i) & 31))); }
SEM(SRAW) { setX(s, i->rd, sext32((uint32_t)((int32_t)rs1(s, i) >> (rs2(s, i) & 31)))); }

// M: division by zero and signed overflow have defined results, never traps.
SEM(MUL) { setX(s, i->rd, rs1(s, i) * rs2(s, i)); }
SEM(MULH) {
  setX(s, i->rd, (uint64_t)(((__int128)srs1(s, i) * (__int128)srs2(s, i)) >> 64));
}
SEM(MULHSU) {
  setX(s, i->rd,
       (uint64_t)(((__int128)srs1(s, i) * (__int128)(unsigned __int128)rs2(s, i)) >> 64));
}
SEM(MULHU) {
  setX(s, i->rd, (uint64_t)(((unsigned __int128)rs1(s, i) * rs2(s, i)) >> 64));
}
SEM(DIV) {
  int64_t a = srs1(s, i), b = srs2(s, i);
  int64_t q = b == 0 ? -1 : (a == INT64_MIN && b == -1) ? a : a / b;
  setX(s, i->rd, (uint64_t)q);
}
SEM(DIVU) {
  uint64_t a = rs1(s, i), b = rs2(s, i);
  setX(s, i->rd, b == 0 ? ~0ull : a / b);
}
SEM(REM) {
  int64_t a = srs1(s, i), b = srs2(s, i);
  int64_t r = b == 0 ? a : (a == INT64_MIN && b == -1) ? 0 : a % b;
  setX(s, i->rd, (uint64_t)r);
}
SEM(REMU) {
  uint64_t a = rs1(s, i), b = rs2(s, i);
  setX(s, i->rd, b == 0 ? a : a % b);
}
SEM(MULW) { setX(s, i->rd, sext32(rs1(s, i) * rs2(s, i))); }
SEM(DIVW) {
  int32_t a = (int32_t)rs1(s, i), b = (int32_t)rs2(s, i);
  int32_t q = b == 0 ? -1 : (a == INT32_MIN && b == -1) ? a : a / b;
  setX(s, i->rd, sext32((uint32_t)q));
}
SEM(DIVUW) {
  uint32_t a = (uint32_t)rs1(s, i), b = (uint32_t)rs2(s, i);
  setX(s, i->rd, sext32(b == 0 ? ~0u : a / b));
}
SEM(REMW) {
  int32_t a = (int32_t)rs1(s, i), b = (int32_t)rs2(s, i);
  int32_t r = b == 0 ? a : (a == INT32_MIN && b == -1) ? 0 : a % b;
  setX(s, i->rd, sext32((uint32_t)r));
}
SEM(REMUW) {
  uint32_t a = (uint32_t)rs1(s, i), b = (uint32_t)rs2(s, i);
  setX(s, i->rd, sext32(b == 0 ? a : a % b));
}
