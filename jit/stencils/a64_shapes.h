// A64 stencils specialised on an instruction's shape.
//
// One A64 semantic function serves every form of its instruction: both
// register widths (sf), the shifted, extended and immediate second
// operands (form, shift), every addressing mode (mode), every condition
// (cond), shifts by zero or more bits (amount), and register number 31 as
// SP or XZR. With those fields as holes a stencil tests them at run time
// (an ADD_REG stencil was 584 bytes); with them constant, LLVM folds the
// tests away. The generator (gen_stencils.cpp) makes a
// stencil per shape it finds an op's encodings to have, named
// <generic name>__<suffix>; the template tier (template_tier.cpp) takes
// the one for each instruction's shape, or the generic stencil, whose
// fields stay holes.
#pragma once

#include "lifter/aarch64/insn.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace xlat::jit::stencil {

struct A64Shape {
  uint8_t sf = 0, form = 0, shift = 0, mode = 0, cond = 0;
  bool amountZero = false;
  // Register 31 (SP or XZR by context): kAny31 assumes nothing; the others
  // that no register field the stencil reads is 31 but for Rd (kRd31), Rn
  // (kRn31) or Ra (kRa31: mul, which is madd with XZR), which is. The
  // tier checks the fields its code refers to.
  enum Reg31 : uint8_t { kAny31, kNo31, kRd31, kRn31, kRa31 };
  uint8_t reg31 = kAny31;
  // Every field whole: 44 bits.
  uint64_t key() const {
    return uint64_t(sf) | uint64_t(form) << 8 | uint64_t(shift) << 16 | uint64_t(mode) << 24 |
           uint64_t(cond) << 32 | uint64_t(amountZero) << 40 | uint64_t(reg31 & 7) << 41;
  }
  bool operator<(const A64Shape &o) const { return key() < o.key(); }
  bool operator==(const A64Shape &o) const { return key() == o.key(); }
};

inline A64Shape shapeOf(const a64::Insn &in) {
  return {in.sf, uint8_t(in.form), in.shift, uint8_t(in.mode), in.cond, in.amount == 0,
          A64Shape::kAny31};
}

// "__sf_form_shift_mode_cond_amountZero_reg31"
inline std::string shapeSuffix(const A64Shape &s) {
  char buf[48];
  snprintf(buf, sizeof buf, "__%u_%u_%u_%u_%u_%u_%u", s.sf, s.form, s.shift, s.mode, s.cond,
           unsigned(s.amountZero), unsigned(s.reg31));
  return buf;
}

// The shape a suffix names (text after the op's name); false if it names
// none.
inline bool parseShapeSuffix(const char *text, A64Shape &s) {
  unsigned sf, form, shift, mode, cond, zero, reg31;
  int end = 0;
  if (sscanf(text, "__%u_%u_%u_%u_%u_%u_%u%n", &sf, &form, &shift, &mode, &cond, &zero, &reg31,
             &end) != 7 ||
      text[end] != '\0' || reg31 > A64Shape::kRa31)
    return false;
  s = {uint8_t(sf), uint8_t(form), uint8_t(shift), uint8_t(mode), uint8_t(cond), zero != 0,
       uint8_t(reg31)};
  return true;
}

} // namespace xlat::jit::stencil
