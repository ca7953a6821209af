// The A64 semantics bitcode the LLVM tiers will inline
// (xlat_a64_semantics_bc): it parses, defines a semantic function for
// every instruction the native table has, and calls nothing a
// translation could not reach: the memory operations and host services
// that translated code calls by name (lifter/core/mem_ops.h, host_ops.h),
// the host's libm, and LLVM intrinsics.
#include "lifter/aarch64/insn.h"
#include "lifter/aarch64/sem_table.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

extern "C" const char xlat_a64_semantics_bc[];
extern "C" const char xlat_a64_semantics_bc_end[];

namespace {

const char *const kIds[] = {
    "ILLEGAL",
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) #ID,
#define A64_FORM(ID, PAT, FMT)
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
};

std::unique_ptr<llvm::Module> load(llvm::LLVMContext &ctx) {
  llvm::StringRef bytes(xlat_a64_semantics_bc, xlat_a64_semantics_bc_end - xlat_a64_semantics_bc);
  auto m = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bytes, "a64_semantics.bc"), ctx);
  if (!m) {
    ADD_FAILURE() << llvm::toString(m.takeError());
    return nullptr;
  }
  return std::move(*m);
}

TEST(A64Bitcode, DefinesEverySemanticFunction) {
  llvm::LLVMContext ctx;
  auto m = load(ctx);
  ASSERT_TRUE(m);
  int native = 0, defined = 0;
  for (size_t op = 1; op < size_t(xlat::a64::Op::NumOps); op++) {
    if (!xlat::a64::semanticFunction(xlat::a64::Op(op)))
      continue;
    native++;
    std::string name = std::string("a64_sem_") + kIds[op];
    llvm::Function *f = m->getFunction(name);
    EXPECT_TRUE(f && !f->isDeclaration()) << name;
    defined += f && !f->isDeclaration();
  }
  EXPECT_EQ(defined, native);
  EXPECT_GT(native, 400); // the whole table: every instruction has semantics
}

// What the semantics may call that the bitcode does not define.
TEST(A64Bitcode, CallsOnlyWhatTranslatedCodeReaches) {
  llvm::LLVMContext ctx;
  auto m = load(ctx);
  ASSERT_TRUE(m);
  const std::set<std::string> allowed = {
      // lifter/core/mem_ops.h
      "xlat_ld8", "xlat_ld16", "xlat_ld32", "xlat_ld64", "xlat_st8", "xlat_st16",
      "xlat_st32", "xlat_st64", "xlat_atomic_ptr", "xlat_lr_ptr",
      // lifter/core/host_ops.h
      "xlat_host_time",
      // sem/fp_arith.cpp: FP arithmetic's general path, the runner's copy
      "xlat_a64_fp_slow",
      // libm, which strict FP keeps as calls (the JIT resolves them in
      // the host process)
      "ldexp", "frexp"};
  for (llvm::Function &f : *m) {
    if (!f.isDeclaration() || f.isIntrinsic() || f.use_empty())
      continue;
    EXPECT_TRUE(allowed.count(f.getName().str())) << "calls " << f.getName().str();
  }
  // No C++ runtime: no global constructors, no exception handling.
  EXPECT_EQ(m->getNamedGlobal("llvm.global_ctors"), nullptr);
  for (llvm::Function &f : *m)
    EXPECT_FALSE(f.hasPersonalityFn()) << f.getName().str();
}

// No function of the semantics stores the state's address in memory (a
// lambda's closure that clang left out of line): the lifter keeps a
// block's registers in host registers only while the state's copy does
// not escape, and would run such an instruction's block on the state in
// memory instead, slowly and silently.
TEST(A64Bitcode, StateAddressNeverStored) {
  llvm::LLVMContext ctx;
  auto m = load(ctx);
  ASSERT_TRUE(m);
  for (llvm::Function &f : *m) {
    if (f.isDeclaration() || f.arg_empty() || !f.getArg(0)->getType()->isPointerTy())
      continue;
    for (llvm::User *u : f.getArg(0)->users())
      if (auto *st = llvm::dyn_cast<llvm::StoreInst>(u))
        EXPECT_NE(st->getValueOperand(), f.getArg(0)) << f.getName().str();
  }
}

} // namespace
