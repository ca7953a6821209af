#include "lifter/core/memory_lowering.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

using namespace llvm;

namespace xlat {
namespace {

enum class MemOpKind { Load, Store, AtomicPtr };

struct MemOp {
  MemOpKind kind;
  unsigned size; // bytes (0 for AtomicPtr: size is an operand)
};

bool classify(StringRef name, MemOp &op) {
  static const struct {
    const char *name;
    MemOp op;
  } kOps[] = {
      {"xlat_ld8", {MemOpKind::Load, 1}},   {"xlat_ld16", {MemOpKind::Load, 2}},
      {"xlat_ld32", {MemOpKind::Load, 4}},  {"xlat_ld64", {MemOpKind::Load, 8}},
      {"xlat_st8", {MemOpKind::Store, 1}},  {"xlat_st16", {MemOpKind::Store, 2}},
      {"xlat_st32", {MemOpKind::Store, 4}}, {"xlat_st64", {MemOpKind::Store, 8}},
      {"xlat_atomic_ptr", {MemOpKind::AtomicPtr, 0}},
  };
  for (const auto &e : kOps)
    if (name == e.name) {
      op = e.op;
      return true;
    }
  return false;
}

class UserMemoryLowering final : public MemoryLowering {
public:
  UserMemoryLowering(uint64_t baseOff, uint64_t limitOff, uint64_t pcOff)
      : baseOff_(baseOff), limitOff_(limitOff), pcOff_(pcOff) {}

  void beginFunction(Function &f) override {
    fn_ = &f;
    base_ = limit_ = nullptr;
  }

  void lower(CallInst *call, Value *guestPc) override {
    MemOp op;
    bool known = classify(call->getCalledFunction()->getName(), op);
    assert(known && "not a memory operation");
    (void)known;
    loadBaseAndLimit(call->getArgOperand(0));

    IRBuilder<> b(call);
    Value *state = call->getArgOperand(0);
    Value *addr = call->getArgOperand(1);
    // The access's pc goes to the state first: a fault, reported by the
    // check below or by the host, then knows the faulting instruction.
    b.CreateStore(guestPc,
                  b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, pcOff_));
    Value *size = op.kind == MemOpKind::AtomicPtr
                      ? b.CreateZExt(call->getArgOperand(2), b.getInt64Ty())
                      : b.getInt64(op.size);
    // addr > limit - size  <=>  out of range (limit >= 8 always holds).
    Value *bad = b.CreateICmpUGT(addr, b.CreateSub(limit_, size));
    emitFaultCheck(call, bad, "xlat_mem_fault", state, addr);
    if (op.kind == MemOpKind::AtomicPtr) {
      IRBuilder<> b2(call);
      Value *mis = b2.CreateICmpNE(
          b2.CreateAnd(addr, b2.CreateSub(size, b2.getInt64(1))), b2.getInt64(0));
      emitFaultCheck(call, mis, "xlat_misaligned_fault", state, addr);
    }

    IRBuilder<> at(call);
    Value *host = at.CreateGEP(at.getInt8Ty(), base_, addr, "host");
    switch (op.kind) {
    case MemOpKind::Load: {
      LoadInst *ld = at.CreateAlignedLoad(call->getType(), host, Align(1));
      call->replaceAllUsesWith(ld);
      break;
    }
    case MemOpKind::Store:
      at.CreateAlignedStore(call->getArgOperand(2), host, Align(1));
      break;
    case MemOpKind::AtomicPtr:
      call->replaceAllUsesWith(host);
      break;
    }
    call->eraseFromParent();
  }

private:
  void loadBaseAndLimit(Value *state) {
    if (base_)
      return;
    BasicBlock &entry = fn_->getEntryBlock();
    IRBuilder<> b(&entry, entry.getFirstInsertionPt());
    auto *invariant = MDNode::get(b.getContext(), {});
    auto fieldLoad = [&](uint64_t off, Type *ty, const char *name) {
      Value *p = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, off);
      LoadInst *ld = b.CreateAlignedLoad(ty, p, Align(8), name);
      ld->setMetadata(LLVMContext::MD_invariant_load, invariant);
      return ld;
    };
    base_ = fieldLoad(baseOff_, b.getPtrTy(), "membase");
    limit_ = fieldLoad(limitOff_, b.getInt64Ty(), "memlimit");
  }

  // Splits before `at`; if `bad`, calls the noreturn fault handler. The
  // handler reads the guest state, so every guest register written before
  // this point is in memory when a fault is raised: faults are precise.
  void emitFaultCheck(Instruction *at, Value *bad, StringRef handler,
                      Value *state, Value *addr) {
    Module &m = *fn_->getParent();
    LLVMContext &ctx = m.getContext();
    Type *i64 = Type::getInt64Ty(ctx);
    FunctionCallee fault = m.getOrInsertFunction(
        handler, FunctionType::get(Type::getVoidTy(ctx),
                                   {PointerType::getUnqual(ctx), i64}, false));
    if (auto *f = dyn_cast<Function>(fault.getCallee())) {
      f->setDoesNotReturn();
      f->setDoesNotThrow();
      f->addFnAttr(Attribute::Cold);
      f->setOnlyReadsMemory();
      f->addParamAttr(0, Attribute::NoCapture);
      f->addParamAttr(0, Attribute::ReadOnly);
    }
    BasicBlock *head = at->getParent();
    BasicBlock *cont = head->splitBasicBlock(at, head->getName() + ".ok");
    BasicBlock *slow = BasicBlock::Create(ctx, "fault", fn_, cont);
    head->getTerminator()->eraseFromParent();
    IRBuilder<> b(head);
    MDBuilder md(ctx);
    b.CreateCondBr(bad, slow, cont, md.createBranchWeights(1, 1 << 20));
    IRBuilder<> s(slow);
    CallInst *c = s.CreateCall(fault, {state, addr});
    c->setDoesNotReturn();
    s.CreateUnreachable();
  }

  uint64_t baseOff_, limitOff_, pcOff_;
  Function *fn_ = nullptr;
  Value *base_ = nullptr, *limit_ = nullptr;
};

} // namespace

bool MemoryLowering::isMemoryOp(const CallInst &call) {
  const Function *f = call.getCalledFunction();
  MemOp op;
  return f && classify(f->getName(), op);
}

std::unique_ptr<MemoryLowering> createUserMemoryLowering(uint64_t baseOff,
                                                         uint64_t limitOff,
                                                         uint64_t pcOff) {
  return std::make_unique<UserMemoryLowering>(baseOff, limitOff, pcOff);
}

} // namespace xlat
