#include "lifter/aarch64/fenv.h"
#include "test/unit/a64_flat_memory.h"

#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/sem_table.h"
#include "lifter/core/host_ops.h"
#include "lifter/core/mem_ops.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace xlat::a64::test {
namespace {
thread_local FlatMemory *active = nullptr;
}

FlatMemory::FlatMemory(uint64_t base, size_t size)
    : base_(base), size_(size),
      host_(static_cast<uint8_t *>(aligned_alloc(16, (size + 15) & ~size_t(15)))) {
  memset(host_, 0, size);
}

FlatMemory::~FlatMemory() { free(host_); }

void *FlatMemory::at(uint64_t addr, size_t bytes, size_t align) {
  if (addr < base_ || addr - base_ > size_ || size_ - (addr - base_) < bytes) {
    char b[96];
    snprintf(b, sizeof b, "%zu-byte access at 0x%llx is outside the window", bytes,
             (unsigned long long)addr);
    failure_ = b;
  } else if (addr & (align - 1)) {
    char b[96];
    snprintf(b, sizeof b, "%zu-byte atomic access at 0x%llx is misaligned", bytes,
             (unsigned long long)addr);
    failure_ = b;
  } else {
    return host_ + (addr - base_);
  }
  longjmp(*static_cast<jmp_buf *>(jump_), 1);
}

bool FlatMemory::execute(A64State &s, const Insn &in, std::string &why) {
  SemFn fn = semanticFunction(in.op);
  if (!fn) {
    why = std::string(mnemonic(in.op)) + ": no semantics";
    return false;
  }
  jmp_buf jb;
  FlatMemory *outer = active;
  active = this;
  jump_ = &jb;
  bool ok = true;
  if (setjmp(jb) == 0) {
    s.pc = in.pc + 4;
    clearHostFlags();
    fn(&s, &in);
    foldHostFlags(s); // as the runner does (lifter/aarch64/fenv.h)
  } else {
    ok = false;
    why = failure_;
  }
  active = outer;
  jump_ = nullptr;
  return ok;
}

} // namespace xlat::a64::test

using xlat::a64::test::active;

namespace {
template <typename T> T load(uint64_t a) {
  T v;
  memcpy(&v, active->at(a, sizeof(T), 1), sizeof(T));
  return v;
}
template <typename T> void store(uint64_t a, T v) { memcpy(active->at(a, sizeof(T), 1), &v, sizeof(T)); }
} // namespace

extern "C" {
uint8_t xlat_ld8(void *, uint64_t a) { return load<uint8_t>(a); }
uint16_t xlat_ld16(void *, uint64_t a) { return load<uint16_t>(a); }
uint32_t xlat_ld32(void *, uint64_t a) { return load<uint32_t>(a); }
uint64_t xlat_ld64(void *, uint64_t a) { return load<uint64_t>(a); }
void xlat_st8(void *, uint64_t a, uint8_t v) { store(a, v); }
void xlat_st16(void *, uint64_t a, uint16_t v) { store(a, v); }
void xlat_st32(void *, uint64_t a, uint32_t v) { store(a, v); }
void xlat_st64(void *, uint64_t a, uint64_t v) { store(a, v); }
void *xlat_atomic_ptr(void *, uint64_t a, uint32_t size) { return active->at(a, size, size); }
void *xlat_lr_ptr(void *, uint64_t a, uint32_t size) { return active->at(a, size, size); }

// The host services (lifter/core/host_ops.h), as a clock that only moves
// when read: the tests see a monotonic counter, deterministically.
uint64_t xlat_host_time(void) {
  static uint64_t now = 1000;
  return now += 10;
}
uint64_t xlat_host_ticks(void) { return xlat_host_time(); }
}
