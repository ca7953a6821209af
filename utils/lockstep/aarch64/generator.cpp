#include "utils/lockstep/aarch64/generator.h"

#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/state.h"
#include "lifter/core/bit_pattern.h"

#include <algorithm>

namespace xlat::lockstep::aarch64 {
namespace {

using a64::Op;

constexpr uint32_t kSvc0 = 0xd4000001;
constexpr uint32_t kNop = 0xd503201f;

// The system registers streams read and write, and one of each kind that
// EL0 cannot reach (an illegal-instruction trap in every engine). Never
// CNTVCT_EL0: it differs between any two runs.
constexpr int64_t kReadable[] = {
    a64::kSysNzcv,  a64::kSysFpcr,       a64::kSysFpsr,         a64::kSysTpidrEl0,
    a64::kSysCntfrqEl0, a64::kSysCtrEl0, a64::kSysDczidEl0,     a64::kSysMidrEl1,
    a64::kSysMpidrEl1, a64::kSysIdAa64Pfr0El1, a64::kSysIdAa64Isar0El1,
    a64::sysReg(3, 0, 0, 7, 0),  // ID_AA64MMFR0_EL1: read as zero
};
constexpr int64_t kWritable[] = {a64::kSysNzcv, a64::kSysFpcr, a64::kSysFpsr,
                                 a64::kSysTpidrEl0};
constexpr int64_t kUnreachable = a64::sysReg(3, 0, 1, 0, 0); // SCTLR_EL1
// dc zva and the cache maintenance EL0 may do; ic ivau ends the run.
constexpr int64_t kSysOps[] = {a64::kSysDcZva, a64::kSysDcZva, a64::kSysDcCvac,
                               a64::kSysDcCvau, a64::kSysDcCivac, a64::kSysIcIvau};

uint32_t put(uint32_t raw, unsigned hi, unsigned lo, uint64_t v) {
  uint32_t m = uint32_t(((1ull << (hi - lo + 1)) - 1) << lo);
  return (raw & ~m) | ((uint32_t(v) << lo) & m);
}

Group groupOf(uint32_t match) {
  if (!(match >> 27 & 1))
    return (match >> 26 & 7) == 0b100 ? Group::DpImm : Group::Branch;
  if (!(match >> 25 & 1))
    return Group::LdSt;
  return (match >> 26 & 1) ? Group::FpSimd : Group::DpReg;
}

// The formats whose instructions access memory at [Rn...].
bool isAccess(std::string_view format) {
  static constexpr std::string_view kAccess[] = {
      "LdStUImm", "LdStImm9", "LdStReg", "LdStPair",
      "Exclusive", "Atomic", "SimdLdStMulti", "SimdLdStLane"};
  return std::find(std::begin(kAccess), std::end(kAccess), format) != std::end(kAccess);
}

bool isDataBase(unsigned r) {
  return std::find(std::begin(kDataBases), std::end(kDataBases), r) != std::end(kDataBases);
}
// The general registers a stream may not write at will (sp is 31, which
// most instructions read as xzr).
bool isReserved(unsigned r) { return r == 20 || r == 21 || r == kEndReg; }

unsigned pickBase(Rng &rng) { return kDataBases[rng.below(std::size(kDataBases))]; }

unsigned pickFreeReg(Rng &rng) {
  for (;;) {
    unsigned r = rng.below(32);
    if (!isReserved(r))
      return r;
  }
}

// Whether `in` writes sp (register 31 of the forms that name sp, not xzr).
bool writesSp(const a64::Insn &in) {
  switch (in.op) {
  case Op::ADD_IMM:
  case Op::SUB_IMM:
  case Op::AND_IMM:
  case Op::ORR_IMM:
  case Op::EOR_IMM: return in.rd == kSp;
  case Op::ADD_REG:
  case Op::SUB_REG: return in.form == a64::Form::Extended && in.rd == kSp;
  default: return false;
  }
}

// `add/sub base, base, #small`: moves a data base without leaving the region.
bool isBaseDrift(const a64::Insn &in) {
  return (in.op == Op::ADD_IMM || in.op == Op::SUB_IMM) && in.sf && in.rd == in.rn &&
         isDataBase(in.rd) && in.imm % 16 == 0 && in.imm <= 512;
}

// Whether `in` may write a reserved register. Every general register an
// instruction writes is named by its Rd/Rt field, a pair's Rt2 (ra), or
// the Rs (rm) of an exclusive store or a compare and swap (a CASP's pairs
// start at an even register). Conservative: it also refuses reserved
// registers as those fields' sources, and V registers of the same numbers
// as destinations. A sys instruction only reads its Rt.
bool mayWriteReserved(const a64::Insn &in, std::string_view format) {
  if (in.op == Op::SYS)
    return false;
  bool pair = format == "LdStPair" || format == "Exclusive";
  return isReserved(in.rd) || (pair && isReserved(in.ra)) ||
         (format == "Exclusive" && isReserved(in.rm));
}

bool isTrap(Op op) { return op == Op::SVC || op == Op::BRK; }

} // namespace

bool parseGroups(std::string_view list, GroupSet &out) {
  static constexpr std::string_view kNames[] = {"dpimm", "branch", "ldst", "dpreg", "fpsimd"};
  out = 0;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    auto it = std::find(std::begin(kNames), std::end(kNames), name);
    if (it == std::end(kNames))
      return false;
    out |= 1u << (it - std::begin(kNames));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return out != 0;
}

std::vector<Encoding> selectEncodings(GroupSet groups) {
  std::vector<Encoding> all;
#define A64_INSN(ID, MN, PAT, FMT, FLAGS)                                       \
  all.push_back({MN, #FMT, parseBitPattern(PAT, 31).mask, parseBitPattern(PAT, 31).match, \
                 Op::ID, groupOf(parseBitPattern(PAT, 31).match)});
#define A64_FORM(ID, PAT, FMT)                                                   \
  all.push_back({a64::mnemonic(Op::ID), #FMT, parseBitPattern(PAT, 31).mask,    \
                 parseBitPattern(PAT, 31).match, Op::ID,                        \
                 groupOf(parseBitPattern(PAT, 31).match)});
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
  std::vector<Encoding> out;
  for (const Encoding &e : all)
    if (groups & (1u << unsigned(e.group)))
      out.push_back(e);
  return out;
}

bool Generator::acceptable(const a64::Insn &in, const Encoding &e,
                           const Slot &cx) const {
  if (in.op != e.op)
    return false;
  if (isBaseDrift(in))
    return true;
  if (mayWriteReserved(in, e.format) || writesSp(in))
    return false;
  if (isAccess(e.format) && !isDataBase(in.rn))
    return false;
  switch (in.op) {
  case Op::BR:
  case Op::BLR:
  case Op::RET: return in.rn == kEndReg;
  case Op::B:
  case Op::BL:
  case Op::B_COND:
  case Op::CBZ:
  case Op::CBNZ:
  case Op::TBZ:
  case Op::TBNZ: return in.imm > 0 && cx.allows(cx.offsetTo(in.imm));
  case Op::SYS: return in.rd == 20 || in.rd == 21;
  case Op::MRS: return in.imm != a64::kSysCntvctEl0;
  default: return true;
  }
}

// Random field bits, then the fields the constraints name are set directly;
// the decoded result is checked all the same.
bool Generator::draw(Rng &rng, const Encoding &e, const Slot &cx,
                     uint32_t &out) const {
  for (int tries = 0; tries < 16; ++tries) {
    uint32_t raw = (uint32_t(rng.next()) & ~e.mask) | e.match;
    if (isAccess(e.format))
      raw = put(raw, 9, 5, pickBase(rng));
    // Offsets that stay in the region most of the time: a scaled imm12
    // reaches 64 KiB past the base, and an index or post-index register
    // holds anything (31 is xzr, or for structures the bytes moved).
    if (e.format == "LdStUImm")
      raw = put(raw, 21, 10, rng.below(64));
    constexpr uint32_t kRm = 0x1fu << 16;
    if ((e.format == "LdStReg" || e.format.substr(0, 8) == "SimdLdSt") && !(e.mask & kRm) &&
        rng.chance(3, 4))
      raw |= kRm;
    int64_t words = cx.offsetTo(cx.targets.empty() ? 0 : rng.pick(cx.targets)) / 4;
    bool unreachable = rng.chance(1, 32);
    switch (e.op) {
    case Op::B:
    case Op::BL: raw = put(raw, 25, 0, words); break;
    case Op::B_COND:
    case Op::CBZ:
    case Op::CBNZ: raw = put(raw, 23, 5, words); break;
    case Op::TBZ:
    case Op::TBNZ: raw = put(raw, 18, 5, words); break;
    case Op::BR:
    case Op::BLR:
    case Op::RET: raw = put(raw, 9, 5, kEndReg); break;
    // The system register is imm, bits 19:5.
    case Op::MRS:
      raw = put(raw, 19, 5,
                unreachable ? kUnreachable : kReadable[rng.below(std::size(kReadable))]);
      break;
    case Op::MSR_REG:
      raw = put(raw, 19, 5,
                unreachable ? kUnreachable : kWritable[rng.below(std::size(kWritable))]);
      break;
    case Op::SYS:
      raw = put(raw, 19, 5, unreachable ? a64::sysReg(1, 0, 7, 6, 1) // dc ivac: EL1's
                                        : kSysOps[rng.below(std::size(kSysOps))]);
      raw = put(raw, 4, 0, 20 + rng.below(2));
      break;
    case Op::ADD_IMM:
    case Op::SUB_IMM:
      if (rng.chance(1, 4)) { // sf 1, sh 0, imm12 16 * k, Rd = Rn = a base
        unsigned b = pickBase(rng);
        raw = put(put(put(put(put(raw, 31, 31, 1), 22, 22, 0), 21, 10, 16 * rng.below(33)),
                      9, 5, b), 4, 0, b);
      }
      break;
    default: break;
    }
    a64::Insn in = a64::decode(0, raw);
    if (in.op == e.op && !isBaseDrift(in) && isReserved(in.rd) && in.op != Op::SYS) {
      raw = put(raw, 4, 0, pickFreeReg(rng));
      in = a64::decode(0, raw);
    }
    if (acceptable(in, e, cx)) {
      out = raw;
      return true;
    }
  }
  return false;
}

Stream Generator::generate(Rng &rng, uint64_t pc, unsigned n) const {
  return drawStream(pc, n, {0, kNop, 4, -1}, {0, kSvc0, 4, -1},
                    [&](Slot &cx, StreamInsn &si) {
    for (int tries = 0; tries < 100; ++tries) {
      int idx = int(rng.below(encodings_.size()));
      const Encoding &e = encodings_[idx];
      // Traps end the run, and so does a literal load (the stream is
      // outside the scratch region): keep them rare so streams run long.
      if ((isTrap(e.op) || e.format == "LdLiteral") && !rng.chance(1, 16))
        continue;
      uint32_t raw;
      if (draw(rng, e, cx, raw)) {
        si = {0, raw, 4, idx};
        return true;
      }
    }
    return false;
  });
}

} // namespace xlat::lockstep::aarch64
