// The hart's MMU: Sv39/Sv48 page walks with hardware A/D updates, a
// software TLB, memory-mapped I/O, and the memory operations the
// instruction semantics call (mem_ops.h), here for the interpreter.
#include "lifter/core/host_ops.h"
#include "lifter/core/mem_ops.h"
#include "sysemu/hart.h"
#include "sysemu/machine.h"
#include "sysemu/trace.h"
#include "lifter/core/log.h"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <x86intrin.h>

namespace xlat::sysemu {

namespace {
enum Pte : uint64_t {
  kV = 1, kR = 2, kW = 4, kX = 8, kU = 16, kG = 32, kA = 64, kD = 128,
};
constexpr uint64_t kPpnMask = (1ull << 44) - 1;
constexpr uint64_t kMPRV = 1u << 17, kSUM = 1u << 18, kMXR = 1u << 19;

uint64_t accessFault(Access a) {
  return a == Access::Exec ? kInsnAccessFault
         : a == Access::Read ? kLoadAccessFault
                             : kStoreAccessFault;
}
uint64_t pageFault(Access a) {
  return a == Access::Exec ? kInsnPageFault
         : a == Access::Read ? kLoadPageFault
                             : kStorePageFault;
}
} // namespace

Priv Hart::dataPriv() const {
  if (priv_ == kPrivM && (mstatus_ & kMPRV))
    return Priv((mstatus_ >> 11) & 3);
  return priv_;
}

void Hart::flushTlb() {
  for (TlbEntry &e : tlb_)
    e.vpage = ~0ull;
  flushSoftTlb(false);
  stats.tlbFlushes++;
}

unsigned Hart::mmuIndex() const {
  Priv p = dataPriv();
  if (p == kPrivM || (satp_ >> 60) == 0)
    return kMmuPhys;
  if (p == kPrivU)
    return kMmuU;
  return (mstatus_ & kSUM) ? kMmuSSum : kMmuS;
}

// The physical table holds RAM, which never moves: only a reset or a
// snapshot empties it.
void Hart::flushSoftTlb(bool physicalToo) {
  for (unsigned i = 0; i < kNumMmu; i++)
    if (i != kMmuPhys || physicalToo)
      std::fill(std::begin(softTlb_[i]), std::end(softTlb_[i]), SoftTlbEntry{});
}

// After a data access was translated for the current context: the page's
// entry in that context's software TLB, with the permissions the access
// checks would find.
void Hart::fillSoftTlb(uint64_t va, Priv priv, const uint8_t *pageHost, uint8_t pte,
                       bool hostWritable) {
  uint64_t page = va & ~0xfffull;
  SoftTlbEntry &e = softTlb_[mmuIndex()][(va >> 12) % kSoftTlbEntries];
  e.readTag = permits(pte, Access::Read, priv) ? page : kSoftTlbNoPage;
  e.writeTag =
      hostWritable && permits(pte, Access::Write, priv) ? page : kSoftTlbNoPage;
  e.addend = reinterpret_cast<uintptr_t>(pageHost) - page;
}

// Whether a leaf with these bits allows the access from priv. A and D are
// checked too: a TLB entry without them sends the access back to the walk,
// which sets them.
bool Hart::permits(uint8_t pte, Access a, Priv priv) const {
  if (priv == kPrivU && !(pte & kU))
    return false;
  if (priv == kPrivS && (pte & kU) && (a == Access::Exec || !(mstatus_ & kSUM)))
    return false;
  switch (a) {
  case Access::Read:
    return (pte & kR) || ((pte & kX) && (mstatus_ & kMXR));
  case Access::Write:
    return (pte & kW) && (pte & kD);
  case Access::Exec:
    return pte & kX;
  }
  return false;
}

bool Hart::walk(uint64_t va, Access a, Priv priv, TlbEntry &out,
                uint64_t &cause) {
  unsigned levels = (satp_ >> 60) == 8 ? 3 : 4;
  unsigned vaBits = 12 + 9 * levels;
  if ((uint64_t)((int64_t)(va << (64 - vaBits)) >> (64 - vaBits)) != va) {
    cause = pageFault(a);
    return false;
  }
retry:
  uint64_t table = (satp_ & kPpnMask) << 12;
  for (int level = levels - 1; level >= 0; --level) {
    uint64_t pteAddr = table + ((va >> (12 + 9 * level)) & 511) * 8;
    const MemoryRegion *r = m_.bus.memory(pteAddr, 8);
    if (!r) {
      cause = accessFault(a);
      return false;
    }
    uint64_t *pp = reinterpret_cast<uint64_t *>(r->host + (pteAddr - r->base));
    uint64_t pte = __atomic_load_n(pp, __ATOMIC_ACQUIRE);
    if (!(pte & kV) || (!(pte & kR) && (pte & kW))) {
      cause = pageFault(a);
      return false;
    }
    if (!(pte & (kR | kX))) { // a pointer to the next level
      if (level == 0 || (pte & (kA | kD | kU))) {
        cause = pageFault(a);
        return false;
      }
      table = ((pte >> 10) & kPpnMask) << 12;
      continue;
    }
    uint64_t ppn = (pte >> 10) & kPpnMask;
    uint64_t superMask = (1ull << (9 * level)) - 1;
    // Reserved bits (no Svnapot, Svpbmt), a misaligned superpage, or a
    // permission the leaf does not give.
    if ((pte >> 54) || (ppn & superMask) ||
        !permits(uint8_t(pte | kA | kD), a, priv)) {
      cause = pageFault(a);
      return false;
    }
    uint64_t want = kA | (a == Access::Write ? kD : 0);
    if ((pte & want) != want) {
      if (!r->writable || !__atomic_compare_exchange_n(pp, &pte, pte | want, false,
                                                       __ATOMIC_ACQ_REL,
                                                       __ATOMIC_ACQUIRE))
        goto retry; // another hart changed it: walk again
      pte |= want;
    }
    out.vpage = va >> 12;
    out.ppage = (ppn | ((va >> 12) & superMask)) << 12;
    out.pte = uint8_t(pte);
    const MemoryRegion *page = m_.bus.memory(out.ppage, 4096);
    out.host = page ? page->host + (out.ppage - page->base) : nullptr;
    out.writableHost = page && page->writable;
    return true;
  }
  cause = pageFault(a);
  return false;
}

bool Hart::tryTranslate(uint64_t va, Access a, uint64_t &pa, uint64_t &cause,
                        uint8_t **host, bool *hostWritable) {
  Priv priv = a == Access::Exec ? priv_ : dataPriv();
  if (priv != kPrivM && (satp_ >> 60) != 0) {
    TlbEntry &e = tlb_[(va >> 12) % kTlbSize];
    if (e.vpage != va >> 12 || !permits(e.pte, a, priv)) {
      stats.tlbMisses++;
      TlbEntry fresh;
      static const char kAccess[] = {'r', 'w', 'x'};
      if (!walk(va, a, priv, fresh, cause)) {
        if (tracing(TraceEvent::MmuFault) || log().enabled(kLogMmu)) {
          char what[96];
          snprintf(what, sizeof what, "hart %u va %#llx %c cause %llu", id,
                   (unsigned long long)va, kAccess[int(a)], (unsigned long long)cause);
          if (tracing(TraceEvent::MmuFault))
            trace(TraceEvent::MmuFault, "%s", what);
          if (log().enabled(kLogMmu))
            log().printf("mmu: fault %s\n", what);
        }
        return false;
      }
      e = fresh;
      if (tracing(TraceEvent::TlbFill) || log().enabled(kLogMmu)) {
        char what[96];
        snprintf(what, sizeof what, "hart %u va %#llx pa %#llx pte %#x", id,
                 (unsigned long long)(va & ~0xfffull),
                 (unsigned long long)e.ppage, e.pte);
        if (tracing(TraceEvent::TlbFill))
          trace(TraceEvent::TlbFill, "%s", what);
        if (log().enabled(kLogMmu))
          log().printf("mmu: fill %s\n", what);
      }
    }
    pa = e.ppage | (va & 0xfff);
    if (e.host) {
      *host = e.host + (va & 0xfff);
      *hostWritable = e.writableHost;
      if (a != Access::Exec)
        fillSoftTlb(va, priv, e.host, e.pte, e.writableHost);
      return true;
    }
  } else {
    pa = va;
  }
  if (const MemoryRegion *r = m_.bus.memory(pa)) {
    *host = r->host + (pa - r->base);
    *hostWritable = r->writable;
    if (a != Access::Exec && m_.bus.memory(pa & ~0xfffull, 4096))
      fillSoftTlb(va, kPrivM, *host - (pa & 0xfff), kV | kR | kW | kX | kA | kD,
                  r->writable);
    return true;
  }
  if (m_.bus.mmio(pa) && a != Access::Exec) {
    *host = nullptr;
    return true;
  }
  if (log().enabled(kLogGuestErrors))
    log().printf("hart %u: %s of physical address %#llx: nothing there (va %#llx, pc %#llx)\n",
                 id, a == Access::Exec ? "fetch" : a == Access::Read ? "read" : "write",
                 (unsigned long long)pa, (unsigned long long)va,
                 (unsigned long long)state.pc);
  cause = accessFault(a);
  return false;
}

uint64_t Hart::translate(uint64_t va, Access a, uint8_t **host,
                         bool *hostWritable) {
  uint64_t pa, cause;
  if (!tryTranslate(va, a, pa, cause, host, hostWritable))
    raise(cause, va);
  return pa;
}

void Hart::raise(uint64_t cause, uint64_t tval) {
  faultCause_ = cause;
  faultTval_ = tval;
  _longjmp(faultJump_, 1);
}

bool Hart::fetch(uint64_t va, void *dst, size_t n) {
  auto *d = static_cast<uint8_t *>(dst);
  while (n) {
    size_t chunk = std::min<size_t>(n, 4096 - (va & 0xfff));
    uint64_t pa, cause;
    uint8_t *host;
    bool writable;
    if (!tryTranslate(va, Access::Exec, pa, cause, &host, &writable)) {
      fetchCause_ = cause;
      return false;
    }
    memcpy(d, host, chunk);
    d += chunk, va += chunk, n -= chunk;
  }
  return true;
}

uint64_t Hart::mmioRead(uint64_t pa, unsigned size, uint64_t va) {
  const MmioWindow *w = m_.bus.mmio(pa);
  if (!w)
    raise(kLoadAccessFault, va);
  stats.mmioAccesses++;
  uint64_t v = w->dev->read(pa - w->base, size);
  if (tracing(TraceEvent::MmioRead))
    trace(TraceEvent::MmioRead, "%s+%#llx size %u -> %#llx", w->name.c_str(),
          (unsigned long long)(pa - w->base), size, (unsigned long long)v);
  return v;
}

void Hart::mmioWrite(uint64_t pa, unsigned size, uint64_t v, uint64_t va) {
  const MmioWindow *w = m_.bus.mmio(pa);
  if (!w)
    raise(kStoreAccessFault, va);
  stats.mmioAccesses++;
  if (tracing(TraceEvent::MmioWrite))
    trace(TraceEvent::MmioWrite, "%s+%#llx size %u <- %#llx", w->name.c_str(),
          (unsigned long long)(pa - w->base), size, (unsigned long long)v);
  w->dev->write(pa - w->base, size, v);
}

// An access that crosses a page is made a byte at a time, each byte
// translated (and faulting) on its own.
template <typename T> T Hart::loadSlow(uint64_t va) {
  T v = 0;
  for (unsigned i = 0; i < sizeof(T); i++)
    v |= T(load<uint8_t>(va + i)) << (8 * i);
  return v;
}

template <typename T> void Hart::storeSlow(uint64_t va, T v) {
  // Translate every byte for writing first, so that a fault leaves
  // memory untouched.
  for (unsigned i = 0; i < sizeof(T); i++) {
    uint8_t *host;
    bool writable;
    translate(va + i, Access::Write, &host, &writable);
  }
  for (unsigned i = 0; i < sizeof(T); i++)
    store<uint8_t>(va + i, uint8_t(v >> (8 * i)));
}

template <typename T> T Hart::load(uint64_t va) {
  if (sizeof(T) > 1 && (va & 0xfff) + sizeof(T) > 4096)
    return loadSlow<T>(va);
  uint8_t *host;
  bool writable;
  uint64_t pa = translate(va, Access::Read, &host, &writable);
  if (host) {
    T v;
    memcpy(&v, host, sizeof(T));
    return v;
  }
  return T(mmioRead(pa, sizeof(T), va));
}

template <typename T> void Hart::store(uint64_t va, T v) {
  if (sizeof(T) > 1 && (va & 0xfff) + sizeof(T) > 4096)
    return storeSlow<T>(va, v);
  uint8_t *host;
  bool writable;
  uint64_t pa = translate(va, Access::Write, &host, &writable);
  if (host) {
    if (!writable)
      raise(kStoreAccessFault, va);
    memcpy(host, &v, sizeof(T));
    return;
  }
  mmioWrite(pa, sizeof(T), v, va);
}

// AMOs and LR/SC need RAM they can operate on atomically, naturally
// aligned; LR faults as a load (a is Read), the others as stores.
void *Hart::atomicPtr(uint64_t va, unsigned size, Access a) {
  bool load = a == Access::Read;
  if (va & (size - 1))
    raise(load ? kLoadMisaligned : kStoreMisaligned, va);
  uint8_t *host;
  bool writable;
  translate(va, a, &host, &writable);
  if (!host || (!load && !writable))
    raise(load ? kLoadAccessFault : kStoreAccessFault, va);
  return host;
}

// A debugger's translation: the walk without its checks and side effects.
bool Hart::debugWalk(uint64_t va, uint64_t &pa) {
  if (priv_ == kPrivM) {
    pa = va;
    return true;
  }
  uint8_t pte;
  return quietWalk(va, pa, pte);
}

// satp's mapping of va (identity under Bare) and its leaf's bits, without
// permission checks, A/D updates or a TLB fill.
bool Hart::quietWalk(uint64_t va, uint64_t &pa, uint8_t &leaf) const {
  if ((satp_ >> 60) == 0) {
    pa = va;
    leaf = kV | kR | kW | kX | kA | kD;
    return true;
  }
  unsigned levels = (satp_ >> 60) == 8 ? 3 : 4;
  uint64_t table = (satp_ & kPpnMask) << 12;
  for (int level = levels - 1; level >= 0; --level) {
    uint64_t pteAddr = table + ((va >> (12 + 9 * level)) & 511) * 8;
    const MemoryRegion *r = m_.bus.memory(pteAddr, 8);
    if (!r)
      return false;
    uint64_t pte = __atomic_load_n(
        reinterpret_cast<uint64_t *>(r->host + (pteAddr - r->base)), __ATOMIC_ACQUIRE);
    if (!(pte & kV))
      return false;
    uint64_t ppn = (pte >> 10) & kPpnMask;
    if (pte & (kR | kX)) {
      uint64_t offsetMask = (1ull << (12 + 9 * level)) - 1;
      pa = ((ppn << 12) & ~offsetMask) | (va & offsetMask);
      leaf = uint8_t(pte);
      return true;
    }
    table = ppn << 12;
  }
  return false;
}

// Whether code at page va could be fetched from physical page pa by priv
// under satp now, as it was when translated: the leaf's X, A and U bits
// as a fetch needs them (no other checks: the translation was made with
// them all).
bool Hart::stillFetches(uint64_t va, uint64_t pa, Priv priv) const {
  uint64_t now;
  uint8_t leaf;
  if (!quietWalk(va, now, leaf) || (now & ~0xfffull) != pa)
    return false;
  if ((satp_ >> 60) == 0)
    return true;
  return (leaf & kX) && (leaf & kA) && bool(leaf & kU) == (priv == kPrivU);
}

std::vector<Hart::TlbView> Hart::tlbEntries() const {
  std::vector<TlbView> out;
  for (const TlbEntry &e : tlb_)
    if (e.vpage != ~0ull)
      out.push_back({e.vpage << 12, e.ppage, e.pte});
  return out;
}

size_t Hart::debugAccess(uint64_t va, void *buf, size_t n, bool write) {
  size_t done = 0;
  while (done < n) {
    uint64_t at = va + done, pa;
    size_t chunk = std::min<size_t>(n - done, 4096 - (at & 0xfff));
    const MemoryRegion *r = debugWalk(at, pa) ? m_.bus.memory(pa, chunk) : nullptr;
    if (!r || (write && !r->writable))
      break;
    uint8_t *host = r->host + (pa - r->base);
    auto *b = static_cast<uint8_t *>(buf) + done;
    if (write)
      memcpy(host, b, chunk);
    else
      memcpy(b, host, chunk);
    done += chunk;
  }
  return done;
}

template uint8_t Hart::load<uint8_t>(uint64_t);
template uint16_t Hart::load<uint16_t>(uint64_t);
template uint32_t Hart::load<uint32_t>(uint64_t);
template uint64_t Hart::load<uint64_t>(uint64_t);
template void Hart::store<uint8_t>(uint64_t, uint8_t);
template void Hart::store<uint16_t>(uint64_t, uint16_t);
template void Hart::store<uint32_t>(uint64_t, uint32_t);
template void Hart::store<uint64_t>(uint64_t, uint64_t);

} // namespace xlat::sysemu

using xlat::rv::RvState;
using xlat::sysemu::currentHart;

namespace {
template <typename T> uint64_t softLoad(uint64_t a, uint64_t pc) {
  xlat::sysemu::Hart *h = currentHart();
  h->setAccessPc(pc);
  return h->load<T>(a);
}
template <typename T> void softStore(uint64_t a, uint64_t v, uint64_t pc) {
  xlat::sysemu::Hart *h = currentHart();
  h->setAccessPc(pc);
  h->store(a, T(v));
}
void *softAtomic(uint64_t a, uint32_t size, uint64_t pc, xlat::sysemu::Access kind) {
  xlat::sysemu::Hart *h = currentHart();
  h->setAccessPc(pc);
  return h->atomicPtr(a, size, kind);
}
} // namespace

extern "C" {
uint8_t xlat_ld8(void *, uint64_t a) { return currentHart()->load<uint8_t>(a); }
uint16_t xlat_ld16(void *, uint64_t a) { return currentHart()->load<uint16_t>(a); }
uint32_t xlat_ld32(void *, uint64_t a) { return currentHart()->load<uint32_t>(a); }
uint64_t xlat_ld64(void *, uint64_t a) { return currentHart()->load<uint64_t>(a); }
void xlat_st8(void *, uint64_t a, uint8_t v) { currentHart()->store(a, v); }
void xlat_st16(void *, uint64_t a, uint16_t v) { currentHart()->store(a, v); }
void xlat_st32(void *, uint64_t a, uint32_t v) { currentHart()->store(a, v); }
void xlat_st64(void *, uint64_t a, uint64_t v) { currentHart()->store(a, v); }
void *xlat_atomic_ptr(void *, uint64_t a, uint32_t size) {
  return currentHart()->atomicPtr(a, size, xlat::sysemu::Access::Write);
}
void *xlat_lr_ptr(void *, uint64_t a, uint32_t size) {
  return currentHart()->atomicPtr(a, size, xlat::sysemu::Access::Read);
}

// Translated code's accesses that missed the software TLB (or crossed a
// page, or are atomic): made here, naming their instruction for a fault.
uint64_t xlat_softmmu_ld8(const RvState *, uint64_t a, uint64_t pc) { return softLoad<uint8_t>(a, pc); }
uint64_t xlat_softmmu_ld16(const RvState *, uint64_t a, uint64_t pc) { return softLoad<uint16_t>(a, pc); }
uint64_t xlat_softmmu_ld32(const RvState *, uint64_t a, uint64_t pc) { return softLoad<uint32_t>(a, pc); }
uint64_t xlat_softmmu_ld64(const RvState *, uint64_t a, uint64_t pc) { return softLoad<uint64_t>(a, pc); }
void xlat_softmmu_st8(const RvState *, uint64_t a, uint64_t v, uint64_t pc) { softStore<uint8_t>(a, v, pc); }
void xlat_softmmu_st16(const RvState *, uint64_t a, uint64_t v, uint64_t pc) { softStore<uint16_t>(a, v, pc); }
void xlat_softmmu_st32(const RvState *, uint64_t a, uint64_t v, uint64_t pc) { softStore<uint32_t>(a, v, pc); }
void xlat_softmmu_st64(const RvState *, uint64_t a, uint64_t v, uint64_t pc) { softStore<uint64_t>(a, v, pc); }
void *xlat_softmmu_atomic_ptr(const RvState *, uint64_t a, uint32_t size, uint64_t pc) {
  return softAtomic(a, size, pc, xlat::sysemu::Access::Write);
}
void *xlat_softmmu_lr_ptr(const RvState *, uint64_t a, uint32_t size, uint64_t pc) {
  return softAtomic(a, size, pc, xlat::sysemu::Access::Read);
}

uint64_t xlat_host_ticks(void) { return __rdtsc(); }
// The time CSR is the machine's mtime, as the CLINT shows it.
uint64_t xlat_host_time(void) { return xlat::sysemu::machine().mtime(); }
}
