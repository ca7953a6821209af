#include "utils/lockstep/riscv/scenario.h"

#include "utils/lockstep/report.h"
#include "utils/lockstep/values.h"

#include <cinttypes>
#include <cstring>

namespace xlat::lockstep::riscv {
namespace {

constexpr uint64_t kBoxHigh = 0xffffffff00000000ull;

// A double, a NaN-boxed single, or (rarely) a single that is not properly
// boxed, which reads as the canonical NaN.
uint64_t fpRegValue(Rng &rng) {
  unsigned k = rng.below(20);
  if (k < 10)
    return doubleBits(rng);
  if (k < 19)
    return kBoxHigh | floatBits(rng);
  return (rng.next() << 32) | floatBits(rng);
}

} // namespace

void makeScenario(Rng &rng, const Stream &stream, Scenario &out) {
  rv::RvState &s = out.state;
  s = {};
  for (unsigned r = 1; r < 32; ++r)
    s.x[r] = intValue(rng);
  for (unsigned r : kDataBases)
    s.x[r] = baseValue(rng);
  s.x[kEndReg] = stream.endPc;
  for (unsigned r = 0; r < 32; ++r)
    s.f[r] = fpRegValue(rng);
  s.pc = stream.pc;
  s.frm = rng.chance(1, 32) ? 5 + rng.below(3) : rng.below(5);
  s.fflags = rng.below(32);
  out.mem.resize(kMemSize);
  salt(rng, out.mem);
  s.reserve_addr = ~0ull;
  if (rng.chance(1, 4)) {
    uint64_t a = s.x[kDataBases[rng.below(std::size(kDataBases))]];
    if (a <= kMemSize - 8) {
      s.reserve_addr = a;
      memcpy(&s.reserve_val, &out.mem[a], 8);
    }
  }
}

bool sameOutcome(const Outcome &a, const Outcome &b) {
  const rv::RvState &x = a.state, &y = b.state;
  bool faulted = x.exit_reason == rv::kExitMemFault ||
                 x.exit_reason == rv::kExitMisaligned;
  bool reserved = x.reserve_addr != ~0ull;
  return memcmp(x.x, y.x, sizeof x.x) == 0 && memcmp(x.f, y.f, sizeof x.f) == 0 &&
         x.pc == y.pc && x.exit_reason == y.exit_reason &&
         (!faulted || x.fault_addr == y.fault_addr) &&
         (x.fflags & 0x1f) == (y.fflags & 0x1f) && x.frm == y.frm &&
         x.reserve_addr == y.reserve_addr &&
         (!reserved || x.reserve_val == y.reserve_val) && a.mem == b.mem;
}

const char *exitName(uint32_t reason) {
  static const char *const kNames[] = {"none",    "ecall",     "ebreak",
                                       "illegal", "fence.i",   "mem-fault",
                                       "misaligned"};
  return reason < std::size(kNames) ? kNames[reason] : "?";
}

void printDiff(FILE *out, const Outcome &a, const Outcome &b, const char *nameA,
               const char *nameB) {
  const rv::RvState &x = a.state, &y = b.state;
  diffHeader(out, nameA, nameB);
  diffRegisters(out, "x", x.x, y.x, 32);
  diffRegisters(out, "f", x.f, y.f, 32);
  diffLine(out, "pc", x.pc, y.pc);
  if (x.exit_reason != y.exit_reason)
    diffText(out, "exit", exitName(x.exit_reason), exitName(y.exit_reason));
  diffLine(out, "fault_addr", x.fault_addr, y.fault_addr);
  diffLine(out, "fflags", x.fflags & 0x1f, y.fflags & 0x1f);
  diffLine(out, "frm", x.frm, y.frm);
  diffLine(out, "reserve_addr", x.reserve_addr, y.reserve_addr);
  diffLine(out, "reserve_val", x.reserve_val, y.reserve_val);
  diffMemory(out, a.mem, b.mem);
}

void printState(FILE *out, const rv::RvState &s) {
  Columns cols(out, 4);
  for (unsigned r = 1; r < 32; ++r)
    if (s.x[r])
      cols.item("x", r, s.x[r]);
  for (unsigned r = 0; r < 32; ++r)
    cols.item("f", r, s.f[r]);
  cols.end();
  fprintf(out, "    pc=%016" PRIx64 "  frm=%u  fflags=0x%02x  reserve=%016" PRIx64
               "/%016" PRIx64 "\n",
          s.pc, s.frm, s.fflags & 0x1f, s.reserve_addr, s.reserve_val);
}

} // namespace xlat::lockstep::riscv
