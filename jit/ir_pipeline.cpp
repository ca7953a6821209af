#include "jit/ir_pipeline.h"

#include "lifter/core/memory_lowering.h"
#include "lifter/core/nan_canon.h"

#include <llvm/Analysis/AliasAnalysis.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/DeadStoreElimination.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/GVN.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

using namespace llvm;

namespace xlat::jit {

struct BlockPipeline::Impl {
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder pb;
  FunctionPassManager fpm;

  Impl() {
    fam.registerPass([&] { return pb.buildDefaultAAPipeline(); });
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);

    fpm.addPass(SROAPass(SROAOptions::ModifyCFG));
    fpm.addPass(EarlyCSEPass(/*UseMemorySSA=*/true));
    fpm.addPass(InstCombinePass());
    fpm.addPass(SimplifyCFGPass());
    fpm.addPass(GVNPass());
    // A region's loops: registers the loop only reads are loaded once, and
    // the pc an exit stores is computed at the exit, not on every lap.
    fpm.addPass(createFunctionToLoopPassAdaptor(LICMPass(LICMOptions()),
                                                /*UseMemorySSA=*/true));
    fpm.addPass(DSEPass());
    fpm.addPass(InstCombinePass());
    fpm.addPass(SimplifyCFGPass());
  }
};

BlockPipeline::BlockPipeline(std::optional<FpRegisterFile> fpRegs)
    : impl_(std::make_unique<Impl>()), fpRegs_(fpRegs),
      avx_(sys::getHostCPUFeatures().lookup("avx")) {}
BlockPipeline::~BlockPipeline() = default;

void BlockPipeline::run(Module &m) {
  for (Function &f : m) {
    if (f.isDeclaration())
      continue;
    impl_->fpm.run(f, impl_->fam);
    // After SROA: registers are SSA values, so results that only feed
    // arithmetic can be told apart from those whose bits are seen.
    lowerNaNCanonicalization(f, fpRegs_ ? &*fpRegs_ : nullptr);
    fpPhisInSseRegisters(f);
    placeFpSpills(f);
    fpAccessesInSseRegisters(f, avx_);
    checkLoopWalksOnEntry(f);
    dropDominatedRangeChecks(f);
    // The module is handed to the JIT next: drop every cached analysis.
    impl_->fam.clear(f, f.getName());
  }
  impl_->mam.clear(m, m.getName());
}

} // namespace xlat::jit
