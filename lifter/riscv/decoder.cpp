#include "lifter/riscv/decoder.h"

#include "lifter/core/bit_pattern.h"
#include "lifter/riscv/state.h"

#include <array>
#include <vector>

namespace xlat::rv {
namespace {

enum class Format : uint8_t { None, R, R4, I, S, B, U, J, Shamt5, Shamt6, Csr };

struct Encoding {
  uint32_t mask = 0, match = 0;
};

constexpr Encoding parsePattern(std::string_view pat) {
  BitPattern p = parseBitPattern(pat, 31);
  return {p.mask, p.match};
}

struct TableEntry {
  Op op;
  std::string_view mnemonic;
  Encoding enc;
  Format format;
  uint32_t flags;
};

constexpr TableEntry kTable[] = {
#define RV_INSN(ID, MN, PAT, FMT, FLAGS)                                       \
  {Op::ID, MN, parsePattern(PAT), Format::FMT, FLAGS},
#include "lifter/riscv/insns.def"
#undef RV_INSN
};

// Every pattern must spell out exactly 32 bits.
#define RV_INSN(ID, MN, PAT, FMT, FLAGS)                                       \
  static_assert(countPatternBits(PAT) == 32, "bad pattern for " MN);
#include "lifter/riscv/insns.def"
#undef RV_INSN

constexpr size_t kNumOps = static_cast<size_t>(Op::NumOps);

struct OpInfo {
  std::string_view mnemonic = "illegal";
  uint32_t flags = kEndsBlock;
  Format format = Format::None;
};

constexpr std::array<OpInfo, kNumOps> buildOpInfo() {
  std::array<OpInfo, kNumOps> info{};
  for (const TableEntry &e : kTable)
    info[static_cast<size_t>(e.op)] = {e.mnemonic, e.flags, e.format};
  return info;
}
constexpr auto kOpInfo = buildOpInfo();

// Candidates per major opcode (bits 6:0), most specific pattern first, so a
// lookup scans a handful of entries.
struct OpcodeBuckets {
  std::array<std::vector<const TableEntry *>, 128> bucket;
  OpcodeBuckets() {
    for (const TableEntry &e : kTable) {
      // Every base encoding fixes the whole major opcode.
      bucket[e.enc.match & 0x7f].push_back(&e);
    }
    for (auto &b : bucket)
      mostSpecificFirst(b);
  }
};
const OpcodeBuckets &buckets() {
  static const OpcodeBuckets b;
  return b;
}

int64_t immediate(Format f, uint32_t w) {
  switch (f) {
  case Format::None:
  case Format::R:
  case Format::R4:
    return 0;
  case Format::I:
    return sext(bits(w, 31, 20), 12);
  case Format::S:
    return sext(bits(w, 31, 25) << 5 | bits(w, 11, 7), 12);
  case Format::B:
    return sext(bits(w, 31, 31) << 12 | bits(w, 7, 7) << 11 |
                    bits(w, 30, 25) << 5 | bits(w, 11, 8) << 1,
                13);
  case Format::U:
    return sext(w & 0xfffff000u, 32);
  case Format::J:
    return sext(bits(w, 31, 31) << 20 | bits(w, 19, 12) << 12 |
                    bits(w, 20, 20) << 11 | bits(w, 30, 21) << 1,
                21);
  case Format::Shamt5:
    return bits(w, 24, 20);
  case Format::Shamt6:
    return bits(w, 25, 20);
  case Format::Csr:
    return bits(w, 31, 20);
  }
  return 0;
}

} // namespace

std::string_view mnemonic(Op op) {
  return kOpInfo[static_cast<size_t>(op)].mnemonic;
}
uint32_t flags(Op op) { return kOpInfo[static_cast<size_t>(op)].flags; }

bool writesXReg(const Insn &in) {
  switch (in.op) {
  case Op::FENCE: case Op::FENCE_I: // rd is reserved, never written
  case Op::SFENCE_VMA:
    return false;
  case Op::FCVT_W_S: case Op::FCVT_WU_S: case Op::FCVT_L_S: case Op::FCVT_LU_S:
  case Op::FCVT_W_D: case Op::FCVT_WU_D: case Op::FCVT_L_D: case Op::FCVT_LU_D:
  case Op::FMV_X_W: case Op::FMV_X_D: case Op::FCLASS_S: case Op::FCLASS_D:
  case Op::FEQ_S: case Op::FLT_S: case Op::FLE_S:
  case Op::FEQ_D: case Op::FLT_D: case Op::FLE_D:
    return true;
  default:
    if (in.op >= Op::FLW)
      return false;
  }
  switch (kOpInfo[static_cast<size_t>(in.op)].format) {
  case Format::R: case Format::I: case Format::U: case Format::J:
  case Format::Shamt5: case Format::Shamt6: case Format::Csr:
    return true;
  default:
    return false;
  }
}

bool mayReadXReg(const Insn &in, unsigned r) {
  switch (in.op) {
  // F and D: only addresses and integer sources are integer registers.
  case Op::FLW: case Op::FLD: case Op::FSW: case Op::FSD:
  case Op::FMV_W_X: case Op::FMV_D_X:
  case Op::FCVT_S_W: case Op::FCVT_S_WU: case Op::FCVT_S_L: case Op::FCVT_S_LU:
  case Op::FCVT_D_W: case Op::FCVT_D_WU: case Op::FCVT_D_L: case Op::FCVT_D_LU:
    return in.rs1 == r;
  case Op::CSRRWI: case Op::CSRRSI: case Op::CSRRCI:
    return false; // rs1 is an immediate
  case Op::FENCE: case Op::FENCE_I:
    return false; // rs1 is reserved
  default:
    if (in.op >= Op::FLW)
      return false;
  }
  switch (kOpInfo[static_cast<size_t>(in.op)].format) {
  case Format::U: case Format::J:
    return false;
  case Format::I: case Format::Shamt5: case Format::Shamt6: case Format::Csr:
    return in.rs1 == r;
  case Format::R: case Format::S: case Format::B:
    return in.rs1 == r || in.rs2 == r;
  default:
    return true; // ecall and the like: the runner reads what it likes
  }
}

bool usesFpState(const Insn &in) {
  switch (in.op) {
#define RV_INSN(ID, MN, PAT, FMT, FLAGS) case Op::ID:
#include "lifter/riscv/insns_fp.def"
#undef RV_INSN
    return true;
  case Op::CSRRW: case Op::CSRRS: case Op::CSRRC:
  case Op::CSRRWI: case Op::CSRRSI: case Op::CSRRCI:
    return in.imm >= kCsrFflags && in.imm <= kCsrFcsr;
  default:
    return false;
  }
}

Insn decode(uint64_t pc, uint32_t raw) {
  if (insnLength(raw & 0xffff) == 2)
    return decodeCompressed(pc, raw & 0xffff);

  Insn in{};
  in.pc = pc;
  in.raw = raw;
  in.len = 4;
  in.op = Op::ILLEGAL;
  in.rd = bits(raw, 11, 7);
  in.rs1 = bits(raw, 19, 15);
  in.rs2 = bits(raw, 24, 20);
  in.rs3 = bits(raw, 31, 27);
  in.rm = bits(raw, 14, 12);
  for (const TableEntry *e : buckets().bucket[raw & 0x7f]) {
    if ((raw & e->enc.mask) != e->enc.match)
      continue;
    if ((e->flags & kHasRm) && (in.rm == 5 || in.rm == 6))
      break; // reserved rounding mode
    in.op = e->op;
    in.imm = immediate(e->format, raw);
    break;
  }
  return in;
}

} // namespace xlat::rv
