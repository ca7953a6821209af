// The native A64 semantic functions, indexed by Op: what the interpreter
// calls. Every instruction in insns.def has one, and so does ILLEGAL.
#pragma once

#include "lifter/aarch64/insn.h"
#include "lifter/aarch64/state.h"

namespace xlat::a64 {

using SemFn = void (*)(A64State *, const Insn *);
SemFn semanticFunction(Op op);

} // namespace xlat::a64
