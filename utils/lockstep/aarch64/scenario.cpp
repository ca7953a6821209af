#include "utils/lockstep/aarch64/scenario.h"

#include "utils/lockstep/report.h"
#include "utils/lockstep/values.h"

#include <cinttypes>
#include <cstring>
#include <iterator>

namespace xlat::lockstep::aarch64 {
namespace {

// FPCR's controls (fenv.h: what msr keeps): AHP, DN, FZ, RMode.
constexpr uint32_t kFpcrAhp = 1u << 26, kFpcrDn = 1u << 25, kFpcrFz = 1u << 24;
// FPSR: QC and the cumulative exception flags.
constexpr uint32_t kFpsrBits = 0x0800009fu;

// A V register: two doubles, four singles, integer lanes or random bits.
void vectorValue(Rng &rng, uint64_t v[2]) {
  for (unsigned h = 0; h < 2; ++h) {
    switch (rng.below(4)) {
    case 0: v[h] = doubleBits(rng); break;
    case 1: v[h] = uint64_t(floatBits(rng)) << 32 | floatBits(rng); break;
    case 2: v[h] = intValue(rng); break;
    default: v[h] = rng.next(); break;
    }
  }
}

} // namespace

void makeScenario(Rng &rng, const Stream &stream, Scenario &out) {
  a64::A64State &s = out.state;
  s = {};
  for (unsigned r = 0; r < 31; ++r)
    s.x[r] = intValue(rng);
  s.x[20] = baseValue(rng);
  s.x[21] = baseValue(rng);
  s.sp = baseValue(rng);
  s.x[kEndReg] = stream.endPc;
  s.pc = stream.pc;
  s.setNzcv(uint32_t(rng.below(16)) << 28);
  s.tpidr_el0 = intValue(rng);
  if (rng.chance(1, 2))
    s.fpcr = uint32_t(rng.below(4)) << 22 | (rng.chance(1, 4) ? kFpcrFz : 0) |
             (rng.chance(1, 4) ? kFpcrDn : 0) | (rng.chance(1, 8) ? kFpcrAhp : 0);
  s.fpsr = rng.chance(1, 2) ? 0 : uint32_t(rng.next()) & kFpsrBits;
  for (auto &v : s.v)
    vectorValue(rng, v);
  out.mem.resize(kMemSize);
  salt(rng, out.mem);
  if (rng.chance(1, 4)) {
    static constexpr unsigned kSizes[] = {1, 2, 4, 8, 16};
    uint64_t a = s.x[20 + rng.below(2)];
    unsigned n = kSizes[rng.below(std::size(kSizes))];
    if (a <= kMemSize - 16) {
      s.excl_addr = a;
      s.excl_bytes = n;
      memcpy(s.excl_val, &out.mem[a], n);
    }
  }
}

bool sameOutcome(const Outcome &a, const Outcome &b) {
  const a64::A64State &x = a.state, &y = b.state;
  bool faulted = x.exit_reason == a64::kExitMemFault || x.exit_reason == a64::kExitMisaligned;
  bool monitor = x.excl_bytes != 0;
  return memcmp(x.x, y.x, sizeof x.x) == 0 && x.sp == y.sp && x.pc == y.pc &&
         x.nzcv() == y.nzcv() && x.exit_reason == y.exit_reason &&
         (!faulted || x.fault_addr == y.fault_addr) && x.tpidr_el0 == y.tpidr_el0 &&
         x.fpcr == y.fpcr && x.fpsr == y.fpsr && memcmp(x.v, y.v, sizeof x.v) == 0 &&
         x.excl_bytes == y.excl_bytes &&
         (!monitor || (x.excl_addr == y.excl_addr &&
                       memcmp(x.excl_val, y.excl_val, sizeof x.excl_val) == 0)) &&
         a.mem == b.mem;
}

const char *exitName(uint32_t reason) {
  static const char *const kNames[] = {"none",     "svc",       "brk",       "illegal",
                                       "ic.ivau", "mem-fault", "misaligned"};
  return reason < std::size(kNames) ? kNames[reason] : "?";
}

void printDiff(FILE *out, const Outcome &a, const Outcome &b, const char *nameA,
               const char *nameB) {
  const a64::A64State &x = a.state, &y = b.state;
  diffHeader(out, nameA, nameB);
  char name[24];
  diffRegisters(out, "x", x.x, y.x, 31);
  diffLine(out, "sp", x.sp, y.sp);
  for (unsigned r = 0; r < 32; ++r)
    for (unsigned h = 0; h < 2; ++h) {
      snprintf(name, sizeof name, "v%u.d[%u]", r, h);
      diffLine(out, name, x.v[r][h], y.v[r][h]);
    }
  diffLine(out, "pc", x.pc, y.pc);
  if (x.exit_reason != y.exit_reason)
    diffText(out, "exit", exitName(x.exit_reason), exitName(y.exit_reason));
  diffLine(out, "fault_addr", x.fault_addr, y.fault_addr);
  diffLine(out, "nzcv", x.nzcv() >> 28, y.nzcv() >> 28);
  diffLine(out, "tpidr_el0", x.tpidr_el0, y.tpidr_el0);
  diffLine(out, "fpcr", x.fpcr, y.fpcr);
  diffLine(out, "fpsr", x.fpsr, y.fpsr);
  diffLine(out, "excl_bytes", x.excl_bytes, y.excl_bytes);
  diffLine(out, "excl_addr", x.excl_addr, y.excl_addr);
  diffLine(out, "excl_val[0]", x.excl_val[0], y.excl_val[0]);
  diffLine(out, "excl_val[1]", x.excl_val[1], y.excl_val[1]);
  diffMemory(out, a.mem, b.mem);
}

void printState(FILE *out, const a64::A64State &s) {
  {
    Columns cols(out, 4);
    for (unsigned r = 0; r < 31; ++r)
      if (s.x[r])
        cols.item("x", r, s.x[r]);
  }
  {
    Columns cols(out, 2);
    for (unsigned r = 0; r < 32; ++r)
      cols.item("v", r, s.v[r][1], s.v[r][0]);
  }
  fprintf(out, "    sp=%016" PRIx64 "  pc=%016" PRIx64 "  nzcv=%x  fpcr=%08x  fpsr=%08x\n",
          s.sp, s.pc, s.nzcv() >> 28, s.fpcr, s.fpsr);
  fprintf(out, "    tpidr_el0=%016" PRIx64 "  monitor=%u bytes at %016" PRIx64 "\n",
          s.tpidr_el0, s.excl_bytes, s.excl_addr);
}

} // namespace xlat::lockstep::aarch64
