#include "lifter/core/nan_canon.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>

#include <map>
#include <set>
#include <vector>

using namespace llvm;

namespace xlat {
namespace {

bool isMarker(const Instruction &inst) {
  auto *c = dyn_cast<CallInst>(&inst);
  Function *callee = c ? c->getCalledFunction() : nullptr;
  return callee && (callee->getName() == kNaNCanon32 ||
                    callee->getName() == kNaNCanon64);
}

struct Format {
  uint64_t sign, exp, canon;
};

// The canonical-NaN format of a 32- or 64-bit value, by width.
bool formatOf(Type *t, Format &f) {
  if (t->isFloatTy() || t->isIntegerTy(32)) {
    f = {0x80000000u, 0x7f800000u, 0x7fc00000u};
    return true;
  }
  if (t->isDoubleTy() || t->isIntegerTy(64)) {
    f = {0x8000000000000000ull, 0x7ff0000000000000ull, 0x7ff8000000000000ull};
    return true;
  }
  return false;
}

// v with any NaN replaced by the canonical one, in v's own type. A NaN is
// rare: the select is marked so, and becomes a branch off the value's
// path rather than a data dependency. The test is a quiet compare where
// the value is in an FP register: v is a result of host arithmetic, which
// is never a signaling NaN, so the compare raises no host flag.
Value *canonicalize(IRBuilder<> &b, Value *v) {
  Type *t = v->getType();
  Format f;
  formatOf(t, f);
  IntegerType *it = b.getIntNTy(t->getPrimitiveSizeInBits());
  Value *fp = t->isFloatingPointTy() ? v : nullptr;
  if (auto *bc = dyn_cast<BitCastInst>(v); bc && bc->getSrcTy()->isFloatingPointTy())
    fp = bc->getOperand(0);
  Value *x = t->isFloatingPointTy() ? b.CreateBitCast(v, it) : v;
  Value *nan = fp ? b.CreateFCmpUNO(fp, fp)
                  : b.CreateICmpUGT(b.CreateAnd(x, ConstantInt::get(it, ~f.sign)),
                                    ConstantInt::get(it, f.exp));
  MDNode *rare = MDBuilder(b.getContext()).createBranchWeights(1, 1 << 20);
  Value *r = b.CreateSelect(nan, ConstantInt::get(it, f.canon), x);
  if (auto *sel = dyn_cast<SelectInst>(r))
    sel->setMetadata(LLVMContext::MD_prof, rare);
  return t->isFloatingPointTy() ? b.CreateBitCast(r, t) : r;
}

// A constant that canonicalisation leaves as it is.
bool isCanonical(Constant *c) {
  if (isa<UndefValue>(c))
    return true;
  Format f;
  if (!formatOf(c->getType(), f))
    return false;
  APInt bits;
  if (auto *fp = dyn_cast<ConstantFP>(c))
    bits = fp->getValueAPF().bitcastToAPInt();
  else if (auto *ci = dyn_cast<ConstantInt>(c))
    bits = ci->getValue();
  else
    return false;
  uint64_t v = bits.getZExtValue();
  return (v & ~f.sign) <= f.exp || v == f.canon;
}

// A use whose result is the same for every quiet NaN operand: host
// arithmetic turns any NaN into some NaN (marked again if it is a result),
// comparisons and conversions to integers see only that it is a NaN.
bool seesOnlyNaNness(const Use &u) {
  auto *i = cast<Instruction>(u.getUser());
  switch (i->getOpcode()) {
  case Instruction::FAdd:
  case Instruction::FSub:
  case Instruction::FMul:
  case Instruction::FDiv:
  case Instruction::FCmp:
  case Instruction::FPTrunc:
  case Instruction::FPExt:
  case Instruction::FPToSI:
  case Instruction::FPToUI:
    return true;
  default:
    break;
  }
  auto *ii = dyn_cast<IntrinsicInst>(i);
  if (!ii || !ii->isArgOperand(&u))
    return false;
  switch (ii->getIntrinsicID()) {
  case Intrinsic::sqrt:
  case Intrinsic::fma:
  case Intrinsic::fmuladd:
  case Intrinsic::experimental_constrained_fadd:
  case Intrinsic::experimental_constrained_fsub:
  case Intrinsic::experimental_constrained_fmul:
  case Intrinsic::experimental_constrained_fdiv:
  case Intrinsic::experimental_constrained_sqrt:
  case Intrinsic::experimental_constrained_fma:
  case Intrinsic::experimental_constrained_fmuladd:
  case Intrinsic::experimental_constrained_fcmp:
  case Intrinsic::experimental_constrained_fcmps:
  case Intrinsic::experimental_constrained_fptrunc:
  case Intrinsic::experimental_constrained_fpext:
  case Intrinsic::experimental_constrained_fptosi:
  case Intrinsic::experimental_constrained_fptoui:
    return true;
  default:
    return false;
  }
}

// Instructions that pass a value on unchanged (as a whole, or one of two).
bool passesOn(const Use &u) {
  auto *i = cast<Instruction>(u.getUser());
  if (isa<PHINode>(i) || isa<BitCastInst>(i))
    return true;
  if (isa<SelectInst>(i))
    return u.getOperandNo() != 0;
  return false;
}

} // namespace

void lowerNaNCanonicalization(Function &f) {
  std::vector<CallInst *> markers;
  for (Instruction &inst : instructions(f))
    if (isMarker(inst))
      markers.push_back(cast<CallInst>(&inst));
  if (markers.empty())
    return;
  // Raw: values that hold a marked result's bits, which the guest sees
  // canonicalised. Start from the results and follow them through the
  // instructions that pass them on.
  std::set<Instruction *> raw, results;
  std::vector<Instruction *> work;
  for (CallInst *c : markers) {
    IRBuilder<> b(c);
    Value *arg = c->getArgOperand(0);
    if (isa<Constant>(arg)) {
      c->replaceAllUsesWith(canonicalize(b, b.CreateBitCast(arg, c->getType())));
    } else {
      auto *bits = cast<Instruction>(b.CreateBitCast(arg, c->getType()));
      c->replaceAllUsesWith(bits);
      raw.insert(bits);
      results.insert(bits);
      work.push_back(bits);
    }
    c->eraseFromParent();
  }
  Format fmt;
  while (!work.empty()) {
    Instruction *v = work.back();
    work.pop_back();
    for (Use &u : v->uses()) {
      auto *user = cast<Instruction>(u.getUser());
      if (passesOn(u) && formatOf(user->getType(), fmt) && raw.insert(user).second)
        work.push_back(user);
    }
  }
  // A join is raw only if everything that reaches it is: a loaded register
  // may be a NaN whose payload the guest must keep. Prune to a fixpoint.
  auto feedsRaw = [&](Value *in) {
    if (auto *c = dyn_cast<Constant>(in))
      return isCanonical(c);
    auto *i = dyn_cast<Instruction>(in);
    return i && raw.count(i);
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = raw.begin(); it != raw.end();) {
      Instruction *v = *it;
      bool keep = true;
      if (auto *phi = dyn_cast<PHINode>(v)) {
        for (Value *in : phi->incoming_values())
          keep &= feedsRaw(in);
      } else if (auto *sel = dyn_cast<SelectInst>(v)) {
        keep = feedsRaw(sel->getTrueValue()) && feedsRaw(sel->getFalseValue());
      } else if (auto *bc = dyn_cast<BitCastInst>(v)) {
        keep = results.count(bc) || feedsRaw(bc->getOperand(0));
      }
      if (keep) {
        ++it;
      } else {
        it = raw.erase(it);
        changed = true;
      }
    }
  }
  // Canonicalise where a raw value meets a use that can see its bits; for
  // a join, at the end of the incoming edge's block.
  std::vector<Instruction *> inOrder; // for code that does not vary by run
  for (Instruction &inst : instructions(f))
    if (raw.count(&inst))
      inOrder.push_back(&inst);
  for (Instruction *v : inOrder) {
    // Once per block: before the block's first use that sees bits.
    std::map<BasicBlock *, std::vector<Use *>> inBlock;
    for (Use &u : v->uses()) {
      auto *user = cast<Instruction>(u.getUser());
      if (raw.count(user) || seesOnlyNaNness(u))
        continue;
      auto *phi = dyn_cast<PHINode>(user);
      inBlock[phi ? phi->getIncomingBlock(u) : user->getParent()].push_back(&u);
    }
    for (auto &[bb, uses] : inBlock) {
      Instruction *at = bb->getTerminator();
      for (Use *u : uses)
        if (auto *user = cast<Instruction>(u->getUser());
            !isa<PHINode>(user) && user->comesBefore(at))
          at = user;
      IRBuilder<> b(at);
      Value *c = canonicalize(b, v);
      for (Use *u : uses)
        u->set(c);
    }
  }
}

} // namespace xlat
