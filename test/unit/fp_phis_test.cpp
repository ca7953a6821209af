// FP registers in SSE registers round loop nests (fpPhisInSseRegisters,
// lifter/core/memory_lowering.h): the joins of an FP register's bits that
// an inner loop made become joins of doubles, outward to the outer loop's
// header, so that the inner loop moves no double into a general-purpose
// register on every lap.
#include "lifter/core/memory_lowering.h"

#include <gtest/gtest.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/SourceMgr.h>

namespace {

// fft's matrix loop as a region holds it: the inner loop makes fa5 (a
// double whose bits the state keeps), the outer loop carries it round,
// the exit stores it.
constexpr const char *kNest = R"(
define void @nest(ptr %s, i64 %n) {
entry:
  %fa5.in = load i64, ptr %s
  br label %outer
outer:
  %o = phi i64 [ 0, %entry ], [ %o.next, %outer.latch ]
  %fa5.o = phi i64 [ %fa5.in, %entry ], [ %fa5.lcssa, %outer.latch ]
  br label %inner
inner:
  %i = phi i64 [ 0, %outer ], [ %i.next, %inner ]
  %p = getelementptr double, ptr %s, i64 %i
  %x = load double, ptr %p
  %sum = fadd double %x, 1.0
  %bits = bitcast double %sum to i64
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %inner, label %outer.latch
outer.latch:
  %fa5.lcssa = phi i64 [ %bits, %inner ]
  %o.next = add i64 %o, 1
  %again = icmp ult i64 %o.next, %n
  br i1 %again, label %outer, label %exit
exit:
  store i64 %fa5.lcssa, ptr %s
  ret void
}
)";

llvm::BasicBlock *blockNamed(llvm::Function &f, llvm::StringRef name) {
  for (llvm::BasicBlock &bb : f)
    if (bb.getName() == name)
      return &bb;
  return nullptr;
}

TEST(FpPhis, NestedLoopsCarryDoubles) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(kNest, err, ctx);
  ASSERT_TRUE(m) << err.getMessage().str();
  llvm::Function &f = *m->getFunction("nest");
  xlat::fpPhisInSseRegisters(f);
  EXPECT_FALSE(llvm::verifyFunction(f, &llvm::errs()));
  // Both joins are of doubles now: the inner loop's value as it leaves,
  // and the outer header's (the entry's bits cast once, before the loop).
  for (const char *name : {"outer", "outer.latch", "inner", "exit"})
    ASSERT_TRUE(blockNamed(f, name)) << name;
  for (const char *name : {"outer", "outer.latch"}) {
    llvm::BasicBlock *bb = blockNamed(f, name);
    ASSERT_TRUE(bb) << name;
    bool doubles = false;
    for (llvm::PHINode &phi : bb->phis())
      doubles |= phi.getType()->isDoubleTy();
    EXPECT_TRUE(doubles) << name;
  }
  // The inner loop makes no bits of a double; the exit's store takes them.
  for (llvm::Instruction &inst : *blockNamed(f, "inner"))
    EXPECT_FALSE(llvm::isa<llvm::BitCastInst>(inst)) << "bitcast in the inner loop";
  llvm::StoreInst *store = nullptr;
  for (llvm::Instruction &inst : *blockNamed(f, "exit"))
    if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&inst))
      store = st;
  ASSERT_TRUE(store);
  auto *bits = llvm::dyn_cast<llvm::BitCastInst>(store->getValueOperand());
  ASSERT_TRUE(bits);
  EXPECT_TRUE(bits->getSrcTy()->isDoubleTy());
}

// An integer register holding a double's bits and used as an integer is
// left alone: its join stays an i64.
TEST(FpPhis, IntegerUsesKeepBits) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(R"(
define i64 @moved(ptr %s, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %a0 = phi i64 [ 0, %entry ], [ %bits, %loop ]
  %x = load double, ptr %s
  %bits = bitcast double %x to i64
  %mix = xor i64 %a0, %i
  store i64 %mix, ptr %s
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %exit
exit:
  ret i64 %a0
}
)", err, ctx);
  ASSERT_TRUE(m) << err.getMessage().str();
  llvm::Function &f = *m->getFunction("moved");
  xlat::fpPhisInSseRegisters(f);
  EXPECT_FALSE(llvm::verifyFunction(f, &llvm::errs()));
  for (llvm::PHINode &phi : blockNamed(f, "loop")->phis())
    EXPECT_TRUE(phi.getType()->isIntegerTy(64));
}

} // namespace
