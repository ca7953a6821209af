// The optimization pipelines applied to lifted IR.
#pragma once

namespace llvm {
class Module;
} // namespace llvm

namespace xlat::jit {

// The block tier's light pipeline: promote guest state to SSA within the
// block (SROA/EarlyCSE/GVN over the noalias state pointer), fold the decoded
// operands, remove dead state stores, simplify control flow.
void optimizeBlockModule(llvm::Module &m);

} // namespace xlat::jit
