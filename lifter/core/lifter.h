// Lifting guest blocks to LLVM IR by inlining the semantics bitcode, for
// every guest ISA: BasicLifter<Guest> is written once, and each ISA
// instantiates it with a Guest that says what it needs of one
// (lifter/riscv/lift.h, lifter/aarch64/lift.h):
//
//   State, Insn, Op, Block     the state, decoded instruction, opcode and
//                              block (BasicGuestBlock<Insn>) types; State has
//                              the runner's fields by RvState's names (pc,
//                              exit_reason, interrupt, access_pc, membase,
//                              memlimit, ibtc, the counters, the shadow stack)
//   SlotFields                 the values of an instruction's operand slot
//   bitcode(), semanticName(op), kNumOps
//                              the semantics module and its functions
//   constantSlot, storeSlot    the slot of a decoded instruction, and how
//                              its fields are laid out
//   endsBlock(op), next(insn)  block ends, and the fall-through pc
//   isIndirectJump, isCall, directCallTarget, and (in the ISA's namespace)
//   directSuccessors, callContinuation, endsInReturn
//                              the control flow the region, chaining and
//                              shadow-stack code need: the return-address
//                              convention is the ISA's
//   kLocalBytes, fieldBytes(off), kIntLo/kIntHi, kFpLo/kFpHi, kZeroRegister
//                              the registers translated code keeps in a
//                              local copy: where they end, each field's
//                              width, the integer and the NaN-boxed FP
//                              registers, and whether the first integer
//                              register reads as zero
//   kFlagsField, kFlagsBytes   the offset and size of flags written only
//                              together (A64's NZCV words), which need not
//                              be stored before an access where they are
//                              dead; -1 and 0 for none
//   kHasFrm (kFrmOffset, kFrmNearest)
//                              whether blocks specialise on an FP control
//                              register, a 32-bit field, holding its usual
//                              value (RISC-V's frm RNE; A64's FPCR zero)
#pragma once

#include "lifter/core/exit_reason.h"
#include "lifter/core/memory_lowering.h"
#include "lifter/core/nan_canon.h"
#include "lifter/core/pc_value.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class AllocaInst;
class BasicBlock;
class CallInst;
class Function;
class GlobalVariable;
class IRBuilderBase;
class LLVMContext;
class Module;
class Value;
} // namespace llvm

namespace xlat {

// An execution counter for a block: host address of a 64-bit word and the
// count at which the block exits with kExitHot before running. addr 0: none.
struct BlockHotCounter {
  uint64_t addr = 0;
  uint64_t threshold = 0;
};

// Owns the parsed semantics module. Not thread-safe: one Lifter per thread
// that translates, each with its own LLVMContext.
template <class Guest> class BasicLifter {
public:
  using State = typename Guest::State;
  using Insn = typename Guest::Insn;
  using Op = typename Guest::Op;
  using GuestBlock = typename Guest::Block;
  using InsnFields = typename Guest::SlotFields;

  static std::unique_ptr<BasicLifter> create(llvm::LLVMContext &ctx,
                                        std::unique_ptr<MemoryLowering> mem,
                                        std::string &err);
  ~BasicLifter();

  // Host address of the link cell for a guest pc: a word holding the
  // translated code for that pc, or null. 0 if the block may not chain.
  using LinkCellFn = std::function<uint64_t(uint64_t guestPc)>;
  using HotCounter = BlockHotCounter;

  // Lifts `block` into a new module holding one external function `name` of
  // type void(ptr noalias %state). The function runs the block's
  // instructions against the state and leaves s->pc at the next guest pc
  // (and s->exit_reason set if an instruction trapped). Given `linkCell`, a
  // block that ends in a direct jump, a branch or a fall-through tail-calls
  // its successor's translation from the successor's link cell when there
  // is one and s->interrupt is clear, instead of returning (block
  // chaining); a block ending in an indirect jump looks its target up in
  // the thread's IBTC (State::ibtc) the same way, and a return tries the
  // shadow stack first. Not yet optimized.
  std::unique_ptr<llvm::Module> liftBlock(const GuestBlock &block,
                                          const std::string &name,
                                          const LinkCellFn &linkCell = {},
                                          HotCounter counter = {});

  // Blocks lifted from now on count their entries (State::blocks_run)
  // and IBTC probes and hits.
  void setCountBlocks(bool on) { countBlocks_ = on; }

  // From now on, link cells are named rather than given by address: the
  // cell of guest pc P is the external global `xlat_cell_<P in hex>`,
  // which whoever links the code resolves (so the code can be stored and
  // installed in another process). linkCell then only says whether a
  // block may chain (nonzero).
  void setSymbolicCells(bool on) { symbolicCells_ = on; }
  static constexpr const char *kCellPrefix = "xlat_cell_";

  // From now on (until reset), code is lifted for the module loaded at
  // `base` so that it serves the module at any base: every guest pc in it
  // is the external symbol xlat_module_base (kModuleBaseSymbol) plus the
  // pc's offset from `base`, and symbolic cells are named by that offset.
  // Whoever installs the code resolves the symbol to the module's base in
  // that process. Without it, guest pcs are constants.
  void setModuleBase(std::optional<uint64_t> base) { moduleBase_ = base; }

  // From now on (until reset with null), the instructions `values` lists
  // (pcValues of the blocks lifted next) take value k from the external
  // symbol xlat_pcval_<k>, and a listed jal chains through the cell named
  // xlat_pccell_<k>. With setModuleBase(base), the code then depends only
  // on the blocks' pcIndependentIdentity: it serves every program that
  // holds the same code at other addresses (jit::bindPcValues makes it
  // code for one of them).
  void setPcValues(const std::vector<PcValue> *values) { pcValues_ = values; }
  static constexpr const char *kPcValuePrefix = "xlat_pcval_";
  static constexpr const char *kPcCellPrefix = "xlat_pccell_";

  // A region: blocks[0] is the entry; a direct branch from one of the
  // blocks to another is an ordinary branch in the one function (an
  // interrupt check included), so guest state stays in SSA across them.
  // Other exits chain as liftBlock's do.
  std::unique_ptr<llvm::Module> liftRegion(const std::vector<GuestBlock> &blocks,
                                           const std::string &name,
                                           const LinkCellFn &linkCell = {});

  // The steps liftBlock is made of, for other producers of semantics IR
  // (the template tier's stencil generator, jit/stencils/): an operand
  // slot filled from arbitrary i64-convertible values, a call to an
  // instruction's semantics, and its inlining with memory lowering.
  // Allocates an Insn slot at the builder's position and stores the fields
  // (each converted to the field's width).
  llvm::Value *makeInsnSlot(llvm::IRBuilderBase &b, const InsnFields &f);
  llvm::Function *semantics(Op op) const;
  bool mayTrap(Op op) const; // the semantics may set exit_reason
  llvm::Module &semanticsModule() { return *sem_; }
  // Starts a function that will contain inlined semantics; endFunction
  // finishes one whose semantics ran on the state itself (stencils), by
  // dropping the state-sync markers the memory lowering left.
  void beginFunction(llvm::Function &f);
  void endFunction(llvm::Function &f);
  // Inlines a call to a semantic function; its memory accesses record
  // guestPc (an i64) as the faulting instruction's pc.
  void inlineSemantics(llvm::CallInst *call, llvm::Value *guestPc);

private:
  explicit BasicLifter(llvm::LLVMContext &ctx) : ctx_(ctx) {}
  bool resolveSemantics(std::string &err);
  llvm::Function *buildFunction(const std::vector<GuestBlock> &blocks,
                                const std::string &name,
                                const LinkCellFn &linkCell, HotCounter counter);
  void emitChaining(llvm::Function *f, llvm::BasicBlock *from,
                    llvm::BasicBlock *exit, uint64_t blockPc, llvm::Value *pcField,
                    const std::vector<uint64_t> &succs,
                    const LinkCellFn &linkCell,
                    const std::map<uint64_t, llvm::BasicBlock *> &local,
                    bool isReturn, const std::vector<uint64_t> &pushlessReturns,
                    const std::vector<uint64_t> &pushedReturns, int jumpValue);
  // s->interrupt, read so that every check reads it afresh.
  llvm::Value *loadInterrupt(llvm::IRBuilderBase &b, llvm::Value *state);
  // The shadow-stack entry {pc, cell} that `top` (entries pushed) selects.
  llvm::Value *shadowEntry(llvm::IRBuilderBase &b, llvm::Value *state,
                           llvm::Value *top);
  // A guest call: push {retPc, cell} on the state's shadow stack.
  void emitShadowPush(llvm::IRBuilderBase &b, llvm::Value *state,
                      uint64_t retPc, llvm::Value *cell);
  // Guest pc `pc` as an i64: a constant, or the module base plus its offset
  // (setModuleBase).
  llvm::Value *guestPc(llvm::IRBuilderBase &b, uint64_t pc);
  llvm::Value *moduleBaseValue(llvm::IRBuilderBase &b);
  // Value k of setPcValues, opaque to LLVM as the module base is.
  llvm::Value *pcValueSymbol(llvm::IRBuilderBase &b, unsigned k);
  // The link cell of guest pc `target` (host address `cell`), as a pointer.
  llvm::Value *cellPointer(llvm::IRBuilderBase &b, uint64_t target,
                           uint64_t cell, int pcValue = -1);
  // Replaces the state-sync markers in f by stores of the registers the
  // semantics wrote to `local` (the function's copy of the state) back to
  // the real state; or, if the copy escapes, makes f use the real state.
  void syncLocalState(llvm::Function &f, llvm::AllocaInst *local);
  // Guest::kHasFrm: assumes frm == RNE (FPCR == 0) in code that reads it
  // and never sets it, behind an entry guard (kGeneric when it is not).
  void specializeRoundingMode(llvm::Function &f, uint64_t entryPc);
  std::unique_ptr<llvm::Module> extractFunction(llvm::Function *f);

  llvm::LLVMContext &ctx_;
  std::unique_ptr<llvm::Module> sem_;
  std::unique_ptr<MemoryLowering> mem_;
  std::vector<llvm::Function *> semFn_;  // indexed by Op
  std::vector<bool> mayTrap_;            // semantics may set exit_reason
  bool countBlocks_ = false;
  bool symbolicCells_ = false;
  std::optional<uint64_t> moduleBase_;
  const std::vector<PcValue> *pcValues_ = nullptr;
  llvm::Value *functionBase_ = nullptr; // the base in the function being built
  std::vector<llvm::GlobalVariable *> insnGlobals_; // constant Insn slots since the last extraction
};

} // namespace xlat
