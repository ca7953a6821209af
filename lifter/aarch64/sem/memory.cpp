// A64 loads and stores: single registers (general and SIMD&FP) in every
// addressing mode, pairs, the exclusives and ordered accesses, and the
// LSE compare-and-swap and atomic read-modify-write instructions.
//
// The exclusive, ordered and atomic accesses need natural alignment
// (ARMv8.0 without LSE2): xlat_atomic_ptr and xlat_lr_ptr fault
// (kExitMisaligned) otherwise. A pair of 64-bit registers is one 16-byte
// host atomic (cmpxchg16b: these sources are built with -mcx16).
#include "lifter/aarch64/sem/sem.h"

#include <type_traits>

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

using u128 = unsigned __int128;

template <typename T> T ld(A64State *s, uint64_t a) {
  if constexpr (sizeof(T) == 1)
    return T(xlat_ld8(s, a));
  else if constexpr (sizeof(T) == 2)
    return T(xlat_ld16(s, a));
  else if constexpr (sizeof(T) == 4)
    return T(xlat_ld32(s, a));
  else
    return T(xlat_ld64(s, a));
}

template <typename T> void st(A64State *s, uint64_t a, T v) {
  if constexpr (sizeof(T) == 1)
    xlat_st8(s, a, uint8_t(v));
  else if constexpr (sizeof(T) == 2)
    xlat_st16(s, a, uint16_t(v));
  else if constexpr (sizeof(T) == 4)
    xlat_st32(s, a, uint32_t(v));
  else
    xlat_st64(s, a, uint64_t(v));
}

// The base is written back after the access: a faulting access leaves it.
void writeback(A64State *s, const Insn *i, const Address &a) {
  if (a.writeback)
    setXSP(s, i->rn, a.base);
}

// A load of T (signed for the sign-extending loads) into a W (R =
// uint32_t) or X register.
template <typename T, typename R> void load(A64State *s, const Insn *i) {
  Address a = address(s, i);
  T v = T(ld<std::make_unsigned_t<T>>(s, a.ea));
  writeback(s, i, a);
  setX(s, i->rd, uint64_t(R(v)));
}

template <typename T> void store(A64State *s, const Insn *i) {
  Address a = address(s, i);
  st<T>(s, a.ea, T(X(s, i->rd)));
  writeback(s, i, a);
}

template <typename T, typename R> void loadPair(A64State *s, const Insn *i) {
  using U = std::make_unsigned_t<T>;
  Address a = address(s, i);
  T v1 = T(ld<U>(s, a.ea)), v2 = T(ld<U>(s, a.ea + sizeof(T)));
  writeback(s, i, a);
  setX(s, i->rd, uint64_t(R(v1)));
  setX(s, i->ra, uint64_t(R(v2)));
}

template <typename T> void storePair(A64State *s, const Insn *i) {
  Address a = address(s, i);
  T v1 = T(X(s, i->rd)), v2 = T(X(s, i->ra));
  st<T>(s, a.ea, v1);
  st<T>(s, a.ea + sizeof(T), v2);
  writeback(s, i, a);
}

// A SIMD&FP register's low 2^size bytes (size 4: all 16) from or to
// memory; a load clears the rest of the register.
struct VBits {
  uint64_t lo, hi;
};
VBits loadV(A64State *s, uint64_t ea, unsigned size) {
  switch (size) {
  case 0: return {ld<uint8_t>(s, ea), 0};
  case 1: return {ld<uint16_t>(s, ea), 0};
  case 2: return {ld<uint32_t>(s, ea), 0};
  case 3: return {ld<uint64_t>(s, ea), 0};
  default: return {ld<uint64_t>(s, ea), ld<uint64_t>(s, ea + 8)};
  }
}
void setV(A64State *s, unsigned r, VBits v) {
  s->v[r][0] = v.lo;
  s->v[r][1] = v.hi;
}
void storeV(A64State *s, uint64_t ea, unsigned size, unsigned r) {
  uint64_t lo = s->v[r][0];
  switch (size) {
  case 0: st<uint8_t>(s, ea, uint8_t(lo)); break;
  case 1: st<uint16_t>(s, ea, uint16_t(lo)); break;
  case 2: st<uint32_t>(s, ea, uint32_t(lo)); break;
  case 3: st<uint64_t>(s, ea, lo); break;
  default:
    st<uint64_t>(s, ea, lo);
    st<uint64_t>(s, ea + 8, s->v[r][1]);
    break;
  }
}

// Calls f with a value of the unsigned type of an access of 2^size bytes.
template <typename F> void bySize(unsigned size, F f) {
  switch (size) {
  case 0: f(uint8_t()); break;
  case 1: f(uint16_t()); break;
  case 2: f(uint32_t()); break;
  default: f(uint64_t()); break;
  }
}

// A pair as one value: the first register in the low half (little-endian
// memory order), each register's low `bits`.
template <typename P> P pairValue(const A64State *s, unsigned r1, unsigned r2) {
  constexpr unsigned bits = sizeof(P) * 4;
  return P(X(s, r1) & ones(bits)) | P(X(s, r2) & ones(bits)) << bits;
}
template <typename P> void setPair(A64State *s, unsigned r1, unsigned r2, P v) {
  constexpr unsigned bits = sizeof(P) * 4;
  setX(s, r1, uint64_t(v) & ones(bits));
  setX(s, r2, uint64_t(v >> bits) & ones(bits));
}

void clearMonitor(A64State *s) { s->excl_bytes = 0; }

template <typename T> T loadExclusive(A64State *s, uint64_t addr) {
  T *p = static_cast<T *>(xlat_lr_ptr(s, addr, sizeof(T)));
  T v = __atomic_load_n(p, __ATOMIC_SEQ_CST);
  s->excl_addr = addr;
  s->excl_bytes = sizeof(T);
  s->excl_val[0] = uint64_t(v);
  s->excl_val[1] = sizeof(T) > 8 ? uint64_t(u128(v) >> 64) : 0;
  return v;
}

// The status a store-exclusive writes to Ws: 0 stored, 1 not.
template <typename T> uint64_t storeExclusive(A64State *s, uint64_t addr, T v) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, addr, sizeof(T)));
  bool ok = false;
  if (s->excl_bytes == sizeof(T) && s->excl_addr == addr) {
    T expected = T(s->excl_val[0]);
    if constexpr (sizeof(T) > 8)
      expected |= T(s->excl_val[1]) << 64;
    ok = __atomic_compare_exchange_n(p, &expected, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  }
  clearMonitor(s);
  return ok ? 0 : 1;
}

// An atomic read-modify-write of T: Rt gets the old value, memory
// f(old, Rs).
template <typename T, typename F> void atomicRmw(A64State *s, const Insn *i, F f) {
  T *p = static_cast<T *>(xlat_atomic_ptr(s, XSP(s, i->rn), sizeof(T)));
  T src = T(X(s, i->rm));
  T old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(p, &old, T(f(old, src)), true, __ATOMIC_SEQ_CST,
                                      __ATOMIC_RELAXED)) {
  }
  setX(s, i->rd, uint64_t(old));
}

template <typename F> void atomicRmw(A64State *s, const Insn *i, F f) {
  bySize(i->size, [&](auto t) { atomicRmw<decltype(t)>(s, i, f); });
}

template <typename T> T smax(T a, T b) {
  using S = std::make_signed_t<T>;
  return S(a) > S(b) ? a : b;
}
template <typename T> T smin(T a, T b) {
  using S = std::make_signed_t<T>;
  return S(a) < S(b) ? a : b;
}

} // namespace

SEM(LDRB) { load<uint8_t, uint64_t>(s, i); }
SEM(LDRSB_W) { load<int8_t, uint32_t>(s, i); }
SEM(LDRSB_X) { load<int8_t, uint64_t>(s, i); }
SEM(LDRH) { load<uint16_t, uint64_t>(s, i); }
SEM(LDRSH_W) { load<int16_t, uint32_t>(s, i); }
SEM(LDRSH_X) { load<int16_t, uint64_t>(s, i); }
SEM(LDR_W) { load<uint32_t, uint64_t>(s, i); }
SEM(LDRSW) { load<int32_t, uint64_t>(s, i); }
SEM(LDR_X) { load<uint64_t, uint64_t>(s, i); }
SEM(STRB) { store<uint8_t>(s, i); }
SEM(STRH) { store<uint16_t>(s, i); }
SEM(STR_W) { store<uint32_t>(s, i); }
SEM(STR_X) { store<uint64_t>(s, i); }
// A prefetch is a hint: it neither accesses memory nor faults.
SEM(PRFM) {}

SEM(LDP_W) { loadPair<uint32_t, uint64_t>(s, i); }
SEM(LDPSW) { loadPair<int32_t, uint64_t>(s, i); }
SEM(LDP_X) { loadPair<uint64_t, uint64_t>(s, i); }
SEM(STP_W) { storePair<uint32_t>(s, i); }
SEM(STP_X) { storePair<uint64_t>(s, i); }

SEM(LDR_V) {
  Address a = address(s, i);
  VBits v = loadV(s, a.ea, i->size);
  writeback(s, i, a);
  setV(s, i->rd, v);
}
SEM(STR_V) {
  Address a = address(s, i);
  storeV(s, a.ea, i->size, i->rd);
  writeback(s, i, a);
}
SEM(LDP_V) {
  Address a = address(s, i);
  VBits v1 = loadV(s, a.ea, i->size), v2 = loadV(s, a.ea + (uint64_t(1) << i->size), i->size);
  writeback(s, i, a);
  setV(s, i->rd, v1);
  setV(s, i->ra, v2);
}
SEM(STP_V) {
  Address a = address(s, i);
  storeV(s, a.ea, i->size, i->rd);
  storeV(s, a.ea + (uint64_t(1) << i->size), i->size, i->ra);
  writeback(s, i, a);
}

// The acquire and release variants are the same here: every host atomic
// is sequentially consistent.
SEM(LDXR) {
  bySize(i->size, [&](auto t) {
    setX(s, i->rd, uint64_t(loadExclusive<decltype(t)>(s, XSP(s, i->rn))));
  });
}
SEM(LDAXR) { a64_sem_LDXR(s, i); }
SEM(STXR) {
  bySize(i->size, [&](auto t) {
    using T = decltype(t);
    setX(s, i->rm, storeExclusive<T>(s, XSP(s, i->rn), T(X(s, i->rd))));
  });
}
SEM(STLXR) { a64_sem_STXR(s, i); }
SEM(LDXP) {
  uint64_t addr = XSP(s, i->rn);
  if (i->size == 2)
    setPair(s, i->rd, i->ra, loadExclusive<uint64_t>(s, addr));
  else
    setPair(s, i->rd, i->ra, loadExclusive<u128>(s, addr));
}
SEM(LDAXP) { a64_sem_LDXP(s, i); }
SEM(STXP) {
  uint64_t addr = XSP(s, i->rn);
  uint64_t status = i->size == 2
                        ? storeExclusive(s, addr, pairValue<uint64_t>(s, i->rd, i->ra))
                        : storeExclusive(s, addr, pairValue<u128>(s, i->rd, i->ra));
  setX(s, i->rm, status);
}
SEM(STLXP) { a64_sem_STXP(s, i); }
SEM(CLREX) { clearMonitor(s); }

SEM(LDAR) {
  bySize(i->size, [&](auto t) {
    using T = decltype(t);
    T *p = static_cast<T *>(xlat_lr_ptr(s, XSP(s, i->rn), sizeof(T)));
    setX(s, i->rd, uint64_t(__atomic_load_n(p, __ATOMIC_SEQ_CST)));
  });
}
SEM(STLR) {
  bySize(i->size, [&](auto t) {
    using T = decltype(t);
    T *p = static_cast<T *>(xlat_atomic_ptr(s, XSP(s, i->rn), sizeof(T)));
    __atomic_store_n(p, T(X(s, i->rd)), __ATOMIC_SEQ_CST);
  });
}

// Rs holds the value compared and receives the old one; Rt the new value.
SEM(CAS) {
  bySize(i->size, [&](auto t) {
    using T = decltype(t);
    T *p = static_cast<T *>(xlat_atomic_ptr(s, XSP(s, i->rn), sizeof(T)));
    T expected = T(X(s, i->rm));
    __atomic_compare_exchange_n(p, &expected, T(X(s, i->rd)), false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    setX(s, i->rm, uint64_t(expected));
  });
}
// The same for the pairs Rs, Rs+1 and Rt, Rt+1.
SEM(CASP) {
  auto casp = [&](auto t) {
    using P = decltype(t);
    P *p = static_cast<P *>(xlat_atomic_ptr(s, XSP(s, i->rn), sizeof(P)));
    P expected = pairValue<P>(s, i->rm, i->rm + 1);
    __atomic_compare_exchange_n(p, &expected, pairValue<P>(s, i->rd, i->rd + 1), false,
                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    setPair(s, i->rm, i->rm + 1, expected);
  };
  if (i->size == 2)
    casp(uint64_t());
  else
    casp(u128());
}

SEM(LDADD) { atomicRmw(s, i, [](auto a, auto b) { return a + b; }); }
SEM(LDCLR) { atomicRmw(s, i, [](auto a, auto b) { return a & ~b; }); }
SEM(LDEOR) { atomicRmw(s, i, [](auto a, auto b) { return a ^ b; }); }
SEM(LDSET) { atomicRmw(s, i, [](auto a, auto b) { return a | b; }); }
SEM(LDSMAX) { atomicRmw(s, i, [](auto a, auto b) { return smax(a, b); }); }
SEM(LDSMIN) { atomicRmw(s, i, [](auto a, auto b) { return smin(a, b); }); }
SEM(LDUMAX) { atomicRmw(s, i, [](auto a, auto b) { return a > b ? a : b; }); }
SEM(LDUMIN) { atomicRmw(s, i, [](auto a, auto b) { return a < b ? a : b; }); }
SEM(SWP) { atomicRmw(s, i, [](auto, auto b) { return b; }); }
