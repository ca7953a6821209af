// Lowering of the abstract guest-memory operations (xlat_ld8..64,
// xlat_st8..64, xlat_atomic_ptr) that lifted IR contains, per runner.
//
// The lifter calls lower() on each such call right after inlining an
// instruction's semantics, with that instruction's guest pc, so the fault
// path can name the faulting instruction.
#pragma once

#include <cstdint>
#include <memory>

namespace llvm {
class CallInst;
class Function;
class Value;
} // namespace llvm

namespace xlat {

class MemoryLowering {
public:
  virtual ~MemoryLowering() = default;
  // Is this call one of the abstract memory operations?
  static bool isMemoryOp(const llvm::CallInst &call);
  // Replaces `call` (an abstract memory operation) with host IR. guestPc
  // is an i64: a constant in translated blocks, a hole in stencils.
  virtual void lower(llvm::CallInst *call, llvm::Value *guestPc) = 0;
  // Forgets per-function state (cached base/limit loads).
  virtual void beginFunction(llvm::Function &f) = 0;
};

// User mode: guest address a lives at host membase + a, valid below memlimit.
// Both are read from the guest state at the given byte offsets (once per
// function, as invariant loads). Each access first stores its instruction's
// pc at pcOffset (RvState::access_pc); an address outside [0, memlimit - size] then calls
// xlat_mem_fault(state, addr), a misaligned atomic
// xlat_misaligned_fault(state, addr). Neither returns.
std::unique_ptr<MemoryLowering> createUserMemoryLowering(uint64_t membaseOffset,
                                                         uint64_t memlimitOffset,
                                                         uint64_t pcOffset);

} // namespace xlat
