// RISC-V's instance of the lifter (lifter/core/lifter_impl.h).
#include "lifter/riscv/lift.h"

#include "lifter/core/lifter_impl.h"

#include <iterator>

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
static_assert(std::size(kSemNames) == RvLifting::kNumOps);

} // namespace

std::string_view RvLifting::bitcode() {
  return {xlat_rv64_semantics_bc, size_t(xlat_rv64_semantics_bc_end - xlat_rv64_semantics_bc)};
}

const char *RvLifting::semanticName(size_t op) { return kSemNames[op]; }

RvLifting::SlotFields RvLifting::constantSlot(llvm::IRBuilderBase &b, const Insn &in,
                                              llvm::Value *pc, llvm::Value *imm,
                                              uint32_t raw) {
  auto k = [&](uint64_t v) { return b.getInt64(v); };
  return {pc,       imm,       k(raw),    k((uint16_t)in.op), k(in.len), k(in.rd),
          k(in.rs1), k(in.rs2), k(in.rs3), k(in.rm),           k(in.fused)};
}

void RvLifting::storeSlot(llvm::IRBuilderBase &b, llvm::Value *slot, const SlotFields &in) {
  auto field = [&](size_t off, llvm::Type *ty, llvm::Value *v) {
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
  field(offsetof(Insn, fused), b.getInt8Ty(), in.fused);
}

FpRegisterFile fpRegisterFile() {
  return {offsetof(RvState, f), sizeof(RvState::f) / 8};
}

std::unique_ptr<MemoryLowering> userMemoryLowering(FaultCheck check) {
  return createUserMemoryLowering(offsetof(RvState, membase),
                                  offsetof(RvState, memlimit),
                                  offsetof(RvState, access_pc), check);
}

std::unique_ptr<MemoryLowering> softMmuLowering(SoftTlbFrom from) {
  return createSoftMmuLowering(offsetof(RvState, membase), from);
}

} // namespace xlat::rv

template class xlat::BasicLifter<xlat::rv::RvLifting>;
