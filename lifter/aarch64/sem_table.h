// The native A64 semantic functions, indexed by Op: what the interpreter
// calls. Null for an instruction whose semantics are not written yet.
#pragma once

#include "lifter/aarch64/insn.h"
#include "lifter/aarch64/state.h"

namespace xlat::a64 {

using SemFn = void (*)(A64State *, const Insn *);
SemFn semanticFunction(Op op);

} // namespace xlat::a64
