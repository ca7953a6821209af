// Build step: compiles the template tier's instruction stencils, for one
// guest ISA per run.
//
//   xlat-gen-stencils [--isa=riscv64|aarch64] OUT.o
//
// For every instruction (Op) the stencil is the instruction's semantic
// function from the semantics bitcode (the same one the interpreter runs and
// the LLVM tiers inline), called on an Insn whose fields are holes, inlined,
// with its memory operations lowered for user mode, and followed by a
// musttail call of the continuation hole `next`. Functions use the
// preserve_none convention, so the state pointer stays in r12 from stencil to
// stencil and no stencil saves registers. Holes carry !absolute_symbol ranges
// so that LLVM folds them into instruction immediates and displacements;
// 64-bit holes are large data under the medium code model, which makes them
// movabs immediates. The object is compiled with one function per section
// and without jump tables, so that each stencil is position-independent code
// plus relocations (read by extract_stencils.cpp). After optimization each
// stencil that reads an x register gets variants taking it from the one
// before (see forwardResult), and the object lists the stencils that
// forward (kForwardsSection). A64's stencils are named xlat_st_a64_<ID>
// and have no rd0, system-mode or forwarding variants.
#include "jit/stencils/a64_shapes.h"
#include "jit/stencils/holes.h"
#include "jit/stencils/op_names.h"
#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/lift.h"
#include "lifter/core/bit_pattern.h"
#include "lifter/core/memory_lowering.h"
#include "lifter/core/nan_canon.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/lift.h"
#include "lifter/riscv/state.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <random>
#include <set>
#include <string_view>

using namespace llvm;
using namespace xlat;
namespace stencil = xlat::jit::stencil;
using stencil::A64Shape;
using stencil::Hole;
using stencil::kA64OpNames;
using stencil::kRvOpNames;
using namespace llvm::PatternMatch;

namespace {

using HoleRange = std::optional<std::pair<int64_t, int64_t>>;
using HoleFn = std::function<Value *(Hole)>;

// What the generator needs of a guest ISA: its lifter, state and op names,
// the stencil variants it gets, the value ranges of its holes, and its Insn
// slot made of holes.
struct RvStencils {
  using Lifting = rv::RvLifting;
  using Lifter = rv::Lifter;
  using State = rv::RvState;
  using Op = rv::Op;
  static constexpr const char *kPrefix = "xlat_st_";
  static constexpr size_t kNumOps = (size_t)Op::NumOps;
  static const char *opName(size_t op) { return kRvOpNames[op]; }
  // x0 is hard-wired: a variant for rd == 0 whose result goes nowhere.
  static constexpr bool kRd0Variants = true;
  static constexpr bool kSoftmmu = true;
  static constexpr bool kForwarding = true;
  static constexpr const auto &kSplitBranches = stencil::kRvSplitBranches;
  static std::unique_ptr<MemoryLowering> userLowering() {
    return rv::userMemoryLowering(FaultCheck::Continuation);
  }
  static HoleRange range(Hole h) {
    switch (h) {
    case Hole::rd: return std::pair<int64_t, int64_t>{8, 256};
    case Hole::rs1: case Hole::rs2: case Hole::rs3:
      return std::pair<int64_t, int64_t>{0, 256};
    case Hole::len: return std::pair<int64_t, int64_t>{2, 5};
    case Hole::rm: return std::pair<int64_t, int64_t>{0, 8};
    case Hole::raw: return std::pair<int64_t, int64_t>{0, 1ll << 32};
    // Every RISC-V immediate is a sign-extended 32-bit value: an imm32
    // operand instead of a movabs.
    case Hole::imm: return std::pair<int64_t, int64_t>{-(1ll << 31), 1ll << 31};
    default: return std::nullopt;
    }
  }
  // Register holes (reg) are 8 * the register number: see regHole.
  static std::vector<A64Shape> shapes(Op) { return {}; }
  static Lifter::InsnFields slot(IRBuilderBase &b, Op op, Value *pc, Value *imm, Value *len,
                                 Value *rd, const HoleFn &hole, const HoleFn &reg,
                                 const A64Shape *) {
    return {pc, imm, hole(Hole::raw), b.getInt64((uint16_t)op), len, rd,
            reg(Hole::rs1), reg(Hole::rs2), reg(Hole::rs3), hole(Hole::rm),
            // a stencil serves every instruction of its op: none fused
            b.getInt64(0)};
  }
  // The fall-through pc is pc + len.
  static Value *len(const HoleFn &hole) { return hole(Hole::len); }
};

struct A64Stencils {
  using Lifting = a64::A64Lifting;
  using Lifter = a64::Lifter;
  using State = a64::A64State;
  using Op = a64::Op;
  static constexpr const char *kPrefix = "xlat_st_a64_";
  static constexpr size_t kNumOps = (size_t)Op::NumOps;
  static const char *opName(size_t op) { return kA64OpNames[op]; }
  static constexpr bool kRd0Variants = false;
  static constexpr bool kSoftmmu = false;
  static constexpr bool kForwarding = false;
  static constexpr const auto &kSplitBranches = stencil::kA64SplitBranches;
  static std::unique_ptr<MemoryLowering> userLowering() {
    return a64::userMemoryLowering(FaultCheck::Continuation);
  }
  // The immediate is any 64-bit value (a logical immediate's mask); the
  // other fields are bytes.
  static HoleRange range(Hole h) {
    switch (h) {
    case Hole::pc: case Hole::imm: return std::nullopt;
    case Hole::raw: return std::pair<int64_t, int64_t>{0, 1ll << 32};
    case Hole::rd_not31: case Hole::rs1_not31: case Hole::rs2_not31: case Hole::rs3_not31:
      return std::pair<int64_t, int64_t>{0, 248};
    default: return std::pair<int64_t, int64_t>{0, 256};
    }
  }
  // The shapes (a64_shapes.h) the op's encodings decode to, from a
  // sample of the free bits of each of its patterns; none when there are
  // more than kMaxShapes: its generic stencil serves them all.
  static constexpr size_t kMaxShapes = 64;
  static std::vector<A64Shape> shapes(Op op) {
    struct Pattern {
      Op op;
      BitPattern bits;
    };
    static const Pattern kPatterns[] = {
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) {Op::ID, parseBitPattern(PAT, 31)},
#define A64_FORM(ID, PAT, FMT) {Op::ID, parseBitPattern(PAT, 31)},
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
    };
    std::set<A64Shape> found;
    std::mt19937 rng{uint32_t(op)}; // the same stencils every build
    for (const Pattern &p : kPatterns) {
      if (p.op != op)
        continue;
      for (int i = 0; i < 4096; i++) {
        a64::Insn in = a64::decode(0x10000, p.bits.match | (uint32_t(rng()) & ~p.bits.mask));
        if (in.op == op)
          found.insert(stencil::shapeOf(in));
      }
    }
    if (found.size() > kMaxShapes)
      return {};
    return std::vector<A64Shape>(found.begin(), found.end());
  }
  // With a shape, its fields are constants (amount only when zero).
  static Lifter::InsnFields slot(IRBuilderBase &b, Op op, Value *pc, Value *imm, Value *,
                                 Value *rd, const HoleFn &hole, const HoleFn &reg,
                                 const A64Shape *shape) {
    auto k = [&](unsigned v) { return b.getInt64(v); };
    return {pc, imm, hole(Hole::raw), b.getInt64((uint16_t)op), rd,
            reg(Hole::rs1), reg(Hole::rs2), reg(Hole::rs3),
            shape ? k(shape->sf) : hole(Hole::sf),
            shape ? k(shape->cond) : hole(Hole::cond), hole(Hole::nzcv),
            shape ? k(shape->shift) : hole(Hole::shift),
            shape && shape->amountZero ? k(0) : hole(Hole::amount),
            hole(Hole::imms), hole(Hole::size),
            shape ? k(shape->mode) : hole(Hole::mode),
            shape ? k(shape->form) : hole(Hole::form),
            hole(Hole::order), hole(Hole::q), hole(Hole::scalar)};
  }
  // Every instruction is 4 bytes.
  static Value *len(const HoleFn &) { return nullptr; }
};

// The lowering stencils are built with: user mode's, or the softmmu one for
// the system-mode variants of the stencils that access memory (RISC-V).
// Notes whether the current stencil accessed memory at all.
class StencilLowering final : public MemoryLowering {
public:
  StencilLowering(std::unique_ptr<MemoryLowering> user, std::unique_ptr<MemoryLowering> softmmu)
      : user_(std::move(user)), softmmu_(std::move(softmmu)) {}
  void select(bool softmmu) { softmmu_on_ = softmmu && softmmu_; }
  bool accessed() const { return accessed_; }
  void beginFunction(Function &f) override {
    accessed_ = false;
    user_->beginFunction(f);
    if (softmmu_)
      softmmu_->beginFunction(f);
  }
  void lower(CallInst *call, Value *guestPc) override {
    accessed_ = true;
    (softmmu_on_ ? softmmu_ : user_)->lower(call, guestPc);
  }

private:
  std::unique_ptr<MemoryLowering> user_, softmmu_;
  bool softmmu_on_ = false, accessed_ = false;
};

// Holes above this size are "large data" and reached by a 64-bit movabs.
constexpr uint64_t kLargeDataThreshold = 4096;

template <class G> class StencilBuilder {
public:
  using Lifter = typename G::Lifter;
  using State = typename G::State;
  using Op = typename G::Op;
  StencilBuilder(Lifter &lifter, StencilLowering &mem)
      : l_(lifter), mem_(mem), m_(lifter.semanticsModule()) {
    // (state, membase, memlimit, scratch, fwd): preserve_none passes them
    // in r12, r13, r14, r15 and rdi. Every stencil passes the first three
    // on untouched; fwd carries the value a stencil wrote to x[rd] into the
    // next one (see forwardResult).
    LLVMContext &ctx = m_.getContext();
    PointerType *ptr = PointerType::getUnqual(ctx);
    Type *i64 = Type::getInt64Ty(ctx);
    fnTy_ = FunctionType::get(Type::getVoidTy(ctx), {ptr, ptr, i64, i64, i64}, false);
    next_ = continuation("next");
    exit_ = continuation("exit");
    taken_ = continuation("taken");
  }

  // Builds op's stencil and, if it accesses memory, its system-mode
  // variant xlat_sst_<ID>, whose accesses probe the software TLB that the
  // entry glue loads into membase's register.
  void buildBoth(Op op, bool rdZero) {
    mem_.select(false);
    build(op, rdZero);
    if (G::kSoftmmu && mem_.accessed()) {
      mem_.select(true);
      build(op, rdZero, false, "xlat_sst_");
      mem_.select(false);
    }
    buildShapes(op, false);
  }

  // The op's stencils per shape (a64_shapes.h); those that assume what
  // register 31 is only where the semantics test a register field
  // against 31 (not in FP and AdvSIMD, where V31 is a register like the
  // others).
  void buildShapes(Op op, bool split) {
    for (A64Shape shape : G::shapes(op)) {
      build(op, true, split, G::kPrefix, &shape);
      shape.reg31 = A64Shape::kNo31;
      if (!build(op, true, split, G::kPrefix, &shape)) {
        m_.getFunction(name(op, true, split, G::kPrefix, &shape))->eraseFromParent();
        continue;
      }
      // Ra 31 only for those that read Ra (a pair's second register reads
      // as Ra too).
      bool readsRa = refersTo(*m_.getFunction(name(op, true, split, G::kPrefix, &shape)),
                              std::string(stencil::kHolePrefix) + "rs3_not31");
      for (uint8_t reg31 : {A64Shape::kRd31, A64Shape::kRn31, A64Shape::kRa31}) {
        if (reg31 == A64Shape::kRa31 && !readsRa)
          continue;
        shape.reg31 = reg31;
        build(op, true, split, G::kPrefix, &shape);
      }
    }
  }

  // Whether f's code uses the global `name` (through constant
  // expressions too) other than by storing it, or what is computed from
  // it, into the Insn slot, which holds every field whether the
  // semantics read it or not.
  static bool refersTo(Function &f, const std::string &name) {
    std::function<bool(Value *)> refers = [&](Value *v) {
      if (auto *g = dyn_cast<GlobalValue>(v))
        return g->getName() == name;
      if (auto *c = dyn_cast<ConstantExpr>(v))
        for (Value *op : c->operands())
          if (refers(op))
            return true;
      return false;
    };
    // Whether i, which uses `from`, uses it for more than a stored value.
    std::function<bool(Instruction *, Value *)> reads = [&](Instruction *i, Value *from) {
      if (auto *st = dyn_cast<StoreInst>(i))
        return st->getPointerOperand() == from;
      if (isa<LoadInst>(i) || isa<CmpInst>(i))
        return true;
      if (i->use_empty())
        return !isa<CastInst>(i) && !isa<BinaryOperator>(i);
      for (User *u : i->users())
        if (reads(cast<Instruction>(u), i))
          return true;
      return false;
    };
    for (Instruction &i : instructions(f))
      for (Value *op : i.operands())
        if (refers(op) && reads(&i, op))
          return true;
    return false;
  }

  static std::string name(Op op, bool rdZero, bool split, const char *prefix,
                          const A64Shape *shape) {
    return std::string(prefix) + G::opName((size_t)op) +
           (split ? "_split" : rdZero && G::kRd0Variants ? "_rd0" : "") +
           (shape ? stencil::shapeSuffix(*shape) : "");
  }

  // split: a conditional branch that continues at the hole `taken` or at
  // `next` itself, so that each successor's chaining needs no test of pc.
  // Returns false for a stencil that assumes what register 31 is when the
  // semantics never test it (buildShapes drops it).
  bool build(Op op, bool rdZero, bool split = false, const char *prefix = G::kPrefix,
             const A64Shape *shape = nullptr) {
    LLVMContext &ctx = m_.getContext();
    std::string name = StencilBuilder::name(op, rdZero, split, prefix, shape);
    Function *sem = l_.semantics(op);
    Function *f = Function::Create(fnTy_, GlobalValue::ExternalLinkage, name, m_);
    f->setCallingConv(CallingConv::PreserveNone);
    f->addParamAttr(0, Attribute::NoAlias);
    // Small code first: a fault continuation's branch becomes a conditional
    // jump straight to it (a conditional tail call), so the body ends in
    // its jump to `next`, which the copy drops when `next` follows.
    f->addFnAttr(Attribute::OptimizeForSize);
    f->addFnAttr(Attribute::NoUnwind);
    f->addFnAttr(Attribute::StrictFP);
    f->addFnAttr("no-jump-tables", "true");
    f->addFnAttr("frame-pointer", "none");
    for (const char *a : {"target-cpu", "target-features", "tune-cpu"})
      if (sem->hasFnAttribute(a))
        f->addFnAttr(sem->getFnAttribute(a));
    l_.beginFunction(*f);

    IRBuilder<> b(BasicBlock::Create(ctx, "entry", f));
    Value *s = f->getArg(0);
    HoleFn holeOf = [&](Hole h) { return hole(b, h); };
    // A stencil that assumes registers are not 31 takes them from the
    // *_not31 holes (foldRegister31); one for Rd or Rn 31 has it constant.
    HoleFn regOf = [&](Hole h) -> Value * {
      uint8_t reg31 = shape ? shape->reg31 : A64Shape::kAny31;
      if ((reg31 == A64Shape::kRd31 && h == Hole::rd) ||
          (reg31 == A64Shape::kRn31 && h == Hole::rs1) ||
          (reg31 == A64Shape::kRa31 && h == Hole::rs3))
        return b.getInt64(31);
      if (reg31 != A64Shape::kAny31)
        h = h == Hole::rd    ? Hole::rd_not31
            : h == Hole::rs1 ? Hole::rs1_not31
            : h == Hole::rs2 ? Hole::rs2_not31
                             : Hole::rs3_not31;
      return regHole(b, h);
    };
    Value *pc = hole(b, Hole::pc);
    Value *len = G::len(holeOf);
    if (!len)
      len = b.getInt64(4);
    Value *imm = hole(b, Hole::imm);
    if (split) {
      // Only the choice matters (the glue after it knows both targets):
      // with pc 0, length 1 and offset 2 the semantics' next pc is 2 if
      // taken and 1 if not, which LLVM folds back into the condition.
      pc = b.getInt64(0);
      len = b.getInt64(1);
      imm = b.getInt64(2);
    }
    Value *rd = b.getInt64(0);
    if (!rdZero && G::kRd0Variants) {
      // This variant is used for rd != 0 only: setX's x0 test folds away.
      rd = regHole(b, Hole::rd);
      b.CreateAssumption(b.CreateICmpNE(rd, b.getInt64(0)));
    }
    if (!G::kRd0Variants)
      rd = regOf(Hole::rd);
    Value *slot = l_.makeInsnSlot(b, G::slot(b, op, pc, imm, len, rd, holeOf, regOf, shape));

    bool ends = G::Lifting::endsBlock(op);
    bool mayTrap = l_.mayTrap(op);
    Value *pcField = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), s, offsetof(State, pc));
    // As in lifted blocks: an instruction that may leave the block sees
    // the fall-through pc in s->pc.
    if (ends || mayTrap)
      b.CreateStore(b.CreateAdd(pc, len), pcField);
    CallInst *call = b.CreateCall(sem, {s, slot});
    call->addFnAttr(Attribute::StrictFP);
    if (mayTrap && !ends) {
      Value *why = b.CreateLoad(
          b.getInt32Ty(), b.CreateConstInBoundsGEP1_64(
                              b.getInt8Ty(), s, offsetof(State, exit_reason)));
      BasicBlock *trap = BasicBlock::Create(ctx, "trap", f);
      BasicBlock *cont = BasicBlock::Create(ctx, "cont", f);
      b.CreateCondBr(b.CreateICmpNE(why, b.getInt32(0)), trap, cont);
      IRBuilder<> t(trap);
      tailCall(t, exit_, f);
      b.SetInsertPoint(cont);
    }
    if (split) {
      // The branch semantics chose s->pc: 2 if taken, 1 if not.
      Value *taken = b.CreateICmpNE(b.CreateLoad(b.getInt64Ty(), pcField), len);
      BasicBlock *t = BasicBlock::Create(ctx, "taken", f);
      BasicBlock *n = BasicBlock::Create(ctx, "not_taken", f);
      b.CreateCondBr(taken, t, n);
      IRBuilder<> tb(t);
      tailCall(tb, taken_, f);
      b.SetInsertPoint(n);
    }
    tailCall(b, next_, f);
    l_.inlineSemantics(call, pc);
    // Each stencil stores its results: the state is exact at every access.
    l_.endFunction(*f);
    if (split)
      keepPcLocal(*f);
    return !shape || shape->reg31 == A64Shape::kAny31 || foldRegister31(*f);
  }

  // In a no-31 stencil, the semantics' tests of a register field against
  // 31 (SP or XZR by context) are false: its register holes are the
  // *_not31 ones, which the template tier fills only for an instruction
  // whose fields the stencil reads are not 31. (The holes' range cannot
  // say so: LLVM does not use an absolute symbol's range in comparisons.)
  static bool foldRegister31(Function &f) {
    auto not31Hole = [](Value *v) {
      for (;;) {
        if (isa<ZExtInst>(v) || isa<TruncInst>(v))
          v = cast<Instruction>(v)->getOperand(0);
        else if (auto *sh = dyn_cast<BinaryOperator>(v);
                 sh && sh->getOpcode() == Instruction::LShr && match(sh->getOperand(1), m_SpecificInt(3)))
          v = sh->getOperand(0);
        else
          break;
      }
      auto *p = dyn_cast<PtrToIntOperator>(v);
      auto *g = p ? dyn_cast<GlobalVariable>(p->getPointerOperand()) : nullptr;
      return g && g->getName().ends_with("_not31");
    };
    std::vector<ICmpInst *> tests;
    for (Instruction &i : instructions(f))
      if (auto *cmp = dyn_cast<ICmpInst>(&i); cmp && cmp->isEquality())
        for (unsigned k = 0; k < 2; k++)
          if (match(cmp->getOperand(1 - k), m_SpecificInt(31)) && not31Hole(cmp->getOperand(k))) {
            tests.push_back(cmp);
            break;
          }
    for (ICmpInst *cmp : tests) {
      cmp->replaceAllUsesWith(ConstantInt::getBool(cmp->getType(),
                                                   cmp->getPredicate() == ICmpInst::ICMP_NE));
      cmp->eraseFromParent();
    }
    return !tests.empty();
  }

  // A split branch's successors are its continuations, and the chaining
  // glue that each of them is stores its target pc itself when it leaves
  // the block: the pc the semantics write need not reach the state.
  void keepPcLocal(Function &f) {
    const DataLayout &dl = m_.getDataLayout();
    IRBuilder<> b(&*f.getEntryBlock().getFirstInsertionPt());
    AllocaInst *pc = b.CreateAlloca(b.getInt64Ty());
    for (Instruction &inst : instructions(f)) {
      Value *ptr = nullptr;
      if (auto *ld = dyn_cast<LoadInst>(&inst))
        ptr = ld->getPointerOperand();
      else if (auto *st = dyn_cast<StoreInst>(&inst))
        ptr = st->getPointerOperand();
      APInt off(64, 0);
      if (ptr && ptr->stripAndAccumulateConstantOffsets(dl, off, true) == f.getArg(0) &&
          off == offsetof(State, pc))
        inst.setOperand(isa<LoadInst>(inst) ? 0 : 1, pc);
    }
  }

private:
  Function *continuation(const char *name) {
    Function *f = Function::Create(fnTy_, GlobalValue::ExternalLinkage,
                                   std::string(stencil::kHolePrefix) + name, m_);
    f->setCallingConv(CallingConv::PreserveNone);
    f->setVisibility(GlobalValue::HiddenVisibility);
    f->setDSOLocal(true);
    return f;
  }

  // Passes the state, base and limit on; scratch and fwd are free (fwd is
  // set afterwards where the stencil wrote x[rd]).
  static void tailCall(IRBuilder<> &b, Function *callee, Function *f) {
    CallInst *c = b.CreateCall(
        callee, {f->getArg(0), f->getArg(1), f->getArg(2),
                 PoisonValue::get(b.getInt64Ty()), PoisonValue::get(b.getInt64Ty())});
    c->setCallingConv(CallingConv::PreserveNone);
    c->setTailCallKind(CallInst::TCK_MustTail);
    c->addFnAttr(Attribute::StrictFP);
    b.CreateRetVoid();
  }

  GlobalVariable *holeVar(Hole h) {
    std::string name = std::string(stencil::kHolePrefix) +
                       std::string(stencil::kHoleNames[(size_t)h]);
    if (GlobalVariable *g = m_.getGlobalVariable(name, true))
      return g;
    LLVMContext &ctx = m_.getContext();
    // The value range a hole may take, for !absolute_symbol; none: 64 bits.
    HoleRange r = G::range(h);
    Type *ty = r ? (Type *)Type::getInt8Ty(ctx)
                 : ArrayType::get(Type::getInt8Ty(ctx), kLargeDataThreshold * 2);
    // extern_weak: the address of an ordinary global is known to be
    // non-null, which would fold `rs1 == 0` or `imm == 0` to false. The
    // range (the full set for 64-bit holes) makes LLVM use the symbol as an
    // immediate rather than load it from a GOT.
    auto *g = new GlobalVariable(m_, ty, true, GlobalValue::ExternalWeakLinkage,
                                 nullptr, name);
    g->setVisibility(GlobalValue::HiddenVisibility);
    g->setDSOLocal(true);
    g->setAlignment(Align(1));
    Type *i64 = Type::getInt64Ty(ctx);
    auto lo = r ? r->first : -1, hi = r ? r->second : -1;
    g->setMetadata(LLVMContext::MD_absolute_symbol,
                   MDNode::get(ctx, {ConstantAsMetadata::get(ConstantInt::get(i64, lo)),
                                     ConstantAsMetadata::get(ConstantInt::get(i64, hi))}));
    return g;
  }

  Value *hole(IRBuilder<> &b, Hole h) {
    return b.CreatePtrToInt(holeVar(h), b.getInt64Ty());
  }
  // Register holes hold 8 * the register number: x[r] is then s + hole,
  // which folds into an addressing mode's displacement.
  Value *regHole(IRBuilder<> &b, Hole h) {
    return b.CreateLShr(hole(b, h), 3, "", /*isExact=*/true);
  }

  Lifter &l_;
  StencilLowering &mem_;
  Module &m_;
  FunctionType *fnTy_;
  Function *next_, *exit_, *taken_;
};

// Forwarding results from one stencil to the next. A stencil that writes
// x[rd] also passes the value in its fifth argument (rdi) to `next`; a
// variant of a stencil that reads x[rs1] or x[rs2] (suffix _f1, _f2, _f12)
// takes that register from the argument instead of loading it from the
// state, which the previous stencil has just stored it to. The template
// tier uses the variants where an instruction reads what the one before
// it in the block wrote: the load would wait for the store to be
// forwarded, on the chain of dependent instructions a loop runs along.
// The state stays exact: every stencil still stores its results.

// Whether ptr is x[r] as the optimized stencils address it: the state's
// register file ([32 x i64] at offset 0) indexed by the hole h >> 3.
bool isRegSlot(Value *ptr, Function &f, Hole h) {
  auto *gep = dyn_cast<GEPOperator>(ptr);
  if (!gep || gep->getPointerOperand() != f.getArg(0) || gep->getNumIndices() != 2)
    return false;
  auto *arr = dyn_cast<ArrayType>(gep->getSourceElementType());
  if (!arr || arr->getNumElements() != 32 || !arr->getElementType()->isIntegerTy(64) ||
      !match(gep->getOperand(1), m_Zero()))
    return false;
  Value *hole = nullptr;
  if (!match(gep->getOperand(2), m_LShr(m_PtrToInt(m_Value(hole)), m_SpecificInt(3))))
    return false;
  auto *g = dyn_cast<GlobalVariable>(hole);
  return g && g->getName() == std::string(stencil::kHolePrefix) +
                                  std::string(stencil::kHoleNames[(size_t)h]);
}

// Whether i may change memory the stencil's result lives in (an assumption
// does not).
bool writesMemory(const Instruction &i) {
  return i.mayWriteToMemory() && !isa<AssumeInst>(i);
}

// The value the stencil stored to x[rd] last before `next` is called, if
// nothing else may have written memory since: in next's block, or at the
// end of that block's single predecessor.
Value *storedResult(CallInst *next, Function &f) {
  auto scan = [&](Instruction *from, bool &stop) -> Value * {
    for (Instruction *i = from; i; i = i->getPrevNode()) {
      if (auto *st = dyn_cast<StoreInst>(i)) {
        stop = true;
        return !st->isVolatile() && st->getValueOperand()->getType()->isIntegerTy(64) &&
                       isRegSlot(st->getPointerOperand(), f, Hole::rd)
                   ? st->getValueOperand()
                   : nullptr;
      }
      if (writesMemory(*i)) {
        stop = true;
        return nullptr;
      }
    }
    return nullptr;
  };
  bool stop = false;
  Value *v = scan(next->getPrevNode(), stop);
  if (stop)
    return v;
  BasicBlock *pred = next->getParent()->getSinglePredecessor();
  return pred ? scan(pred->getTerminator()->getPrevNode(), stop) : nullptr;
}

// Makes f pass what it wrote to x[rd] on to `next`; true if every path to
// `next` does.
bool forwardResult(Function &f) {
  std::vector<std::pair<CallInst *, Value *>> calls;
  for (Instruction &i : instructions(f))
    if (auto *c = dyn_cast<CallInst>(&i))
      if (c->isMustTailCall() && c->getCalledFunction() &&
          c->getCalledFunction()->getName() == std::string(stencil::kHolePrefix) + "next")
        calls.push_back({c, storedResult(c, f)});
  if (calls.empty())
    return false;
  for (auto &[c, v] : calls)
    if (!v)
      return false;
  for (auto &[c, v] : calls)
    c->setArgOperand(4, v);
  return true;
}

// The loads of x[r] (r the hole h) at f's start, before anything may
// write memory: those a forwarded value can replace.
std::vector<LoadInst *> entryReads(Function &f, Hole h) {
  std::vector<LoadInst *> out;
  for (Instruction &i : f.getEntryBlock()) {
    if (auto *ld = dyn_cast<LoadInst>(&i)) {
      if (!ld->isVolatile() && ld->getType()->isIntegerTy(64) &&
          isRegSlot(ld->getPointerOperand(), f, h))
        out.push_back(ld);
    } else if (writesMemory(i)) {
      break;
    }
  }
  return out;
}

// Adds f's _f1, _f2 and _f12 variants, where it reads those registers;
// returns them.
std::vector<Function *> addForwardedVariants(Function &f) {
  std::vector<Function *> made;
  struct Variant {
    const char *suffix;
    std::vector<Hole> regs;
  };
  for (const Variant &v : {Variant{"_f1", {Hole::rs1}}, Variant{"_f2", {Hole::rs2}},
                           Variant{"_f12", {Hole::rs1, Hole::rs2}}}) {
    bool reads = true;
    for (Hole h : v.regs)
      reads = reads && !entryReads(f, h).empty();
    if (!reads)
      continue;
    ValueToValueMapTy map;
    Function *g = CloneFunction(&f, map);
    g->setName(f.getName() + v.suffix);
    for (Hole h : v.regs)
      for (LoadInst *ld : entryReads(*g, h)) {
        ld->replaceAllUsesWith(g->getArg(4));
        ld->eraseFromParent();
      }
    made.push_back(g);
  }
  return made;
}

int fail(const std::string &msg) {
  fprintf(stderr, "xlat-gen-stencils: %s\n", msg.c_str());
  return 1;
}

template <class G> int generate(const char *out, std::unique_ptr<MemoryLowering> softmmu) {
  using Op = typename G::Op;
  LLVMContext ctx;
  std::string err;
  auto lowering = std::make_unique<StencilLowering>(G::userLowering(), std::move(softmmu));
  StencilLowering &mem = *lowering;
  auto lifter = G::Lifter::create(ctx, std::move(lowering), err);
  if (!lifter)
    return fail(err);
  Module &m = lifter->semanticsModule();

  StencilBuilder<G> sb(*lifter, mem);
  for (size_t i = 0; i < G::kNumOps; i++)
    for (bool rdZero : {false, true})
      if (!rdZero || G::kRd0Variants)
        sb.buildBoth(static_cast<Op>(i), rdZero);
  for (Op op : G::kSplitBranches) {
    sb.build(op, true, /*split=*/true);
    sb.buildShapes(op, /*split=*/true);
  }

  // Only the stencils are kept; the semantics were inlined into them.
  for (Function &f : m)
    if (!f.isDeclaration() && !f.getName().starts_with("xlat_st_") &&
        !f.getName().starts_with("xlat_sst_"))
      f.setLinkage(GlobalValue::InternalLinkage);
  if (verifyModule(m, &errs()))
    return fail("stencil module does not verify");

  std::string tripleErr;
  std::string triple = sys::getDefaultTargetTriple();
  const Target *target = TargetRegistry::lookupTarget(triple, tripleErr);
  if (!target)
    return fail(tripleErr);
  TargetOptions opts;
  opts.FunctionSections = true;
  opts.DataSections = true;
  std::unique_ptr<TargetMachine> tm(target->createTargetMachine(
      triple, "x86-64", "", opts, Reloc::Static, CodeModel::Medium,
      CodeGenOptLevel::Aggressive));
  tm->setLargeDataThreshold(kLargeDataThreshold);
  m.setDataLayout(tm->createDataLayout());
  m.setTargetTriple(triple);

  {
    LoopAnalysisManager lam;
    FunctionAnalysisManager fam;
    CGSCCAnalysisManager cgam;
    ModuleAnalysisManager mam;
    PassBuilder pb(tm.get());
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(OptimizationLevel::O2);
    mpm.run(m, mam);
  }
  // Each stencil stores its result: every NaN is canonicalised there.
  for (Function &f : m)
    lowerNaNCanonicalization(f);
  std::vector<Function *> stencils;
  for (Function &f : m)
    if (!f.isDeclaration() && (f.getName().starts_with("xlat_st_") ||
                               f.getName().starts_with("xlat_sst_")))
      stencils.push_back(&f);
  std::string forwarding; // the names of the stencils that forward x[rd]
  for (Function *f : G::kForwarding ? stencils : std::vector<Function *>{}) {
    bool forwards = forwardResult(*f);
    std::vector<Function *> variants = addForwardedVariants(*f);
    if (forwards) {
      variants.push_back(f);
      for (Function *v : variants)
        forwarding += v->getName().str() + '\0';
    }
  }
  // Read by xlat-extract-stencils (kForwardsSection), not copied.
  auto *list = new GlobalVariable(
      m, ArrayType::get(Type::getInt8Ty(ctx), forwarding.size()), true,
      GlobalValue::ExternalLinkage,
      ConstantDataArray::getString(ctx, forwarding, false), "xlat_forwarding_stencils");
  list->setSection(stencil::kForwardsSection);
  if (verifyModule(m, &errs()))
    return fail("optimized stencil module does not verify");

  std::error_code ec;
  raw_fd_ostream os(out, ec, sys::fs::OF_None);
  if (ec)
    return fail(std::string(out) + ": " + ec.message());
  legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, CodeGenFileType::ObjectFile))
    return fail("the target cannot emit object files");
  pm.run(m);
  os.flush();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string_view isa = "riscv64";
  int arg = 1;
  if (argc > 1 && std::string_view(argv[1]).starts_with("--isa="))
    isa = std::string_view(argv[arg++]).substr(6);
  if (argc != arg + 1 || (isa != "riscv64" && isa != "aarch64"))
    return fail("usage: xlat-gen-stencils [--isa=riscv64|aarch64] OUT.o");
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  InitializeNativeTargetAsmParser();
  if (isa == "aarch64")
    return generate<A64Stencils>(argv[arg], nullptr);
  return generate<RvStencils>(argv[arg], rv::softMmuLowering(SoftTlbFrom::Argument));
}
