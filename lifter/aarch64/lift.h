// Lifting A64 guest blocks to LLVM IR: A64's Guest for BasicLifter
// (lifter/core/lifter.h), and its memory lowering.
#pragma once

#include "lifter/aarch64/block.h"
#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/state.h"
#include "lifter/core/lifter.h"

#include <cstddef>
#include <optional>
#include <string_view>

namespace llvm {
class IRBuilderBase;
class Value;
} // namespace llvm

namespace xlat::a64 {

struct A64Lifting {
  using State = A64State;
  using Insn = a64::Insn;
  using Op = a64::Op;
  using Block = GuestBlock;
  struct SlotFields {
    llvm::Value *pc, *imm, *raw, *op, *rd, *rn, *rm, *ra, *sf, *cond, *nzcv, *shift,
        *amount, *imms, *size, *mode, *form, *order, *q, *scalar;
  };

  static std::string_view bitcode();
  static constexpr size_t kNumOps = static_cast<size_t>(Op::NumOps);
  static const char *semanticName(size_t op);
  static SlotFields constantSlot(llvm::IRBuilderBase &b, const Insn &in, llvm::Value *pc,
                                 llvm::Value *imm, uint32_t raw);
  static void storeSlot(llvm::IRBuilderBase &b, llvm::Value *slot, const SlotFields &f);

  static bool endsBlock(Op op) { return flags(op) & kEndsBlock; }
  static uint64_t next(const Insn &in) { return in.pc + 4; }
  static bool isIndirectJump(const Insn &in) {
    return in.op == Op::BR || in.op == Op::BLR || in.op == Op::RET;
  }
  // The return-address convention: bl and blr write x30, ret returns.
  static bool isCall(const Insn &in) { return in.op == Op::BL || in.op == Op::BLR; }
  static std::optional<uint64_t> directCallTarget(const Insn &in) {
    if (in.op == Op::BL)
      return in.pc + uint64_t(in.imm);
    return std::nullopt;
  }

  // The registers, NZCV, the FP and AdvSIMD state and the exclusive
  // monitor: what the semantics read and write.
  static constexpr uint64_t kLocalBytes = offsetof(A64State, membase);
  static constexpr bool in(uint64_t off, uint64_t lo, uint64_t bytes) {
    return off >= lo && off < lo + bytes;
  }
  // 8-byte words, but the 4-byte fields.
  static constexpr unsigned fieldBytes(uint64_t off) {
    return in(off, offsetof(A64State, exit_reason), 8) || in(off, offsetof(A64State, fpcr), 8) ||
                   in(off, offsetof(A64State, excl_bytes), 4) ||
                   in(off, offsetof(A64State, interrupt), 4)
               ? 4
               : 8;
  }
  // X0-X30 and SP; no register is NaN-boxed.
  static constexpr uint64_t kIntLo = offsetof(A64State, x),
                            kIntHi = offsetof(A64State, sp) + 8;
  static constexpr uint64_t kFpLo = 0, kFpHi = 0;
  static constexpr bool kZeroRegister = false;
  // NZCV (nf, zf, cf, vf), written whole: stale at a fault where it is
  // dead (lifter_impl.h).
  static constexpr int64_t kFlagsField = offsetof(A64State, nf);
  static constexpr uint64_t kFlagsBytes = offsetof(A64State, exit_reason) - kFlagsField;
  // Regions assume FPCR zero (round to nearest; no FZ, DN or AHP), as
  // RISC-V's assume frm RNE: the FP semantics' fast paths lose their
  // FPCR tests (nbody's inner loop had one per operation).
  static constexpr bool kHasFrm = true;
  static constexpr uint64_t kFrmOffset = offsetof(A64State, fpcr);
  static constexpr uint32_t kFrmNearest = 0;
  static_assert(offsetof(A64State, vf) + 8 == offsetof(A64State, exit_reason));
  static_assert(offsetof(A64State, x) != 0, "X0 at offset 0 could not be spilled");
  static_assert(offsetof(A64State, fpcr) + 4 == offsetof(A64State, fpsr));
};

using Lifter = BasicLifter<A64Lifting>;

// The user-mode lowering of the memory operations for A64State.
std::unique_ptr<MemoryLowering> userMemoryLowering(FaultCheck check);

} // namespace xlat::a64

extern template class xlat::BasicLifter<xlat::a64::A64Lifting>;
