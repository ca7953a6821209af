// Lifting RV64 guest blocks to LLVM IR: RISC-V's Guest for BasicLifter
// (lifter/core/lifter.h), and its memory lowerings.
#pragma once

#include "lifter/core/lifter.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/pc_values.h"
#include "lifter/riscv/state.h"

#include <cstddef>
#include <optional>
#include <string_view>

namespace llvm {
class IRBuilderBase;
class Value;
} // namespace llvm

namespace xlat::rv {

struct RvLifting {
  using State = RvState;
  using Insn = rv::Insn;
  using Op = rv::Op;
  using Block = GuestBlock;
  // An operand slot's fields, as values (the stencil generator fills them
  // with its holes).
  struct SlotFields {
    llvm::Value *pc, *imm, *raw, *op, *len, *rd, *rs1, *rs2, *rs3, *rm, *fused;
  };

  static std::string_view bitcode();
  static constexpr size_t kNumOps = static_cast<size_t>(Op::NumOps);
  static const char *semanticName(size_t op);
  static SlotFields constantSlot(llvm::IRBuilderBase &b, const Insn &in, llvm::Value *pc,
                                 llvm::Value *imm, uint32_t raw);
  static void storeSlot(llvm::IRBuilderBase &b, llvm::Value *slot, const SlotFields &f);

  static bool endsBlock(Op op) { return flags(op) & kEndsBlock; }
  static uint64_t next(const Insn &in) { return in.pc + in.len; }
  static bool isIndirectJump(const Insn &in) { return in.op == Op::JALR; }
  // jal or jalr writing ra or t0.
  static bool isCall(const Insn &in) {
    return (in.op == Op::JAL || in.op == Op::JALR) && isLinkReg(in.rd);
  }
  static std::optional<uint64_t> directCallTarget(const Insn &in) {
    if (in.op == Op::JAL && isLinkReg(in.rd))
      return in.pc + uint64_t(in.imm);
    return std::nullopt;
  }

  // The registers, the FP state and the LR/SC reservation: what the
  // semantics read and write.
  static constexpr uint64_t kLocalBytes = offsetof(RvState, membase);
  // 8-byte words, but the 4-byte ones from exit_reason to interrupt.
  static constexpr unsigned fieldBytes(uint64_t off) {
    return off >= offsetof(RvState, exit_reason) && off < offsetof(RvState, fault_addr) ? 4 : 8;
  }
  // x1-x31 (x0 is zero), and f0-f31.
  static constexpr uint64_t kIntLo = offsetof(RvState, x) + 8,
                            kIntHi = offsetof(RvState, x) + sizeof(RvState::x);
  static constexpr uint64_t kFpLo = offsetof(RvState, f),
                            kFpHi = offsetof(RvState, f) + sizeof(RvState::f);
  static constexpr bool kZeroRegister = true;
  static constexpr int64_t kFlagsField = -1; // no flags register
  static constexpr uint64_t kFlagsBytes = 0;
  static_assert(offsetof(RvState, x) == 0);
  static constexpr bool kHasFrm = true;
  static constexpr uint64_t kFrmOffset = offsetof(RvState, frm);
  static constexpr uint32_t kFrmNearest = kRNE;
};

using Lifter = BasicLifter<RvLifting>;

// The user-mode lowering of the memory operations for RvState (membase,
// memlimit and access_pc are its fields).
std::unique_ptr<MemoryLowering> userMemoryLowering(FaultCheck check);
// The system-mode lowering: RvState::membase points at the hart's software
// TLB for the current privilege (see createSoftMmuLowering).
std::unique_ptr<MemoryLowering> softMmuLowering(SoftTlbFrom from);

// RvState's FP registers, for lowerNaNCanonicalization's raw syncs.
FpRegisterFile fpRegisterFile();

} // namespace xlat::rv

extern template class xlat::BasicLifter<xlat::rv::RvLifting>;
