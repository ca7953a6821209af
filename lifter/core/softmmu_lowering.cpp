// The system-mode lowering of the abstract memory operations: an inline
// probe of the runner's software TLB, a call to the runner on a miss (see
// memory_lowering.h for the table and the calls).
#include "lifter/core/mem_op_kinds.h"
#include "lifter/core/memory_lowering.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include <cassert>
#include <string>

using namespace llvm;

namespace xlat {
namespace {

class SoftMmuLowering final : public MemoryLowering {
public:
  SoftMmuLowering(uint64_t tlbOffset, SoftTlbFrom from)
      : tlbOffset_(tlbOffset), from_(from) {}

  void beginFunction(Function &f) override {
    fn_ = &f;
    tlb_ = nullptr;
  }

  void lower(CallInst *call, Value *guestPc) override {
    MemOp op;
    bool known = classifyMemOp(call->getCalledFunction()->getName(), op);
    assert(known && "not a memory operation");
    (void)known;
    Module &m = *fn_->getParent();
    IRBuilder<> b(call);
    // A miss may raise the guest's exception from the runner: the state
    // must be exact before every access.
    b.CreateCall(m.getOrInsertFunction(kStateSyncMarker, b.getVoidTy(), b.getInt1Ty()),
                 {b.getInt1(false)});
    Value *addr = call->getArgOperand(1);
    Value *result = nullptr;
    switch (op.kind) {
    case MemOpKind::Load:
    case MemOpKind::Store:
      result = lowerAccess(call, op, addr, guestPc);
      break;
    case MemOpKind::AtomicPtr:
    case MemOpKind::LrPtr: {
      const char *name = op.kind == MemOpKind::LrPtr ? "xlat_softmmu_lr_ptr"
                                                     : "xlat_softmmu_atomic_ptr";
      FunctionCallee fn = m.getOrInsertFunction(
          name, b.getPtrTy(), b.getPtrTy(), b.getInt64Ty(), b.getInt32Ty(), b.getInt64Ty());
      result = readsState(b.CreateCall(fn, {fn_->getArg(0), addr, call->getArgOperand(2), guestPc}));
      break;
    }
    }
    if (result)
      call->replaceAllUsesWith(result);
    call->eraseFromParent();
  }

private:
  // The call may raise the guest's exception, which reads the state: it
  // is passed (read-only), so that the registers synced into it before
  // are stored, not dropped as overwritten later (the state is noalias).
  static CallInst *readsState(CallInst *c) {
    c->addParamAttr(0, Attribute::ReadOnly);
    c->addParamAttr(0, Attribute::NoCapture);
    return c;
  }

  Value *table() {
    if (tlb_)
      return tlb_;
    if (from_ == SoftTlbFrom::Argument)
      return tlb_ = fn_->getArg(1);
    // Loaded once at entry: the runner selects the table (privilege, SUM)
    // only outside translated code.
    BasicBlock &entry = fn_->getEntryBlock();
    IRBuilder<> b(&entry, entry.getFirstInsertionPt());
    Value *p = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), fn_->getArg(0), tlbOffset_);
    LoadInst *ld = b.CreateAlignedLoad(b.getPtrTy(), p, Align(8), "softtlb");
    ld->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(b.getContext(), {}));
    return tlb_ = ld;
  }

  // hit: tag(addr) == page of the last byte; then host = addr + addend.
  Value *lowerAccess(CallInst *call, const MemOp &op, Value *addr, Value *guestPc) {
    bool store = op.kind == MemOpKind::Store;
    Value *tlb = table();
    BasicBlock *head = call->getParent();
    LLVMContext &ctx = head->getContext();
    Module &m = *fn_->getParent();
    IRBuilder<> b(call);
    Type *i64 = b.getInt64Ty();
    Value *last = op.size > 1 ? b.CreateAdd(addr, b.getInt64(op.size - 1)) : addr;
    Value *page = b.CreateAnd(last, b.getInt64(~uint64_t(0xfff)));
    Value *slot = b.CreateShl(
        b.CreateAnd(b.CreateLShr(addr, 12), b.getInt64(kSoftTlbEntries - 1)),
        b.getInt64(5)); // kSoftTlbEntrySize
    Value *entry = b.CreateInBoundsGEP(b.getInt8Ty(), tlb, slot);
    Value *tag = b.CreateAlignedLoad(
        i64, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), entry,
                                          store ? kSoftTlbWriteTag : kSoftTlbReadTag),
        Align(8), "tag");
    Value *hit = b.CreateICmpEQ(page, tag);

    BasicBlock *tail = head->splitBasicBlock(call->getIterator(), "access.done");
    BasicBlock *fast = BasicBlock::Create(ctx, "access.hit", fn_, tail);
    BasicBlock *slow = BasicBlock::Create(ctx, "access.miss", fn_, tail);
    head->getTerminator()->eraseFromParent();
    IRBuilder<> hb(head);
    hb.CreateCondBr(hit, fast, slow, MDBuilder(ctx).createBranchWeights(1000, 1));

    Type *valTy = store ? nullptr : call->getType();
    IRBuilder<> fb(fast);
    Value *addend = fb.CreateAlignedLoad(
        i64, fb.CreateConstInBoundsGEP1_64(fb.getInt8Ty(), entry, kSoftTlbAddend),
        Align(8), "addend");
    Value *host = fb.CreateIntToPtr(fb.CreateAdd(addr, addend), fb.getPtrTy());
    // Volatile: guest memory is shared with other harts, devices (DMA) and
    // trap handlers, so an access is never merged with another, dropped,
    // or hoisted out of a loop (a spin on a flag an interrupt sets).
    Value *fastVal = nullptr;
    if (store)
      fb.CreateAlignedStore(call->getArgOperand(2), host, Align(1), /*isVolatile=*/true);
    else
      fastVal = fb.CreateAlignedLoad(valTy, host, Align(1), /*isVolatile=*/true);
    fb.CreateBr(tail);

    IRBuilder<> sb(slow);
    std::string bits = std::to_string(op.size * 8);
    Value *slowVal = nullptr;
    Value *state = fn_->getArg(0);
    Type *ptr = sb.getPtrTy();
    if (store) {
      FunctionCallee fn = m.getOrInsertFunction("xlat_softmmu_st" + bits, sb.getVoidTy(),
                                                ptr, i64, i64, i64);
      readsState(sb.CreateCall(
          fn, {state, addr, sb.CreateZExt(call->getArgOperand(2), i64), guestPc}));
    } else {
      FunctionCallee fn = m.getOrInsertFunction("xlat_softmmu_ld" + bits, i64, ptr, i64, i64);
      slowVal = sb.CreateTrunc(readsState(sb.CreateCall(fn, {state, addr, guestPc})), valTy);
    }
    sb.CreateBr(tail);

    if (store)
      return nullptr;
    IRBuilder<> tb(&*tail->begin());
    PHINode *phi = tb.CreatePHI(valTy, 2);
    phi->addIncoming(fastVal, fast);
    phi->addIncoming(slowVal, slow);
    return phi;
  }

  uint64_t tlbOffset_;
  SoftTlbFrom from_;
  Function *fn_ = nullptr;
  Value *tlb_ = nullptr;
};

} // namespace

std::unique_ptr<MemoryLowering> createSoftMmuLowering(uint64_t tlbOffset,
                                                      SoftTlbFrom from) {
  return std::make_unique<SoftMmuLowering>(tlbOffset, from);
}

} // namespace xlat
