// a64-sem-check: runs A64 instructions through the native semantics, for
// the differential test against qemu-aarch64 (test/isa/aarch64).
//
//   a64-sem-check cases SEED N   N random encodings of each data-processing
//                                encoding with semantics (fails if one
//                                cannot make N), with random x0-x3 and
//                                NZCV: "ENC X0 X1 X2 X3 NZCV" (hex)
//   a64-sem-check run FILE       each case run once; the same line after
//
// The encodings' registers are x0-x3, so that the program qemu runs can set
// them all and store what the instruction made.
#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/sem_table.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
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

int cases(uint64_t seed, int perLine) {
  std::mt19937_64 rng(seed);
  for (const Line &l : kLines) {
    Regs regs;
    if (!semanticFunction(l.op) || !registersOf(l.format, regs))
      continue;
    uint32_t mask, match;
    parse(l.pattern, mask, match);
    int made = 0;
    for (int tries = 0; made < perLine && tries < perLine * 50; tries++) {
      uint32_t w = (uint32_t(rng()) & ~mask) | match;
      auto force = [&](bool is, unsigned lo) {
        if (is)
          w = (w & ~(31u << lo)) | uint32_t(rng() % 4) << lo;
      };
      force(regs.rd, 0);
      force(regs.rn, 5);
      force(regs.rm, 16);
      force(regs.ra, 10);
      if ((w & mask) != match || decode(0, w).op != l.op)
        continue;
      printf("%08x", w);
      for (int r = 0; r < 4; r++)
        printf(" %016" PRIx64, value(rng));
      printf(" %08x\n", uint32_t(rng() % 16) << 28);
      made++;
    }
    if (made < perLine) {
      fprintf(stderr, "a64-sem-check: only %d cases of %s\n", made, l.pattern);
      return 1;
    }
  }
  return 0;
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
    s.nzcv = nzcv;
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
    printf(" %08x\n", s.nzcv);
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
  fprintf(stderr, "usage: a64-sem-check cases SEED N | run FILE\n");
  return 2;
}
