#include "lifter/riscv/sem_table.h"

#include <iterator>

extern "C" {
void rv_sem_ILLEGAL(xlat::rv::RvState *, const xlat::rv::Insn *);
#define RV_INSN(ID, MN, PAT, FMT, FLAGS)                                       \
  void rv_sem_##ID(xlat::rv::RvState *, const xlat::rv::Insn *);
#include "lifter/riscv/insns.def"
#undef RV_INSN
}

namespace xlat::rv {
namespace {
constexpr SemFn kTable[] = {
    rv_sem_ILLEGAL,
#define RV_INSN(ID, MN, PAT, FMT, FLAGS) rv_sem_##ID,
#include "lifter/riscv/insns.def"
#undef RV_INSN
};
static_assert(std::size(kTable) == static_cast<size_t>(Op::NumOps));
} // namespace

SemFn semanticFunction(Op op) { return kTable[static_cast<size_t>(op)]; }

} // namespace xlat::rv
