// Compressed instruction decoder, built at compile time from rvc.def.
//
// Each 16-bit encoding expands to a base instruction (Op of insns.def) with
// len = 2, so the base semantic function runs unchanged.
#include "lifter/riscv/rvc.h"
#include "lifter/core/bit_pattern.h"
#include "lifter/riscv/decoder.h"

#include <array>

namespace xlat::rv {
namespace {

enum class Regs : uint8_t {
  None,
  CIW,
  CL,
  CS,
  CA,
  CB,
  CBA,
  CJ,
  CI,
  CIX0,
  CISP,
  CSS,
  CR,
  CRMV,
  CRJR,
  CRJALR
};

enum class Imm : uint8_t {
  None,
  Imm6,
  Shamt6,
  Lui,
  Addi16sp,
  Addi4spn,
  MemW,
  MemD,
  SpLoadW,
  SpLoadD,
  SpStoreW,
  SpStoreD,
  Branch,
  Jump
};

struct Entry {
  std::string_view mnemonic;
  uint16_t mask = 0, match = 0;
  Regs regs;
  Imm imm;
  Op op;
};

constexpr Entry makeEntry(std::string_view mn, std::string_view pat, Regs r,
                          Imm imm, Op op) {
  BitPattern p = parseBitPattern(pat, 15);
  return Entry{mn, uint16_t(p.mask), uint16_t(p.match), r, imm, op};
}

#define RVC_INSN(MN, PAT, REGS, IMM, OP)                                       \
  makeEntry(MN, PAT, Regs::REGS, Imm::IMM, Op::OP),
constexpr Entry kEntries[] = {
#include "lifter/riscv/rvc.def"
};
#undef RVC_INSN

#define RVC_INSN(MN, PAT, REGS, IMM, OP)                                       \
  static_assert(countPatternBits(PAT) == 16, "bad pattern for " MN);
#include "lifter/riscv/rvc.def"
#undef RVC_INSN

// Lines are bucketed by funct3 and quadrant, which every line fixes.
constexpr uint16_t kBucketBits = 0xe003;
constexpr unsigned bucketOf(uint16_t raw) {
  return (raw >> 13) << 2 | (raw & 3);
}

constexpr bool everyLineFixesBucketBits() {
  for (const Entry &e : kEntries)
    if ((e.mask & kBucketBits) != kBucketBits || (e.match & 3) == 3)
      return false;
  return true;
}
static_assert(everyLineFixesBucketBits(),
              "rvc.def lines must fix bits 15:13 and 1:0 (quadrant 0-2)");

// Two lines with the same number of fixed bits must not both match any
// encoding, or the winner would depend on line order.
constexpr bool noAmbiguousLines() {
  for (const Entry &a : kEntries)
    for (const Entry &b : kEntries)
      if (&a != &b &&
          __builtin_popcount(a.mask) == __builtin_popcount(b.mask) &&
          ((a.match ^ b.match) & a.mask & b.mask) == 0)
        return false;
  return true;
}
static_assert(noAmbiguousLines(), "rvc.def has two equally specific lines "
                                  "matching the same encoding");

constexpr unsigned kMaxPerBucket = 12;
constexpr uint8_t kNoEntry = 0xff;

// Per bucket, the indices of its lines, most specific (most fixed bits)
// first, so the first match is the one that wins.
struct Buckets {
  std::array<std::array<uint8_t, kMaxPerBucket>, 32> line{};
  std::array<uint8_t, 32> size{};
  bool overflow = false;
};

constexpr Buckets buildBuckets() {
  Buckets b;
  for (auto &l : b.line)
    l.fill(kNoEntry);
  for (unsigned i = 0; i < std::size(kEntries); ++i) {
    unsigned k = bucketOf(kEntries[i].match);
    if (b.size[k] == kMaxPerBucket) {
      b.overflow = true;
      return b;
    }
    // Insertion sort by descending specificity.
    unsigned pos = b.size[k]++;
    int bitsI = __builtin_popcount(kEntries[i].mask);
    while (pos > 0 &&
           __builtin_popcount(kEntries[b.line[k][pos - 1]].mask) < bitsI) {
      b.line[k][pos] = b.line[k][pos - 1];
      --pos;
    }
    b.line[k][pos] = static_cast<uint8_t>(i);
  }
  return b;
}
constexpr Buckets kBuckets = buildBuckets();
static_assert(!kBuckets.overflow, "rvc.def: raise kMaxPerBucket");

const Entry *lookup(uint16_t raw) {
  unsigned k = bucketOf(raw);
  for (unsigned n = 0; n < kBuckets.size[k]; ++n) {
    const Entry &e = kEntries[kBuckets.line[k][n]];
    if ((raw & e.mask) == e.match)
      return &e;
  }
  return nullptr;
}

constexpr uint32_t bit(uint32_t v, unsigned b) { return (v >> b) & 1; }

// The immediates, with the spec's layout of the instruction bits in comments.
int64_t immediate(Imm kind, uint32_t w) {
  switch (kind) {
  case Imm::None:
    return 0;
  case Imm::Imm6: // 12: imm[5], 6:2: imm[4:0]
    return sext(bit(w, 12) << 5 | bits(w, 6, 2), 6);
  case Imm::Shamt6: // 12: shamt[5], 6:2: shamt[4:0]
    return bit(w, 12) << 5 | bits(w, 6, 2);
  case Imm::Lui: // 12: nzimm[17], 6:2: nzimm[16:12]
    return sext(bit(w, 12) << 17 | bits(w, 6, 2) << 12, 18);
  case Imm::Addi16sp: // 12: nzimm[9], 6:2: nzimm[4|6|8:7|5]
    return sext(bit(w, 12) << 9 | bit(w, 6) << 4 | bit(w, 5) << 6 |
                    bits(w, 4, 3) << 7 | bit(w, 2) << 5,
                10);
  case Imm::Addi4spn: // 12:5: nzuimm[5:4|9:6|2|3]
    return bits(w, 12, 11) << 4 | bits(w, 10, 7) << 6 | bit(w, 6) << 2 |
           bit(w, 5) << 3;
  case Imm::MemW: // 12:10: uimm[5:3], 6:5: uimm[2|6]
    return bits(w, 12, 10) << 3 | bit(w, 6) << 2 | bit(w, 5) << 6;
  case Imm::MemD: // 12:10: uimm[5:3], 6:5: uimm[7:6]
    return bits(w, 12, 10) << 3 | bits(w, 6, 5) << 6;
  case Imm::SpLoadW: // 12: uimm[5], 6:2: uimm[4:2|7:6]
    return bit(w, 12) << 5 | bits(w, 6, 4) << 2 | bits(w, 3, 2) << 6;
  case Imm::SpLoadD: // 12: uimm[5], 6:2: uimm[4:3|8:6]
    return bit(w, 12) << 5 | bits(w, 6, 5) << 3 | bits(w, 4, 2) << 6;
  case Imm::SpStoreW: // 12:7: uimm[5:2|7:6]
    return bits(w, 12, 9) << 2 | bits(w, 8, 7) << 6;
  case Imm::SpStoreD: // 12:7: uimm[5:3|8:6]
    return bits(w, 12, 10) << 3 | bits(w, 9, 7) << 6;
  case Imm::Branch: // 12:10: offset[8|4:3], 6:2: offset[7:6|2:1|5]
    return sext(bit(w, 12) << 8 | bits(w, 11, 10) << 3 | bits(w, 6, 5) << 6 |
                    bits(w, 4, 3) << 1 | bit(w, 2) << 5,
                9);
  case Imm::Jump: // 12:2: offset[11|4|9:8|10|6|7|3:1|5]
    return sext(bit(w, 12) << 11 | bit(w, 11) << 4 | bits(w, 10, 9) << 8 |
                    bit(w, 8) << 10 | bit(w, 7) << 6 | bit(w, 6) << 7 |
                    bits(w, 5, 3) << 1 | bit(w, 2) << 5,
                12);
  }
  return 0;
}

constexpr uint8_t kRa = 1, kSp = 2;

void wireRegs(Regs r, uint32_t w, Insn &in) {
  uint8_t full7 = bits(w, 11, 7), full2 = bits(w, 6, 2);
  uint8_t prime7 = 8 + bits(w, 9, 7), prime2 = 8 + bits(w, 4, 2);
  switch (r) {
  case Regs::None:
  case Regs::CJ: // rd = x0
    break;
  case Regs::CIW:
    in.rd = prime2, in.rs1 = kSp;
    break;
  case Regs::CL:
    in.rd = prime2, in.rs1 = prime7;
    break;
  case Regs::CS:
    in.rs1 = prime7, in.rs2 = prime2;
    break;
  case Regs::CA:
    in.rd = in.rs1 = prime7, in.rs2 = prime2;
    break;
  case Regs::CB:
    in.rs1 = prime7;
    break;
  case Regs::CBA:
    in.rd = in.rs1 = prime7;
    break;
  case Regs::CI:
    in.rd = in.rs1 = full7;
    break;
  case Regs::CIX0:
    in.rd = full7;
    break;
  case Regs::CISP:
    in.rd = full7, in.rs1 = kSp;
    break;
  case Regs::CSS:
    in.rs1 = kSp, in.rs2 = full2;
    break;
  case Regs::CR:
    in.rd = in.rs1 = full7, in.rs2 = full2;
    break;
  case Regs::CRMV:
    in.rd = full7, in.rs2 = full2;
    break;
  case Regs::CRJR:
    in.rs1 = full7;
    break;
  case Regs::CRJALR:
    in.rd = kRa, in.rs1 = full7;
    break;
  }
}

} // namespace

Insn decodeCompressed(uint64_t pc, uint16_t raw) {
  Insn in{};
  in.pc = pc;
  in.raw = raw;
  in.len = 2;
  in.op = Op::ILLEGAL;
  const Entry *e = lookup(raw);
  if (!e || e->op == Op::ILLEGAL)
    return in;
  in.op = e->op;
  wireRegs(e->regs, raw, in);
  in.imm = immediate(e->imm, raw);
  return in;
}

std::string_view compressedMnemonic(uint16_t raw) {
  const Entry *e = lookup(raw);
  return e ? e->mnemonic : "illegal";
}

} // namespace xlat::rv
