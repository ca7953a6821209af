#include "jit/ir_pipeline.h"

#include "lifter/core/memory_lowering.h"
#include "lifter/core/nan_canon.h"

#include <llvm/Analysis/AliasAnalysis.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/DeadStoreElimination.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/GVN.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/LoopUnrollPass.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include <mutex>

using namespace llvm;

namespace xlat::jit {

namespace {

// Lifted code is dense with memory effects that LLVM's analyses step over
// one at a time: each strict FP operation and each guest access is a
// MemoryDef, each sync a store. Their default walks (100 steps) end inside
// a 16-block region's loop, so a register the loop only reads was loaded
// from the state on every lap, GVN left loads of what the loop had just
// stored, and the loop-walk checks could not see the addresses (nbody's
// inner loop: four range checks and a load a lap). Regions are bounded,
// so longer walks are too: compiling lua and nbody ahead of time took
// 93.0 s and 44.0 s of CPU with these limits, 90.0 s and 54.7 s without
// (within the machine's noise). Set once per process, before any pipeline
// runs, through the options' registry.
void raiseAnalysisLimits() {
  static std::once_flag once;
  std::call_once(once, [] {
    StringMap<cl::Option *> &opts = cl::getRegisteredOptions();
    for (const char *name : {"memssa-check-limit", "memdep-block-scan-limit"})
      if (auto it = opts.find(name); it != opts.end())
        it->second->addOccurrence(0, name, "1000");
  });
}

} // namespace

struct BlockPipeline::Impl {
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder pb;
  FunctionPassManager fpm;

  Impl() {
    raiseAnalysisLimits();
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
    // Loops of a known trip count unrolled whole, then SROA again: an A64
    // AdvSIMD instruction's semantics loop over its lanes, which inlined
    // for one instruction is a loop of one, two or four trips over a
    // vector kept in memory; unrolled, the lanes are registers. fft's
    // vector loop (fmul and fadd .2d) went from 12.6 s to 4.2 s; the
    // compile thread's time grew 4-8% (xz, Lua).
    fpm.addPass(createFunctionToLoopPassAdaptor(LoopFullUnrollPass(2)));
    fpm.addPass(SROAPass(SROAOptions::ModifyCFG));
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
