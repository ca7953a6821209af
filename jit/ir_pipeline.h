// The optimization pipelines applied to lifted IR.
#pragma once

#include <memory>

namespace llvm {
class Module;
} // namespace llvm

namespace xlat::jit {

// The block tier's light pipeline: promote guest state to SSA within the
// block (SROA/EarlyCSE/GVN over the noalias state pointer), fold the decoded
// operands, remove dead state stores, simplify control flow. Built once and
// reused: setting up LLVM's analysis managers costs more than running the
// passes on one block.
class BlockPipeline {
public:
  BlockPipeline();
  ~BlockPipeline();
  void run(llvm::Module &m);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xlat::jit
