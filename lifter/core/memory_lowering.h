// Lowering of the abstract guest-memory operations (xlat_ld8..64,
// xlat_st8..64, xlat_atomic_ptr) that lifted IR contains, per runner.
//
// The lifter calls lower() on each such call right after inlining an
// instruction's semantics, with that instruction's guest pc, so the fault
// path can name the faulting instruction.
#pragma once

#include "lifter/core/softmmu_tlb.h"

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class CallInst;
class Function;
class Value;
} // namespace llvm

namespace xlat {

// A call to this function (one i1 argument, no result) marks a point where
// the guest state must be exact in memory: before each guest memory access,
// which may fault. The lowering puts one before each access; whoever owns
// the function replaces them (the lifter writes its registers back there,
// see Lifter::beginFunction) or deletes them. The argument is true where
// the access's fault paths carry a raw-FP mask (hasRawFpMask): registers
// written back there may then be NaNs as host arithmetic left them, which
// the fault path makes canonical (see lowerNaNCanonicalization).
constexpr const char *kStateSyncMarker = "xlat.sync";

// The symbol whose address is the base of the module a translation was
// lifted for (Lifter::setModuleBase): a guest pc in such code is this
// symbol plus the pc's offset in the module, in IR an add of an inline asm
// that names the symbol and a constant. The installer resolves it.
constexpr const char *kModuleBaseSymbol = "xlat_module_base";

// Whether an inline-asm access's text has a raw-FP mask, and the text with
// the mask set: bit i set means the state's FP register i may hold a NaN as
// host arithmetic made it when this access faults, and must be made the
// guest's canonical NaN before anything reads the state. The mask goes to
// the access's .xlat_pcmap entry and to its out-of-range fault path; it is
// 0 (the state is exact) until set.
bool hasRawFpMask(llvm::StringRef asmText);
std::string withRawFpMask(llvm::StringRef asmText, uint32_t mask);

// Guest registers an inline-asm load or store makes exact only if it
// faults. Its sync point (kStateSyncMarker) need not store a register the
// access takes as an extra operand: the out-of-range path stores it into
// the state before it calls the runtime, and the access's .xlat_pcmap
// entry names the host register that holds it for a host fault (the
// runner copies it from the signal context). At most kMaxAccessSpills
// registers each, an integer one in a general-purpose register, an FP one
// (its 64 bits) in an SSE register; the entry's layout is in
// jit/object_import.cpp.
constexpr unsigned kMaxAccessSpills = 8;
struct AccessSpill {
  uint16_t field; // the state offset it is stored at
  bool fp;        // an operand of type double in an SSE register
};
// Whether the asm text takes spills, and the text with `spills` as
// operands firstOperand, firstOperand + 1, ...
bool takesSpills(llvm::StringRef asmText);
std::string withSpills(llvm::StringRef asmText, const std::vector<AccessSpill> &spills,
                       unsigned firstOperand);
// After the IR pipeline, before placeFpSpills: a join of an FP register's
// bits (a phi of i64) whose values coming round a loop are doubles the
// arithmetic made (or, off a loop's header, whose values all are), and
// that the function uses as a double or only carries on to other joins
// and stores, joins the doubles instead; to a fixpoint, so that an outer
// loop's joins of what an inner loop made follow. The register then stays
// in an SSE register round the loops; what wants the bits (a store at an
// exit) takes them there. As integer bits it went into a general-purpose
// register at every back edge (or every lap of an inner loop) and out of
// it again for the next lap's arithmetic.
void fpPhisInSseRegisters(llvm::Function &f);

// After the IR pipeline: an FP spill operand whose value the function
// holds as integer bits (a loop's phi of the register) moves to a
// general-purpose register operand, so that it is not copied into an SSE
// register at every access; one the arithmetic made stays in its SSE
// register.
void placeFpSpills(llvm::Function &f);

// After placeFpSpills, user mode (FaultCheck::InlineAsm): an 8-byte load
// whose bits the function uses as a double loads into an SSE register; an
// 8-byte store of a double's bits (or of a NaN-canonicalising select of
// them) stores from one; a spill operand that is a double's bits takes
// the double in its SSE register. FP data then never goes through a
// general-purpose register on its way to or from memory. `avx`: VEX
// encodings, as the code generator's own for the host.
void fpAccessesInSseRegisters(llvm::Function &f, bool avx);

// After the IR pipeline, user mode (FaultCheck::InlineAsm): a load or
// store whose address is v + c drops its range check where a checked
// access to v + c' dominates it, |c - c'| <= kDominatedReach. That access
// showed v + c' below the limit, so v + c lies within kDominatedReach of
// the guest space, where GuestMemory's guard zones (below the base and
// above the limit) make anything outside it fault on the host, at the
// exact guest address, as an unmapped guest page does. The access then
// addresses base + v with c as its displacement.
constexpr int64_t kDominatedReach = 32 * 1024;
void dropDominatedRangeChecks(llvm::Function &f);

// Before dropDominatedRangeChecks: an innermost loop whose checked
// accesses walk a pointer (at p + c or p + inv + c, p a phi of the loop's
// header that the loop steps by a constant s, inv a value from outside the
// loop, and an access at the same p (+ inv) + c'' on every lap with
// |s + c - c''| <= kDominatedReach) or stay put (at inv + c) is run in two
// versions, chosen where it is entered: one checks every access, as
// before; the other drops those accesses' checks, and is taken when each
// one's first address (p's value on entry, plus inv, plus c) is below the
// limit. An address that stays put is then below it on every lap; a
// walking one, on each later lap, is within kDominatedReach of one the
// last lap accessed, so in the guest space or a guard zone (the argument
// of dropDominatedRangeChecks, carried round the loop). A step of p by a
// value from outside the loop (plus s) takes the same path when that
// value is within kStrideReach of zero on entry, and |s + c - c''| within
// the rest of kDominatedReach.
constexpr int64_t kStrideReach = kDominatedReach / 2;
void checkLoopWalksOnEntry(llvm::Function &f);

class MemoryLowering {
public:
  virtual ~MemoryLowering() = default;
  // Is this call one of the abstract memory operations?
  static bool isMemoryOp(const llvm::CallInst &call);
  // Replaces `call` (an abstract memory operation) with host IR. guestPc
  // is an i64: a constant or the module base plus a constant in translated
  // blocks, a hole in stencils. The
  // guest state the fault paths and the base/limit loads use is argument 0
  // of the function being built.
  virtual void lower(llvm::CallInst *call, llvm::Value *guestPc) = 0;
  // Forgets per-function state (cached base/limit loads).
  virtual void beginFunction(llvm::Function &f) = 0;
};

// How a user-mode access checks its address and reports a fault.
enum class FaultCheck {
  // For the template tier's stencils, preserve_none functions whose
  // arguments are (state, membase, memlimit, scratch, fwd): base and limit are
  // arguments 1 and 2, and a fault jumps to the symbol xlat_hole_fault (a
  // misaligned atomic to xlat_hole_misaligned) with the address in r15.
  // The copies' host ranges name the guest pc of a host fault.
  Continuation,
  // One inline-asm statement per access: compare, access, and a fault path
  // out of line in the .text.xlat_cold section. The access instruction's
  // address, the guest pc and the raw-FP mask go to the .xlat_pcmap section
  // ({host, guest, mask} 64-bit triples), from which the JIT fills
  // jit::HostPcMap. No basic block per access, which keeps LLVM's code
  // generation time down; the guest registers the lifter keeps in SSA
  // values stay in host registers.
  InlineAsm,
};

// User mode: guest address a lives at host membase + a, valid below memlimit
// (a guard zone after the limit catches accesses that run past it, so only
// the start address is compared). With InlineAsm both are read from the
// guest state at the given byte offsets (once per function, as invariant
// loads), an address at or above the limit calls xlat_mem_fault_at(addr,
// pc, rawFpMask), a misaligned atomic xlat_misaligned_fault_at(addr, pc),
// neither of which returns, and an atomic access also stores its pc at
// accessPcOffset (RvState::access_pc): the host instruction that may fault
// is LLVM's, not one the asm names, and its sync is exact.
std::unique_ptr<MemoryLowering> createUserMemoryLowering(uint64_t membaseOffset,
                                                         uint64_t memlimitOffset,
                                                         uint64_t accessPcOffset,
                                                         FaultCheck check);

// System mode (softmmu): an access probes the runner's software TLB
// (softmmu_tlb.h), comparing the tag of its kind with the page of its last
// byte, so that an access that crosses a page misses. A miss calls the
// runner:
//   uint64_t xlat_softmmu_ld<N>(state, uint64_t addr, uint64_t pc)
//   void xlat_softmmu_st<N>(state, uint64_t addr, uint64_t value, uint64_t pc)
//   void *xlat_softmmu_atomic_ptr(state, uint64_t addr, uint32_t size, uint64_t pc)
//   void *xlat_softmmu_lr_ptr(state, uint64_t addr, uint32_t size, uint64_t pc)
// (N in bits), which walks the page table, fills the entry, and makes the
// access or raises the guest's exception (it does not return then: the
// state, which it reads and does not write, is exact before each access).
// Atomics always take the call.
//
// Where the table comes from: argument 1 of the function (the template
// tier's stencils, whose entry glue loads it from the state into r13), or
// the pointer at byte offset tlbOffset of the state (argument 0).
enum class SoftTlbFrom { Argument, State };
std::unique_ptr<MemoryLowering> createSoftMmuLowering(uint64_t tlbOffset,
                                                      SoftTlbFrom from);

} // namespace xlat
