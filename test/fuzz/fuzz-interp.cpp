// libFuzzer target: the native instruction semantics, as the reference
// interpreter runs them, on random instruction words and register values
// over a small scratch guest memory. Guest faults must unwind through the
// fault jump, illegal instructions must end the run, and whatever the guest
// does, x0 stays zero and nothing outside the scratch memory is touched.
//
// Input: 256 bytes of initial register values (x1..x31, then 1 byte of
// frm), then the code, run from pc 0x1000 for at most kMaxSteps
// instructions. Integer registers are folded into the scratch memory's range
// unless the top bit of their first byte is set, so loads and stores mostly
// hit memory instead of faulting at once.
#include "lifter/riscv/block.h"
#include "lifter/riscv/sem/fenv.h"
#include "lifter/riscv/sem_table.h"
#include "runtime/guest_thread.h"

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

using namespace xlat;

constexpr uint64_t kCodeBase = 0x1000;
constexpr uint64_t kScratchSize = 64 * 1024;
constexpr size_t kHeader = 256;
constexpr unsigned kMaxSteps = 2000;

class BytesCode final : public CodeReader {
public:
  BytesCode(const uint8_t *p, size_t n) : p_(p), n_(n) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    uint64_t off = addr - kCodeBase;
    if (addr < kCodeBase || off > n_ || n > n_ - off)
      return false;
    memcpy(dst, p_ + off, n);
    return true;
  }

private:
  const uint8_t *p_;
  size_t n_;
};

void initState(rv::RvState &s, const uint8_t *hdr, uint8_t *scratch) {
  memset(&s, 0, sizeof s);
  for (unsigned r = 1; r < 32; ++r) {
    uint64_t v;
    memcpy(&v, hdr + 8 * (r - 1), 8);
    s.x[r] = hdr[8 * (r - 1)] & 0x80 ? v : v % kScratchSize;
  }
  // The f registers reuse the same bytes, rotated: any bit pattern is valid.
  for (unsigned r = 0; r < 32; ++r)
    memcpy(&s.f[r], hdr + 8 * ((r + 7) % 31), 8);
  s.frm = hdr[248] & 7;
  s.pc = kCodeBase;
  s.reserve_addr = ~0ull;
  s.membase = scratch;
  s.memlimit = kScratchSize;
}

// Runs until a trap other than ecall/fence.i, a fetch failure or the step
// limit. Returns the number of instructions run.
unsigned runSteps(GuestThread &t, CodeReader &code) {
  rv::RvState &s = t.state;
  unsigned steps = 0;
  while (steps < kMaxSteps) {
    rv::Insn in;
    uint64_t pc = s.pc;
    if (!rv::fetchInsn(code, pc, in))
      break;
    t.currentPc = pc;
    s.pc = pc + in.len;
    rv::semanticFunction(in.op)(&s, &in);
    ++steps;
    if (s.x[0] != 0) {
      fprintf(stderr, "fuzz-interp: x0 written by %08x at 0x%llx\n", in.raw,
              (unsigned long long)pc);
      abort();
    }
    if (s.exit_reason == rv::kExitEcall || s.exit_reason == rv::kExitFenceI) {
      s.x[10] = (uint64_t)-38; // -ENOSYS, as for an unknown syscall
      s.exit_reason = rv::kExitNone;
    }
    if (s.exit_reason != rv::kExitNone)
      break;
  }
  return steps;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static std::unique_ptr<uint8_t[]> scratch(new uint8_t[kScratchSize]);
  static GuestThread thread;
  if (size < kHeader + 2)
    return -1;
  memset(scratch.get(), 0, kScratchSize);
  GuestThread &t = thread;
  initState(t.state, data, scratch.get());
  BytesCode code(data + kHeader, size - kHeader);

  setCurrentThread(&t);
  if (sigsetjmp(t.faultJump, 0) == 0) {
    t.faultJumpArmed = true;
    rv::fenv::enterGuestFp(&t.state);
    runSteps(t, code);
  } else if (t.state.exit_reason != rv::kExitMemFault &&
             t.state.exit_reason != rv::kExitMisaligned) {
    fprintf(stderr, "fuzz-interp: fault jump with exit reason %u\n",
            t.state.exit_reason);
    abort();
  }
  t.faultJumpArmed = false;
  rv::fenv::leaveGuestFp(&t.state);
  setCurrentThread(nullptr);
  return 0;
}
