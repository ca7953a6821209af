// The definitions of BasicLifter (lifter.h), for the ISAs' lift.cpp to
// instantiate with their Guest.
#pragma once

#include "lifter/core/ibtc.h"
#include "lifter/core/lifter.h"
#include "lifter/core/nan_canon.h"
#include "lifter/core/state_offsets.h"

#include <algorithm>
#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/Analysis/ConstantFolding.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/Dominators.h>
#include <llvm/Support/KnownBits.h>
#include <llvm/ADT/MapVector.h>
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Operator.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <bitset>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>


namespace xlat {
namespace lifting {

using namespace llvm;

// Does a store in `f` (or a defined callee handed the state) write the
// state's exit_reason (at exitOff)?
inline bool writesExitReason(const Function &f, const DataLayout &dl, uint64_t exitOff,
                             unsigned depth = 0) {
  if (f.isDeclaration() || depth > 4)
    return false;
  const Argument *state = f.arg_size() ? f.getArg(0) : nullptr;
  for (const Instruction &inst : instructions(f)) {
    if (auto *st = dyn_cast<StoreInst>(&inst)) {
      APInt off(64, 0);
      const Value *base =
          st->getPointerOperand()->stripAndAccumulateConstantOffsets(dl, off, true);
      if (base == state && off == exitOff)
        return true;
    } else if (auto *call = dyn_cast<CallBase>(&inst)) {
      const Function *callee = call->getCalledFunction();
      if (callee && !callee->isDeclaration() &&
          writesExitReason(*callee, dl, exitOff, depth + 1))
        return true;
    }
  }
  return false;
}

inline constexpr const char *kExitSyncMarker = "xlat.sync.exit";

// The state-sync markers in f: before each access (the memory lowering's)
// and at each way out.
inline std::vector<CallInst *> syncMarkers(Function &f) {
  std::vector<CallInst *> markers;
  for (Instruction &inst : instructions(f))
    if (auto *c = dyn_cast<CallInst>(&inst))
      if (Function *callee = c->getCalledFunction();
          callee && (callee->getName() == kStateSyncMarker ||
                     callee->getName() == kExitSyncMarker))
        markers.push_back(c);
  return markers;
}

// The semantics read and write MXCSR (fenv.h) with asm statements that
// store or load their operand in memory. In strict-FP code LLVM follows
// each such statement with an fwait, which only waited here (nbody: 17%
// of its samples sat on the fwait after its frflags' stmxcsr). So each is
// rewritten to move the value through a register, and to clobber MXCSR
// instead of memory: that orders it against the SSE arithmetic (which uses
// MXCSR) in the code generator; in the IR its side effects do.
inline void mxcsrAccessesWithoutWait(Module &m) {
  LLVMContext &ctx = m.getContext();
  std::vector<CallInst *> calls;
  for (Function &f : m)
    for (Instruction &inst : instructions(f))
      if (auto *call = dyn_cast<CallInst>(&inst))
        if (auto *ia = dyn_cast<InlineAsm>(call->getCalledOperand());
            ia && call->arg_size() == 1 &&
            (ia->getAsmString() == "stmxcsr $0" || ia->getAsmString() == "ldmxcsr $0"))
          calls.push_back(call);
  Type *i32 = Type::getInt32Ty(ctx), *ptr = PointerType::get(ctx, 0);
  const char *clobbers = "~{mxcsr},~{dirflag},~{flags}";
  for (CallInst *call : calls) {
    auto *ia = cast<InlineAsm>(call->getCalledOperand());
    Value *slot = call->getArgOperand(0);
    IRBuilder<> b(call);
    if (ia->getAsmString() == "stmxcsr $0") {
      auto *read = InlineAsm::get(FunctionType::get(i32, {ptr}, false),
                                  "stmxcsr ($1)\n\tmovl ($1), $0",
                                  std::string("=r,r,") + clobbers, true);
      b.CreateStore(b.CreateCall(read, {slot}), slot);
    } else {
      auto *write = InlineAsm::get(FunctionType::get(b.getVoidTy(), {i32, ptr}, false),
                                   "movl $0, ($1)\n\tldmxcsr ($1)",
                                   std::string("r,r,") + clobbers, true);
      b.CreateCall(write, {b.CreateLoad(i32, slot), slot});
    }
    call->eraseFromParent();
  }
}

} // namespace lifting

template <class Guest> BasicLifter<Guest>::~BasicLifter() = default;

template <class Guest>
std::unique_ptr<BasicLifter<Guest>>
BasicLifter<Guest>::create(llvm::LLVMContext &ctx, std::unique_ptr<MemoryLowering> mem,
                           std::string &err) {
  using namespace llvm;
  std::unique_ptr<BasicLifter> l(new BasicLifter(ctx));
  l->mem_ = std::move(mem);
  Expected<std::unique_ptr<Module>> m =
      parseBitcodeFile(MemoryBufferRef(Guest::bitcode(), "semantics.bc"), ctx);
  if (!m) {
    err = "cannot load the semantics bitcode: " + toString(m.takeError());
    return nullptr;
  }
  l->sem_ = std::move(*m);
  lifting::mxcsrAccessesWithoutWait(*l->sem_);
  if (!l->resolveSemantics(err))
    return nullptr;
  return l;
}

template <class Guest> bool BasicLifter<Guest>::resolveSemantics(std::string &err) {
  using namespace llvm;
  const DataLayout &dl = sem_->getDataLayout();
  for (size_t op = 0; op < Guest::kNumOps; op++) {
    const char *name = Guest::semanticName(op);
    Function *f = sem_->getFunction(name);
    if (!f || f->isDeclaration()) {
      err = std::string("semantics bitcode lacks ") + name;
      return false;
    }
    semFn_.push_back(f);
    mayTrap_.push_back(lifting::writesExitReason(*f, dl, offsetof(State, exit_reason)));
  }
  return true;
}

template <class Guest> llvm::Function *BasicLifter<Guest>::semantics(Op op) const {
  return semFn_[static_cast<size_t>(op)];
}
template <class Guest> bool BasicLifter<Guest>::mayTrap(Op op) const {
  return mayTrap_[static_cast<size_t>(op)];
}
template <class Guest> void BasicLifter<Guest>::beginFunction(llvm::Function &f) {
  mem_->beginFunction(f);
}

template <class Guest> void BasicLifter<Guest>::endFunction(llvm::Function &f) {
  for (llvm::CallInst *c : lifting::syncMarkers(f))
    c->eraseFromParent();
}

namespace lifting {

// Marks the Insn slot allocas (makeInsnSlot).
inline constexpr const char *kInsnSlotTag = "xlat.insn";

// Replaces each instruction of `work` that folds to a constant (a constant
// expression too where constantExprs), a phi whose incoming values are one
// constant, and a select whose condition is constant, by what it comes
// to; then does the same to their users, and erases them.
inline void foldConstants(std::vector<Instruction *> work, const DataLayout &dl,
                          bool constantExprs) {
  std::set<Instruction *> dead;
  while (!work.empty()) {
    Instruction *inst = work.back();
    work.pop_back();
    if (dead.count(inst) || inst->use_empty() || inst->mayHaveSideEffects())
      continue;
    Value *v = nullptr;
    auto *sel = dyn_cast<SelectInst>(inst);
    if (auto *phi = dyn_cast<PHINode>(inst))
      v = phi->hasConstantValue();
    else if (auto *c = sel ? dyn_cast<ConstantInt>(sel->getCondition()) : nullptr)
      // A register chosen by an operand (A64's register 31, SP or XZR): a
      // select of two fields of the state, which would otherwise make the
      // local copy escape.
      v = c->isOne() ? sel->getTrueValue() : sel->getFalseValue();
    else
      v = ConstantFoldInstruction(inst, dl);
    if (!v || (!sel && (!isa<Constant>(v) || (!constantExprs && isa<ConstantExpr>(v)))))
      continue;
    for (User *u : inst->users())
      if (auto *ui = dyn_cast<Instruction>(u))
        work.push_back(ui);
    inst->replaceAllUsesWith(v);
    dead.insert(inst);
  }
  for (Instruction *inst : dead)
    inst->eraseFromParent();
}

// Replaces loads from the Insn slots of lifted instructions (which hold
// constants, and the pc, which code for a module computes from its base)
// by what was stored and folds what becomes constant, so that the
// semantics' register indices become constant offsets.
inline void foldInsnSlots(Function &f, const DataLayout &dl) {
  std::vector<Instruction *> folded;
  // Slots whose every load folded: their stores, address arithmetic and
  // the alloca go now rather than in SROA, which the pipeline spends much
  // of its time in otherwise.
  std::vector<Instruction *> deadSlotParts;
  for (Instruction &inst : f.getEntryBlock()) {
    auto *slot = dyn_cast<AllocaInst>(&inst);
    if (!slot || !slot->getMetadata(kInsnSlotTag))
      continue;
    std::map<uint64_t, Value *> fields;
    std::vector<LoadInst *> loads;
    std::vector<Instruction *> parts{slot}; // in def-before-use order
    bool ok = true;
    std::vector<Value *> work{slot};
    while (!work.empty() && ok) {
      Value *v = work.back();
      work.pop_back();
      for (User *u : v->users()) {
        uint64_t off;
        if (auto *st = dyn_cast<StoreInst>(u)) {
          Value *c = st->getValueOperand();
          if (c == v ||
              !constOffset(st->getPointerOperand(), slot, dl, off)) {
            ok = false;
            break;
          }
          fields[off] = c;
          parts.push_back(st);
        } else if (auto *ld = dyn_cast<LoadInst>(u)) {
          loads.push_back(ld);
        } else if (isa<GetElementPtrInst>(u)) {
          work.push_back(u);
          parts.push_back(cast<Instruction>(u));
        } else {
          ok = false;
        }
      }
    }
    if (!ok)
      continue;
    size_t all = 0;
    for (LoadInst *ld : loads) {
      uint64_t off;
      auto it = constOffset(ld->getPointerOperand(), slot, dl, off)
                    ? fields.find(off)
                    : fields.end();
      if (it == fields.end() || it->second->getType() != ld->getType())
        continue;
      ld->replaceAllUsesWith(it->second);
      folded.push_back(ld);
      ++all;
    }
    if (all == loads.size())
      deadSlotParts.insert(deadSlotParts.end(), parts.begin(), parts.end());
  }
  for (Instruction *ld : folded)
    ld->eraseFromParent();
  // Users before what they use: stores, then GEPs of GEPs, then the slot.
  std::set<Instruction *> erased;
  for (auto it = deadSlotParts.rbegin(); it != deadSlotParts.rend(); ++it)
    if (erased.insert(*it).second) {
      (*it)->replaceAllUsesWith(PoisonValue::get((*it)->getType()));
      (*it)->eraseFromParent();
    }
  // Fold what became constant, and then its users (a block's layout order
  // is not the order of definitions); branches on constants go, and the
  // code they skip with them (the rd == 0 tests of setX), which can make
  // more phis constant: again until nothing changes.
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<Instruction *> work;
    for (Instruction &inst : instructions(f))
      work.push_back(&inst);
    foldConstants(std::move(work), dl, /*constantExprs=*/true);
    for (BasicBlock &bb : f)
      changed |= ConstantFoldTerminator(&bb);
    changed |= removeUnreachableBlocks(f);
  }
}

// Folds the code just inlined for an instruction, the blocks from `from`
// up to `end` (not included), with what its Insn slot holds: loads of the
// slot's fields become what makeInsnSlot stored, what that makes constant
// folds, and the branches and blocks the instruction's form does not take
// go. Done before the calls and accesses left there are inlined and
// lowered, so that those of other forms never are (an A64 semantic
// function serves every addressing mode and operand form of its
// instruction). The semantics never write their Insn.
inline void foldInlined(BasicBlock *from, BasicBlock *end, AllocaInst *slot,
                        const DataLayout &dl) {
  std::map<uint64_t, Value *> fields;
  std::vector<LoadInst *> loads;
  std::vector<Value *> uses{slot};
  while (!uses.empty()) {
    Value *v = uses.back();
    uses.pop_back();
    for (User *u : v->users()) {
      uint64_t off;
      if (auto *st = dyn_cast<StoreInst>(u)) {
        if (st->getValueOperand() != v && constOffset(st->getPointerOperand(), slot, dl, off))
          fields[off] = st->getValueOperand();
      } else if (auto *ld = dyn_cast<LoadInst>(u)) {
        loads.push_back(ld);
      } else if (isa<GetElementPtrInst>(u)) {
        uses.push_back(u);
      }
    }
  }
  std::vector<Instruction *> work;
  for (LoadInst *ld : loads) {
    uint64_t off;
    auto it = constOffset(ld->getPointerOperand(), slot, dl, off) ? fields.find(off)
                                                                  : fields.end();
    if (it == fields.end() || it->second->getType() != ld->getType())
      continue;
    for (User *u : ld->users())
      work.push_back(cast<Instruction>(u));
    ld->replaceAllUsesWith(it->second);
    ld->eraseFromParent();
  }
  auto region = [&] {
    std::vector<BasicBlock *> blocks;
    for (BasicBlock *bb = from; bb && bb != end; bb = bb->getNextNode())
      blocks.push_back(bb);
    return blocks;
  };
  for (bool again = true; again;) {
    again = false;
    // Constant expressions (a stencil's holes) are left to the pipeline.
    foldConstants(std::move(work), dl, /*constantExprs=*/false);
    work.clear();
    std::vector<BasicBlock *> blocks = region();
    for (BasicBlock *bb : blocks)
      again |= ConstantFoldTerminator(bb, /*DeleteDeadConditions=*/true);
    // The region's blocks that `from` no longer reaches.
    std::set<BasicBlock *> inRegion(blocks.begin(), blocks.end()), reached{from};
    std::vector<BasicBlock *> walk{from};
    while (!walk.empty()) {
      BasicBlock *bb = walk.back();
      walk.pop_back();
      for (BasicBlock *succ : successors(bb))
        if (inRegion.count(succ) && reached.insert(succ).second)
          walk.push_back(succ);
    }
    std::vector<BasicBlock *> unreached;
    for (BasicBlock *bb : blocks)
      if (!reached.count(bb))
        unreached.push_back(bb);
    if (!unreached.empty()) {
      DeleteDeadBlocks(unreached);
      again = true;
    }
    if (again)
      for (BasicBlock *bb : region())
        for (PHINode &phi : bb->phis())
          work.push_back(&phi);
  }
}

// The asm access `call` with `values` (the registers `spills` names) as
// extra operands, which its fault paths spill (withSpills): an integer
// register in a general-purpose register, an FP one as a double in an SSE
// register, where its arithmetic left it.
inline void spillAtAccess(CallInst *call, const std::vector<AccessSpill> &spills,
                          const std::vector<Value *> &values, uint64_t fpLo) {
  auto *ia = cast<InlineAsm>(call->getCalledOperand());
  std::vector<Value *> args(call->arg_begin(), call->arg_end());
  unsigned first = args.size() + !call->getType()->isVoidTy(); // outputs come first
  IRBuilder<> b(call);
  std::string more;
  for (size_t i = 0; i < values.size(); i++) {
    args.push_back(spills[i].fp ? b.CreateBitCast(values[i], b.getDoubleTy()) : values[i]);
    more += spills[i].fp ? ",x" : ",r";
  }
  std::vector<Type *> types;
  for (Value *a : args)
    types.push_back(a->getType());
  std::string constraints = ia->getConstraintString();
  size_t clobbers = constraints.find(",~{");
  constraints.insert(clobbers == std::string::npos ? constraints.size() : clobbers, more);
  auto *spilling = InlineAsm::get(
      FunctionType::get(call->getType(), types, false),
      withSpills(ia->getAsmString(), spills, first), constraints, ia->hasSideEffects(),
      ia->isAlignStack(), ia->getDialect(), ia->canThrow());
  CallInst *c = CallInst::Create(spilling, args, "", call->getIterator());
  c->setAttributes(call->getAttributes());
  c->copyMetadata(*call);
  uint64_t fpRegs = 0;
  for (const AccessSpill &sp : spills)
    if (sp.fp)
      fpRegs |= 1ull << ((sp.field - fpLo) / 8);
  if (fpRegs)
    c->setMetadata(kFpSpills, MDNode::get(c->getContext(),
                                          ConstantAsMetadata::get(b.getInt64(fpRegs))));
  call->replaceAllUsesWith(c);
  call->eraseFromParent();
}

} // namespace lifting

template <class Guest>
void BasicLifter<Guest>::syncLocalState(llvm::Function &f, llvm::AllocaInst *local) {
  using namespace llvm;
  using namespace lifting;
  // The local copy is made of the state's fields, each Guest::fieldBytes
  // wide.
  auto fieldAt = [](uint64_t off, uint64_t &start, uint64_t &size) {
    size = Guest::fieldBytes(off);
    start = off & ~(size - 1);
  };
  Value *real = f.getArg(0);
  const DataLayout &dl = sem_->getDataLayout();
  foldInsnSlots(f, dl);
  // Which fields the semantics read and wrote, and whether the copy can
  // stay local: it must not escape into a call, or be indexed by a value
  // the lifter cannot see (then the function runs on the real state).
  std::map<uint64_t, bool> fields; // start -> written
  // The fields each store into the copy writes, as bits of offset / 4.
  using FieldSet = std::bitset<Guest::kLocalBytes / 4>;
  std::map<Instruction *, FieldSet> stores;
  // ... and each load reads (more than one: a 128-bit vector register).
  std::map<Instruction *, FieldSet> loads;
  std::vector<std::pair<Instruction *, bool>> accesses; // {access, is a load}
  auto note = [&](uint64_t off, uint64_t bytes, bool write, Instruction *st) {
    accesses.push_back({st, !write});
    for (uint64_t at = off; at < off + bytes;) {
      uint64_t start, size;
      fieldAt(at, start, size);
      fields[start] |= write;
      (write ? stores : loads)[st].set(start / 4);
      at = start + size;
    }
  };
  bool escapes = false;
  std::vector<Value *> work{local};
  std::set<Value *> seen;
  MemCpyInst *copyIn = nullptr;
  while (!work.empty() && !escapes) {
    Value *v = work.back();
    work.pop_back();
    for (User *u : v->users()) {
      if (!seen.insert(u).second)
        continue;
      uint64_t off;
      if (auto *st = dyn_cast<StoreInst>(u)) {
        if (st->getValueOperand() == v ||
            !constOffset(st->getPointerOperand(), local, dl, off)) {
          escapes = true;
          break;
        }
        note(off, dl.getTypeStoreSize(st->getValueOperand()->getType()), true, st);
      } else if (auto *ld = dyn_cast<LoadInst>(u)) {
        if (!constOffset(ld->getPointerOperand(), local, dl, off)) {
          escapes = true;
          break;
        }
        note(off, dl.getTypeStoreSize(ld->getType()), false, ld);
      } else if (auto *gep = dyn_cast<GetElementPtrInst>(u)) {
        work.push_back(gep);
      } else if (auto *mc = dyn_cast<MemCpyInst>(u); mc && !copyIn) {
        copyIn = mc;
      } else {
        escapes = true;
      }
    }
  }
  std::vector<CallInst *> markers = syncMarkers(f);
  if (escapes) {
    // (The walk stops at the escape, maybe before it met the copy.)
    for (User *u : local->users())
      if (auto *mc = dyn_cast<MemCpyInst>(u); mc && !copyIn)
        copyIn = mc;
    copyIn->eraseFromParent();
    local->replaceAllUsesWith(real);
    local->eraseFromParent();
    for (CallInst *c : markers)
      c->eraseFromParent();
    return;
  }
  auto field = [&](IRBuilderBase &b, Value *base, uint64_t off) {
    return b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), base, off);
  };
  auto fieldTy = [&](uint64_t off) {
    uint64_t start, size;
    fieldAt(off, start, size);
    return Type::getIntNTy(ctx_, 8 * size);
  };
  // Which fields may be dirty (written since the last sync, on some path)
  // at each marker and each read: a forward union over the CFG, to a
  // fixpoint for loops. After an access's sync only pc and the exit reason
  // stay dirty: a fault sets those itself, so they are synced at exits.
  std::set<Instruction *> isMarker(markers.begin(), markers.end());
  FieldSet exitOnly;
  exitOnly.set(offsetof(State, pc) / 4).set(offsetof(State, exit_reason) / 4);
  auto atExit = [&](Instruction *m) {
    return cast<CallInst>(m)->getCalledFunction()->getName() == kExitSyncMarker;
  };
  std::map<Instruction *, uint64_t> loadField; // read -> field start
  for (auto &[inst, isLoad] : accesses) {
    uint64_t off, start, size;
    if (auto *ld = dyn_cast<LoadInst>(inst);
        ld && constOffset(ld->getPointerOperand(), local, dl, off)) {
      fieldAt(off, start, size);
      loadField[ld] = start;
    }
  }
  // A load's or store's fault path may spill registers instead (see
  // kMaxAccessSpills): those the access may spill (once known, for the
  // second flow below) stay dirty after its sync.
  std::map<Instruction *, FieldSet> spillsAt; // marker -> what it may spill
  std::map<Instruction *, CallInst *> accessOf; // marker -> its asm access
  auto spilled = [&](Instruction *m, const FieldSet &d) {
    auto it = spillsAt.find(m);
    return it == spillsAt.end() ? FieldSet() : d & it->second;
  };
  // A loop's preheader may sync registers the loop reads but never writes,
  // and a loop's exit into the loop around it registers it leaves dirty
  // that the outer loop never writes (loop edge syncs, below): the block's
  // terminator -> what it syncs.
  std::map<Instruction *, FieldSet> edgeSyncs;
  std::map<Instruction *, FieldSet> pending; // marker, read -> dirty fields
  auto walk = [&](BasicBlock &bb, FieldSet d) {
    for (Instruction &inst : bb) {
      if (auto it = stores.find(&inst); it != stores.end())
        d |= it->second;
      else if (loadField.count(&inst))
        pending[&inst] = d;
      else if (isMarker.count(&inst)) {
        pending[&inst] = d;
        d = atExit(&inst) ? FieldSet() : (d & exitOnly) | spilled(&inst, d);
      } else if (auto it = edgeSyncs.find(&inst); it != edgeSyncs.end()) {
        pending[&inst] = d;
        d &= ~it->second;
      }
    }
    return d;
  };
  auto flow = [&] {
    ReversePostOrderTraversal<Function *> rpo(&f);
    std::map<BasicBlock *, FieldSet> out;
    for (bool changed = true; changed;) {
      changed = false;
      for (BasicBlock *bb : rpo) {
        FieldSet in;
        for (BasicBlock *pred : predecessors(bb))
          if (auto it = out.find(pred); it != out.end())
            in |= it->second;
        FieldSet o = walk(*bb, in);
        auto [it, fresh] = out.emplace(bb, o);
        if (fresh || it->second != o) {
          it->second = o;
          changed = true;
        }
      }
    }
    return out;
  };
  std::map<BasicBlock *, FieldSet> out = flow();
  // A register that is dirty where a loop is entered and that the loop
  // only reads would be stored by the loop's first access on every lap
  // (the back edge brings it clean, the entry dirty, and the flow is a
  // union): store it once, in the loop's preheader, instead. An FP
  // register's edge store is exact (no kRawNaNStore: its NaN test, if the
  // value needs one, runs once per entry), so the state's copy is exact
  // through the loop, which never writes it (fft's matrix multiply stored
  // its invariant factor on every lap). Where an inner loop is left, FP
  // registers keep their syncs: the outer loop's access stores them raw,
  // as often as an exact store at the exit would, which needs a NaN test.
  DominatorTree dt(f);
  LoopInfo loops(dt);
  constexpr uint64_t fpLo = Guest::kFpLo, fpHi = Guest::kFpHi;
  FieldSet integer, fp;
  for (auto [off, written] : fields)
    if (written && off >= Guest::kIntLo && off < Guest::kIntHi)
      integer.set(off / 4);
    else if (written && off >= fpLo && off < fpHi)
      fp.set(off / 4);
  std::map<Loop *, FieldSet> writes; // loop -> the fields it (or a loop in it) writes
  for (auto &[st, set] : stores)
    for (Loop *l = loops.getLoopFor(st->getParent()); l; l = l->getParentLoop())
      writes[l] |= set;
  std::set<Loop *> syncing; // loops with an access's sync in them
  for (CallInst *c : markers)
    if (!atExit(c))
      for (Loop *l = loops.getLoopFor(c->getParent()); l; l = l->getParentLoop())
        syncing.insert(l);
  // Adds the loop edge syncs `out` calls for; whether it added any. Where
  // a loop is entered: what is dirty there and the loop only reads. Where
  // a loop is left into the loop around it: what it leaves dirty and the
  // outer loop's own blocks never write (sieve's marking loop left its
  // walk dirty, and the scan round it stored it on every lap). Again once
  // spills are chosen: a register an outer loop's accesses spill is dirty
  // where its inner loops are entered (sieve's step, stored on every lap
  // of the inner loop until then).
  auto syncAt = [&](BasicBlock *at, FieldSet once) {
    FieldSet &synced = edgeSyncs[at->getTerminator()];
    bool added = (once & ~synced).any();
    synced |= once;
    return added;
  };
  auto syncOnLoopEdges = [&] {
    bool added = false;
    FieldSet regs = integer | fp;
    if (regs.none())
      return added;
    for (Loop *l : loops.getLoopsInPreorder()) {
      FieldSet entering;
      for (BasicBlock *pred : predecessors(l->getHeader()))
        if (!l->contains(pred))
          entering |= out[pred];
      if (FieldSet once = entering & regs & ~writes[l]; once.any() && syncing.count(l)) {
        BasicBlock *pre = l->getLoopPreheader();
        if (!pre)
          pre = InsertPreheaderForLoop(l, &dt, &loops, nullptr, false);
        if (pre)
          added |= syncAt(pre, once);
      }
      Loop *outer = l->getParentLoop();
      if (!outer || !syncing.count(outer))
        continue;
      FieldSet outerWrites;
      for (auto &[st, set] : stores)
        if (outer->contains(st->getParent()) && !l->contains(st->getParent()))
          outerWrites |= set;
      // At the loop's exit blocks, each made one that only the loop
      // enters (formDedicatedExitBlocks), so that the store is on those
      // edges alone.
      FieldSet leaving;
      SmallVector<BasicBlock *, 4> exiting;
      l->getExitingBlocks(exiting);
      for (BasicBlock *from : exiting)
        leaving |= out[from];
      if ((leaving & integer & ~outerWrites).none())
        continue;
      formDedicatedExitBlocks(l, &dt, &loops, nullptr, false);
      SmallVector<BasicBlock *, 4> exits;
      l->getUniqueExitBlocks(exits);
      for (BasicBlock *to : exits) {
        if (!outer->contains(to))
          continue;
        FieldSet left;
        for (BasicBlock *from : predecessors(to))
          left |= out[from];
        left &= integer & ~outerWrites;
        if (left.any())
          added |= syncAt(to, left);
      }
    }
    return added;
  };
  if (syncOnLoopEdges())
    out = flow();
  // Only a field that is read where it may be dirty (a loop's registers,
  // carried around the loop) lives in the local copy: it is copied in at
  // entry and written back at the markers. Every other field is the
  // state's own: its writes go to the state at once (DSE drops those a
  // later write makes dead before anything can see them) and its reads
  // read the state where they are (nothing is loaded at entry for a path
  // that never reads it). One the semantics never write is an invariant
  // load, which the register allocator may repeat instead of spilling it;
  // x0 is zero, and so is exit_reason until an instruction sets it (the
  // runner enters translated code with none).
  FieldSet localFields;
  for (auto [inst, start] : loadField)
    if ((pending[inst] & loads[inst]).any())
      localFields |= loads[inst];
  // Spills pay in loops: a register the loop writes is not stored before
  // each access of every lap, only where the loop is left. Each access in
  // a loop may spill up to four integer and four FP registers that its
  // innermost loop writes, which then live in the local copy. An FP
  // register's operand is canonical (an asm operand sees its bits: NaN
  // canonicalisation puts the test before it), so the fault path stores
  // it as the guest sees it, after the access's raw-FP mask has been
  // applied to the state. Elsewhere a spill would only move a store to a later sync. A loop's
  // accesses spill the same registers, ranked by the accesses that would
  // otherwise store them (dirty there, by the flow so far) plus those whose
  // operands they feed (a spill there costs no host register). Stores
  // alone chose worse for fib: its prologue's saved registers, dead after
  // their stores but then held in host registers through every access,
  // over the stack pointer that addresses them all (3.17 s against 2.97 s
  // with the lowest-numbered registers, 2.96 s with this rank).
  {
    std::map<Loop *, std::vector<CallInst *>> accessing; // loop -> its spilling markers
    for (CallInst *c : markers) {
      Loop *l = atExit(c) ? nullptr : loops.getLoopFor(c->getParent());
      if (!l || (writes[l] & (integer | fp)).none())
        continue;
      CallInst *access = nullptr;
      for (Instruction *i = c->getNextNode(); i && !access; i = i->getNextNode())
        if ((access = dyn_cast<CallInst>(i)))
          break;
      auto *ia = access ? dyn_cast<InlineAsm>(access->getCalledOperand()) : nullptr;
      if (!ia || !takesSpills(ia->getAsmString()))
        continue;
      accessing[l].push_back(c);
      accessOf[c] = access;
    }
    // The registers an access's operands are computed from (its address,
    // the value it stores): held in host registers there anyway.
    auto operandFields = [&](CallInst *access) {
      FieldSet used;
      std::vector<std::pair<Value *, unsigned>> work; // {value, depth}
      for (Value *a : access->args())
        work.push_back({a, 0});
      while (!work.empty()) {
        auto [v, depth] = work.back();
        work.pop_back();
        if (auto it = loadField.find(dyn_cast<Instruction>(v)); it != loadField.end())
          used.set(it->second / 4);
        else if (depth < 4 && (isa<BinaryOperator>(v) || isa<CastInst>(v) ||
                               isa<GetElementPtrInst>(v)))
          for (Value *o : cast<User>(v)->operands())
            work.push_back({o, depth + 1});
      }
      return used;
    };
    for (auto &[l, cs] : accessing) {
      std::vector<FieldSet> operands;
      for (CallInst *c : cs)
        operands.push_back(operandFields(accessOf[c]));
      FieldSet mine;
      // Integer and FP registers are held in different host registers:
      // each kind has its half of the spills.
      for (const FieldSet &kind : {integer, fp}) {
        FieldSet candidates = writes[l] & kind;
        std::vector<std::pair<unsigned, unsigned>> ranked; // {~score, field bit}
        // Offset 0 says "no spill" in a pc map entry: no register there
        // may spill (RISC-V's x0 is never written; A64 keeps pc there).
        for (unsigned b = 1; b < candidates.size(); b++)
          if (candidates.test(b)) {
            unsigned stores = 0, live = 0;
            for (size_t i = 0; i < cs.size(); i++) {
              stores += pending[cs[i]].test(b);
              live += operands[i].test(b);
            }
            if (stores)
              ranked.push_back({~(stores + live), b});
          }
        std::sort(ranked.begin(), ranked.end());
        for (size_t i = 0; i < ranked.size() && i < kMaxAccessSpills / 2; i++)
          mine.set(ranked[i].second);
      }
      for (CallInst *c : cs)
        spillsAt[c] = mine;
      localFields |= mine;
    }
    if (!spillsAt.empty()) {
      out = flow();
      if (syncOnLoopEdges())
        flow();
    }
  }
  // An access of several fields (a vector register's halves) is in the
  // copy or in the state as a whole: so are all the fields it touches.
  for (bool grew = true; grew;) {
    grew = false;
    for (auto *sets : {&stores, &loads})
      for (auto &[inst, set] : *sets)
        if ((set & localFields).any() && (set & ~localFields).any()) {
          localFields |= set;
          grew = true;
        }
  }
  FieldSet writtenFields;
  for (auto &[inst, set] : stores)
    writtenFields |= set;
  MDNode *invariant = MDNode::get(ctx_, {});
  auto toState = [&](Instruction *access, Value *ptr) {
    uint64_t off;
    constOffset(ptr, local, dl, off);
    IRBuilder<> b(access);
    return field(b, real, off);
  };
  for (auto [inst, start] : loadField) {
    auto *ld = cast<LoadInst>(inst);
    bool dirty = pending[inst].test(start / 4);
    if ((Guest::kZeroRegister && start == 0) ||
        (start == offsetof(State, exit_reason) && !dirty)) {
      ld->replaceAllUsesWith(Constant::getNullValue(ld->getType()));
      ld->eraseFromParent();
    } else if (!localFields.test(start / 4)) {
      ld->setOperand(ld->getPointerOperandIndex(),
                     toState(ld, ld->getPointerOperand()));
      if ((loads[inst] & writtenFields).none())
        ld->setMetadata(LLVMContext::MD_invariant_load, invariant);
    }
  }
  for (auto &[inst, set] : stores)
    if ((set & localFields).none()) {
      auto *st = cast<StoreInst>(inst);
      st->setOperand(st->getPointerOperandIndex(),
                     toState(st, st->getPointerOperand()));
    }
  {
    IRBuilder<> b(copyIn);
    MDNode *fpEntry = MDNode::get(ctx_, {});
    for (auto [off, written] : fields) {
      if (!localFields.test(off / 4))
        continue;
      Value *v = Constant::getNullValue(fieldTy(off));
      if (off != offsetof(State, exit_reason)) {
        LoadInst *ld = b.CreateLoad(fieldTy(off), field(b, real, off));
        if (off >= fpLo && off < fpHi)
          ld->setMetadata(kFpEntryLoad, fpEntry);
        v = ld;
      }
      b.CreateStore(v, field(b, local, off));
    }
    copyIn->eraseFromParent();
  }
  // An access whose fault path canonicalises what the state holds (a
  // mapped sync, see kStateSyncMarker) lets its sync store FP registers as
  // host arithmetic left them. Such a raw NaN may stay in the state after
  // the access; every exit stores those registers again, exactly.
  auto mapped = [&](CallInst *c) {
    return !atExit(c) && cast<ConstantInt>(c->getArgOperand(0))->isOne();
  };
  FieldSet rawRisk;
  for (CallInst *c : markers)
    if (mapped(c))
      for (uint64_t off = fpLo; off < fpHi; off += 8)
        if (pending[c].test(off / 4))
          rawRisk.set(off / 4);
  // Guest::kFlagsField (A64's NZCV: each of its words) is not stored
  // before an access where it is dead: where every path from the access
  // writes it before anything reads it or the code is left. A fault there
  // shows a handler the flags of an earlier sync, which the code would not
  // have read; every other register is exact at a fault. Computing the
  // flags and storing them before each access of a loop cost sieve's
  // inner loop more than its own work.
  std::map<Instruction *, FieldSet> deadAt; // access marker -> flags dead there
  if constexpr (Guest::kFlagsField >= 0) {
    FieldSet flags;
    for (uint64_t off = Guest::kFlagsField; off < Guest::kFlagsField + Guest::kFlagsBytes;
         off += Guest::fieldBytes(off))
      flags.set(off / 4);
    std::map<BasicBlock *, FieldSet> liveIn;
    for (bool changed = true; changed;) {
      changed = false;
      for (BasicBlock *bb : post_order(&f)) {
        FieldSet live;
        if (succ_empty(bb))
          live = isa<UnreachableInst>(bb->getTerminator()) ? FieldSet() : flags;
        for (BasicBlock *succ : successors(bb))
          live |= liveIn[succ];
        for (Instruction &inst : reverse(*bb)) {
          if (isMarker.count(&inst)) {
            if (atExit(&inst))
              live = flags;
            else
              deadAt[&inst] = flags & ~live;
          } else if (auto it = loads.find(&inst); it != loads.end()) {
            live |= it->second & flags;
          } else if (auto it = stores.find(&inst); it != stores.end()) {
            live &= ~it->second;
          }
        }
        FieldSet &in = liveIn[bb];
        if (in != live) {
          in = live;
          changed = true;
        }
      }
    }
  }
  MDNode *empty = MDNode::get(ctx_, {});
  for (CallInst *c : markers) {
    IRBuilder<> b(c);
    FieldSet d = pending[c], restore;
    FieldSet spills = spilled(c, d);
    if (atExit(c))
      restore = rawRisk & ~d;
    else
      d &= ~exitOnly & ~spills & ~deadAt[c];
    d &= localFields;
    restore &= localFields;
    if (spills.any()) {
      std::vector<AccessSpill> offs;
      std::vector<Value *> values;
      for (auto [off, written] : fields)
        if (spills.test(off / 4)) {
          offs.push_back({(uint16_t)off, off >= fpLo && off < fpHi});
          values.push_back(b.CreateLoad(fieldTy(off), field(b, local, off)));
        }
      spillAtAccess(accessOf[c], offs, values, fpLo);
    }
    for (auto [off, written] : fields) {
      if (!written || !(d | restore).test(off / 4))
        continue;
      StoreInst *st = b.CreateStore(b.CreateLoad(fieldTy(off), field(b, local, off)),
                                    field(b, real, off));
      if (mapped(c))
        st->setMetadata(kRawNaNStore, empty);
      else if (restore.test(off / 4))
        st->setMetadata(kRawNaNRestore, empty);
    }
    c->eraseFromParent();
  }
  for (auto &[term, set] : edgeSyncs) {
    IRBuilder<> b(term);
    FieldSet d = pending[term] & set & localFields;
    for (auto [off, written] : fields)
      if (d.test(off / 4))
        b.CreateStore(b.CreateLoad(fieldTy(off), field(b, local, off)), field(b, real, off));
  }
}

template <class Guest>
llvm::Value *BasicLifter<Guest>::makeInsnSlot(llvm::IRBuilderBase &b, const InsnFields &in) {
  using namespace llvm;
  Function *f = b.GetInsertBlock()->getParent();
  IRBuilder<> entry(&f->getEntryBlock(), f->getEntryBlock().begin());
  AllocaInst *slot = entry.CreateAlloca(
      ArrayType::get(b.getInt8Ty(), sizeof(Insn)), nullptr, "insn");
  // A tag, not the name: a JIT's context may discard value names.
  slot->setMetadata(lifting::kInsnSlotTag, MDNode::get(ctx_, {}));
  slot->setAlignment(Align(8));
  Guest::storeSlot(b, slot, in);
  // A decoded instruction's fields are all integers (unless they hold a
  // relocatable pc or a stencil's holes): then the slot is a constant
  // global instead, and the inliner folds the semantics' loads of it while
  // it clones them, cloning only the branches of the instruction's own
  // form. Cloning every form and folding afterwards (foldInlined) made
  // A64's region lifting 2.5 times RISC-V's per block.
  const DataLayout &dl = sem_->getDataLayout();
  std::map<uint64_t, Constant *> fields;
  std::vector<Instruction *> parts{slot};
  for (User *u : slot->users()) {
    auto *gep = dyn_cast<GetElementPtrInst>(u);
    StoreInst *st = gep && gep->hasOneUse() ? dyn_cast<StoreInst>(gep->user_back()) : nullptr;
    uint64_t off;
    auto *c = st ? dyn_cast<ConstantInt>(st->getValueOperand()) : nullptr;
    if (!c || st->getPointerOperand() != gep || !constOffset(gep, slot, dl, off))
      return slot;
    fields[off] = c;
    parts.push_back(gep);
    parts.push_back(st);
  }
  std::vector<Constant *> bytes; // the fields, with i8 arrays between them
  uint64_t at = 0;
  for (auto [off, c] : fields) {
    if (off < at)
      return slot; // overlapping stores: leave them to the folds
    if (off > at)
      bytes.push_back(ConstantAggregateZero::get(ArrayType::get(b.getInt8Ty(), off - at)));
    bytes.push_back(c);
    at = off + dl.getTypeStoreSize(c->getType());
  }
  if (at < sizeof(Insn))
    bytes.push_back(
        ConstantAggregateZero::get(ArrayType::get(b.getInt8Ty(), sizeof(Insn) - at)));
  Constant *init = ConstantStruct::getAnon(ctx_, bytes, /*Packed=*/true);
  auto *global = new GlobalVariable(*sem_, init->getType(), /*isConstant=*/true,
                                    GlobalValue::PrivateLinkage, init, "insn");
  global->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  global->setAlignment(Align(8));
  insnGlobals_.push_back(global);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it)
    (*it)->eraseFromParent();
  return global;
}

template <class Guest>
void BasicLifter<Guest>::inlineSemantics(llvm::CallInst *call, llvm::Value *guestPc) {
  using namespace llvm;
  // The instruction's Insn slot, which the semantics (and the helpers they
  // hand it to) read their operands from.
  AllocaInst *slot = nullptr;
  for (Value *arg : call->args())
    if (auto *a = dyn_cast<AllocaInst>(arg); a && a->getMetadata(lifting::kInsnSlotTag))
      slot = a;
  BasicBlock *from = call->getParent(), *end = from->getNextNode();
  InlineFunctionInfo info;
  InlineResult r = InlineFunction(*call, info);
  assert(r.isSuccess() && "semantics must be inlinable");
  (void)r;
  // Folding deletes calls of the forms not taken.
  std::vector<WeakTrackingVH> sites(info.InlinedCallSites.begin(),
                                    info.InlinedCallSites.end());
  if (slot)
    lifting::foldInlined(from, end, slot, sem_->getDataLayout());
  for (WeakTrackingVH &site : sites) {
    auto *c = dyn_cast_or_null<CallInst>(site);
    if (!c || !c->getCalledFunction())
      continue;
    if (MemoryLowering::isMemoryOp(*c))
      mem_->lower(c, guestPc);
    else if (!c->getCalledFunction()->isDeclaration())
      inlineSemantics(c, guestPc);
  }
}

template <class Guest>
void BasicLifter<Guest>::emitChaining(
    llvm::Function *f, llvm::BasicBlock *from, llvm::BasicBlock *exit, uint64_t blockPc,
    llvm::Value *pcField, const std::vector<uint64_t> &succs, const LinkCellFn &linkCell,
    const std::map<uint64_t, llvm::BasicBlock *> &local, bool isReturn,
    const std::vector<uint64_t> &pushlessReturns, const std::vector<uint64_t> &pushedReturns,
    int jumpValue) {
  using namespace llvm;
  using lifting::kExitSyncMarker;
  IRBuilder<> b(from);
  Value *state = f->getArg(0);
  FunctionCallee exitSync =
      f->getParent()->getOrInsertFunction(kExitSyncMarker, b.getVoidTy());
  Value *pc = b.CreateLoad(b.getInt64Ty(), pcField);
  // A branch forward to a block of the region needs no interrupt check:
  // a path that only goes forward ends, and every cycle has a branch to a
  // block at the same or a lower address, which checks.
  auto forwardLocal = [&](uint64_t target) {
    return target > blockPc && local.count(target);
  };
  for (uint64_t target : succs)
    if (forwardLocal(target)) {
      BasicBlock *next = BasicBlock::Create(ctx_, "", f, exit);
      b.CreateCondBr(b.CreateICmpEQ(pc, guestPc(b, target)), local.at(target), next);
      b.SetInsertPoint(next);
    }
  // A pending interrupt sends control back to the runner: checked here
  // where the next pc is not known (a return, an indirect jump), else
  // with the targets below.
  auto checkInterrupt = [&] {
    BasicBlock *check = BasicBlock::Create(ctx_, "chain", f, exit);
    b.CreateCondBr(b.CreateICmpNE(loadInterrupt(b, state), b.getInt32(0)), exit,
                   check);
    b.SetInsertPoint(check);
  };
  bool direct = !isReturn && !succs.empty();
  if (!direct)
    checkInterrupt();
  auto count = [&](size_t off) {
    if (!countBlocks_)
      return;
    Value *p = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, off);
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), p), b.getInt64(1)), p);
  };
  auto tailCall = [&](Value *fn) {
    b.CreateCall(exitSync);
    CallInst *c = b.CreateCall(
        FunctionType::get(b.getVoidTy(), {b.getPtrTy()}, false), fn, {state});
    c->setTailCallKind(CallInst::TCK_MustTail);
    c->setCallingConv(CallingConv::PreserveNone);
    c->addParamAttr(0, Attribute::NoCapture); // see loadInterrupt
    b.CreateRetVoid();
  };
  // A return to a call of this region (its callee is here too) is a
  // branch: recursion and calls to functions the region holds stay in it.
  auto returnHere = [&](const std::vector<uint64_t> &sites, bool shadowHit) {
    for (uint64_t target : sites) {
      BasicBlock *to = local.at(target);
      BasicBlock *next = BasicBlock::Create(ctx_, "", f, exit);
      if (shadowHit && countBlocks_) {
        BasicBlock *counted = BasicBlock::Create(ctx_, "shadow.local", f, exit);
        b.CreateCondBr(b.CreateICmpEQ(pc, guestPc(b, target)), counted, next);
        b.SetInsertPoint(counted);
        count(offsetof(State, shadow_hits));
        b.CreateBr(to);
      } else {
        b.CreateCondBr(b.CreateICmpEQ(pc, guestPc(b, target)), to, next);
      }
      b.SetInsertPoint(next);
    }
  };
  if (isReturn && !linkCell) {
    returnHere(pushlessReturns, false);
    returnHere(pushedReturns, false);
  } else if (isReturn) {
    // A return: if the shadow stack's top is this pc, pop it and go
    // through its link cell; otherwise on to the IBTC. The return sites
    // of calls that pushed nothing (their callee returns inside the
    // region: fib's recursion) are compared first: the shadow stack's
    // top is another caller's there, and probing it cost every such
    // return two loads and five instructions before the compare.
    count(offsetof(State, shadow_probes));
    returnHere(pushlessReturns, true);
    Value *topField = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                   offsetof(State, shadow_top));
    Value *top = b.CreateLoad(b.getInt64Ty(), topField);
    Value *entry = shadowEntry(b, state, top);
    BasicBlock *match = BasicBlock::Create(ctx_, "shadow.match", f, exit);
    BasicBlock *hit = BasicBlock::Create(ctx_, "shadow.hit", f, exit);
    BasicBlock *miss = BasicBlock::Create(ctx_, "shadow.miss", f, exit);
    b.CreateCondBr(b.CreateICmpEQ(b.CreateLoad(b.getInt64Ty(), entry), pc), match,
                   miss);
    b.SetInsertPoint(match);
    b.CreateStore(b.CreateSub(top, b.getInt64(1)), topField);
    returnHere(pushedReturns, true);
    Value *cell = b.CreateLoad(b.getPtrTy(),
                               b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), entry, 8));
    LoadInst *fn = b.CreateAlignedLoad(b.getPtrTy(), cell, Align(8));
    fn->setAtomic(AtomicOrdering::Unordered);
    b.CreateCondBr(b.CreateIsNotNull(fn), hit, miss);
    b.SetInsertPoint(hit);
    count(offsetof(State, shadow_hits));
    tailCall(fn);
    b.SetInsertPoint(miss);
    returnHere(pushedReturns, true); // its entry overwritten (a deep recursion)
  }
  if (succs.empty() && !linkCell) {
    b.CreateBr(exit); // no chaining: back to the runner
    return;
  }
  if (succs.empty()) {
    // An indirect jump: probe this thread's IBTC, {pc, fn} pairs indexed
    // by (pc >> 1) % kIbtcSize, filled by the runner.
    Value *table = b.CreateLoad(
        b.getPtrTy(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                   offsetof(State, ibtc)));
    Value *idx = b.CreateAnd(b.CreateLShr(pc, 1), b.getInt64(kIbtcSize - 1));
    Value *slot = b.CreateGEP(b.getInt8Ty(), table, b.CreateShl(idx, 4));
    Value *slotPc = b.CreateLoad(b.getInt64Ty(), slot);
    count(offsetof(State, ibtc_probes));
    BasicBlock *hit = BasicBlock::Create(ctx_, "ibtc.hit", f, exit);
    b.CreateCondBr(b.CreateICmpEQ(slotPc, pc), hit, exit);
    b.SetInsertPoint(hit);
    count(offsetof(State, ibtc_hits));
    tailCall(b.CreateLoad(b.getPtrTy(),
                          b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), slot, 8)));
    return;
  }
  // A branch back into the region checks for interrupts on its own path,
  // with its target's pc stored: so the pc the branch chose (a select of
  // two) is needed in a loop by nothing but the compares, which fold.
  // Relative to a base, LLVM kept that select in the loop for the
  // interrupt exit (a register for the base and a cmov per trip), where
  // constants it materialises at the exit.
  for (uint64_t target : succs) {
    auto it = local.find(target);
    if (it == local.end() || forwardLocal(target))
      continue; // not in the region, or branched to above
    BasicBlock *taken = BasicBlock::Create(ctx_, "", f, exit);
    BasicBlock *next = BasicBlock::Create(ctx_, "", f, exit);
    Value *to = guestPc(b, target);
    b.CreateCondBr(b.CreateICmpEQ(pc, to), taken, next);
    b.SetInsertPoint(taken);
    b.CreateStore(to, pcField);
    checkInterrupt();
    b.CreateBr(it->second);
    b.SetInsertPoint(next);
  }
  // Other targets chain through their cells. One of them alone (the way
  // out of a loop) checks on its own path too: so no select survives the
  // back branch's compare. Two of them (a branch out to two translations)
  // share one check before they are told apart: a check on each path put
  // the branch, which in qsort's comparison mispredicts, first, and made
  // qsort 10% slower.
  std::vector<std::pair<uint64_t, uint64_t>> cells; // target, cell
  for (uint64_t target : succs)
    if (uint64_t cell = !local.count(target) && linkCell ? linkCell(target) : 0)
      cells.push_back({target, cell});
  bool ownCheck = cells.size() == 1;
  if (cells.size() > 1)
    checkInterrupt();
  for (auto [target, cell] : cells) {
    BasicBlock *load = BasicBlock::Create(ctx_, "link", f, exit);
    BasicBlock *next = BasicBlock::Create(ctx_, "", f, exit);
    // A jump whose target is a pc value (setPcValues) compares with that.
    Value *to = jumpValue >= 0 ? pcValueSymbol(b, jumpValue) : guestPc(b, target);
    b.CreateCondBr(b.CreateICmpEQ(pc, to), load, next);
    b.SetInsertPoint(load);
    if (ownCheck) {
      b.CreateStore(to, pcField);
      checkInterrupt();
    }
    Value *cellPtr = cellPointer(b, target, cell, jumpValue);
    // Unordered: a stale cell is still code that may run (a dropped block
    // is unlinked and its runners interrupted); unlike an ordered load it
    // does not count as a write, which would keep LLVM from seeing that
    // the registers synced before an access need not be stored again.
    LoadInst *fn = b.CreateAlignedLoad(b.getPtrTy(), cellPtr, Align(8));
    fn->setAtomic(AtomicOrdering::Unordered);
    BasicBlock *call = BasicBlock::Create(ctx_, "tail", f, exit);
    b.CreateCondBr(b.CreateIsNotNull(fn), call, exit);
    b.SetInsertPoint(call);
    tailCall(fn);
    b.SetInsertPoint(next);
  }
  b.CreateBr(exit);
}

template <class Guest>
llvm::Value *BasicLifter<Guest>::loadInterrupt(llvm::IRBuilderBase &b, llvm::Value *state) {
  using namespace llvm;
  // An asm read: never merged with another read or hoisted out of a loop
  // (another thread sets the flag), and not an ordered atomic, which LLVM
  // would treat as a write to all memory.
  auto *fnTy = FunctionType::get(b.getInt32Ty(), {b.getPtrTy()}, false);
  std::string text = "movl " + std::to_string(offsetof(State, interrupt)) +
                     "($1), $0";
  CallInst *c = b.CreateCall(InlineAsm::get(fnTy, text, "=r,r", true), {state});
  c->setMemoryEffects(MemoryEffects::inaccessibleMemOnly());
  c->addFnAttr(Attribute::NoUnwind);
  // The state pointer never escapes translated code: so LLVM knows that
  // guest memory (reached from membase) is not the state.
  c->addParamAttr(0, Attribute::NoCapture);
  return c;
}

template <class Guest>
llvm::Value *BasicLifter<Guest>::cellPointer(llvm::IRBuilderBase &b, uint64_t target,
                                             uint64_t cell, int pcValue) {
  using namespace llvm;
  if (!symbolicCells_)
    return b.CreateIntToPtr(b.getInt64(cell), b.getPtrTy());
  char name[48];
  if (pcValue >= 0)
    snprintf(name, sizeof name, "%s%d", kPcCellPrefix, pcValue);
  else
    snprintf(name, sizeof name, "%s%llx", kCellPrefix,
             (unsigned long long)(target - moduleBase_.value_or(0)));
  Module &m = *b.GetInsertBlock()->getModule();
  auto *g = cast<GlobalVariable>(m.getOrInsertGlobal(name, b.getPtrTy()));
  g->setAlignment(Align(8));
  return g;
}

// The shadow-stack entry that `top` (entries pushed) selects. The array's
// offset and the masked index are separate GEPs, so that an analysis of
// state accesses (stateOffsetRange) sees the range an entry lies in.
template <class Guest>
llvm::Value *BasicLifter<Guest>::shadowEntry(llvm::IRBuilderBase &b, llvm::Value *state,
                                             llvm::Value *top) {
  using namespace llvm;
  constexpr uint64_t kShadowSize = sizeof(State::shadow) / sizeof(State::shadow[0]);
  static_assert((kShadowSize & (kShadowSize - 1)) == 0);
  Value *array = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                              offsetof(State, shadow));
  return b.CreateInBoundsGEP(
      b.getInt8Ty(), array,
      b.CreateShl(b.CreateAnd(top, b.getInt64(kShadowSize - 1)), 4));
}

template <class Guest>
void BasicLifter<Guest>::emitShadowPush(llvm::IRBuilderBase &b, llvm::Value *state,
                                        uint64_t retPc, llvm::Value *cell) {
  using namespace llvm;
  Value *topField = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                 offsetof(State, shadow_top));
  Value *top = b.CreateAdd(b.CreateLoad(b.getInt64Ty(), topField), b.getInt64(1));
  b.CreateStore(top, topField);
  Value *entry = shadowEntry(b, state, top);
  b.CreateStore(guestPc(b, retPc), entry);
  b.CreateStore(cell, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), entry, 8));
}

template <class Guest>
llvm::Value *BasicLifter<Guest>::moduleBaseValue(llvm::IRBuilderBase &b) {
  using namespace llvm;
  // Opaque to LLVM (an asm that the code generator emits as a movabs with
  // a relocation), so pcs stay base + offset through every fold: offsets
  // add up, and pcs of the same base compare as constants.
  auto *ty = FunctionType::get(b.getInt64Ty(), false);
  CallInst *base = b.CreateCall(
      InlineAsm::get(ty, std::string("movabsq $$") + kModuleBaseSymbol + ", $0", "=r",
                     /*hasSideEffects=*/false),
      {}, "modbase");
  base->setDoesNotAccessMemory();
  base->addFnAttr(Attribute::NoUnwind);
  return base;
}

template <class Guest>
llvm::Value *BasicLifter<Guest>::pcValueSymbol(llvm::IRBuilderBase &b, unsigned k) {
  using namespace llvm;
  auto *ty = FunctionType::get(b.getInt64Ty(), false);
  CallInst *v = b.CreateCall(
      InlineAsm::get(ty, "movabsq $$" + std::string(kPcValuePrefix) + std::to_string(k) + ", $0",
                     "=r", /*hasSideEffects=*/false));
  v->setDoesNotAccessMemory();
  v->addFnAttr(Attribute::NoUnwind);
  return v;
}

template <class Guest>
llvm::Value *BasicLifter<Guest>::guestPc(llvm::IRBuilderBase &b, uint64_t pc) {
  if (!moduleBase_)
    return b.getInt64(pc);
  llvm::Value *base = functionBase_ ? functionBase_ : moduleBaseValue(b);
  return b.CreateAdd(base, b.getInt64(pc - *moduleBase_));
}

template <class Guest>
llvm::Function *BasicLifter<Guest>::buildFunction(const std::vector<GuestBlock> &blocks,
                                                  const std::string &name,
                                                  const LinkCellFn &linkCell,
                                                  HotCounter counter) {
  using namespace llvm;
  using lifting::kExitSyncMarker;
  auto *fnTy = FunctionType::get(Type::getVoidTy(ctx_),
                                 {PointerType::getUnqual(ctx_)}, false);
  Function *f = Function::Create(fnTy, GlobalValue::ExternalLinkage, name, *sem_);
  f->addParamAttr(0, Attribute::NoAlias);
  f->addParamAttr(0, Attribute::NoCapture);
  // The whole state is there: its loads may be hoisted out of loops even
  // past an access that may fault (and so might not return).
  f->addParamAttr(0, Attribute::getWithDereferenceableBytes(ctx_, sizeof(State)));
  f->addParamAttr(0, Attribute::getWithAlignment(ctx_, Align(alignof(State))));
  f->addFnAttr(Attribute::NoUnwind);
  f->addFnAttr(Attribute::StrictFP);
  // jit::BlockFn: chained code enters and leaves without saving registers.
  f->setCallingConv(CallingConv::PreserveNone);
  mem_->beginFunction(*f);

  BasicBlock *entry = BasicBlock::Create(ctx_, "entry", f);
  BasicBlock *exit = BasicBlock::Create(ctx_, "exit", f);
  IRBuilder<> b(entry);
  Value *real = f->getArg(0);
  // One base for the function's pcs, in its entry block.
  functionBase_ = moduleBase_ ? moduleBaseValue(b) : nullptr;
  // The semantics run on a local copy of the registers, which SROA turns
  // into SSA values: a loop inside a region keeps them in host registers.
  // The copy goes back to the real state where it must be exact: before
  // each guest memory access (which may fault; the lowering marks them)
  // and before every way out of the function (syncLocalState).
  AllocaInst *local = b.CreateAlloca(
      ArrayType::get(b.getInt8Ty(), Guest::kLocalBytes), nullptr, "regs");
  local->setAlignment(Align(16));
  b.CreateMemCpy(local, Align(16), real, Align(8), Guest::kLocalBytes);
  Value *state = local;
  Value *pcField = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state,
                                                offsetof(State, pc));
  Value *exitField = b.CreateConstInBoundsGEP1_64(
      b.getInt8Ty(), state, offsetof(State, exit_reason));
  {
    IRBuilder<> e(exit);
    e.CreateCall(f->getParent()->getOrInsertFunction(kExitSyncMarker,
                                                     e.getVoidTy()));
    e.CreateRetVoid();
  }

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
    b.CreateStore(guestPc(b, blocks.front().pc), pcField);
    b.CreateStore(b.getInt32(exits::kHot), exitField);
    b.CreateBr(exit);
    b.SetInsertPoint(body);
  }

  // A region's blocks branch to each other directly: guest registers stay
  // in SSA across them, loops included.
  std::map<uint64_t, BasicBlock *> guestBlocks;
  std::map<uint64_t, const GuestBlock *> byPc;
  for (const GuestBlock &block : blocks) {
    guestBlocks.emplace(block.pc, BasicBlock::Create(ctx_, "guest", f, exit));
    byPc.emplace(block.pc, &block);
  }
  b.CreateBr(guestBlocks.at(blocks.front().pc));
  std::map<uint64_t, unsigned> valueAt; // instruction pc -> its pc value
  if (pcValues_)
    for (unsigned k = 0; k < pcValues_->size(); k++)
      valueAt[(*pcValues_)[k].pc] = k;
  // Where the region's calls continue, when it holds that block and the
  // callee too (else no return here can go there, but for recursion, whose
  // callee is then here: each candidate costs every return a compare).
  std::map<uint64_t, uint64_t> localReturns; // return site -> callee
  for (const GuestBlock &block : blocks) {
    uint64_t ret = callContinuation(block);
    std::optional<uint64_t> callee = Guest::directCallTarget(block.insns.back());
    if (ret && callee && guestBlocks.count(ret) && guestBlocks.count(*callee))
      localReturns[ret] = *callee;
  }
  // Whether the function entered at `callee` returns inside the region:
  // every path from it stays in the region's blocks up to a return, its
  // calls included (a call that leaves the region, an ecall or any other
  // way out would have its return, or the code after it, run in another
  // translation, where the return would miss the shadow stack).
  std::map<uint64_t, bool> closed;
  auto returnsInRegion = [&](uint64_t callee) {
    auto [memo, fresh] = closed.emplace(callee, false);
    if (!fresh)
      return memo->second;
    std::set<uint64_t> seen{callee};
    std::vector<uint64_t> work{callee};
    while (!work.empty()) {
      auto it = byPc.find(work.back());
      work.pop_back();
      if (it == byPc.end())
        return false;
      const GuestBlock &blk = *it->second;
      if (endsInReturn(blk))
        continue;
      std::vector<uint64_t> next = directSuccessors(blk);
      if (uint64_t ret = callContinuation(blk))
        next.push_back(ret);
      if (next.empty() || Guest::isIndirectJump(blk.insns.back()))
        return false;
      for (uint64_t pc : next)
        if (seen.insert(pc).second)
          work.push_back(pc);
    }
    return memo->second = true;
  };
  // The calls whose callee returns here push nothing (below); the others
  // push, and their returns may find the shadow stack's top.
  std::vector<uint64_t> pushlessReturns, pushedReturns;
  for (auto [ret, callee] : localReturns)
    (returnsInRegion(callee) ? pushlessReturns : pushedReturns).push_back(ret);

  for (const GuestBlock &block : blocks) {
    b.SetInsertPoint(guestBlocks.at(block.pc));
    if (countBlocks_) {
      Value *runs = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), real,
                                                 offsetof(State, blocks_run));
      b.CreateStore(
          b.CreateAdd(b.CreateLoad(b.getInt64Ty(), runs), b.getInt64(1)), runs);
    }
    for (const Insn &in : block.insns) {
      size_t opIdx = static_cast<size_t>(in.op);
      bool ends = Guest::endsBlock(in.op);
      // The semantics see the fall-through pc in s->pc. Only an
      // instruction that may leave the block needs it in memory: elsewhere
      // the store would be dead, but a memory access's fault path (which
      // reads the state) would keep it alive.
      if (ends || mayTrap_[opIdx])
        b.CreateStore(guestPc(b, Guest::next(in)), pcField);
      auto k = [&](uint64_t v) { return b.getInt64(v); };
      Value *pc = guestPc(b, in.pc);
      Value *imm = k((uint64_t)in.imm);
      uint32_t raw = in.raw;
      if (auto v = valueAt.find(in.pc); v != valueAt.end()) {
        // The immediate that gives the value from what the semantics add
        // it to: the pc, or the base register holding the auipc's value.
        const PcValue &pv = (*pcValues_)[v->second];
        Value *from = pv.kind == PcValue::PairLow ? pcValueSymbol(b, pv.anchor) : pc;
        imm = b.CreateSub(pcValueSymbol(b, v->second), from);
        raw &= ~pv.mask;
      }
      Value *slot = makeInsnSlot(b, Guest::constantSlot(b, in, pc, imm, raw));
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
      inlineSemantics(call, pc);
      b.SetInsertPoint(next);
      if (ends)
        break;
    }
    // A block cut by the size limit (or the end of readable code) falls
    // through to the next instruction.
    if (!Guest::endsBlock(block.insns.back().op))
      b.CreateStore(guestPc(b, block.endPc), pcField);
    std::vector<uint64_t> succs = directSuccessors(block);
    // Direct successors inside the region are branched to, others chain
    // through link cells; an indirect jump goes through the IBTC (empty
    // succs); other block ends return to the runner.
    const Insn &last = block.insns.back();
    bool indirect = Guest::isIndirectJump(last);
    // A call whose callee returns here pushes nothing: the return finds
    // the continuation among the region's own (after the shadow stack's
    // top, another caller's, does not match), and a push per lap of a
    // recursion is three stores to the state.
    bool call = Guest::isCall(last);
    std::optional<uint64_t> callee = Guest::directCallTarget(last);
    uint64_t after = Guest::next(last);
    bool localCall = call && callee && guestBlocks.count(after) && returnsInRegion(*callee);
    if (linkCell && call && !localCall)
      emitShadowPush(b, real, after, cellPointer(b, after, linkCell(after)));
    bool isReturn = endsInReturn(block);
    bool anyLocal = false;
    for (uint64_t t : succs)
      anyLocal |= guestBlocks.count(t) != 0;
    bool returnsHere = isReturn && !localReturns.empty();
    if ((linkCell || anyLocal || returnsHere) &&
        (!succs.empty() || (indirect && linkCell) || returnsHere))
    {
      auto v = valueAt.find(last.pc);
      int jumpValue = v != valueAt.end() && (*pcValues_)[v->second].kind == PcValue::Jump
                          ? int(v->second) : -1;
      emitChaining(f, b.GetInsertBlock(), exit, block.pc, pcField, succs, linkCell,
                   guestBlocks, isReturn, isReturn ? pushlessReturns : std::vector<uint64_t>{},
                   isReturn ? pushedReturns : std::vector<uint64_t>{}, jumpValue);
    }
    else
      b.CreateBr(exit);
  }
  syncLocalState(*f, local);
  functionBase_ = nullptr; // the guard goes before the entry block
  specializeRoundingMode(*f, blocks.front().pc);
  return f;
}

template <class Guest>
void BasicLifter<Guest>::specializeRoundingMode(llvm::Function &f, uint64_t entryPc) {
  using namespace llvm;
  // (A Guest without frm defines neither kFrmOffset nor kFrmNearest.)
  if constexpr (Guest::kHasFrm) {
    constexpr uint64_t frmOff = Guest::kFrmOffset;
    // Programs run in RNE nearly always. Code that reads the dynamic rounding
    // mode and does not set it assumes RNE: the choice between rounding
    // paths (and RMM's software path) folds away. An entry guard leaves with
    // kExitGeneric otherwise, and the runner runs the block without it. The
    // guard also holds the check of FP registers a fault path may make
    // canonical (kRawFpEntryCheck, filled in by lowerNaNCanonicalization).
    Value *real = f.getArg(0);
    const DataLayout &dl = sem_->getDataLayout();
    std::vector<LoadInst *> reads;
    for (Instruction &inst : instructions(f)) {
      uint64_t off;
      if (auto *ld = dyn_cast<LoadInst>(&inst)) {
        if (constOffset(ld->getPointerOperand(), real, dl, off) &&
            off == frmOff)
          reads.push_back(ld);
      } else if (auto *st = dyn_cast<StoreInst>(&inst)) {
        if (getUnderlyingObject(st->getPointerOperand()) != real)
          continue; // not the state
        uint64_t size = dl.getTypeStoreSize(st->getValueOperand()->getType());
        auto range = stateOffsetRange(st->getPointerOperand(), real, dl);
        if (!range || (range->first < frmOff + 4 && frmOff < range->second + size))
          return; // writes frm (fsrm, csrw fcsr), or who knows where
      }
    }
    if (reads.empty())
      return;
    for (LoadInst *ld : reads) {
      ld->replaceAllUsesWith(ConstantInt::get(ld->getType(), Guest::kFrmNearest));
      ld->eraseFromParent();
    }
    // The guard is a new entry block; the allocas move into it, where SROA
    // looks for them.
    BasicBlock *body = &f.getEntryBlock();
    BasicBlock *entry = BasicBlock::Create(ctx_, "guard", &f, body);
    BasicBlock *generic = BasicBlock::Create(ctx_, "generic", &f);
    for (Instruction &inst : make_early_inc_range(*body))
      if (isa<AllocaInst>(inst))
        inst.moveBefore(*entry, entry->end());
    IRBuilder<> b(entry);
    auto field = [&](uint64_t off) {
      return b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), real, off);
    };
    Value *frm = b.CreateLoad(b.getInt32Ty(), field(frmOff));
    Value *rawFpOk = b.CreateCall(
        f.getParent()->getOrInsertFunction(kRawFpEntryCheck, b.getInt1Ty()));
    b.CreateCondBr(b.CreateAnd(b.CreateICmpEQ(frm, b.getInt32(Guest::kFrmNearest)), rawFpOk),
                   body, generic);
    b.SetInsertPoint(generic);
    b.CreateStore(guestPc(b, entryPc), field(offsetof(State, pc)));
    b.CreateStore(b.getInt32(exits::kGeneric), field(offsetof(State, exit_reason)));
    b.CreateRetVoid();
  }
}

// Moves the block function out of the semantics module into a module of its
// own, declaring (or copying, for constant data) what it references.
template <class Guest>
std::unique_ptr<llvm::Module> BasicLifter<Guest>::extractFunction(llvm::Function *f) {
  using namespace llvm;
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
  // The constant slots (makeInsnSlot) stay only as copies where used.
  for (GlobalVariable *g : insnGlobals_)
    if (g->use_empty())
      g->eraseFromParent();
  insnGlobals_.clear();
  return m;
}

template <class Guest>
std::unique_ptr<llvm::Module> BasicLifter<Guest>::liftBlock(const GuestBlock &block,
                                                            const std::string &name,
                                                            const LinkCellFn &linkCell,
                                                            HotCounter counter) {
  return extractFunction(buildFunction({block}, name, linkCell, counter));
}

template <class Guest>
std::unique_ptr<llvm::Module>
BasicLifter<Guest>::liftRegion(const std::vector<GuestBlock> &blocks, const std::string &name,
                               const LinkCellFn &linkCell) {
  return extractFunction(buildFunction(blocks, name, linkCell, {}));
}

} // namespace xlat
