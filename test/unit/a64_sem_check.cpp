// a64-sem-check: runs A64 instructions through the native semantics, for
// the differential test against qemu-aarch64 (test/isa/aarch64).
//
//   a64-sem-check cases SEED N   N random encodings of each data-processing
//                                encoding with semantics (fails if one
//                                cannot make N), with random x0-x3 and
//                                NZCV: "ENC X0 X1 X2 X3 NZCV" (hex)
//   a64-sem-check run FILE       each case run once; the same line after
//   a64-sem-check mem-cases SEED N
//                                the same for each load and store encoding
//                                (literals aside), with x4 the base into a
//                                64-byte window of random bytes:
//                                "ENC PRE X0 X1 X2 X3 OFF MEM V...", where
//                                PRE runs first (a matching load-exclusive
//                                before a store-exclusive, else nop), OFF is
//                                x4's offset in the window, MEM its bytes
//                                (hex) and V the halves of v0-v3, low first
//   a64-sem-check mem-run FILE   each such case run once; the same line after
//   a64-sem-check fp-cases SEED N
//                                the same for each scalar FP encoding, with
//                                random and edge values in x0-x3 and v0-v3,
//                                NZCV and FPCR: "ENC X0-X3 V0-V3 NZCV FPCR"
//                                (the V registers as halves, low first)
//   a64-sem-check fp-run FILE    each such case run once, from FPSR 0:
//                                "ENC X0-X3 V0-V3 NZCV FPSR" after
//   a64-sem-check simd-cases SEED N
//                                the same for each AdvSIMD encoding but the
//                                structure loads and stores (which
//                                mem-cases makes), with lanes of edge values
//                                in v0-v3 (FP ones and a random FPCR for the
//                                FP encodings); fp-run runs them
//
// The encodings' registers are x0-x3 (and x4, a base), so that the program
// qemu runs can set them all and store what the instruction made.
#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/sem_table.h"
#include "test/unit/a64_flat_memory.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

using namespace xlat::a64;

namespace {

struct Line {
  Op op;
  const char *pattern, *format;
};

const Line kLines[] = {
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) {Op::ID, PAT, #FMT},
#define A64_FORM(ID, PAT, FMT) {Op::ID, PAT, #FMT},
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
};

// Which of Rd (4:0), Rn (9:5), Rm (20:16) and Ra (14:10) a data-processing
// format holds registers in; none for the formats tested otherwise.
struct Regs {
  bool rd, rn, rm, ra;
};
bool registersOf(std::string_view f, Regs &r) {
  r = {true, true, false, false};
  if (f == "MoveWide")
    r.rn = false;
  else if (f == "CondCmpImm")
    r.rd = false;
  else if (f == "CondCmpReg")
    r = {false, true, true, false};
  else if (f == "Dp3")
    r = {true, true, true, true};
  else if (f == "LogicalReg" || f == "AddSubShift" || f == "AddSubExt" || f == "Carry" ||
           f == "CondSelect" || f == "Dp2" || f == "Crc" || f == "Extract")
    r.rm = true;
  else if (f != "AddSubImm" && f != "LogicalImm" && f != "Bitfield" && f != "Dp1")
    return false;
  return true;
}

void parse(const char *pat, uint32_t &mask, uint32_t &match) {
  mask = match = 0;
  int bit = 31;
  for (const char *c = pat; *c; c++) {
    if (*c == ' ')
      continue;
    if (*c != '-')
      mask |= 1u << bit;
    if (*c == '1')
      match |= 1u << bit;
    bit--;
  }
}

uint64_t value(std::mt19937_64 &rng) {
  static const uint64_t kEdges[] = {0, 1, ~0ull, 0x7fffffff, 0x80000000, 0xffffffff,
                                    0x100000000ull, 0x7fffffffffffffffull,
                                    0x8000000000000000ull};
  switch (rng() % 4) {
  case 0: return kEdges[rng() % (sizeof kEdges / sizeof kEdges[0])];
  case 1: return rng() & 0xffff;
  default: return rng();
  }
}

// Makes perLine cases of each table line with semantics that `wanted`
// takes: random words inside the line's encoding, whose register fields
// `force` sets, that decode as the line's instruction; `emit` prints a case
// of one, or refuses it (false). Fails naming a line short of cases after
// `triesPerCase` words a case.
template <typename Wanted, typename Force, typename Emit>
int makeCases(std::mt19937_64 &rng, int perLine, int triesPerCase, Wanted wanted, Force force,
              Emit emit) {
  for (const Line &l : kLines) {
    if (!semanticFunction(l.op) || !wanted(l))
      continue;
    uint32_t mask, match;
    parse(l.pattern, mask, match);
    int made = 0;
    for (int tries = 0; made < perLine && tries < perLine * triesPerCase; tries++) {
      uint32_t w = (uint32_t(rng()) & ~mask) | match;
      force(l, w);
      if ((w & mask) != match)
        continue;
      Insn in = decode(0x400000, w);
      if (in.op == l.op && emit(l, w, in))
        made++;
    }
    if (made < perLine) {
      fprintf(stderr, "a64-sem-check: only %d cases of %s\n", made, l.pattern);
      return 1;
    }
  }
  return 0;
}

int cases(uint64_t seed, int perLine) {
  std::mt19937_64 rng(seed);
  Regs regs;
  return makeCases(
      rng, perLine, 50, [&](const Line &l) { return registersOf(l.format, regs); },
      [&](const Line &l, uint32_t &w) {
        registersOf(l.format, regs);
        auto force = [&](bool is, unsigned lo) {
          if (is)
            w = (w & ~(31u << lo)) | uint32_t(rng() % 4) << lo;
        };
        force(regs.rd, 0);
        force(regs.rn, 5);
        force(regs.rm, 16);
        force(regs.ra, 10);
      },
      [&](const Line &, uint32_t w, const Insn &) {
        printf("%08x", w);
        for (int r = 0; r < 4; r++)
          printf(" %016" PRIx64, value(rng));
        printf(" %08x\n", uint32_t(rng() % 16) << 28);
        return true;
      });
}

int run(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "a64-sem-check: cannot open %s\n", path);
    return 1;
  }
  uint32_t w, nzcv;
  uint64_t x[4];
  while (fscanf(f, "%" SCNx32 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx32, &w,
                &x[0], &x[1], &x[2], &x[3], &nzcv) == 6) {
    A64State s{};
    memcpy(s.x, x, sizeof x);
    s.setNzcv(nzcv);
    Insn in = decode(0x400000, w);
    s.pc = in.pc + 4;
    SemFn fn = semanticFunction(in.op);
    if (!fn) {
      fprintf(stderr, "a64-sem-check: %08x: no semantics\n", w);
      return 1;
    }
    fn(&s, &in);
    printf("%08x", w);
    for (int r = 0; r < 4; r++)
      printf(" %016" PRIx64, s.x[r]);
    printf(" %08x\n", s.nzcv());
  }
  fclose(f);
  return 0;
}

// --- Loads and stores -----------------------------------------------------

constexpr uint64_t kWindow = 0x10000; // where the checker puts the window
constexpr size_t kWindowBytes = 64;
constexpr uint32_t kNop = 0xd503201f;

struct MemCase {
  uint32_t enc, pre;
  uint64_t x[4];
  uint64_t off;
  uint8_t mem[kWindowBytes];
  uint64_t v[4][2];
};

// Runs the case on the native semantics; false if an access left the
// window or was misaligned (the case is then not one to make).
bool runMem(const MemCase &c, MemCase &out, std::string &why) {
  test::FlatMemory m(kWindow, kWindowBytes);
  memcpy(m.host(), c.mem, kWindowBytes);
  A64State s{};
  memcpy(s.x, c.x, sizeof c.x);
  s.x[4] = kWindow + c.off;
  memcpy(s.v, c.v, sizeof c.v);
  out = c;
  for (uint32_t w : {c.pre, c.enc})
    if (!m.execute(s, decode(0x400000, w), why))
      return false;
  memcpy(out.x, s.x, sizeof out.x);
  out.off = s.x[4] - kWindow;
  memcpy(out.mem, m.host(), kWindowBytes);
  memcpy(out.v, s.v, sizeof out.v);
  return true;
}

void printMem(const MemCase &c) {
  printf("%08x %08x", c.enc, c.pre);
  for (uint64_t v : c.x)
    printf(" %016" PRIx64, v);
  printf(" %" PRIx64 " ", c.off);
  for (uint8_t b : c.mem)
    printf("%02x", b);
  for (auto &v : c.v)
    printf(" %016" PRIx64 " %016" PRIx64, v[0], v[1]);
  printf("\n");
}

// Fields as the load and store formats hold them.
void setField(uint32_t &w, unsigned lo, unsigned bits, uint32_t v) {
  uint32_t m = ((1u << bits) - 1) << lo;
  w = (w & ~m) | ((v << lo) & m);
}

bool isStoreExclusive(Op op) {
  return op == Op::STXR || op == Op::STLXR || op == Op::STXP || op == Op::STLXP;
}
bool usesRs(Op op) { return isStoreExclusive(op) || op == Op::CAS || op == Op::CASP; }
bool isPairExclusive(Op op) {
  return op == Op::STXP || op == Op::STLXP || op == Op::LDXP || op == Op::LDAXP;
}

// The load-exclusive of x5 (and x6) from [x4] that a store-exclusive of
// `enc` pairs with.
uint32_t loadExclusiveFor(uint32_t enc, Op op) {
  uint32_t size = enc >> 30;
  if (isPairExclusive(op))
    return 1u << 31 | (size & 1) << 30 | 0x08u << 24 | 1u << 22 | 1u << 21 | 31u << 16 |
           6u << 10 | 4u << 5 | 5u;
  return size << 30 | 0x08u << 24 | 1u << 22 | 31u << 16 | 31u << 10 | 4u << 5 | 5u;
}

int memCases(uint64_t seed, int perLine) {
  std::mt19937_64 rng(seed);
  auto reg = [&] { return uint32_t(rng() % 4); };
  return makeCases(
      rng, perLine, 200,
      [](const Line &l) {
        std::string_view f = l.format;
        return f == "LdStUImm" || f == "LdStImm9" || f == "LdStReg" || f == "LdStPair" ||
               f == "Exclusive" || f == "Atomic" || f == "SimdLdStMulti" ||
               f == "SimdLdStLane";
      },
      [&](const Line &l, uint32_t &w) {
        std::string_view f = l.format;
        setField(w, 0, 5, reg()); // Rt
        setField(w, 5, 5, 4);     // Rn: x4, into the window
        if (f == "LdStReg")
          setField(w, 16, 5, reg());
        if (f == "LdStUImm")
          setField(w, 10, 12, uint32_t(rng() % 8));
        if (f == "LdStImm9")
          setField(w, 12, 9, uint32_t(int(rng() % 80) - 40));
        if (f == "LdStPair") {
          setField(w, 10, 5, reg()); // Rt2
          setField(w, 15, 7, uint32_t(int(rng() % 9) - 4));
        }
        if (f == "Atomic")
          setField(w, 16, 5, reg()); // Rs
        if (f.substr(0, 8) == "SimdLdSt" && ((w >> 23) & 1)) // post-index: by Rm or the size
          setField(w, 16, 5, rng() % 2 ? 31 : reg());
        if (f == "Exclusive") {
          setField(w, 16, 5, usesRs(l.op) ? reg() : 31);
          if (l.op == Op::CASP) {
            setField(w, 0, 5, 2 * uint32_t(rng() % 2));
            setField(w, 16, 5, 2 * uint32_t(rng() % 2));
          } else if (l.op != Op::CAS) {
            setField(w, 10, 5, isPairExclusive(l.op) ? reg() : 31); // Rt2
          }
        }
      },
      [&](const Line &l, uint32_t w, const Insn &in) {
        std::string_view f = l.format;
        // What the architecture leaves unpredictable: a pair loaded into one
        // register, a status register that is also a source.
        bool load = (w >> 22) & 1;
        if ((f == "LdStPair" || isPairExclusive(l.op)) && load && in.rd == in.ra)
          return false;
        if (isStoreExclusive(l.op) &&
            (in.rm == in.rd || (isPairExclusive(l.op) && in.rm == in.ra)))
          return false;
        // A structure's registers must be among v0-v3, which the program sets.
        if (f.substr(0, 8) == "SimdLdSt" && in.rd + in.ra > 4)
          return false;

        MemCase c{};
        c.enc = w;
        c.pre = isStoreExclusive(l.op) && rng() % 4 ? loadExclusiveFor(w, l.op) : kNop;
        for (uint64_t &x : c.x)
          x = rng() % 2 ? uint64_t(int64_t(rng() % 17) - 8) : value(rng);
        c.off = f == "Exclusive" || f == "Atomic" ? 16 * (rng() % 4)
                : f.substr(0, 8) == "SimdLdSt"          ? rng() % 16
                                                        : rng() % kWindowBytes;
        for (uint8_t &b : c.mem)
          b = uint8_t(rng());
        for (auto &v : c.v)
          v[0] = value(rng), v[1] = value(rng);
        // A compare-and-swap that often finds what it compares.
        if ((l.op == Op::CAS || l.op == Op::CASP) && rng() % 2) {
          uint64_t v[2];
          memcpy(v, c.mem + c.off, sizeof v);
          if (l.op == Op::CASP && in.size == 2)
            v[1] = v[0] >> 32;
          c.x[in.rm] = v[0];
          if (l.op == Op::CASP)
            c.x[in.rm + 1] = v[1];
        }
        MemCase out;
        std::string why;
        if (!runMem(c, out, why))
          return false;
        printMem(c);
        return true;
      });
}

int memRun(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "a64-sem-check: cannot open %s\n", path);
    return 1;
  }
  MemCase c{};
  char hex[2 * kWindowBytes + 1];
  while (fscanf(f, "%" SCNx32 " %" SCNx32 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64
                   " %" SCNx64 " %128s",
                &c.enc, &c.pre, &c.x[0], &c.x[1], &c.x[2], &c.x[3], &c.off, hex) == 8) {
    for (auto &v : c.v)
      if (fscanf(f, " %" SCNx64 " %" SCNx64, &v[0], &v[1]) != 2) {
        fprintf(stderr, "a64-sem-check: %08x: no V registers\n", c.enc);
        return 1;
      }
    for (size_t k = 0; k < kWindowBytes; k++)
      c.mem[k] = uint8_t(strtoul(std::string(hex + 2 * k, 2).c_str(), nullptr, 16));
    MemCase out;
    std::string why;
    if (!runMem(c, out, why)) {
      fprintf(stderr, "a64-sem-check: %08x: %s\n", c.enc, why.c_str());
      return 1;
    }
    printMem(out);
  }
  fclose(f);
  return 0;
}

// --- Scalar FP ---------------------------------------------------------------

struct FpCase {
  uint32_t enc;
  uint64_t x[4];
  uint64_t v[4][2];
  uint32_t nzcv, fpcr; // in: FPCR; out: FPSR
};

// FP operands: the edges of both formats (zeros, ones, infinities, quiet
// and signalling NaNs, denormals, the largest finite) or random bits.
uint64_t fpValue(std::mt19937_64 &rng) {
  static const uint64_t kDoubles[] = {
      0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
      0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
      0x7ff4000000000000ull, 0xfff8000000000001ull, 0x0000000000000001ull,
      0x800fffffffffffffull, 0x7fefffffffffffffull};
  static const uint32_t kSingles[] = {0,          0x80000000, 0x3f800000, 0xbf800000,
                                      0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000,
                                      0xffc00001, 0x00000001, 0x807fffff, 0x7f7fffff};
  switch (rng() % 4) {
  case 0: return kDoubles[rng() % (sizeof kDoubles / sizeof kDoubles[0])];
  case 1: return (rng() << 32) | kSingles[rng() % (sizeof kSingles / sizeof kSingles[0])];
  default: return rng();
  }
}

bool runFp(const FpCase &c, FpCase &out, std::string &why) {
  test::FlatMemory m(kWindow, 16);
  A64State s{};
  memcpy(s.x, c.x, sizeof c.x);
  memcpy(s.v, c.v, sizeof c.v);
  s.setNzcv(c.nzcv);
  s.fpcr = c.fpcr;
  if (!m.execute(s, decode(0x400000, c.enc), why))
    return false;
  out = c;
  memcpy(out.x, s.x, sizeof out.x);
  memcpy(out.v, s.v, sizeof out.v);
  out.nzcv = s.nzcv();
  out.fpcr = s.fpsr;
  return true;
}

void printFp(const FpCase &c) {
  printf("%08x", c.enc);
  for (uint64_t x : c.x)
    printf(" %016" PRIx64, x);
  for (auto &v : c.v)
    printf(" %016" PRIx64 " %016" PRIx64, v[0], v[1]);
  printf(" %08x %08x\n", c.nzcv, c.fpcr);
}

int fpCases(uint64_t seed, int perLine) {
  std::mt19937_64 rng(seed);
  return makeCases(
      rng, perLine, 50, [](const Line &l) { return std::string_view(l.format).substr(0, 2) == "Fp"; },
      [&](const Line &l, uint32_t &w) {
        // Which of Rd (4:0), Rn (9:5), Rm (20:16) the format holds registers in.
        std::string_view f = l.format;
        if (f != "FpCmp" && f != "FpCondCmp")
          setField(w, 0, 5, uint32_t(rng() % 4));
        if (f != "FpImm")
          setField(w, 5, 5, uint32_t(rng() % 4));
        if (f == "FpCondSel" || f == "FpCmp" || f == "FpCondCmp" || f == "FpDp2" ||
            f == "FpDp3")
          setField(w, 16, 5, uint32_t(rng() % 4));
        if (f == "FpDp3") // Ra
          setField(w, 10, 5, uint32_t(rng() % 4));
      },
      [&](const Line &, uint32_t w, const Insn &) {
        FpCase c{};
        c.enc = w;
        for (uint64_t &x : c.x)
          x = rng() % 2 ? fpValue(rng) : value(rng);
        for (auto &v : c.v)
          v[0] = fpValue(rng), v[1] = rng();
        if (rng() % 4 == 0) // equal operands, for the compares
          memmove(c.v[rng() % 4], c.v[rng() % 4], 16);
        // Operands around the smallest normal, whose products and sums are
        // tiny before rounding and normal after it: where Arm's underflow
        // differs from x86's.
        if (rng() % 8 == 0) {
          static const uint64_t kDoubles[] = {0x000fffffffffffffull, 0x0010000000000000ull,
                                              0x3ff0000000000001ull, 0x3fefffffffffffffull};
          static const uint64_t kSingles[] = {0x007fffff, 0x00800000, 0x3f800001, 0x3f7fffff};
          bool single = ((w >> 22) & 3) == 0;
          for (auto &v : c.v)
            v[0] = (single ? kSingles : kDoubles)[rng() % 4] | (rng() % 2 ? (single ? 0x80000000ull : 1ull << 63) : 0);
        }
        c.nzcv = uint32_t(rng() % 16) << 28;
        // AHP, DN, FZ and RMode: what FPCR holds in ARMv8.0.
        c.fpcr = uint32_t(rng()) & 0x07c00000u;
        FpCase out;
        std::string why;
        if (!runFp(c, out, why))
          return false;
        printFp(c);
        return true;
      });
}

// --- AdvSIMD -------------------------------------------------------------------

// A V register's half for the AdvSIMD cases: random bits, lanes of edge
// values (zero, one, the signed extremes, all ones) or small signed bytes
// (the shift counts of the shifts by register).
uint64_t simdValue(std::mt19937_64 &rng) {
  switch (rng() % 4) {
  case 0: {
    unsigned bits = 8u << (rng() % 4);
    uint64_t v = 0;
    for (unsigned k = 0; k < 64; k += bits) {
      uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1;
      uint64_t edges[] = {0, 1, m >> 1, (m >> 1) + 1, m, rng() & m};
      v |= (edges[rng() % 6] & m) << k;
    }
    return v;
  }
  case 1: {
    uint64_t v = 0;
    for (unsigned k = 0; k < 64; k += 8)
      v |= uint64_t(uint8_t(int(rng() % 41) - 20)) << k;
    return v;
  }
  default: return rng();
  }
}

// Whether an AdvSIMD line holds a register in Rm (bits 20:16, all free in
// its pattern; by element, 19:16 and a bit of the lane number): not the
// copies' imm5 nor the shifts' immh:immb.
bool hasRm(const Line &l) {
  uint32_t mask, match;
  parse(l.pattern, mask, match);
  std::string_view f = l.format;
  return !(mask & (31u << 16)) && f.substr(0, 8) != "SimdCopy" && f.substr(0, 9) != "SimdShift";
}
bool isFpFormat(std::string_view f) {
  return f.substr(0, 6) == "SimdFp" || f.substr(0, 11) == "SimdShiftFp";
}

// Lanes of FP edge values (fpValue's) or random bits, for lanes of
// 2^size bytes.
uint64_t fpLanes(std::mt19937_64 &rng, unsigned size) {
  if (size == 3)
    return fpValue(rng);
  return (fpValue(rng) & 0xffffffffull) | fpValue(rng) << 32;
}

int simdCases(uint64_t seed, int perLine) {
  std::mt19937_64 rng(seed);
  return makeCases(
      rng, perLine, 50,
      [](const Line &l) {
        std::string_view f = l.format;
        return f.substr(0, 4) == "Simd" && f.substr(0, 8) != "SimdLdSt";
      },
      [&](const Line &l, uint32_t &w) {
        std::string_view f = l.format;
        setField(w, 0, 5, uint32_t(rng() % 4));
        if (f != "SimdModImm")
          setField(w, 5, 5, uint32_t(rng() % 4));
        if (hasRm(l))
          setField(w, 16, f.find("Elem") != std::string_view::npos ? 4 : 5, uint32_t(rng() % 4));
      },
      [&](const Line &l, uint32_t w, const Insn &in) {
        std::string_view f = l.format;
        if (in.rm > 3 && hasRm(l))
          return false; // a by-element Rm in v16-v19
        if (f == "SimdTbl" && in.rn + in.ra > 4)
          return false;
        bool fp = isFpFormat(f);
        FpCase c{};
        c.enc = w;
        for (uint64_t &x : c.x)
          x = value(rng);
        for (auto &v : c.v)
          for (uint64_t &h : v)
            h = fp ? fpLanes(rng, in.size) : simdValue(rng);
        if (rng() % 4 == 0) // equal operands, for the compares
          memmove(c.v[rng() % 4], c.v[rng() % 4], 16);
        c.nzcv = uint32_t(rng() % 16) << 28;
        // FP: every rounding mode, FZ and DN.
        c.fpcr = fp ? uint32_t(rng()) & 0x07c00000u : 0;
        FpCase out;
        std::string why;
        if (!runFp(c, out, why))
          return false;
        printFp(c);
        return true;
      });
}

int fpRun(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "a64-sem-check: cannot open %s\n", path);
    return 1;
  }
  FpCase c{};
  while (fscanf(f, "%" SCNx32, &c.enc) == 1) {
    bool ok = true;
    for (uint64_t &x : c.x)
      ok = ok && fscanf(f, " %" SCNx64, &x) == 1;
    for (auto &v : c.v)
      ok = ok && fscanf(f, " %" SCNx64 " %" SCNx64, &v[0], &v[1]) == 2;
    ok = ok && fscanf(f, " %" SCNx32 " %" SCNx32, &c.nzcv, &c.fpcr) == 2;
    FpCase out;
    std::string why;
    if (!ok || !runFp(c, out, why)) {
      fprintf(stderr, "a64-sem-check: %08x: %s\n", c.enc, ok ? why.c_str() : "bad line");
      return 1;
    }
    printFp(out);
  }
  fclose(f);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "cases"))
    return cases(strtoull(argv[2], nullptr, 0), atoi(argv[3]));
  if (argc == 3 && !strcmp(argv[1], "run"))
    return run(argv[2]);
  if (argc == 4 && !strcmp(argv[1], "mem-cases"))
    return memCases(strtoull(argv[2], nullptr, 0), atoi(argv[3]));
  if (argc == 3 && !strcmp(argv[1], "mem-run"))
    return memRun(argv[2]);
  if (argc == 4 && !strcmp(argv[1], "fp-cases"))
    return fpCases(strtoull(argv[2], nullptr, 0), atoi(argv[3]));
  if (argc == 3 && !strcmp(argv[1], "fp-run"))
    return fpRun(argv[2]);
  if (argc == 4 && !strcmp(argv[1], "simd-cases"))
    return simdCases(strtoull(argv[2], nullptr, 0), atoi(argv[3]));
  fprintf(stderr, "usage: a64-sem-check cases SEED N | run FILE | mem-cases SEED N | "
                  "mem-run FILE | fp-cases SEED N | fp-run FILE | simd-cases SEED N\n");
  return 2;
}
