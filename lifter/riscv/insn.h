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
  uint8_t fused;   // InsnFused: what decodeBlock saw around it (0: nothing)
  uint8_t pad;
};

// Insn::fused. Compilers read fflags, compare quietly and write fflags back
// (frflags rX; flt.d; fsflags rX: isless(), or the domain check before a
// call to sqrt). Reading the host's accrued flags waits for every FP
// operation in flight, so decodeBlock marks the pair when nothing between
// them can raise a flag on the host: the write then needs no read.
enum InsnFused : uint8_t {
  // An FP compare that raises NV in software, leaving the host's flags.
  kSoftFpFlags = 1,
  // An fsflags writing back what an frflags read earlier in the block, with
  // only kSoftFpFlags compares and instructions without FP flags between:
  // the host holds no flag the value lacks.
  kRestoreFflags = 2,
  // The frflags of such a pair whose register is dead after the fsflags:
  // nothing but the fsflags reads the value, and every path writes the
  // register before anything else can (markDeadFflagsReads). It reads only
  // the flags kept in the state, not the host's: the fsflags puts those
  // back and leaves the host's accrued, which is the same fflags.
  kDeadFflagsRead = 4,
};

} // namespace xlat::rv
