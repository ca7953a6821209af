// A64's instance of the lifter (lifter/core/lifter_impl.h).
#include "lifter/aarch64/lift.h"

#include "lifter/core/lifter_impl.h"

#include <iterator>

extern "C" const char xlat_a64_semantics_bc[];
extern "C" const char xlat_a64_semantics_bc_end[];

namespace xlat::a64 {
namespace {

constexpr const char *kSemNames[] = {
    "a64_sem_ILLEGAL",
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) "a64_sem_" #ID,
#define A64_FORM(ID, PAT, FMT)
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
};
static_assert(std::size(kSemNames) == A64Lifting::kNumOps);

} // namespace

std::string_view A64Lifting::bitcode() {
  return {xlat_a64_semantics_bc, size_t(xlat_a64_semantics_bc_end - xlat_a64_semantics_bc)};
}

const char *A64Lifting::semanticName(size_t op) { return kSemNames[op]; }

A64Lifting::SlotFields A64Lifting::constantSlot(llvm::IRBuilderBase &b, const Insn &in,
                                                llvm::Value *pc, llvm::Value *imm,
                                                uint32_t raw) {
  auto k = [&](uint64_t v) { return b.getInt64(v); };
  return {pc,          imm,          k(raw),       k(uint16_t(in.op)),
          k(in.rd),    k(in.rn),     k(in.rm),     k(in.ra),
          k(in.sf),    k(in.cond),   k(in.nzcv),   k(in.shift),
          k(in.amount), k(in.imms),  k(in.size),   k(uint8_t(in.mode)),
          k(uint8_t(in.form)), k(in.order), k(in.q), k(in.scalar)};
}

void A64Lifting::storeSlot(llvm::IRBuilderBase &b, llvm::Value *slot, const SlotFields &in) {
  auto field = [&](size_t off, llvm::Type *ty, llvm::Value *v) {
    b.CreateStore(b.CreateZExtOrTrunc(v, ty),
                  b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), slot, off));
  };
  llvm::Type *i8 = b.getInt8Ty();
  field(offsetof(Insn, pc), b.getInt64Ty(), in.pc);
  field(offsetof(Insn, imm), b.getInt64Ty(), in.imm);
  field(offsetof(Insn, raw), b.getInt32Ty(), in.raw);
  field(offsetof(Insn, op), b.getInt16Ty(), in.op);
  field(offsetof(Insn, rd), i8, in.rd);
  field(offsetof(Insn, rn), i8, in.rn);
  field(offsetof(Insn, rm), i8, in.rm);
  field(offsetof(Insn, ra), i8, in.ra);
  field(offsetof(Insn, sf), i8, in.sf);
  field(offsetof(Insn, cond), i8, in.cond);
  field(offsetof(Insn, nzcv), i8, in.nzcv);
  field(offsetof(Insn, shift), i8, in.shift);
  field(offsetof(Insn, amount), i8, in.amount);
  field(offsetof(Insn, imms), i8, in.imms);
  field(offsetof(Insn, size), i8, in.size);
  field(offsetof(Insn, mode), i8, in.mode);
  field(offsetof(Insn, form), i8, in.form);
  field(offsetof(Insn, order), i8, in.order);
  field(offsetof(Insn, q), i8, in.q);
  field(offsetof(Insn, scalar), i8, in.scalar);
}

std::unique_ptr<MemoryLowering> userMemoryLowering(FaultCheck check) {
  return createUserMemoryLowering(offsetof(A64State, membase), offsetof(A64State, memlimit),
                                  offsetof(A64State, access_pc), check);
}

} // namespace xlat::a64

template class xlat::BasicLifter<xlat::a64::A64Lifting>;
