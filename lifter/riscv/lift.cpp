#include "lifter/riscv/lift.h"

#include "lifter/riscv/decoder.h"
#include "lifter/riscv/state.h"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Operator.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <cstddef>
#include <functional>
#include <map>

using namespace llvm;

extern "C" const char xlat_rv64_semantics_bc[];
extern "C" const char xlat_rv64_semantics_bc_end[];

namespace xlat::rv {
namespace {

constexpr const char *kSemNames[] = {
    "rv_sem_ILLEGAL",
#define RV_INSN(ID, MN, PAT, FMT, FLAGS) "rv_sem_" #ID,
#include "lifter/riscv/insns.def"
#undef RV_INSN
};
static_assert(std::size(kSemNames) == static_cast<size_t>(Op::NumOps));

// Does a store in `f` (or a defined callee handed the state) write
// RvState::exit_reason?
bool writesExitReason(const Function &f, const DataLayout &dl, unsigned depth = 0) {
  if (f.isDeclaration() || depth > 4)
    return false;
  const Argument *state = f.arg_size() ? f.getArg(0) : nullptr;
  for (const Instruction &inst : instructions(f)) {
    if (auto *st = dyn_cast<StoreInst>(&inst)) {
      APInt off(64, 0);
      const Value *base =
          st->getPointerOperand()->stripAndAccumulateConstantOffsets(dl, off, true);
      if (base == state && off == offsetof(RvState, exit_reason))
        return true;
    } else if (auto *call = dyn_cast<CallBase>(&inst)) {
      const Function *callee = call->getCalledFunction();
      if (callee && !callee->isDeclaration() &&
          writesExitReason(*callee, dl, depth + 1))
        return true;
    }
  }
  return false;
}

} // namespace

Lifter::~Lifter() = default;

std::unique_ptr<Lifter> Lifter::create(LLVMContext &ctx,
                                       std::unique_ptr<MemoryLowering> mem,
                                       std::string &err) {
  std::unique_ptr<Lifter> l(new Lifter(ctx));
  l->mem_ = std::move(mem);
  StringRef bytes(xlat_rv64_semantics_bc,
                  xlat_rv64_semantics_bc_end - xlat_rv64_semantics_bc);
  Expected<std::unique_ptr<Module>> m =
      parseBitcodeFile(MemoryBufferRef(bytes, "rv64_semantics.bc"), ctx);
  if (!m) {
    err = "cannot load the semantics bitcode: " + toString(m.takeError());
    return nullptr;
  }
  l->sem_ = std::move(*m);
  if (!l->resolveSemantics(err))
    return nullptr;
  return l;
}

bool Lifter::resolveSemantics(std::string &err) {
  const DataLayout &dl = sem_->getDataLayout();
  for (const char *name : kSemNames) {
    Function *f = sem_->getFunction(name);
    if (!f || f->isDeclaration()) {
      err = std::string("semantics bitcode lacks ") + name;
      return false;
    }
    semFn_.push_back(f);
    mayTrap_.push_back(writesExitReason(*f, dl));
  }
  return true;
}

Function *Lifter::semantics(Op op) const {
  return semFn_[static_cast<size_t>(op)];
}
bool Lifter::mayTrap(Op op) const { return mayTrap_[static_cast<size_t>(op)]; }
void Lifter::beginFunction(Function &f) { mem_->beginFunction(f); }

Value *Lifter::makeInsnSlot(IRBuilderBase &b, const InsnFields &in) {
  Function *f = b.GetInsertBlock()->getParent();
  IRBuilder<> entry(&f->getEntryBlock(), f->getEntryBlock().begin());
  AllocaInst *slot = entry.CreateAlloca(
      ArrayType::get(b.getInt8Ty(), sizeof(Insn)), nullptr, "insn");
  slot->setAlignment(Align(8));
  auto field = [&](size_t off, Type *ty, Value *v) {
    b.CreateStore(b.CreateZExtOrTrunc(v, ty),
                  b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), slot, off));
  };
  field(offsetof(Insn, pc), b.getInt64Ty(), in.pc);
  field(offsetof(Insn, imm), b.getInt64Ty(), in.imm);
  field(offsetof(Insn, raw), b.getInt32Ty(), in.raw);
  field(offsetof(Insn, op), b.getInt16Ty(), in.op);
  field(offsetof(Insn, len), b.getInt8Ty(), in.len);
  field(offsetof(Insn, rd), b.getInt8Ty(), in.rd);
  field(offsetof(Insn, rs1), b.getInt8Ty(), in.rs1);
  field(offsetof(Insn, rs2), b.getInt8Ty(), in.rs2);
  field(offsetof(Insn, rs3), b.getInt8Ty(), in.rs3);
  field(offsetof(Insn, rm), b.getInt8Ty(), in.rm);
  return slot;
}

void Lifter::inlineSemantics(CallInst *call, Value *guestPc) {
  InlineFunctionInfo info;
  InlineResult r = InlineFunction(*call, info);
  assert(r.isSuccess() && "semantics must be inlinable");
  (void)r;
  for (CallBase *cb : info.InlinedCallSites) {
    auto *c = dyn_cast<CallInst>(cb);
    if (!c || !c->getCalledFunction())
      continue;
    if (MemoryLowering::isMemoryOp(*c))
      mem_->lower(c, guestPc);
    else if (!c->getCalledFunction()->isDeclaration())
      inlineSemantics(c, guestPc);
  }
}

void Lifter::emitChaining(Function *f, BasicBlock *from, BasicBlock *exit,
                          const std::vector<uint64_t> &succs,
                          const LinkCellFn &linkCell,
                          const std::map<uint64_t, BasicBlock *> &local,
                          bool isReturn) {
  IRBuilder<> b(from);
  Value *state = f->getArg(0);
  // A pending interrupt sends control back to the runner.
  LoadInst *intr = b.CreateAlignedLoad(
      b.getInt32Ty(),
      b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                   offsetof(RvState, interrupt)),
      Align(4));
  intr->setAtomic(AtomicOrdering::Monotonic);
  BasicBlock *check = BasicBlock::Create(ctx_, "chain", f, exit);
  b.CreateCondBr(b.CreateICmpNE(intr, b.getInt32(0)), exit, check);
  b.SetInsertPoint(check);
  Value *pc = b.CreateLoad(
      b.getInt64Ty(),
      b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, offsetof(RvState, pc)));
  auto count = [&](size_t off) {
    if (!countBlocks_)
      return;
    Value *p = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, off);
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), p), b.getInt64(1)), p);
  };
  auto tailCall = [&](Value *fn) {
    CallInst *c = b.CreateCall(
        FunctionType::get(b.getVoidTy(), {b.getPtrTy()}, false), fn, {state});
    c->setTailCallKind(CallInst::TCK_MustTail);
    b.CreateRetVoid();
  };
  if (isReturn) {
    // A return: if the shadow stack's top is this pc, pop it and go
    // through its link cell; otherwise on to the IBTC.
    count(offsetof(RvState, shadow_probes));
    Value *topField = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                   offsetof(RvState, shadow_top));
    Value *top = b.CreateLoad(b.getInt64Ty(), topField);
    Value *entry = b.CreateGEP(
        b.getInt8Ty(), state,
        b.CreateAdd(b.CreateShl(b.CreateAnd(top, b.getInt64(kShadowSize - 1)), 4),
                    b.getInt64(offsetof(RvState, shadow))));
    BasicBlock *match = BasicBlock::Create(ctx_, "shadow.match", f, exit);
    BasicBlock *hit = BasicBlock::Create(ctx_, "shadow.hit", f, exit);
    BasicBlock *miss = BasicBlock::Create(ctx_, "shadow.miss", f, exit);
    b.CreateCondBr(b.CreateICmpEQ(b.CreateLoad(b.getInt64Ty(), entry), pc), match,
                   miss);
    b.SetInsertPoint(match);
    b.CreateStore(b.CreateSub(top, b.getInt64(1)), topField);
    Value *cell = b.CreateLoad(b.getPtrTy(),
                               b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), entry, 8));
    LoadInst *fn = b.CreateAlignedLoad(b.getPtrTy(), cell, Align(8));
    fn->setAtomic(AtomicOrdering::Monotonic);
    b.CreateCondBr(b.CreateIsNotNull(fn), hit, miss);
    b.SetInsertPoint(hit);
    count(offsetof(RvState, shadow_hits));
    tailCall(fn);
    b.SetInsertPoint(miss);
  }
  if (succs.empty()) {
    // An indirect jump: probe this thread's IBTC, {pc, fn} pairs indexed
    // by (pc >> 1) % kIbtcSize, filled by the runner.
    Value *table = b.CreateLoad(
        b.getPtrTy(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                   offsetof(RvState, ibtc)));
    Value *idx = b.CreateAnd(b.CreateLShr(pc, 1), b.getInt64(kIbtcSize - 1));
    Value *slot = b.CreateGEP(b.getInt8Ty(), table, b.CreateShl(idx, 4));
    Value *slotPc = b.CreateLoad(b.getInt64Ty(), slot);
    count(offsetof(RvState, ibtc_probes));
    BasicBlock *hit = BasicBlock::Create(ctx_, "ibtc.hit", f, exit);
    b.CreateCondBr(b.CreateICmpEQ(slotPc, pc), hit, exit);
    b.SetInsertPoint(hit);
    count(offsetof(RvState, ibtc_hits));
    tailCall(b.CreateLoad(b.getPtrTy(),
                          b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), slot, 8)));
    return;
  }
  for (uint64_t target : succs) {
    if (auto it = local.find(target); it != local.end()) {
      // Inside the region: an ordinary branch.
      BasicBlock *next = BasicBlock::Create(ctx_, "", f, exit);
      b.CreateCondBr(b.CreateICmpEQ(pc, b.getInt64(target)), it->second, next);
      b.SetInsertPoint(next);
      continue;
    }
    uint64_t cell = linkCell ? linkCell(target) : 0;
    if (!cell)
      continue;
    BasicBlock *load = BasicBlock::Create(ctx_, "link", f, exit);
    BasicBlock *next = BasicBlock::Create(ctx_, "", f, exit);
    b.CreateCondBr(b.CreateICmpEQ(pc, b.getInt64(target)), load, next);
    b.SetInsertPoint(load);
    Value *cellPtr = b.CreateIntToPtr(b.getInt64(cell), b.getPtrTy());
    LoadInst *fn = b.CreateAlignedLoad(b.getPtrTy(), cellPtr, Align(8));
    fn->setAtomic(AtomicOrdering::Monotonic);
    BasicBlock *call = BasicBlock::Create(ctx_, "tail", f, exit);
    b.CreateCondBr(b.CreateIsNotNull(fn), call, exit);
    b.SetInsertPoint(call);
    CallInst *c = b.CreateCall(
        FunctionType::get(b.getVoidTy(), {b.getPtrTy()}, false), fn, {state});
    c->setTailCallKind(CallInst::TCK_MustTail);
    b.CreateRetVoid();
    b.SetInsertPoint(next);
  }
  b.CreateBr(exit);
}

void Lifter::emitShadowPush(IRBuilderBase &b, Value *state, uint64_t retPc,
                            uint64_t cell) {
  Value *topField = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                 offsetof(RvState, shadow_top));
  Value *top = b.CreateAdd(b.CreateLoad(b.getInt64Ty(), topField), b.getInt64(1));
  b.CreateStore(top, topField);
  Value *entry = b.CreateGEP(
      b.getInt8Ty(), state,
      b.CreateAdd(b.CreateShl(b.CreateAnd(top, b.getInt64(kShadowSize - 1)), 4),
                  b.getInt64(offsetof(RvState, shadow))));
  b.CreateStore(b.getInt64(retPc), entry);
  b.CreateStore(b.CreateIntToPtr(b.getInt64(cell), b.getPtrTy()),
                b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), entry, 8));
}

Function *Lifter::buildFunction(const std::vector<GuestBlock> &blocks,
                                const std::string &name,
                                const LinkCellFn &linkCell,
                                HotCounter counter) {
  auto *fnTy = FunctionType::get(Type::getVoidTy(ctx_),
                                 {PointerType::getUnqual(ctx_)}, false);
  Function *f = Function::Create(fnTy, GlobalValue::ExternalLinkage, name, *sem_);
  f->addParamAttr(0, Attribute::NoAlias);
  f->addParamAttr(0, Attribute::NoCapture);
  f->addFnAttr(Attribute::NoUnwind);
  f->addFnAttr(Attribute::StrictFP);
  mem_->beginFunction(*f);

  BasicBlock *entry = BasicBlock::Create(ctx_, "entry", f);
  BasicBlock *exit = BasicBlock::Create(ctx_, "exit", f);
  ReturnInst::Create(ctx_, exit);
  IRBuilder<> b(entry);
  Value *state = f->getArg(0);
  Value *pcField = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                offsetof(RvState, pc));
  Value *exitField = b.CreateConstInBoundsGEP1_64(
      b.getInt8Ty(), state, offsetof(RvState, exit_reason));

  if (counter.addr) {
    // Count executions; at the threshold leave before doing anything, so
    // the runner can replace this code (a plain increment: a lost count
    // between threads only delays promotion).
    Value *cell = b.CreateIntToPtr(b.getInt64(counter.addr), b.getPtrTy());
    Value *n = b.CreateAdd(b.CreateLoad(b.getInt64Ty(), cell), b.getInt64(1));
    b.CreateStore(n, cell);
    BasicBlock *hot = BasicBlock::Create(ctx_, "hot", f, exit);
    BasicBlock *body = BasicBlock::Create(ctx_, "body", f, exit);
    b.CreateCondBr(b.CreateICmpEQ(n, b.getInt64(counter.threshold)), hot, body);
    b.SetInsertPoint(hot);
    b.CreateStore(b.getInt64(blocks.front().pc), pcField);
    b.CreateStore(b.getInt32(kExitHot), exitField);
    b.CreateBr(exit);
    b.SetInsertPoint(body);
  }

  // A region's blocks branch to each other directly: guest registers stay
  // in SSA across them, loops included.
  std::map<uint64_t, BasicBlock *> local;
  for (const GuestBlock &block : blocks)
    local.emplace(block.pc, BasicBlock::Create(ctx_, "guest", f, exit));
  b.CreateBr(local.at(blocks.front().pc));

  for (const GuestBlock &block : blocks) {
    b.SetInsertPoint(local.at(block.pc));
    if (countBlocks_) {
      Value *runs = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                 offsetof(RvState, blocks_run));
      b.CreateStore(
          b.CreateAdd(b.CreateLoad(b.getInt64Ty(), runs), b.getInt64(1)), runs);
    }
    for (const Insn &in : block.insns) {
      size_t opIdx = static_cast<size_t>(in.op);
      bool ends = flags(in.op) & kEndsBlock;
      // The semantics see the fall-through pc in s->pc. Only an
      // instruction that may leave the block needs it in memory: elsewhere
      // the store would be dead, but a memory access's fault path (which
      // reads the state) would keep it alive.
      if (ends || mayTrap_[opIdx])
        b.CreateStore(b.getInt64(in.pc + in.len), pcField);
      auto k = [&](uint64_t v) { return b.getInt64(v); };
      Value *slot = makeInsnSlot(
          b, {k(in.pc), k((uint64_t)in.imm), k(in.raw), k((uint16_t)in.op),
              k(in.len), k(in.rd), k(in.rs1), k(in.rs2), k(in.rs3), k(in.rm)});
      CallInst *call = b.CreateCall(semFn_[opIdx], {state, slot});
      call->addFnAttr(Attribute::StrictFP);
      BasicBlock *next = BasicBlock::Create(ctx_, "", f, exit);
      if (ends)
        b.CreateBr(next); // the chaining code, or the exit
      else if (mayTrap_[opIdx]) {
        // A trap sets exit_reason: leave the block with the state as is.
        b.CreateCondBr(b.CreateICmpNE(b.CreateLoad(b.getInt32Ty(), exitField),
                                      b.getInt32(0)),
                       exit, next);
      } else
        b.CreateBr(next);
      inlineSemantics(call, b.getInt64(in.pc));
      b.SetInsertPoint(next);
      if (ends)
        break;
    }
    // A block cut by the size limit (or the end of readable code) falls
    // through to the next instruction.
    if (!(flags(block.insns.back().op) & kEndsBlock))
      b.CreateStore(b.getInt64(block.endPc), pcField);
    std::vector<uint64_t> succs = directSuccessors(block);
    // Direct successors inside the region are branched to, others chain
    // through link cells; jalr goes through the IBTC (empty succs); other
    // block ends return to the runner.
    const Insn &last = block.insns.back();
    bool indirect = last.op == Op::JALR;
    if (linkCell && (last.op == Op::JAL || indirect) && isLinkReg(last.rd))
      emitShadowPush(b, state, last.pc + last.len, linkCell(last.pc + last.len));
    bool isReturn = indirect && last.rd == 0 && isLinkReg(last.rs1);
    bool anyLocal = false;
    for (uint64_t t : succs)
      anyLocal |= local.count(t) != 0;
    if ((linkCell || anyLocal) && (!succs.empty() || (indirect && linkCell)))
      emitChaining(f, b.GetInsertBlock(), exit, succs, linkCell, local,
                   isReturn);
    else
      b.CreateBr(exit);
  }
  return f;
}

// Moves the block function out of the semantics module into a module of its
// own, declaring (or copying, for constant data) what it references.
std::unique_ptr<Module> Lifter::extractFunction(Function *f) {
  auto m = std::make_unique<Module>(f->getName(), ctx_);
  m->setDataLayout(sem_->getDataLayout());
  m->setTargetTriple(sem_->getTargetTriple());
  f->removeFromParent();
  m->getFunctionList().push_back(f);

  ValueToValueMapTy vmap;
  std::function<void(Constant *)> visit = [&](Constant *c) {
    if (auto *gv = dyn_cast<GlobalValue>(c)) {
      if (gv->getParent() == m.get() || vmap.count(gv))
        return;
      if (auto *fn = dyn_cast<Function>(gv)) {
        Function *decl = Function::Create(fn->getFunctionType(),
                                          GlobalValue::ExternalLinkage,
                                          fn->getName(), *m);
        decl->copyAttributesFrom(fn);
        vmap[fn] = decl;
      } else if (auto *var = dyn_cast<GlobalVariable>(gv)) {
        auto *copy = new GlobalVariable(
            *m, var->getValueType(), var->isConstant(), var->getLinkage(),
            nullptr, var->getName());
        copy->copyAttributesFrom(var);
        vmap[var] = copy;
        if (var->hasInitializer()) {
          visit(var->getInitializer());
          copy->setInitializer(MapValue(var->getInitializer(), vmap));
        }
      }
      return;
    }
    for (Value *op : c->operands())
      if (auto *oc = dyn_cast<Constant>(op))
        visit(oc);
  };
  for (Instruction &inst : instructions(*f))
    for (Value *op : inst.operands())
      if (auto *c = dyn_cast<Constant>(op))
        visit(c);
  for (Instruction &inst : instructions(*f))
    RemapInstruction(&inst, vmap, RF_IgnoreMissingLocals | RF_NoModuleLevelChanges);
  return m;
}

std::unique_ptr<Module> Lifter::liftBlock(const GuestBlock &block,
                                          const std::string &name,
                                          const LinkCellFn &linkCell,
                                          HotCounter counter) {
  return extractFunction(buildFunction({block}, name, linkCell, counter));
}

std::unique_ptr<Module> Lifter::liftRegion(const std::vector<GuestBlock> &blocks,
                                           const std::string &name,
                                           const LinkCellFn &linkCell) {
  return extractFunction(buildFunction(blocks, name, linkCell, {}));
}

} // namespace xlat::rv
