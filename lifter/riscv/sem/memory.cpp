// Loads, stores and the A extension.
#include "lifter/riscv/sem/sem.h"

#include <type_traits>

using namespace xlat::rv;
using namespace xlat::rv::sem;

namespace {
inline uint64_t ea(const RvState *s, const Insn *i) { return X(s, i->rs1) + imm(i); }
} // namespace

SEM(LB) { setX(s, i->rd, (uint64_t)(int64_t)(int8_t)xlat_ld8(s, ea(s, i))); }
SEM(LH) { setX(s, i->rd, (uint64_t)(int64_t)(int16_t)xlat_ld16(s, ea(s, i))); }
SEM(LW) { setX(s, i->rd, sext32(xlat_ld32(s, ea(s, i)))); }
SEM(LD) { setX(s, i->rd, xlat_ld64(s, ea(s, i))); }
SEM(LBU) { setX(s, i->rd, xlat_ld8(s, ea(s, i))); }
SEM(LHU) { setX(s, i->rd, xlat_ld16(s, ea(s, i))); }
SEM(LWU) { setX(s, i->rd, xlat_ld32(s, ea(s, i))); }
SEM(SB) { xlat_st8(s, ea(s, i), (uint8_t)X(s, i->rs2)); }
SEM(SH) { xlat_st16(s, ea(s, i), (uint16_t)X(s, i->rs2)); }
SEM(SW) { xlat_st32(s, ea(s, i), (uint32_t)X(s, i->rs2)); }
SEM(SD) { xlat_st64(s, ea(s, i), X(s, i->rs2)); }

// LR/SC: the reservation remembers the address and the value LR saw; SC
// succeeds if memory still holds that value (compare-and-swap). This is the
// usual user-mode approximation of a reservation: it admits ABA, which no
// lock-free algorithm built on LR/SC can observe as wrong, and it is what
// makes SC correct against stores from other threads without a global lock.
namespace {
constexpr uint64_t kNoReservation = ~0ull;

template <typename T> void loadReserved(RvState *s, const Insn *i) {
  uint64_t addr = X(s, i->rs1);
  T *p = static_cast<T *>(xlat_lr_ptr(s, addr, sizeof(T)));
  T v = __atomic_load_n(p, __ATOMIC_SEQ_CST);
  s->reserve_addr = addr;
  s->reserve_val = v;
  setX(s, i->rd, (uint64_t)(int64_t)(std::make_signed_t<T>)v);
}

template <typename T> void storeConditional(RvState *s, const Insn *i) {
  uint64_t addr = X(s, i->rs1);
  T *p = static_cast<T *>(xlat_atomic_ptr(s, addr, sizeof(T)));
  bool ok = false;
  if (s->reserve_addr == addr) {
    T expected = (T)s->reserve_val;
    ok = __atomic_compare_exchange_n(p, &expected, (T)X(s, i->rs2), false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  }
  s->reserve_addr = kNoReservation;
  setX(s, i->rd, ok ? 0 : 1);
}

// AMOs return the old value, sign-extended for .W.
template <typename T, typename F> void amo(RvState *s, const Insn *i, F f) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, X(s, i->rs1), sizeof(T)));
  T src = (T)X(s, i->rs2);
  T old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(p, &old, f(old, src), true,
                                      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
  }
  setX(s, i->rd, (uint64_t)(int64_t)(std::make_signed_t<T>)old);
}

template <typename T> void amoSwap(RvState *s, const Insn *i) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, X(s, i->rs1), sizeof(T)));
  T old = __atomic_exchange_n(p, (T)X(s, i->rs2), __ATOMIC_SEQ_CST);
  setX(s, i->rd, (uint64_t)(int64_t)(std::make_signed_t<T>)old);
}
template <typename T> void amoAdd(RvState *s, const Insn *i) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, X(s, i->rs1), sizeof(T)));
  T old = __atomic_fetch_add(p, (T)X(s, i->rs2), __ATOMIC_SEQ_CST);
  setX(s, i->rd, (uint64_t)(int64_t)(std::make_signed_t<T>)old);
}
template <typename T> void amoXor(RvState *s, const Insn *i) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, X(s, i->rs1), sizeof(T)));
  T old = __atomic_fetch_xor(p, (T)X(s, i->rs2), __ATOMIC_SEQ_CST);
  setX(s, i->rd, (uint64_t)(int64_t)(std::make_signed_t<T>)old);
}
template <typename T> void amoAnd(RvState *s, const Insn *i) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, X(s, i->rs1), sizeof(T)));
  T old = __atomic_fetch_and(p, (T)X(s, i->rs2), __ATOMIC_SEQ_CST);
  setX(s, i->rd, (uint64_t)(int64_t)(std::make_signed_t<T>)old);
}
template <typename T> void amoOr(RvState *s, const Insn *i) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, X(s, i->rs1), sizeof(T)));
  T old = __atomic_fetch_or(p, (T)X(s, i->rs2), __ATOMIC_SEQ_CST);
  setX(s, i->rd, (uint64_t)(int64_t)(std::make_signed_t<T>)old);
}
template <typename T> T smin(T a, T b) {
  using S = std::make_signed_t<T>;
  return (S)a < (S)b ? a : b;
}
template <typename T> T smax(T a, T b) {
  using S = std::make_signed_t<T>;
  return (S)a > (S)b ? a : b;
}
template <typename T> T umin(T a, T b) { return a < b ? a : b; }
template <typename T> T umax(T a, T b) { return a > b ? a : b; }
} // namespace

SEM(LR_W) { loadReserved<uint32_t>(s, i); }
SEM(LR_D) { loadReserved<uint64_t>(s, i); }
SEM(SC_W) { storeConditional<uint32_t>(s, i); }
SEM(SC_D) { storeConditional<uint64_t>(s, i); }
SEM(AMOSWAP_W) { amoSwap<uint32_t>(s, i); }
SEM(AMOSWAP_D) { amoSwap<uint64_t>(s, i); }
SEM(AMOADD_W) { amoAdd<uint32_t>(s, i); }
SEM(AMOADD_D) { amoAdd<uint64_t>(s, i); }
SEM(AMOXOR_W) { amoXor<uint32_t>(s, i); }
SEM(AMOXOR_D) { amoXor<uint64_t>(s, i); }
SEM(AMOAND_W) { amoAnd<uint32_t>(s, i); }
SEM(AMOAND_D) { amoAnd<uint64_t>(s, i); }
SEM(AMOOR_W) { amoOr<uint32_t>(s, i); }
SEM(AMOOR_D) { amoOr<uint64_t>(s, i); }
SEM(AMOMIN_W) { amo<uint32_t>(s, i, smin<uint32_t>); }
SEM(AMOMIN_D) { amo<uint64_t>(s, i, smin<uint64_t>); }
SEM(AMOMAX_W) { amo<uint32_t>(s, i, smax<uint32_t>); }
SEM(AMOMAX_D) { amo<uint64_t>(s, i, smax<uint64_t>); }
SEM(AMOMINU_W) { amo<uint32_t>(s, i, umin<uint32_t>); }
SEM(AMOMINU_D) { amo<uint64_t>(s, i, umin<uint64_t>); }
SEM(AMOMAXU_W) { amo<uint32_t>(s, i, umax<uint32_t>); }
SEM(AMOMAXU_D) { amo<uint64_t>(s, i, umax<uint64_t>); }
