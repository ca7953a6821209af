// Lifting RV64 guest blocks to LLVM IR by inlining the semantics bitcode.
#pragma once

#include "lifter/core/memory_lowering.h"
#include "lifter/riscv/block.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Function;
class LLVMContext;
class Module;
} // namespace llvm

namespace xlat::rv {

// Owns the parsed semantics module. Not thread-safe: one Lifter per thread
// that translates, each with its own LLVMContext.
class Lifter {
public:
  static std::unique_ptr<Lifter> create(llvm::LLVMContext &ctx,
                                        std::unique_ptr<MemoryLowering> mem,
                                        std::string &err);
  ~Lifter();

  // Lifts `block` into a new module holding one external function `name` of
  // type void(ptr noalias %state). The function runs the block's
  // instructions against the state and leaves s->pc at the next guest pc
  // (and s->exit_reason set if an instruction trapped). Not yet optimized.
  std::unique_ptr<llvm::Module> liftBlock(const GuestBlock &block,
                                          const std::string &name);

private:
  explicit Lifter(llvm::LLVMContext &ctx) : ctx_(ctx) {}
  bool resolveSemantics(std::string &err);
  llvm::Function *buildBlockFunction(const GuestBlock &block,
                                     const std::string &name);
  void inlineSemantics(llvm::CallInst *call, uint64_t guestPc);
  std::unique_ptr<llvm::Module> extractFunction(llvm::Function *f);

  llvm::LLVMContext &ctx_;
  std::unique_ptr<llvm::Module> sem_;
  std::unique_ptr<MemoryLowering> mem_;
  std::vector<llvm::Function *> semFn_;  // indexed by Op
  std::vector<bool> mayTrap_;            // semantics may set exit_reason
};

} // namespace xlat::rv
