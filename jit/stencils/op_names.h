// Each op's ID as stencils are named after it (xlat_st_<ID>,
// xlat_st_a64_<ID>): what the generator names and the template tier looks
// up.
#pragma once

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

} // namespace xlat::jit::stencil
