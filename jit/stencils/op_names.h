// Each op's ID as stencils are named after it (xlat_st_<ID>,
// xlat_st_a64_<ID>), and the conditional branches that also have split
// stencils (xlat_st_<ID>_split): what the generator makes and the template
// tier looks up.
#pragma once

#include "lifter/aarch64/insn.h"
#include "lifter/riscv/insn.h"

namespace xlat::jit::stencil {

inline constexpr const char *kRvOpNames[] = {
    "ILLEGAL",
#define RV_INSN(ID, MN, PAT, FMT, FLAGS) #ID,
#include "lifter/riscv/insns.def"
#undef RV_INSN
};

inline constexpr const char *kA64OpNames[] = {
    "ILLEGAL",
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) #ID,
#define A64_FORM(ID, PAT, FMT)
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
};

inline constexpr rv::Op kRvSplitBranches[] = {rv::Op::BEQ, rv::Op::BNE, rv::Op::BLT,
                                               rv::Op::BGE, rv::Op::BLTU, rv::Op::BGEU};
inline constexpr a64::Op kA64SplitBranches[] = {a64::Op::B_COND, a64::Op::CBZ, a64::Op::CBNZ,
                                                a64::Op::TBZ, a64::Op::TBNZ};

} // namespace xlat::jit::stencil
