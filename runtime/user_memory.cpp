// User-mode definitions of the services translated code and the semantics
// call by name: the interpreter's memory operations (the LLVM tiers inline
// their own lowering of the same operations), the fault entry points, and
// the host clock.
#include "lifter/core/host_ops.h"
#include "lifter/core/mem_ops.h"
#include "runtime/guest_thread.h"

#include <cstring>
#include <ctime>
#include <x86intrin.h>


namespace xlat {
namespace {
thread_local GuestThread *tlsThread = nullptr;

[[noreturn]] void raiseGuestFault(uint64_t addr, uint64_t pc, uint32_t why, bool write) {
  GuestThread *t = currentThread();
  t->faultWrite = write;
  t->setExitReason(why);
  t->setFaultAddr(addr);
  t->setPc(pc);
  siglongjmp(t->faultJump, 1);
}

// The state argument is the running thread's own, of either ISA: the
// thread says where its memory is.
// Only the start address is compared: an access that runs past the limit
// faults in the guard zone behind it (GuestMemory::kGuard), on the host.
template <typename T> T load(uint64_t addr) {
  GuestThread *t = currentThread();
  if (addr >= t->memLimit())
    raiseGuestFault(addr, t->currentPc, exits::kMemFault, false);
  T v;
  memcpy(&v, t->memBase() + addr, sizeof(T));
  return v;
}

template <typename T> void store(uint64_t addr, T v) {
  GuestThread *t = currentThread();
  if (addr >= t->memLimit())
    raiseGuestFault(addr, t->currentPc, exits::kMemFault, true);
  memcpy(t->memBase() + addr, &v, sizeof(T));
}

// An atomic's (write) or a load-exclusive's host pointer.
void *atomicPointer(uint64_t a, uint32_t size, bool write) {
  GuestThread *t = currentThread();
  if (a >= t->memLimit())
    raiseGuestFault(a, t->currentPc, exits::kMemFault, write);
  if (a & (size - 1))
    raiseGuestFault(a, t->currentPc, exits::kMisaligned, write);
  return t->memBase() + a;
}
} // namespace

GuestThread *currentThread() { return tlsThread; }
void setCurrentThread(GuestThread *t) { tlsThread = t; }

} // namespace xlat

extern "C" {
uint8_t xlat_ld8(void *, uint64_t a) { return xlat::load<uint8_t>(a); }
uint16_t xlat_ld16(void *, uint64_t a) { return xlat::load<uint16_t>(a); }
uint32_t xlat_ld32(void *, uint64_t a) { return xlat::load<uint32_t>(a); }
uint64_t xlat_ld64(void *, uint64_t a) { return xlat::load<uint64_t>(a); }
void xlat_st8(void *, uint64_t a, uint8_t v) { xlat::store(a, v); }
void xlat_st16(void *, uint64_t a, uint16_t v) { xlat::store(a, v); }
void xlat_st32(void *, uint64_t a, uint32_t v) { xlat::store(a, v); }
void xlat_st64(void *, uint64_t a, uint64_t v) { xlat::store(a, v); }

void *xlat_atomic_ptr(void *, uint64_t a, uint32_t size) {
  return xlat::atomicPointer(a, size, true);
}
void *xlat_lr_ptr(void *, uint64_t a, uint32_t size) {
  return xlat::atomicPointer(a, size, false);
}

// Called from translated code when an access's address is out of range or
// a misaligned atomic, with the instruction's guest pc; every register
// written before it is in the state (see MemoryLowering), the doubles in
// rawFp as host arithmetic left them.
[[noreturn]] void xlat_mem_fault_at(uint64_t addr, uint64_t pc, uint32_t rawFp) {
  if (xlat::GuestThread *t = xlat::currentThread(); !t->isA64())
    xlat::rv::canonicalizeRawFp(t->state, rawFp);
  xlat::raiseGuestFault(addr, pc, xlat::rv::kExitMemFault, false);
}
[[noreturn]] void xlat_misaligned_fault_at(uint64_t addr, uint64_t pc) {
  xlat::raiseGuestFault(addr, pc, xlat::rv::kExitMisaligned, false);
}

uint64_t xlat_host_ticks(void) { return __rdtsc(); }

uint64_t xlat_host_time(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}
}
