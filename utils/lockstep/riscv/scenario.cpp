#include "utils/lockstep/scenario.h"

#include <cinttypes>
#include <cstring>

namespace xlat::lockstep {
namespace {

constexpr uint64_t kIntValues[] = {
    0, 1, 2, 3, ~0ull, ~1ull, 31, 32, 63, 64,
    0x7fffffffffffffffull, 0x8000000000000000ull,     // INT64 max/min
    0x7fffffffull, 0xffffffff80000000ull,             // INT32 max/min
    0x80000000ull, 0xffffffffull, 0x100000000ull,     // 32-bit edges
    0x8000ull, 0xffffffffffff8000ull, 0x7ffull, 0xfffffffffffff800ull,
};

constexpr uint64_t kDoubleValues[] = {
    0x0000000000000000, 0x8000000000000000,  // +-0
    0x7ff0000000000000, 0xfff0000000000000,  // +-inf
    0x7ff8000000000000, 0xfff8000000000000,  // canonical qNaN, negative
    0x7ff0000000000001, 0x7ff4000000000000,  // sNaNs
    0x7ffc00000000dead, 0xfff7ffffffffffff,  // payloads
    0x0000000000000001, 0x000fffffffffffff,  // subnormal min/max
    0x8000000000000001, 0x0010000000000000,  // -min subnormal, min normal
    0x7fefffffffffffff, 0xffefffffffffffff,  // +-max
    0x3ff0000000000000, 0xbff0000000000000,  // +-1
    0x3fe0000000000000, 0x3ff8000000000000,  // 0.5, 1.5
    0x4004000000000000, 0xc004000000000000,  // +-2.5 (ties)
    0x41dfffffffc00000, 0x41e0000000000000,  // 2^31-1, 2^31
    0xc1e0000000000000, 0xc1e0000000200000,  // -2^31, -2^31-1
    0x41efffffffe00000, 0x41f0000000000000,  // 2^32-1, 2^32
    0x43e0000000000000, 0xc3e0000000000000,  // +-2^63
    0x43f0000000000000, 0xbfe0000000000000,  // 2^64, -0.5
    0x36a0000000000000, 0x3810000000000000,  // float min subnormal/normal
    0x47efffffe0000000, 0x47f0000000000000,  // float max, 2^128
};

constexpr uint32_t kFloatValues[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000,  // +-0, +-inf
    0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000,  // qNaNs, sNaNs
    0x7fc0dead, 0x00000001, 0x007fffff, 0x80000001,  // payload, subnormals
    0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f800000,  // min normal, +-max, 1
    0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000,  // -1, 0.5, 1.5, 2.5
    0xc0200000, 0x4effffff, 0x4f000000, 0xcf000000,  // -2.5, <2^31, +-2^31
    0xcf000001, 0x4f7fffff, 0x4f800000, 0x5effffff,  // <-2^31, <2^32, 2^32, <2^63
    0x5f000000, 0xdf000000, 0x5f800000, 0xbf000000,  // +-2^63, 2^64, -0.5
};

constexpr uint64_t kBoxHigh = 0xffffffff00000000ull;

uint64_t intValue(Rng &rng) {
  switch (rng.below(6)) {
  case 0: return rng.next();
  case 1: return uint64_t(int64_t(int32_t(rng.next())));
  case 2: return uint64_t(int64_t(rng.below(4097)) - 2048);
  case 3: return (1ull << rng.below(64)) - rng.below(2);
  default: return kIntValues[rng.below(std::size(kIntValues))];
  }
}

// Pool values and their neighbours (one ulp either way), or random bits.
uint64_t doubleBits(Rng &rng) {
  if (rng.chance(1, 6))
    return rng.next();
  uint64_t v = kDoubleValues[rng.below(std::size(kDoubleValues))];
  return rng.chance(1, 4) ? v + (rng.chance(1, 2) ? 1 : -1) : v;
}

uint32_t floatBits(Rng &rng) {
  if (rng.chance(1, 6))
    return uint32_t(rng.next());
  uint32_t v = kFloatValues[rng.below(std::size(kFloatValues))];
  return rng.chance(1, 4) ? v + (rng.chance(1, 2) ? 1 : -1) : v;
}

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

// Usually 16-aligned well inside the region; rarely misaligned, at the edge
// or wild, so that faults and misaligned atomics happen too.
uint64_t baseValue(Rng &rng) {
  uint64_t b = kMemSize / 4 + 16 * rng.below(kMemSize / 2 / 16);
  switch (rng.below(128)) {
  case 0: return b + 1 + rng.below(7);
  case 1: return kMemSize - rng.below(24);
  case 2: return rng.next();
  case 3: return b + 4;
  default: return b;
  }
}

void salt(Rng &rng, std::vector<uint8_t> &mem) {
  for (size_t off = 0; off + 8 <= mem.size(); off += 8) {
    uint64_t v;
    switch (rng.below(8)) {
    case 0: v = intValue(rng); break;
    case 1: v = doubleBits(rng); break;
    case 2: v = uint64_t(floatBits(rng)) << 32 | floatBits(rng); break;
    default: v = rng.next(); break;
    }
    memcpy(&mem[off], &v, 8);
  }
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

namespace {
void diffLine(FILE *out, const char *name, uint64_t a, uint64_t b) {
  if (a != b)
    fprintf(out, "    %-12s 0x%016" PRIx64 "  0x%016" PRIx64 "\n", name, a, b);
}
} // namespace

void printDiff(FILE *out, const Outcome &a, const Outcome &b, const char *nameA,
               const char *nameB) {
  const rv::RvState &x = a.state, &y = b.state;
  fprintf(out, "    %-12s %-18s  %s\n", "", nameA, nameB);
  char name[16];
  for (unsigned r = 0; r < 32; ++r) {
    snprintf(name, sizeof name, "x%u", r);
    diffLine(out, name, x.x[r], y.x[r]);
  }
  for (unsigned r = 0; r < 32; ++r) {
    snprintf(name, sizeof name, "f%u", r);
    diffLine(out, name, x.f[r], y.f[r]);
  }
  diffLine(out, "pc", x.pc, y.pc);
  if (x.exit_reason != y.exit_reason)
    fprintf(out, "    %-12s %-18s  %s\n", "exit", exitName(x.exit_reason),
            exitName(y.exit_reason));
  diffLine(out, "fault_addr", x.fault_addr, y.fault_addr);
  diffLine(out, "fflags", x.fflags & 0x1f, y.fflags & 0x1f);
  diffLine(out, "frm", x.frm, y.frm);
  diffLine(out, "reserve_addr", x.reserve_addr, y.reserve_addr);
  diffLine(out, "reserve_val", x.reserve_val, y.reserve_val);
  unsigned shown = 0;
  for (size_t i = 0; i < a.mem.size() && i < b.mem.size() && shown < 16; ++i)
    if (a.mem[i] != b.mem[i]) {
      snprintf(name, sizeof name, "mem[0x%zx]", i);
      diffLine(out, name, a.mem[i], b.mem[i]);
      ++shown;
    }
}

void printState(FILE *out, const rv::RvState &s) {
  unsigned col = 0;
  auto item = [&](const char *reg, unsigned n, uint64_t v) {
    fprintf(out, "%s%s%-2u=%016" PRIx64, col == 0 ? "    " : "  ", reg, n, v);
    if (++col == 4) {
      fputc('\n', out);
      col = 0;
    }
  };
  for (unsigned r = 1; r < 32; ++r)
    if (s.x[r])
      item("x", r, s.x[r]);
  for (unsigned r = 0; r < 32; ++r)
    item("f", r, s.f[r]);
  if (col)
    fputc('\n', out);
  fprintf(out, "    pc=%016" PRIx64 "  frm=%u  fflags=0x%02x  reserve=%016" PRIx64
               "/%016" PRIx64 "\n",
          s.pc, s.frm, s.fflags & 0x1f, s.reserve_addr, s.reserve_val);
}

} // namespace xlat::lockstep
