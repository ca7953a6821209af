#include "lifter/aarch64/sem_table.h"

#include <iterator>

extern "C" {
void a64_sem_ILLEGAL(xlat::a64::A64State *, const xlat::a64::Insn *);
#define A64_INSN(ID, MN, PAT, FMT, FLAGS)                                      \
  void a64_sem_##ID(xlat::a64::A64State *, const xlat::a64::Insn *);
#define A64_FORM(ID, PAT, FMT)
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
}

namespace xlat::a64 {
namespace {
const SemFn kTable[] = {
    a64_sem_ILLEGAL,
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) a64_sem_##ID,
#define A64_FORM(ID, PAT, FMT)
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
};
static_assert(std::size(kTable) == static_cast<size_t>(Op::NumOps));
} // namespace

SemFn semanticFunction(Op op) { return kTable[static_cast<size_t>(op)]; }

} // namespace xlat::a64
