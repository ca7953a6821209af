// A64 stencils specialised on an instruction's shape.
//
// One A64 semantic function serves every form of its instruction: both
// register widths (sf), the shifted, extended and immediate second
// operands (form, shift), every addressing mode (mode), and shifts by zero
// or more bits (amount). With those fields as holes a stencil tests them
// at run time (an ADD_REG stencil was 584 bytes); with them constant,
// LLVM folds the tests away. The generator (gen_stencils.cpp) makes a
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
  uint8_t sf = 0, form = 0, shift = 0, mode = 0;
  bool amountZero = false;
  bool operator<(const A64Shape &o) const { return key() < o.key(); }
  bool operator==(const A64Shape &o) const { return key() == o.key(); }
  uint32_t key() const {
    return uint32_t(sf) << 24 | uint32_t(form) << 16 | uint32_t(shift) << 8 |
           uint32_t(mode) << 1 | uint32_t(amountZero);
  }
};

inline A64Shape shapeOf(const a64::Insn &in) {
  return {in.sf, uint8_t(in.form), in.shift, uint8_t(in.mode), in.amount == 0};
}

// "__sf_form_shift_mode_amountZero"
inline std::string shapeSuffix(const A64Shape &s) {
  char buf[40];
  snprintf(buf, sizeof buf, "__%u_%u_%u_%u_%u", s.sf, s.form, s.shift, s.mode,
           unsigned(s.amountZero));
  return buf;
}

// The shape a suffix names (text after the op's name); false if it names
// none.
inline bool parseShapeSuffix(const char *text, A64Shape &s) {
  unsigned sf, form, shift, mode, zero;
  int end = 0;
  if (sscanf(text, "__%u_%u_%u_%u_%u%n", &sf, &form, &shift, &mode, &zero, &end) != 5 ||
      text[end] != '\0')
    return false;
  s = {uint8_t(sf), uint8_t(form), uint8_t(shift), uint8_t(mode), zero != 0};
  return true;
}

} // namespace xlat::jit::stencil
