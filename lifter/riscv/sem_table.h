// The native semantic functions, indexed by Op: what the reference
// interpreter calls.
#pragma once

#include "lifter/riscv/insn.h"
#include "lifter/riscv/state.h"

namespace xlat::rv {

using SemFn = void (*)(RvState *, const Insn *);
SemFn semanticFunction(Op op);

} // namespace xlat::rv
