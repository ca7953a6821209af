#include "lifter/core/nan_canon.h"

#include "lifter/core/memory_lowering.h"
#include "lifter/core/state_offsets.h"

#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>

#include <algorithm>
#include <bit>
#include <map>
#include <optional>
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

// The FP registers an access spills (kFpSpills), register i in bit i, and
// each one's operand: the call's last arguments, in register order.
uint64_t fpSpills(const CallInst &call) {
  MDNode *md = call.getMetadata(kFpSpills);
  return md ? mdconst::extract<ConstantInt>(md->getOperand(0))->getZExtValue() : 0;
}
template <class Fn> void forEachFpSpill(CallInst &call, Fn fn) {
  uint64_t regs = fpSpills(call);
  unsigned arg = call.arg_size() - std::popcount(regs);
  for (unsigned r = 0; regs >> r; r++)
    if (regs >> r & 1)
      fn(call.getArgOperandUse(arg++), r);
}

// Nothing is stored raw: no write-back at an exit is needed.
void dropRestores(Function &f) {
  for (Instruction &inst : make_early_inc_range(instructions(f)))
    if (isa<StoreInst>(inst) && inst.getMetadata(kRawNaNRestore))
      inst.eraseFromParent();
}

// Which syncs may store a raw double, and the raw-FP mask of each access
// that records one: a forward data flow over the FP registers' copies in
// the state, each raw (a raw sync stored it last) or exact, per path.
class RawSyncPlan {
public:
  // guarded: the function has an entry check (kRawFpEntryCheck), so that
  // what the state holds at entry may be taken for raw.
  RawSyncPlan(Function &f, const FpRegisterFile &regs,
              const std::set<Instruction *> &raw, bool guarded)
      : f_(f), regs_(regs), state_(f.getArg(0)), dl_(f.getDataLayout()),
        guarded_(guarded) {
    // An access's FP spill operand that is raw stays raw: the fault path
    // stores it, then the access's mask makes it canonical.
    for (Instruction &inst : instructions(f))
      if (auto *call = dyn_cast<CallInst>(&inst))
        forEachFpSpill(*call, [&](Use &u, unsigned r) {
          if (auto *v = dyn_cast<Instruction>(u.get()); v && raw.count(v)) {
            rawSpills_[call] |= 1ull << r;
            rawSpillUses_.insert(&u);
          }
        });
    assert(regs.count <= 32 && "a mask holds 32 registers");
    for (Instruction &inst : instructions(f)) {
      auto *st = dyn_cast<StoreInst>(&inst);
      uint64_t off;
      if (!st || !st->getMetadata(kRawNaNStore) ||
          !constOffset(st->getPointerOperand(), state_, dl_, off) ||
          off < regs.offset || (off - regs.offset) % 8 ||
          (off - regs.offset) / 8 >= regs.count)
        continue;
      auto *v = dyn_cast<Instruction>(st->getValueOperand());
      if (v && raw.count(v) && dl_.getTypeStoreSize(v->getType()) == 8)
        candidates_[st] = (off - regs.offset) / 8;
    }
    // A register read where it may be raw, or raw on one path and exact on
    // another at an access, is stored exactly at all its syncs: again until
    // no such register is left.
    if (candidates_.empty() && rawSpills_.empty()) {
      dropRestores(f);
      return;
    }
    for (;;) {
      uint64_t conflicts = flow(nullptr);
      if (!(conflicts & ~forced_))
        break;
      forced_ |= conflicts;
    }
    flow(&masks_);
    for (StoreInst *st : idleRestores_)
      st->eraseFromParent();
  }

  // The registers the entry check must find free of NaNs other than the
  // canonical one: raw at an access where the state may still hold them
  // from entry.
  uint64_t entryChecked() const { return entryChecked_; }

  // The store, or the access's spill operand, may keep its raw value.
  bool keepsRaw(const Use &u) const {
    if (rawSpillUses_.count(&u))
      return true;
    auto *st = dyn_cast<StoreInst>(u.getUser());
    auto it = st ? candidates_.find(st) : candidates_.end();
    return it != candidates_.end() && !(forced_ >> it->second & 1) &&
           u.getOperandNo() == 0;
  }

  // Sets each access's mask in its asm text.
  void applyMasks() {
    for (auto [call, mask] : masks_) {
      auto *ia = cast<InlineAsm>(call->getCalledOperand());
      call->setCalledOperand(InlineAsm::get(
          ia->getFunctionType(), withRawFpMask(ia->getAsmString(), mask),
          ia->getConstraintString(), ia->hasSideEffects(), ia->isAlignStack(),
          ia->getDialect(), ia->canThrow()));
    }
  }

private:
  // Per register, what the state's copy may be: raw (a raw sync stored it
  // last), exact (any other store did), or still what it was at entry.
  struct Copies {
    uint64_t mayRaw = 0, mayExact = 0, mayEntry = 0;
    bool operator!=(const Copies &o) const {
      return mayRaw != o.mayRaw || mayExact != o.mayExact ||
             mayEntry != o.mayEntry;
    }
    void join(const Copies &o) {
      mayRaw |= o.mayRaw;
      mayExact |= o.mayExact;
      mayEntry |= o.mayEntry;
    }
  };

  Copies atEntry() const {
    Copies c;
    (guarded_ ? c.mayEntry : c.mayExact) = all();
    return c;
  }

  uint64_t all() const { return (1ull << regs_.count) - 1; }

  // The registers bytes [lo, hi) of the state overlap.
  uint64_t regsIn(uint64_t lo, uint64_t hi) const {
    uint64_t end = regs_.offset + 8 * regs_.count, m = 0;
    for (uint64_t at = std::max(lo, regs_.offset) & ~7ull; at < std::min(hi, end);
         at += 8)
      if (at >= regs_.offset)
        m |= 1ull << ((at - regs_.offset) / 8);
    return m;
  }

  // The registers a state access may touch, and whether it surely covers
  // the one it touches whole.
  uint64_t touched(Value *ptr, Type *ty, bool &sure) const {
    sure = false;
    if (getUnderlyingObject(ptr) != state_)
      return 0; // guest memory and link cells cannot alias the state
    auto range = stateOffsetRange(ptr, state_, dl_);
    if (!range)
      return all();
    uint64_t size = dl_.getTypeStoreSize(ty);
    sure = range->first == range->second && size == 8 &&
           (range->first - regs_.offset) % 8 == 0;
    return regsIn(range->first, range->second + size);
  }

  // Where the runtime may read the state: calls into it and returns. An
  // asm that calls out (the fault paths of an atomic's address check, which
  // has no mask) is such a call; so is the host fault of the atomic itself,
  // which follows that asm with no sync between.
  static bool observes(Instruction &inst) {
    if (isa<ReturnInst>(inst))
      return true;
    auto *call = dyn_cast<CallBase>(&inst);
    if (!call)
      return false;
    if (auto *ia = dyn_cast<InlineAsm>(call->getCalledOperand()))
      return StringRef(ia->getAsmString()).contains("call");
    return !isa<IntrinsicInst>(call);
  }

  // One pass to the fixpoint; the registers in conflict, and with `masks`
  // each access's mask.
  uint64_t flow(std::map<CallInst *, uint32_t> *masks) {
    uint64_t conflicts = 0;
    auto step = [&](Instruction &inst, Copies &c) {
      if (auto *st = dyn_cast<StoreInst>(&inst)) {
        bool unused;
        if (masks && st->getMetadata(kRawNaNRestore) &&
            !(c.mayRaw & touched(st->getPointerOperand(),
                                 st->getValueOperand()->getType(), unused)))
          idleRestores_.push_back(st); // the state holds what it would store
        auto it = candidates_.find(st);
        uint64_t b = it == candidates_.end() ? 0 : 1ull << it->second;
        if (b && !(forced_ & b)) {
          c.mayRaw |= b;
          c.mayExact &= ~b;
          c.mayEntry &= ~b;
          return;
        }
        bool sure;
        uint64_t t = touched(st->getPointerOperand(),
                             st->getValueOperand()->getType(), sure);
        c.mayExact |= t;
        if (sure) {
          c.mayRaw &= ~t;
          c.mayEntry &= ~t;
        }
      } else if (auto *ld = dyn_cast<LoadInst>(&inst)) {
        bool sure;
        conflicts |= c.mayRaw & touched(ld->getPointerOperand(), ld->getType(), sure);
      }
      auto *call = dyn_cast<CallInst>(&inst);
      auto *ia = call ? dyn_cast<InlineAsm>(call->getCalledOperand()) : nullptr;
      if (ia && hasRawFpMask(ia->getAsmString())) {
        // A spilled register's copy in the state does not count: the
        // fault path stores the operand over it, raw or exact.
        uint64_t spilled = fpSpills(*call);
        conflicts |= c.mayRaw & c.mayExact & ~spilled;
        if (masks) {
          auto raw = rawSpills_.find(call);
          (*masks)[call] = (uint32_t)((c.mayRaw & ~c.mayExact & ~spilled) |
                                      (raw == rawSpills_.end() ? 0 : raw->second));
          entryChecked_ |= c.mayRaw & c.mayEntry & ~spilled;
        }
      } else if (observes(inst)) {
        conflicts |= c.mayRaw;
      }
    };
    ReversePostOrderTraversal<Function *> rpo(&f_);
    std::map<BasicBlock *, Copies> out;
    for (bool changed = true; changed;) {
      changed = false;
      for (BasicBlock *bb : rpo) {
        Copies c = in(bb, out);
        for (Instruction &inst : *bb)
          step(inst, c);
        auto [it, fresh] = out.emplace(bb, c);
        if (fresh || it->second != c) {
          it->second = c;
          changed = true;
        }
      }
    }
    // Masks and conflicts from the fixpoint's block entries.
    conflicts = 0;
    if (masks) {
      masks->clear();
      entryChecked_ = 0;
      idleRestores_.clear();
    }
    for (BasicBlock *bb : rpo) {
      Copies c = in(bb, out);
      for (Instruction &inst : *bb)
        step(inst, c);
    }
    return conflicts;
  }

  Copies in(BasicBlock *bb, const std::map<BasicBlock *, Copies> &out) const {
    Copies c = bb == &f_.getEntryBlock() ? atEntry() : Copies();
    for (BasicBlock *pred : predecessors(bb))
      if (auto it = out.find(pred); it != out.end())
        c.join(it->second);
    return c;
  }

  Function &f_;
  FpRegisterFile regs_;
  Value *state_;
  const DataLayout &dl_;
  std::map<StoreInst *, unsigned> candidates_; // raw sync -> register
  bool guarded_;
  uint64_t forced_ = 0;                        // registers always exact
  std::map<CallInst *, uint32_t> masks_;
  std::map<CallInst *, uint64_t> rawSpills_; // access -> its raw FP spills
  std::set<const Use *> rawSpillUses_;
  uint64_t entryChecked_ = 0;
  std::vector<StoreInst *> idleRestores_;
};

// Replaces the entry check (kRawFpEntryCheck) by a test that none of the
// registers in `regs` holds a NaN other than the canonical double one.
void lowerEntryCheck(CallInst *check, const FpRegisterFile *fpRegs,
                     uint64_t regs) {
  IRBuilder<> b(check);
  Value *ok = nullptr;
  Value *state = check->getFunction()->getArg(0);
  Format d;
  formatOf(b.getInt64Ty(), d);
  for (unsigned i = 0; regs >> i; i++) {
    if (!(regs >> i & 1))
      continue;
    Value *x = b.CreateLoad(
        b.getInt64Ty(),
        b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, fpRegs->offset + 8 * i));
    Value *nan = b.CreateICmpUGT(b.CreateAnd(x, ~d.sign), b.getInt64(d.exp));
    Value *other = b.CreateAnd(nan, b.CreateICmpNE(x, b.getInt64(d.canon)));
    ok = ok ? b.CreateAnd(ok, b.CreateNot(other)) : b.CreateNot(other);
  }
  if (!ok)
    ok = b.getTrue();
  // A constant folds into the guard's condition (and true, x -> x).
  for (User *u : make_early_inc_range(check->users()))
    if (auto *and_ = dyn_cast<BinaryOperator>(u);
        and_ && and_->getOpcode() == Instruction::And && isa<Constant>(ok)) {
      and_->replaceAllUsesWith(and_->getOperand(0) == check ? and_->getOperand(1)
                                                            : and_->getOperand(0));
      and_->eraseFromParent();
    }
  check->replaceAllUsesWith(ok);
  check->eraseFromParent();
}

// The markers' part; returns the registers the entry check must test.
uint64_t lowerMarkers(Function &f, const FpRegisterFile *fpRegs, bool guarded) {
  std::vector<CallInst *> markers;
  for (Instruction &inst : instructions(f))
    if (isMarker(inst))
      markers.push_back(cast<CallInst>(&inst));
  if (markers.empty()) {
    dropRestores(f);
    return 0;
  }
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
  // An FP register as the function found it (kFpEntryLoad), behind the
  // entry check: its register, else -1.
  auto entryRegister = [&](Value *in) {
    while (auto *bc = dyn_cast<BitCastInst>(in))
      in = bc->getOperand(0);
    auto *ld = dyn_cast<LoadInst>(in);
    uint64_t off;
    if (!guarded || !fpRegs || !ld || !ld->getMetadata(kFpEntryLoad) ||
        !constOffset(ld->getPointerOperand(), f.getArg(0), f.getDataLayout(), off) ||
        off < fpRegs->offset || (off - fpRegs->offset) % 8 ||
        (off - fpRegs->offset) / 8 >= fpRegs->count)
      return -1;
    return (int)((off - fpRegs->offset) / 8);
  };
  auto feedsRaw = [&](Value *in) {
    if (auto *c = dyn_cast<Constant>(in))
      return isCanonical(c);
    auto *i = dyn_cast<Instruction>(in);
    return i && (raw.count(i) || entryRegister(i) >= 0);
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
  // The entry values the raw joins took: the entry check tests them.
  uint64_t entryJoined = 0;
  for (Instruction *v : raw)
    if (isa<PHINode>(v) || isa<SelectInst>(v))
      for (Value *in : v->operands())
        if (int r = entryRegister(in); r >= 0)
          entryJoined |= 1ull << r;
  std::optional<RawSyncPlan> plan;
  if (fpRegs)
    plan.emplace(f, *fpRegs, raw, guarded);
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
      if (raw.count(user) || seesOnlyNaNness(u) || (plan && plan->keepsRaw(u)))
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
  if (!plan)
    return 0;
  plan->applyMasks();
  return plan->entryChecked() | entryJoined;
}

} // namespace

void lowerNaNCanonicalization(Function &f, const FpRegisterFile *fpRegs) {
  CallInst *entryCheck = nullptr;
  for (Instruction &inst : instructions(f))
    if (auto *c = dyn_cast<CallInst>(&inst);
        c && c->getCalledFunction() &&
        c->getCalledFunction()->getName() == kRawFpEntryCheck)
      entryCheck = c;
  uint64_t checked = lowerMarkers(f, fpRegs, entryCheck != nullptr);
  if (!entryCheck)
    return;
  Function *decl = entryCheck->getCalledFunction();
  lowerEntryCheck(entryCheck, fpRegs, checked);
  if (decl->use_empty())
    decl->eraseFromParent();
}

} // namespace xlat
