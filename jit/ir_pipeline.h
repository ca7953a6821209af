// The optimization pipelines applied to lifted IR.
#pragma once

#include "lifter/core/nan_canon.h"

#include <memory>
#include <optional>

namespace llvm {
class Module;
} // namespace llvm

namespace xlat::jit {

// The block tier's light pipeline: promote guest state to SSA within the
// block (SROA/EarlyCSE/GVN over the noalias state pointer), fold the decoded
// operands, remove dead state stores, simplify control flow. Built once and
// reused: setting up LLVM's analysis managers costs more than running the
// passes on one block. With fpRegs, syncs before accesses may keep raw
// doubles (see lowerNaNCanonicalization).
class BlockPipeline {
public:
  explicit BlockPipeline(std::optional<FpRegisterFile> fpRegs = std::nullopt);
  ~BlockPipeline();
  void run(llvm::Module &m);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::optional<FpRegisterFile> fpRegs_;
  bool avx_; // the host's: the code generator's encodings, for asm accesses
};

} // namespace xlat::jit
