// A decoded RV64 instruction: the operands every semantic function reads.
#pragma once

#include <cstdint>

namespace xlat::rv {

enum class Op : uint16_t {
  ILLEGAL = 0,
#define RV_INSN(ID, MN, PAT, FMT, FLAGS) ID,
#include "lifter/riscv/insns.def"
#undef RV_INSN
  NumOps
};

// Decoded operands. The layout is plain data: the lifter materialises it as
// constants field by field (see lifter/riscv/lift.cpp), so keep every field a
// naturally aligned integer.
struct Insn {
  uint64_t pc;
  int64_t imm;     // sign-extended immediate; csr number for Csr format
  uint32_t raw;    // the encoding as fetched (16 bits for compressed)
  Op op;
  uint8_t len;     // 2 or 4
  uint8_t rd, rs1, rs2, rs3;
  uint8_t rm;      // funct3 (rounding mode for kHasRm instructions)
  uint8_t pad[2];
};

} // namespace xlat::rv
