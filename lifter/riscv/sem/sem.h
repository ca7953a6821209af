// Shared vocabulary of the instruction semantics.
//
// Every semantic function has the signature
//     extern "C" void rv_sem_ID(RvState *s, const Insn *i)
// and is written once, in plain C++ over the architected state and the memory
// operations of mem_ops.h. The same source is compiled natively (the reference
// interpreter calls it through a table) and to bitcode (the LLVM tiers inline
// it into each translated block).
//
// Conventions:
//  - On entry s->pc holds the fall-through address (i->pc + i->len) if the
//    instruction can leave the block; semantics never read s->pc (they use
//    i->pc). Control transfers overwrite it, traps set it back to i->pc.
//  - A trap to the runner sets s->exit_reason; the instruction is the last of
//    its block (kEndsBlock in the table).
#pragma once

#include "lifter/riscv/insn.h"
#include "lifter/core/mem_ops.h"
#include "lifter/riscv/state.h"

#include <cstdint>
#include <cstring>

#define SEM(ID)                                                                \
  extern "C" void rv_sem_##ID(::xlat::rv::RvState *s,                          \
                              const ::xlat::rv::Insn *i)

namespace xlat::rv::sem {

inline uint64_t X(const RvState *s, unsigned r) { return s->x[r]; }
inline void setX(RvState *s, unsigned r, uint64_t v) {
  if (r != 0)
    s->x[r] = v;
}
inline uint64_t sext32(uint64_t v) {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v)));
}
inline uint64_t imm(const Insn *i) { return static_cast<uint64_t>(i->imm); }

inline void trap(RvState *s, const Insn *i, ExitReason why) {
  s->pc = i->pc;
  s->exit_reason = why;
}

} // namespace xlat::rv::sem
