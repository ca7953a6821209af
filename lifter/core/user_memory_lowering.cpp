#include "lifter/core/memory_lowering.h"
#include "lifter/core/nan_canon.h"
#include "lifter/core/mem_op_kinds.h"

#include <llvm/ADT/DepthFirstIterator.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ValueMapper.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include <atomic>
#include <cassert>
#include <cstring>
#include <set>
#include <string>
#include <tuple>

using namespace llvm;

namespace xlat {
namespace {

// The placeholder of an access's raw-FP mask: a number and a comment.
constexpr const char *kRawFpTag = "/*rawfp*/";
const std::string kRawFpUnset = std::string("0") + kRawFpTag;

// Placeholders of a load's or store's spills (withSpills): in its pc map
// entry, 10 bytes of none per spill; on its out-of-range path, no stores.
const std::string kSpillMapNone =
    "\t.fill " + std::to_string(10 * kMaxAccessSpills) + ", 1, 0/*spillmap*/\n";
constexpr const char *kSpillStores = "/*spillstores*/\n";

// The section of an access's out-of-line paths, which end its text.
constexpr const char *kCold = "\t.pushsection .text.xlat_cold,\"ax\",@progbits\n";
// How a checked load's or store's text begins: the compare of the address
// ($1) with the limit ($2), then the access's label.
constexpr const char *kRangeCheck = "cmpq $2, $1\n\tjae ";
// The access's addressing, base ($3) plus address ($1).
constexpr const char *kAddressing = "($3,$1)";

// The out-of-line path of an asm access: the guest address (operand $1),
// pc and raw-FP mask as the arguments of a fault entry point, which does
// not return; the stack is aligned for it first. The registers the access
// spills are stored before (the state is operand $4).
std::string coldCall(const std::string &label, const char *entry,
                     const std::string &pc, const std::string &rawFp,
                     bool spills) {
  return label + ":\n" + (spills ? kSpillStores : "") + "\tmovq $1, %rdi\n\tmovabsq $$" +
         pc + ", %rsi\n\tmovl $$" + rawFp + ", %edx\n\tandq $$-16, %rsp\n\tcallq " +
         entry + "\n";
}

// An access's guest pc in asm text: a number, or the module base symbol
// plus one (see kModuleBaseSymbol), which the assembler makes a relocation.
std::string guestPcText(Value *guestPc) {
  if (auto *c = dyn_cast<ConstantInt>(guestPc))
    return std::to_string(c->getZExtValue());
  auto *add = dyn_cast<BinaryOperator>(guestPc);
  auto *off = add ? dyn_cast<ConstantInt>(add->getOperand(1)) : nullptr;
  auto *base = add ? dyn_cast<CallInst>(add->getOperand(0)) : nullptr;
  auto *ia = base ? dyn_cast<InlineAsm>(base->getCalledOperand()) : nullptr;
  assert(add && add->getOpcode() == Instruction::Add && off && ia &&
         StringRef(ia->getAsmString()).contains(kModuleBaseSymbol) &&
         "asm accesses need a constant guest pc or the module base plus one");
  (void)ia;
  return std::string(kModuleBaseSymbol) + "+" + std::to_string(off->getZExtValue());
}

// Labels unique in the process (the JIT reuses one code generator, and
// its MC context, for every module, where numeric local labels collide)
// and in the function: ${:uid} differs between copies of one asm statement
// that code generation may make (tail duplication).
std::string uniqueLabel(const char *kind) {
  static std::atomic<uint64_t> next{0};
  return std::string(".Lxlat_") + kind + std::to_string(next.fetch_add(1)) +
         "_${:uid}";
}

class UserMemoryLowering final : public MemoryLowering {
public:
  UserMemoryLowering(uint64_t baseOff, uint64_t limitOff, uint64_t pcOff,
                     FaultCheck check)
      : baseOff_(baseOff), limitOff_(limitOff), pcOff_(pcOff), check_(check) {}

  void beginFunction(Function &f) override {
    fn_ = &f;
    base_ = limit_ = nullptr;
  }

  void lower(CallInst *call, Value *guestPc) override {
    MemOp op;
    bool known = classifyMemOp(call->getCalledFunction()->getName(), op);
    assert(known && "not a memory operation");
    (void)known;
    // User mode maps what is readable writable too (the host's own
    // protection answers a store): LR is lowered like any atomic.
    if (op.kind == MemOpKind::LrPtr)
      op.kind = MemOpKind::AtomicPtr;
    Value *state = fn_->getArg(0);
    loadBaseAndLimit(state);
    IRBuilder<> b(call);
    // The access may fault: the guest state must be exact before it, or
    // made exact by its fault path (a load or store with a raw-FP mask).
    Module &m = *fn_->getParent();
    bool mapped = check_ == FaultCheck::InlineAsm && op.kind != MemOpKind::AtomicPtr;
    b.CreateCall(m.getOrInsertFunction(kStateSyncMarker, b.getVoidTy(), b.getInt1Ty()),
                 {b.getInt1(mapped)});
    Value *addr = call->getArgOperand(1);
    Value *result = check_ == FaultCheck::InlineAsm
                        ? lowerAsm(b, call, op, addr, guestPc)
                        : lowerContinuation(call, op, addr);
    if (result)
      call->replaceAllUsesWith(result);
    call->eraseFromParent();
  }

private:
  void loadBaseAndLimit(Value *state) {
    if (base_)
      return;
    if (check_ == FaultCheck::Continuation) {
      base_ = fn_->getArg(1);
      limit_ = fn_->getArg(2);
      return;
    }
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

  // --- FaultCheck::InlineAsm ----------------------------------------------

  Value *lowerAsm(IRBuilder<> &b, CallInst *call, const MemOp &op, Value *addr,
                  Value *guestPc) {
    Value *state = fn_->getArg(0);
    LLVMContext &ctx = b.getContext();
    Type *i32 = b.getInt32Ty(), *i64 = b.getInt64Ty();
    // What LLVM may assume: the asm reads the state (its only pointer
    // operand, read-only), so the guest registers synced into it before
    // the access are stored first and are what a fault sees; it writes
    // no memory the IR can see besides, so registers synced before it need
    // not be stored again after it. Guest memory counts as inaccessible:
    // the base is passed as an integer. Writing inaccessible memory keeps
    // a load from being hoisted out of a guest spin loop or merged with
    // another, and keeps accesses in order.
    MemoryEffects effects = MemoryEffects::argMemOnly(ModRefInfo::Ref) |
                            MemoryEffects::inaccessibleMemOnly();
    Value *base = b.CreatePtrToInt(base_, i64);
    // The pc is text, not an immediate operand: LLVM takes an inline asm
    // with an immediate operand in a strictfp function for an x87
    // instruction and puts an fwait after it.
    std::string pc = guestPcText(guestPc);
    std::string access = uniqueLabel("access"), range = uniqueLabel("range");
    std::string pcMap = "\t.pushsection .xlat_pcmap,\"a\",@progbits\n\t.quad " +
                        access + "\n\t.quad " + pc + "\n\t.quad " + kRawFpUnset +
                        "\n" + kSpillMapNone + "\t.popsection\n";
    std::string check = kRangeCheck + range + "\n" + access + ":\n\t";
    std::string text, constraints;
    std::vector<Value *> args;
    Type *retTy = b.getVoidTy();
    switch (op.kind) {
    case MemOpKind::Load: {
      // $0 = value, $1 addr, $2 limit, $3 base, $4 state.
      static const char *kMov[] = {nullptr, "movzbl ($3,$1), ${0:k}",
                                   "movzwl ($3,$1), ${0:k}", nullptr,
                                   "movl ($3,$1), ${0:k}", nullptr, nullptr,
                                   nullptr, "movq ($3,$1), ${0:q}"};
      retTy = op.size == 8 ? i64 : i32;
      text = check + kMov[op.size] + "\n" + pcMap + kCold +
             coldCall(range, "xlat_mem_fault_at", pc, kRawFpUnset, true) + "\t.popsection";
      constraints = "=r,r,r,r,r";
      args = {addr, limit_, base, state};
      break;
    }
    case MemOpKind::Store: {
      // The cold path wants the address in $1, so: $0 value, $1 addr,
      // $2 limit, $3 base, $4 state.
      static const char *kMov[] = {nullptr, "movb ${0:b}, ($3,$1)",
                                   "movw ${0:w}, ($3,$1)", nullptr,
                                   "movl ${0:k}, ($3,$1)", nullptr, nullptr,
                                   nullptr, "movq ${0:q}, ($3,$1)"};
      text = check + kMov[op.size] + "\n" + pcMap + kCold +
             coldCall(range, "xlat_mem_fault_at", pc, kRawFpUnset, true) + "\t.popsection";
      constraints = "r,r,r,r,r";
      Value *v = call->getArgOperand(2);
      args = {op.size == 8 ? v : b.CreateZExt(v, i32), addr, limit_, base,
              state};
      break;
    }
    case MemOpKind::LrPtr:
    case MemOpKind::AtomicPtr: {
      // $0 = host pointer, $1 addr, $2 limit, $3 base, $4 state.
      auto *size = dyn_cast<ConstantInt>(call->getArgOperand(2));
      assert(size && "atomic access sizes are constants after inlining");
      std::string misaligned = uniqueLabel("misaligned");
      text = kRangeCheck + range + "\n\ttestq $$" +
             std::to_string(size->getZExtValue() - 1) + ", $1\n\tjnz " +
             misaligned + "\n\tleaq ($3,$1), $0\n" + kCold +
             coldCall(range, "xlat_mem_fault_at", pc, "0", false) +
             coldCall(misaligned, "xlat_misaligned_fault_at", pc, "0", false) +
             "\t.popsection";
      constraints = "=r,r,r,r,r";
      args = {addr, limit_, base, state};
      retTy = b.getPtrTy();
      break;
    }
    }
    // Only the flags: a clobber of the x87 status word would make LLVM put
    // an fwait after each access in strictfp code.
    constraints += ",~{flags}";
    std::vector<Type *> argTys;
    for (Value *a : args)
      argTys.push_back(a->getType());
    auto *asmFn = InlineAsm::get(FunctionType::get(retTy, argTys, false), text,
                                 constraints, /*hasSideEffects=*/true);
    CallInst *c = b.CreateCall(asmFn, args);
    c->setMemoryEffects(effects);
    c->addFnAttr(Attribute::NoUnwind);
    unsigned stateArg = args.size() - 1;
    c->addParamAttr(stateArg, Attribute::ReadOnly);
    c->addParamAttr(stateArg, Attribute::NoCapture);
    (void)ctx;
    switch (op.kind) {
    case MemOpKind::Load:
      return op.size == 8 ? c : b.CreateTrunc(c, call->getType());
    case MemOpKind::Store:
      return nullptr;
    case MemOpKind::LrPtr:
    case MemOpKind::AtomicPtr: {
      // The atomic instruction LLVM emits next is not ours to name in the
      // pc map: its pc goes to the state, volatile so that it is never
      // dropped as overwritten.
      StoreInst *st = b.CreateStore(
          guestPc, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), fn_->getArg(0),
                                                pcOff_));
      st->setVolatile(true);
      return c;
    }
    }
    return nullptr;
  }

  // --- FaultCheck::Continuation -------------------------------------------

  // The check is an asm statement that jumps to the continuation symbol
  // with the address in r15 (the fourth preserve_none argument register):
  // no cold block for LLVM to lay out after the stencil's jump to `next`,
  // which the template tier then drops when the next stencil follows.
  Value *lowerContinuation(CallInst *call, const MemOp &op, Value *addr) {
    IRBuilder<> b(call);
    asmCheck(b, "cmpq $1, $0\n\tjae xlat_hole_fault", {addr, limit_});
    if (op.kind == MemOpKind::AtomicPtr) {
      auto *size = dyn_cast<ConstantInt>(call->getArgOperand(2));
      assert(size && "atomic access sizes are constants after inlining");
      asmCheck(b,
               "testq $$" + std::to_string(size->getZExtValue() - 1) +
                   ", $0\n\tjnz xlat_hole_misaligned",
               {addr, limit_});
    }
    Value *host = b.CreateGEP(b.getInt8Ty(), base_, addr, "host");
    switch (op.kind) {
    case MemOpKind::Load:
      // Volatile: a load whose value is dead (into xzr or x0, in the
      // stencil that assumes it) still faults where the guest's would: on
      // a page it may not read, or past the limit when it starts below it
      // (the check above tests the first byte only).
      return b.CreateAlignedLoad(call->getType(), host, Align(1), /*isVolatile=*/true);
    case MemOpKind::Store:
      b.CreateAlignedStore(call->getArgOperand(2), host, Align(1));
      return nullptr;
    case MemOpKind::LrPtr:
    case MemOpKind::AtomicPtr:
      return host;
    }
    return nullptr;
  }

  // No memory effects are declared: LLVM keeps every access after it and
  // the stencil stores its results in program order anyway.
  void asmCheck(IRBuilder<> &b, const std::string &text,
                std::vector<Value *> args) {
    auto *ty = FunctionType::get(b.getVoidTy(), {b.getInt64Ty(), b.getInt64Ty()},
                                 false);
    CallInst *c = b.CreateCall(InlineAsm::get(ty, text, "{r15},r,~{flags}", true),
                               args);
    c->addFnAttr(Attribute::NoUnwind);
  }

  uint64_t baseOff_, limitOff_, pcOff_;
  FaultCheck check_;
  Function *fn_ = nullptr;
  Value *base_ = nullptr, *limit_ = nullptr;
};

} // namespace

bool hasRawFpMask(StringRef asmText) { return asmText.contains(kRawFpTag); }

std::string withRawFpMask(StringRef asmText, uint32_t mask) {
  std::string out;
  std::string set = std::to_string(mask) + kRawFpTag;
  for (size_t at = 0;;) {
    size_t next = asmText.find(kRawFpUnset, at);
    out += asmText.slice(at, next).str();
    if (next == StringRef::npos)
      return out;
    out += set;
    at = next + kRawFpUnset.size();
  }
}

bool takesSpills(StringRef asmText) { return asmText.contains(kSpillMapNone); }

std::string withSpills(StringRef asmText, const std::vector<AccessSpill> &spills,
                       unsigned firstOperand) {
  assert(spills.size() <= kMaxAccessSpills && takesSpills(asmText));
  // The entry names each register by an instruction that moves it to
  // %rax, in an 8-byte slot: REX.W (+R), 0x89, ModRM for a general-purpose
  // register; 0x66, REX.W (+R), 0x0f, 0x7e, ModRM for an SSE one. Only its
  // bytes are read.
  std::string map = "\t.short ", stores;
  for (unsigned i = 0; i < kMaxAccessSpills; i++)
    map += std::to_string(i < spills.size() ? spills[i].field : 0) +
           (i + 1 < kMaxAccessSpills ? ", " : "\n");
  for (unsigned i = 0; i < kMaxAccessSpills; i++) {
    if (i >= spills.size()) {
      map += "\t.quad 0\n";
      continue;
    }
    std::string n = std::to_string(firstOperand + i);
    std::string operand = spills[i].fp ? "${" + n + "}" : "${" + n + ":q}";
    map += "\tmovq " + operand + ", %rax\n\t.byte " +
           (spills[i].fp ? "0, 0, 0\n" : "0, 0, 0, 0, 0\n");
    stores += "\tmovq " + operand + ", " + std::to_string(spills[i].field) + "($4)\n";
  }
  std::string out = asmText.str();
  size_t at = out.find(kSpillMapNone);
  out.replace(at, kSpillMapNone.size(), map);
  at = out.find(kSpillStores);
  out.replace(at, strlen(kSpillStores), stores);
  return out;
}

namespace {

std::vector<std::string> constraintsOf(const InlineAsm *ia) {
  SmallVector<StringRef> parts;
  StringRef(ia->getConstraintString()).split(parts, ',');
  return std::vector<std::string>(parts.begin(), parts.end());
}

// An asm call like `call` (same flags, attributes and metadata) with other
// text, constraints, operands or result, placed before it; the caller
// replaces `call`.
CallInst *rebuiltAsm(CallInst *call, const std::string &text,
                     const std::vector<std::string> &constraints,
                     const std::vector<Value *> &args, Type *retTy) {
  auto *ia = cast<InlineAsm>(call->getCalledOperand());
  std::vector<Type *> types;
  for (Value *a : args)
    types.push_back(a->getType());
  std::string joined;
  for (const std::string &c : constraints)
    joined += (joined.empty() ? "" : ",") + c;
  auto *fn = InlineAsm::get(FunctionType::get(retTy, types, false), text, joined,
                            ia->hasSideEffects(), ia->isAlignStack(),
                            ia->getDialect(), ia->canThrow());
  CallInst *c = CallInst::Create(fn, args, "", call->getIterator());
  c->setAttributes(call->getAttributes());
  c->copyMetadata(*call);
  return c;
}

// Moves the spill operands of `calls` to the other register class (an SSE
// register if toXmm, else a general-purpose one) where `other` gives the
// operand's value as that class holds it (a double, or integer bits); the
// pc map slot and the cold path's store name the operand the new way.
void moveSpills(const std::vector<CallInst *> &calls, bool toXmm,
                function_ref<Value *(Value *)> other) {
  for (CallInst *call : calls) {
    auto *ia = cast<InlineAsm>(call->getCalledOperand());
    std::string text = ia->getAsmString();
    std::vector<std::string> constraints = constraintsOf(ia);
    std::vector<Value *> args(call->arg_begin(), call->arg_end());
    unsigned outputs = !call->getType()->isVoidTy();
    bool changed = false;
    for (unsigned i = 0; i < args.size(); i++) {
      unsigned operand = outputs + i;
      Value *v = nullptr;
      if (constraints[operand] != (toXmm ? "r" : "x") || !(v = other(args[i])))
        continue;
      std::string q = "${" + std::to_string(operand) + ":q}",
                  x = "${" + std::to_string(operand) + "}";
      const std::string &from = toXmm ? q : x, &to = toXmm ? x : q;
      // `movq REG, %rax` is 5 bytes for an SSE register, 3 otherwise.
      std::string gprSlot = ", %rax\n\t.byte 0, 0, 0, 0, 0\n", xmmSlot = ", %rax\n\t.byte 0, 0, 0\n";
      std::string slot = "\tmovq " + from + (toXmm ? gprSlot : xmmSlot);
      size_t at = text.find(slot);
      if (at == std::string::npos)
        continue; // not a spill
      text.replace(at, slot.size(), "\tmovq " + to + (toXmm ? xmmSlot : gprSlot));
      for (size_t after = 0;
           (at = text.find("\tmovq " + from + ", ", after)) != std::string::npos;
           after = at + 1)
        text.replace(at, 6 + from.size(), "\tmovq " + to);
      constraints[operand] = toXmm ? "x" : "r";
      args[i] = v;
      changed = true;
    }
    if (!changed)
      continue;
    CallInst *c = rebuiltAsm(call, text, constraints, args, call->getType());
    call->replaceAllUsesWith(c);
    call->eraseFromParent();
  }
}

bool isDoubleCast(User *u) {
  auto *bc = dyn_cast<BitCastInst>(u);
  return bc && bc->getDestTy()->isDoubleTy();
}

// The double whose bits v is (a cast of it), or null.
Value *doubleWhoseBits(Value *v) {
  auto *bc = dyn_cast<BitCastInst>(v);
  return bc && bc->getSrcTy()->isDoubleTy() ? bc->getOperand(0) : nullptr;
}

// `bits` (an i64) now made as the double `d`: its casts to double use d,
// its other users the bits of d, cast once at `at`.
void useDoubleFor(Value *bits, Value *d, BasicBlock::iterator at) {
  Value *back = nullptr;
  for (Use &u : make_early_inc_range(bits->uses())) {
    if (isDoubleCast(u.getUser())) {
      auto *bc = cast<BitCastInst>(u.getUser());
      bc->replaceAllUsesWith(d);
      bc->eraseFromParent();
      continue;
    }
    if (!back)
      back = new BitCastInst(d, Type::getInt64Ty(d->getContext()), "", at);
    u.set(back);
  }
}

} // namespace

void fpPhisInSseRegisters(Function &f) {
  LLVMContext &ctx = f.getContext();
  Type *i64 = Type::getInt64Ty(ctx), *dbl = Type::getDoubleTy(ctx);
  DominatorTree dt(f);
  // A join the function uses as a double, or one that only carries the
  // bits on (to other joins, to the state at an exit): an outer loop's join
  // of what an inner loop made, the exit's join of every path's value.
  auto carriesOrUsesDouble = [](PHINode &phi) {
    return any_of(phi.users(), isDoubleCast) ||
           all_of(phi.users(), [](User *u) { return isa<PHINode>(u) || isa<StoreInst>(u); });
  };
  // To a fixpoint: a join becomes doubles once the joins it takes from did
  // (their casts back to bits are then doubles' bits).
  bool converted = false;
  for (bool more = true; more;) {
    std::vector<PHINode *> phis;
    for (BasicBlock &bb : f)
      for (PHINode &phi : bb.phis()) {
        if (phi.getType() != i64 || !carriesOrUsesDouble(phi))
          continue;
        // Round a loop, what comes back is doubles (the value it is
        // entered with is cast once); elsewhere every value is.
        bool anyBack = false, backDoubles = true, allDoubles = true;
        for (unsigned i = 0; i < phi.getNumIncomingValues(); i++) {
          bool back = dt.dominates(&bb, phi.getIncomingBlock(i));
          bool d = doubleWhoseBits(phi.getIncomingValue(i)) != nullptr;
          anyBack |= back;
          backDoubles &= d || !back;
          allDoubles &= d;
        }
        if (anyBack ? backDoubles : allDoubles)
          phis.push_back(&phi);
      }
    more = !phis.empty();
    converted |= more;
    for (PHINode *phi : phis) {
      PHINode *d = PHINode::Create(dbl, phi->getNumIncomingValues(), phi->getName(),
                                   phi->getIterator());
      for (unsigned i = 0; i < phi->getNumIncomingValues(); i++) {
        Value *v = phi->getIncomingValue(i);
        BasicBlock *from = phi->getIncomingBlock(i);
        Value *dv = doubleWhoseBits(v);
        if (!dv)
          dv = new BitCastInst(v, dbl, "", from->getTerminator()->getIterator());
        d->addIncoming(dv, from);
      }
      useDoubleFor(phi, d, phi->getParent()->getFirstInsertionPt());
      phi->eraseFromParent();
    }
  }
  // A double's bits made in a loop and wanted only outside it (by an
  // exit's store) are taken there: the code generator keeps the move to
  // a general-purpose register where the bitcast is, on every lap.
  if (!converted)
    return;
  LoopInfo loops(dt);
  std::vector<BitCastInst *> casts;
  for (BasicBlock &bb : f)
    for (Instruction &inst : bb)
      if (auto *bc = dyn_cast<BitCastInst>(&inst);
          bc && bc->getSrcTy()->isDoubleTy() && loops.getLoopFor(&bb))
        casts.push_back(bc);
  for (BitCastInst *bc : casts) {
    Loop *l = loops.getLoopFor(bc->getParent());
    for (Use &u : make_early_inc_range(bc->uses())) {
      auto *user = cast<Instruction>(u.getUser());
      auto *phi = dyn_cast<PHINode>(user);
      Instruction *at = phi ? phi->getIncomingBlock(u)->getTerminator() : user;
      if (l->contains(at->getParent()))
        continue;
      u.set(new BitCastInst(bc->getOperand(0), i64, "", at->getIterator()));
    }
    if (bc->use_empty())
      bc->eraseFromParent();
  }
}

void placeFpSpills(Function &f) {
  std::vector<CallInst *> calls;
  for (BasicBlock &bb : f)
    for (Instruction &inst : bb)
      if (auto *call = dyn_cast<CallInst>(&inst);
          call && call->isInlineAsm() && call->getMetadata(kFpSpills))
        calls.push_back(call);
  // A double that is integer bits the function holds (a phi), not the
  // result of arithmetic.
  moveSpills(calls, /*toXmm=*/false, [](Value *v) -> Value * {
    auto *bc = dyn_cast<BitCastInst>(v);
    if (!bc || !bc->getSrcTy()->isIntegerTy(64) || isa<BitCastInst>(bc->getOperand(0)))
      return nullptr;
    return bc->getOperand(0);
  });
}

namespace {

// Asm text with operand `drop` gone: references to later operands are
// renumbered down by one. `$$` is a literal dollar, `${:uid}` no operand.
std::string withoutOperand(StringRef text, unsigned drop) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i++];
      continue;
    }
    if (text[i + 1] == '$') {
      out += "$$";
      i += 2;
      continue;
    }
    size_t digits = i + 1 + (text[i + 1] == '{');
    size_t end = digits;
    while (end < text.size() && isdigit((unsigned char)text[end]))
      end++;
    if (end == digits) { // not an operand reference
      out += text[i++];
      continue;
    }
    unsigned n = std::stoul(text.slice(digits, end).str());
    assert(n != drop && "the dropped operand is still referenced");
    out += text.slice(i, digits).str() + std::to_string(n > drop ? n - 1 : n);
    i = end;
  }
  return out;
}

// A checked load or store: its text starts with the range check and its
// access's label follows the jump (an atomic's test follows instead).
bool isCheckedAccess(const CallInst &call) {
  auto *ia = dyn_cast<InlineAsm>(call.getCalledOperand());
  if (!ia)
    return false;
  StringRef text = ia->getAsmString();
  if (!text.starts_with(kRangeCheck))
    return false;
  size_t line = text.find('\n', strlen(kRangeCheck));
  return line != StringRef::npos && text.substr(line + 1).starts_with(".Lxlat_access") &&
         text.contains(kAddressing) && text.contains(kCold);
}

// The address as value + displacement.
std::pair<Value *, int64_t> splitAddress(Value *addr) {
  int64_t disp = 0;
  for (int depth = 0; depth < 4; depth++) {
    auto *bo = dyn_cast<BinaryOperator>(addr);
    auto *c = bo ? dyn_cast<ConstantInt>(bo->getOperand(1)) : nullptr;
    // Not std::abs: the constant may be INT64_MIN (an address's sign bit
    // flipped), whose negation overflows.
    if (!c || c->getBitWidth() != 64 || c->getSExtValue() < -(1 << 30) ||
        c->getSExtValue() > (1 << 30))
      break;
    if (bo->getOpcode() == Instruction::Add)
      disp += c->getSExtValue();
    else if (bo->getOpcode() == Instruction::Sub)
      disp -= c->getSExtValue();
    else
      break;
    addr = bo->getOperand(0);
  }
  return {addr, disp};
}

// `call` without its compare: base + value + displacement, no limit
// operand, no out-of-line path; its pc map entry (and spills) stay.
void dropRangeCheck(CallInst *call) {
  unsigned outputs = !call->getType()->isVoidTy();
  auto [value, disp] = splitAddress(call->getArgOperand(1 - outputs));
  auto *ia = cast<InlineAsm>(call->getCalledOperand());
  StringRef text = ia->getAsmString();
  size_t label = text.find('\n', strlen(kRangeCheck)) + 1;
  size_t cold = text.find(kCold);
  std::string body = text.slice(label, cold).str();
  size_t at = body.find(kAddressing);
  body.replace(at, strlen(kAddressing), std::to_string(disp) + kAddressing);
  constexpr unsigned kLimitOperand = 2;
  SmallVector<StringRef> parts;
  StringRef(ia->getConstraintString()).split(parts, ',');
  std::string constraints;
  for (unsigned i = 0; i < parts.size(); i++)
    if (i != kLimitOperand)
      constraints += (constraints.empty() ? "" : ",") + parts[i].str();
  std::vector<Value *> args(call->arg_begin(), call->arg_end());
  args[1 - outputs] = value;
  args.erase(args.begin() + (kLimitOperand - outputs));
  std::vector<Type *> types;
  for (Value *a : args)
    types.push_back(a->getType());
  auto *unchecked = InlineAsm::get(
      FunctionType::get(call->getType(), types, false),
      withoutOperand(body, kLimitOperand), constraints, ia->hasSideEffects(),
      ia->isAlignStack(), ia->getDialect(), ia->canThrow());
  // Parameter attributes follow their operands (the state's read-only).
  AttributeList attrs = call->getAttributes();
  SmallVector<AttributeSet> params;
  for (unsigned i = 0; i < call->arg_size(); i++)
    if (i != kLimitOperand - outputs)
      params.push_back(attrs.getParamAttrs(i));
  CallInst *c = CallInst::Create(unchecked, args, "", call->getIterator());
  c->setAttributes(AttributeList::get(call->getContext(), attrs.getFnAttrs(),
                                      attrs.getRetAttrs(), params));
  c->copyMetadata(*call);
  call->replaceAllUsesWith(c);
  call->eraseFromParent();
}

} // namespace

void checkLoopWalksOnEntry(Function &f) {
  // An access at p + inv + c: p a phi of the loop's header (null: the
  // address does not change in the loop), inv a value from outside the
  // loop (null: none); stride, the value from outside the loop that p
  // steps by besides a constant (null: none).
  struct Walk {
    CallInst *call;
    PHINode *p;
    Value *inv;
    int64_t c;
    Value *stride = nullptr;
  };
  auto addressOf = [](CallInst *call) {
    unsigned outputs = !call->getType()->isVoidTy();
    return splitAddress(call->getArgOperand(1 - outputs));
  };
  auto limitOf = [](CallInst *call) {
    unsigned outputs = !call->getType()->isVoidTy();
    return call->getArgOperand(2 - outputs);
  };
  // The innermost loops and their walks, found first: versioning one
  // leaves the others' blocks as they were.
  std::vector<std::pair<BasicBlock *, std::vector<Walk>>> found; // by header
  DominatorTree dt(f);
  LoopInfo loops(dt);
  for (Loop *l : loops.getLoopsInPreorder()) {
    BasicBlock *latch = l->getLoopLatch();
    if (!l->isInnermost() || !latch || !l->getLoopPreheader())
      continue;
    auto invariant = [&](Value *v) {
      auto *i = dyn_cast<Instruction>(v);
      return !i || !l->contains(i);
    };
    auto headerPhi = [&](Value *v) {
      auto *p = dyn_cast<PHINode>(v);
      return p && p->getParent() == l->getHeader() && p->getNumIncomingValues() == 2
                 ? p
                 : nullptr;
    };
    // v as a header phi plus a value from outside the loop, in either
    // order; {null, null} if it is not.
    auto phiPlusInvariant = [&](Value *v) -> std::pair<PHINode *, Value *> {
      auto *add = dyn_cast<BinaryOperator>(v);
      if (add && add->getOpcode() == Instruction::Add)
        for (unsigned i = 0; i < 2; i++)
          if (PHINode *p = headerPhi(add->getOperand(i));
              p && invariant(add->getOperand(1 - i)))
            return {p, add->getOperand(1 - i)};
      return {nullptr, nullptr};
    };
    // Accesses every lap that reaches the latch makes, by pointer.
    std::vector<Walk> candidates, everyLap;
    for (BasicBlock *bb : l->blocks())
      for (Instruction &inst : *bb) {
        auto *call = dyn_cast<CallInst>(&inst);
        if (!call || !isCheckedAccess(*call))
          continue;
        auto [v, c] = addressOf(call);
        if (c != (int32_t)c)
          continue;
        Walk w{call, headerPhi(v), nullptr, c};
        if (!w.p && invariant(v)) {
          w.inv = v;
        } else if (!w.p) {
          std::tie(w.p, w.inv) = phiPlusInvariant(v);
          if (!w.p)
            continue;
        }
        candidates.push_back(w);
        if (w.p && dt.dominates(bb, latch))
          everyLap.push_back(w);
      }
    std::vector<Walk> walks;
    for (const Walk &w : candidates) {
      // The same address on every lap: the first is every lap's.
      if (!w.p) {
        walks.push_back(w);
        continue;
      }
      auto [next, s] = splitAddress(w.p->getIncomingValueForBlock(latch));
      // A step the loop does not change (sieve's j += i) is compared with
      // kStrideReach where the loop is entered; the rest of the reach is
      // the constant part's.
      Value *stride = nullptr;
      int64_t reach = kDominatedReach;
      if (next != w.p) {
        auto [p, step] = phiPlusInvariant(next);
        if (p != w.p)
          continue;
        stride = step;
        reach -= kStrideReach;
      }
      if (std::abs(s) > reach)
        continue;
      if (any_of(everyLap, [&](const Walk &v) {
            return v.p == w.p && v.inv == w.inv && std::abs(s + w.c - v.c) <= reach;
          })) {
        walks.push_back(w);
        walks.back().stride = stride;
      }
    }
    if (!walks.empty())
      found.push_back({l->getHeader(), std::move(walks)});
  }
  for (auto &[header, walks] : found) {
    // Versioning a loop changes the dominators of the blocks after it.
    dt.recalculate(f);
    loops.releaseMemory();
    loops.analyze(dt);
    Loop *l = loops.getLoopFor(header);
    if (!l || l->getHeader() != header || !l->getLoopPreheader() || !l->getLoopLatch())
      continue;
    // A loop versioned before may have made what this one's walks take
    // from it an exit's join (LCSSA): read them from the accesses again.
    for (Walk &w : walks) {
      auto otherOperand = [&](Value *add) {
        auto *op = cast<BinaryOperator>(add);
        return op->getOperand(op->getOperand(0) == w.p ? 1 : 0);
      };
      Value *v = addressOf(w.call).first;
      if (!w.p)
        w.inv = v;
      else if (w.inv)
        w.inv = otherOperand(v);
      if (w.stride)
        w.stride = otherOperand(splitAddress(w.p->getIncomingValueForBlock(
                                                 l->getLoopLatch()))
                                    .first);
    }
    formDedicatedExitBlocks(l, &dt, &loops, nullptr, false);
    formLCSSA(*l, dt, &loops, nullptr);
    BasicBlock *entry = l->getLoopPreheader();
    BasicBlock *ph = SplitBlock(entry, entry->getTerminator(), &dt, &loops, nullptr,
                                "walk.ph");
    ValueToValueMapTy vmap;
    SmallVector<BasicBlock *, 16> blocks;
    Loop *checked = cloneLoopWithPreheader(ph, entry, l, vmap, ".checked", &loops, &dt,
                                           blocks);
    remapInstructionsInBlocks(blocks, vmap);
    SmallVector<BasicBlock *, 4> exits;
    l->getUniqueExitBlocks(exits);
    for (BasicBlock *exit : exits) {
      for (PHINode &phi : exit->phis())
        for (unsigned i = 0, n = phi.getNumIncomingValues(); i < n; i++)
          if (l->contains(phi.getIncomingBlock(i))) {
            Value *v = phi.getIncomingValue(i);
            if (auto it = vmap.find(v); it != vmap.end())
              v = it->second;
            phi.addIncoming(v, cast<BasicBlock>(vmap[phi.getIncomingBlock(i)]));
          }
    }
    // The walks' first addresses, below the limit: the loop without their
    // checks; else the loop with them.
    IRBuilder<> b(entry->getTerminator());
    Value *ok = nullptr;
    std::set<std::tuple<PHINode *, Value *, int64_t>> tested; // a load and its store
    for (const Walk &w : walks) {
      if (!tested.insert({w.p, w.inv, w.c}).second)
        continue;
      Value *first = w.p ? w.p->getIncomingValueForBlock(ph) : nullptr;
      if (w.inv)
        first = first ? b.CreateAdd(first, w.inv) : w.inv;
      if (w.c) {
        // An address the loop does not change is often made before it.
        Value *addr = w.call->getArgOperand(w.call->getType()->isVoidTy());
        auto *made = dyn_cast<Instruction>(addr);
        first = !w.p && made && !l->contains(made) ? addr
                                                   : b.CreateAdd(first, b.getInt64(w.c));
      }
      Value *below = b.CreateICmpULT(first, limitOf(w.call));
      ok = ok ? b.CreateAnd(ok, below) : below;
    }
    std::set<Value *> strides;
    for (const Walk &w : walks)
      if (w.stride && strides.insert(w.stride).second) {
        Value *near = b.CreateICmpULE(b.CreateAdd(w.stride, b.getInt64(kStrideReach)),
                                      b.getInt64(2 * kStrideReach));
        ok = b.CreateAnd(ok, near);
      }
    b.CreateCondBr(ok, ph, checked->getLoopPreheader());
    entry->getTerminator()->eraseFromParent();
    for (const Walk &w : walks)
      dropRangeCheck(w.call);
  }
}

void dropDominatedRangeChecks(Function &f) {
  struct Witness {
    Instruction *at;
    int64_t disp;
  };
  // Fewer than two checked accesses: nothing to drop, no tree to build.
  unsigned accesses = 0;
  for (Instruction &inst : instructions(f))
    if (auto *call = dyn_cast<CallInst>(&inst); call && isCheckedAccess(*call))
      if (++accesses == 2)
        break;
  if (accesses < 2)
    return;
  DominatorTree dt(f);
  // Blocks in dominator-tree preorder: a dominating access comes first.
  DenseMap<Value *, std::vector<Witness>> checked;
  // Replaced after the walk; one may be the value another addresses from.
  std::vector<CallInst *> drops;
  for (DomTreeNode *node : depth_first(dt.getRootNode()))
    for (Instruction &inst : *node->getBlock()) {
      auto *call = dyn_cast<CallInst>(&inst);
      if (!call || !isCheckedAccess(*call))
        continue;
      unsigned outputs = !call->getType()->isVoidTy();
      auto [value, disp] = splitAddress(call->getArgOperand(1 - outputs));
      if (isa<Constant>(value))
        continue;
      std::vector<Witness> &ws = checked[value];
      bool covered = false;
      for (const Witness &w : ws)
        if (std::abs(disp - w.disp) <= kDominatedReach && dt.dominates(w.at, call)) {
          covered = true;
          break;
        }
      if (covered && disp == (int32_t)disp)
        drops.push_back(call);
      else
        ws.push_back({call, disp});
    }
  for (CallInst *call : drops)
    dropRangeCheck(call);
}

namespace {

// v, the bits of a double, as that double (made before `at` if need be);
// null if v is not. A NaN-canonicalising select of the bits becomes a
// select of doubles.
Value *doubleOfBits(Value *v, Instruction *at) {
  if (Value *d = doubleWhoseBits(v))
    return d;
  auto *sel = dyn_cast<SelectInst>(v);
  if (!sel || !sel->getType()->isIntegerTy(64))
    return nullptr;
  Value *t = sel->getTrueValue(), *e = sel->getFalseValue();
  auto asDouble = [&](Value *x) -> Value * {
    if (auto *k = dyn_cast<ConstantInt>(x))
      return ConstantFP::get(at->getContext(),
                             APFloat(APFloat::IEEEdouble(), k->getValue()));
    return doubleWhoseBits(x);
  };
  Value *dt = asDouble(t), *de = asDouble(e);
  if (!dt || !de || (isa<Constant>(t) && isa<Constant>(e)))
    return nullptr;
  auto *d = SelectInst::Create(sel->getCondition(), dt, de, "", at->getIterator());
  d->copyMetadata(*sel);
  return d;
}

} // namespace

void fpAccessesInSseRegisters(Function &f, bool avx) {
  constexpr const char *kLoad = "movq ($3,$1), ${0:q}", *kStore = "movq ${0:q}, ($3,$1)";
  const std::string mov = avx ? "vmovq" : "movq";
  LLVMContext &ctx = f.getContext();
  std::vector<CallInst *> loads, stores;
  for (Instruction &inst : instructions(f))
    if (auto *call = dyn_cast<CallInst>(&inst); call && isCheckedAccess(*call)) {
      StringRef text = cast<InlineAsm>(call->getCalledOperand())->getAsmString();
      if (call->getType()->isIntegerTy(64) && text.contains(kLoad))
        loads.push_back(call);
      else if (call->getType()->isVoidTy() && text.contains(kStore))
        stores.push_back(call);
    }
  // call with its operand or result 0 (`mov`, a general-purpose register)
  // in an SSE register instead.
  auto inSseRegister = [&](CallInst *call, const char *mov, const std::string &sseMov,
                           const char *constraint, std::vector<Value *> args,
                           Type *retTy) {
    auto *ia = cast<InlineAsm>(call->getCalledOperand());
    std::string text = ia->getAsmString();
    text.replace(text.find(mov), strlen(mov), sseMov);
    std::vector<std::string> constraints = constraintsOf(ia);
    constraints[0] = constraint;
    return rebuiltAsm(call, text, constraints, args, retTy);
  };
  for (CallInst *call : loads) {
    if (none_of(call->users(), isDoubleCast))
      continue;
    CallInst *c = inSseRegister(call, kLoad, mov + " ($3,$1), $0", "=x",
                                {call->arg_begin(), call->arg_end()},
                                Type::getDoubleTy(ctx));
    // Other users (a phi, a spill operand) take the bits back.
    useDoubleFor(call, c, std::next(c->getIterator()));
    call->eraseFromParent();
  }
  for (CallInst *call : stores) {
    Value *d = doubleOfBits(call->getArgOperand(0), call);
    if (!d)
      continue;
    std::vector<Value *> args(call->arg_begin(), call->arg_end());
    Value *bits = args[0];
    args[0] = d;
    inSseRegister(call, kStore, mov + " $0, ($3,$1)", "x", args, call->getType());
    call->eraseFromParent();
    if (auto *sel = dyn_cast<SelectInst>(bits); sel && sel->use_empty())
      sel->eraseFromParent();
  }
  // Spill operands that are a double's bits: the double, in its SSE
  // register (placeFpSpills' move, the other way).
  std::vector<CallInst *> calls;
  for (Instruction &inst : instructions(f))
    if (auto *call = dyn_cast<CallInst>(&inst); call && isCheckedAccess(*call))
      calls.push_back(call);
  moveSpills(calls, /*toXmm=*/true, doubleWhoseBits);
}

bool MemoryLowering::isMemoryOp(const CallInst &call) {
  const Function *f = call.getCalledFunction();
  MemOp op;
  return f && classifyMemOp(f->getName(), op);
}

std::unique_ptr<MemoryLowering> createUserMemoryLowering(uint64_t baseOff,
                                                         uint64_t limitOff,
                                                         uint64_t pcOff,
                                                         FaultCheck check) {
  return std::make_unique<UserMemoryLowering>(baseOff, limitOff, pcOff, check);
}

} // namespace xlat
