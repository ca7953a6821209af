#include "lifter/aarch64/decoder.h"

#include "lifter/core/bit_pattern.h"

#include <array>
#include <vector>

namespace xlat::a64 {
namespace {

enum class Format : uint8_t {
  PcRel, AddSubImm, LogicalImm, MoveWide, Bitfield, Extract,
  Branch26, CondBranch, CompBranch, TestBranch, BranchReg, Exception, Hint,
  Barrier, SysReg,
  LogicalReg, AddSubShift, AddSubExt, Carry, CondCmpReg, CondCmpImm,
  CondSelect, Dp1, Dp2, Crc, Dp3,
  LdStUImm, LdStImm9, LdStReg, LdLiteral, LdStPair, Exclusive, Atomic,
  FpDp1, FpDp2, FpDp3, FpMovGen, FpImm, FpCondSel, FpCmp, FpCondCmp, FpCvtInt,
  SimdSame, SimdSameBHS, SimdSameHS, SimdLogic, SimdSameScalar, SimdSameScalarD,
  SimdSameScalarHS, SimdPairScalar,
  SimdMisc, SimdMiscBHS, SimdMiscBH, SimdMiscB, SimdMiscNarrow, SimdMiscScalar,
  SimdMiscScalarD, SimdMiscScalarNarrow, SimdAcross,
  SimdDiff, SimdDiffHS, SimdDiffScalar, SimdElem, SimdElemScalar,
  SimdShiftR, SimdShiftRScalar, SimdShiftL, SimdShiftLScalar, SimdShiftLScalarD,
  SimdShiftNarrow, SimdShiftNarrowScalar, SimdShiftLong,
  SimdModImm, SimdCopy, SimdCopyScalar, SimdExt, SimdTbl, SimdLdStMulti, SimdLdStLane,
  FpCvtFixed, SimdFp, SimdFpScalar, SimdFpPairScalar, SimdFpAcross, SimdFpWidth, SimdFpElem,
  SimdFpElemScalar, SimdShiftFp, SimdShiftFpScalar, SimdFpWidthScalar, FpCvtHalf,
};

struct TableEntry {
  Op op;
  BitPattern enc;
  Format format;
};

constexpr TableEntry kTable[] = {
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) {Op::ID, parseBitPattern(PAT, 31), Format::FMT},
#define A64_FORM(ID, PAT, FMT) {Op::ID, parseBitPattern(PAT, 31), Format::FMT},
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
};

// Every pattern must spell out exactly 32 bits.
#define A64_INSN(ID, MN, PAT, FMT, FLAGS)                                      \
  static_assert(countPatternBits(PAT) == 32, "bad pattern for " #ID);
#define A64_FORM(ID, PAT, FMT)                                                 \
  static_assert(countPatternBits(PAT) == 32, "bad pattern for " #ID);
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN

struct OpInfo {
  std::string_view mnemonic = "illegal";
  uint32_t flags = kEndsBlock;
};

constexpr std::array<OpInfo, static_cast<size_t>(Op::NumOps)> kOpInfo = [] {
  std::array<OpInfo, static_cast<size_t>(Op::NumOps)> info{};
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) info[static_cast<size_t>(Op::ID)] = {MN, FLAGS};
#define A64_FORM(ID, PAT, FMT)
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
  return info;
}();

// Candidates per top-level group (bits 28:25), the most specific pattern
// first, so that a lookup scans a few entries.
struct GroupBuckets {
  std::array<std::vector<const TableEntry *>, 16> bucket;
  GroupBuckets() {
    constexpr uint32_t kGroup = 0xfu << 25;
    for (const TableEntry &e : kTable)
      for (uint32_t g = 0; g < 16; g++)
        if (((g << 25) & e.enc.mask & kGroup) == (e.enc.match & kGroup))
          bucket[g].push_back(&e);
    for (auto &b : bucket)
      mostSpecificFirst(b);
  }
};
const GroupBuckets &buckets() {
  static const GroupBuckets b;
  return b;
}

// A load or store of a SIMD&FP register (the V bit).
constexpr bool simdFp(uint32_t w) { return bits(w, 26, 26); }
// An access's log2 bytes: its size field, or 4 (Q) for a SIMD&FP register
// with opc's top bit set.
constexpr unsigned accessSize(uint32_t w) {
  return simdFp(w) && bits(w, 23, 23) ? 4 : bits(w, 31, 30);
}

// VFPExpandImm: fmov's 8-bit immediate as the bits of a single (size 2) or
// double (size 3).
uint64_t fpImmediate(uint32_t imm8, unsigned size) {
  uint64_t sign = imm8 >> 7, b6 = (imm8 >> 6) & 1, low = imm8 & 0x3f;
  if (size == 2) // sign, NOT(b6), b6 x5, imm8<5:0>, zeros(19)
    return sign << 31 | (b6 ^ 1) << 30 | (b6 ? 0x1full : 0) << 25 | low << 19;
  return sign << 63 | (b6 ^ 1) << 62 | (b6 ? 0xffull : 0) << 54 | low << 48;
}

// AdvSIMDExpandImm: a modified immediate's op:cmode and abcdefgh as 64
// bits (a 128-bit vector repeats them).
uint64_t simdImmediate(unsigned op, unsigned cmode, uint64_t imm8) {
  auto replicate = [](uint64_t v, unsigned bits) {
    for (unsigned w = bits; w < 64; w *= 2)
      v |= v << w;
    return v;
  };
  switch (cmode >> 1) {
  case 0: case 1: case 2: case 3: // 32-bit lanes, imm8 shifted by 0, 8, 16 or 24
    return replicate(imm8 << (8 * (cmode >> 1)), 32);
  case 4: case 5: // 16-bit lanes, shifted by 0 or 8
    return replicate(imm8 << (8 * ((cmode >> 1) & 1)), 16);
  case 6: // 32-bit lanes, shifting ones in
    return replicate(cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff, 32);
  default:
    if (!(cmode & 1)) { // 8-bit lanes, or with op a byte mask of 64 bits
      if (!op)
        return replicate(imm8, 8);
      uint64_t v = 0;
      for (unsigned b = 0; b < 8; b++)
        if ((imm8 >> b) & 1)
          v |= uint64_t(0xff) << (8 * b);
      return v;
    }
    if (!op) // fmov of a single to each 32-bit lane
      return replicate(fpImmediate(unsigned(imm8), 2), 32);
    return fpImmediate(unsigned(imm8), 3);
  }
}

// The highest set bit of a nonzero value.
constexpr unsigned highestBit(uint32_t v) { return 31 - __builtin_clz(v); }

// Reads the fields `f` says into `in`; false for an encoding the
// architecture leaves unallocated or reserved within the pattern.
bool readFields(Format f, uint32_t w, Insn &in) {
  in.sf = bits(w, 31, 31);
  switch (f) {
  case Format::PcRel:
    in.sf = 1;
    in.imm = sext(bits(w, 23, 5) << 2 | bits(w, 30, 29), 21);
    if (in.op == Op::ADRP)
      in.imm *= 4096;
    return true;
  case Format::AddSubImm:
    in.form = Form::Immediate;
    in.imm = int64_t(bits(w, 21, 10)) << (bits(w, 22, 22) ? 12 : 0);
    return true;
  case Format::LogicalImm: {
    in.form = Form::Immediate;
    uint64_t mask;
    if (!logicalImmediate(bits(w, 22, 22), bits(w, 15, 10), bits(w, 21, 16),
                          in.sf ? 64 : 32, mask))
      return false;
    in.imm = int64_t(mask);
    return true;
  }
  case Format::MoveWide:
    in.imm = bits(w, 20, 5);
    in.amount = bits(w, 22, 21) * 16;
    return in.sf || in.amount < 32;
  case Format::Bitfield: {
    in.amount = bits(w, 21, 16);
    in.imms = bits(w, 15, 10);
    if (bits(w, 22, 22) != in.sf || (!in.sf && (in.amount >= 32 || in.imms >= 32)))
      return false;
    // The bits the moved field lands in (DecodeBitMasks' wmask & tmask),
    // made here once rather than by every run of the instruction.
    unsigned width = in.sf ? 64 : 32, r = in.amount, s = in.imms;
    auto ones = [](unsigned n) { return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1; };
    uint64_t field = ones(s + 1);
    uint64_t wmask = r ? ((field >> r) | (field << (width - r))) & ones(width) : field;
    in.imm = int64_t(wmask & ones(((s - r) & (width - 1)) + 1));
    return true;
  }
  case Format::Extract:
    in.amount = bits(w, 15, 10);
    return bits(w, 22, 22) == in.sf && (in.sf || in.amount < 32);
  case Format::Branch26:
    in.imm = sext(bits(w, 25, 0), 26) * 4;
    return true;
  case Format::CondBranch:
    in.imm = sext(bits(w, 23, 5), 19) * 4;
    in.cond = bits(w, 3, 0);
    return true;
  case Format::CompBranch:
    in.imm = sext(bits(w, 23, 5), 19) * 4;
    return true;
  case Format::TestBranch:
    in.imms = bits(w, 31, 31) << 5 | bits(w, 23, 19);
    in.imm = sext(bits(w, 18, 5), 14) * 4;
    return true;
  case Format::BranchReg:
    in.sf = 1;
    return true;
  case Format::Exception:
    in.imm = bits(w, 20, 5);
    return true;
  case Format::Hint:
    in.imm = bits(w, 11, 5);
    return true;
  case Format::Barrier:
    in.imm = bits(w, 11, 8);
    return true;
  case Format::SysReg:
    in.sf = 1;
    in.imm = bits(w, 19, 5);
    return true;
  case Format::LogicalReg:
    in.form = Form::Shifted;
    in.shift = bits(w, 23, 22);
    in.amount = bits(w, 15, 10);
    return in.sf || in.amount < 32;
  case Format::AddSubShift:
    in.form = Form::Shifted;
    in.shift = bits(w, 23, 22);
    in.amount = bits(w, 15, 10);
    return in.shift != 3 && (in.sf || in.amount < 32);
  case Format::AddSubExt:
    in.form = Form::Extended;
    in.shift = bits(w, 15, 13);
    in.amount = bits(w, 12, 10);
    return in.amount <= 4;
  case Format::CondSelect:
    in.cond = bits(w, 15, 12);
    return true;
  case Format::Carry:
  case Format::Dp1:
  case Format::Dp2:
    return true;
  case Format::CondCmpReg:
  case Format::CondCmpImm:
    in.form = f == Format::CondCmpImm ? Form::Immediate : Form::Shifted;
    in.imm = f == Format::CondCmpImm ? bits(w, 20, 16) : 0;
    in.cond = bits(w, 15, 12);
    in.nzcv = bits(w, 3, 0);
    return true;
  case Format::Crc:
    in.size = bits(w, 11, 10);
    return (in.size == 3) == (in.sf == 1); // crc32x takes X registers only

  case Format::Dp3:
    return true;
  case Format::LdStUImm:
    in.size = accessSize(w);
    in.mode = Mode::Offset;
    in.imm = int64_t(bits(w, 21, 10)) << in.size;
    return true;
  case Format::LdStImm9: {
    static constexpr Mode kModes[] = {Mode::Offset, Mode::PostIndex, Mode::Unprivileged,
                                      Mode::PreIndex};
    in.size = accessSize(w);
    in.mode = kModes[bits(w, 11, 10)];
    in.imm = sext(bits(w, 20, 12), 9);
    return !(simdFp(w) && in.mode == Mode::Unprivileged);
  }
  case Format::LdStReg:
    in.size = accessSize(w);
    in.mode = Mode::RegOffset;
    in.form = Form::Extended;
    in.shift = bits(w, 15, 13);
    in.amount = bits(w, 12, 12) ? in.size : 0;
    return in.shift & 2; // UXTW, LSL (UXTX), SXTW, SXTX
  case Format::LdLiteral:
    in.size = simdFp(w) ? 2 + bits(w, 31, 30) : bits(w, 31, 30) == 1 ? 3 : 2;
    in.mode = Mode::Literal;
    in.imm = sext(bits(w, 23, 5), 19) * 4;
    return in.size <= 4;
  case Format::LdStPair: {
    static constexpr Mode kModes[] = {Mode::NonTemporal, Mode::PostIndex, Mode::Offset,
                                      Mode::PreIndex};
    in.size = simdFp(w) ? 2 + bits(w, 31, 30) : bits(w, 31, 30) == 2 ? 3 : 2;
    in.mode = kModes[bits(w, 24, 23)];
    in.imm = sext(bits(w, 21, 15), 7) << in.size;
    return in.size <= 4;
  }
  case Format::Exclusive:
    in.size = bits(w, 31, 30);
    in.mode = Mode::Offset;
    switch (in.op) {
    case Op::STXP: case Op::STLXP: case Op::LDXP: case Op::LDAXP:
      in.size = 2 + bits(w, 30, 30);
      break;
    case Op::CASP:
      // A pair of registers from an even one.
      in.size = 2 + bits(w, 30, 30);
      if ((in.rm | in.rd) & 1)
        return false;
      break;
    default:
      break;
    }
    switch (in.op) {
    case Op::LDAXR: case Op::LDAXP: case Op::LDAR: in.order = kAcquire; break;
    case Op::STLXR: case Op::STLXP: case Op::STLR: in.order = kRelease; break;
    case Op::CAS: case Op::CASP:
      in.order = (bits(w, 22, 22) ? kAcquire : 0) | (bits(w, 15, 15) ? kRelease : 0);
      break;
    default: break;
    }
    return true;
  // Scalar FP: ftype 00 single, 01 double (size 2, 3); 11 (half) needs
  // FP16 and 10 is unallocated.
  case Format::FpDp1:
  case Format::FpDp2:
  case Format::FpDp3:
  case Format::FpCvtInt:
  case Format::FpCondSel:
  case Format::FpCmp:
  case Format::FpCondCmp:
  case Format::FpImm: {
    unsigned ftype = bits(w, 23, 22);
    in.size = 2 + ftype;
    in.cond = bits(w, 15, 12);
    in.nzcv = bits(w, 3, 0);
    if (f == Format::FpImm)
      in.imm = int64_t(fpImmediate(bits(w, 20, 13), in.size));
    if (f == Format::FpCmp) // against #0.0 (opcode2<3>; Rm ignored), signalling (<4>)
      in.imms = bits(w, 4, 3);
    if (f == Format::FpCondCmp)
      in.imms = bits(w, 4, 4) << 1;
    // The arithmetic is AdvSIMD's on one lane.
    in.scalar = f == Format::FpDp1 || f == Format::FpDp2 || f == Format::FpDp3;
    return ftype <= 1;
  }
  // Fixed point: scale 64 - fbits; a W register takes at most 32.
  case Format::FpCvtFixed: {
    unsigned ftype = bits(w, 23, 22), scale = bits(w, 15, 10);
    in.size = 2 + ftype;
    in.imms = uint8_t(64 - scale);
    return ftype <= 1 && (in.sf || scale >= 32);
  }
  // AdvSIMD FP: sz (bit 22) singles or doubles; doubles need Q.
  case Format::SimdFp:
    in.q = bits(w, 30, 30);
    in.size = 2 + bits(w, 22, 22);
    return in.size == 2 || in.q;
  case Format::SimdFpScalar:
  case Format::SimdFpPairScalar:
    in.scalar = 1;
    in.size = 2 + bits(w, 22, 22);
    return true;
  case Format::SimdFpAcross:
    in.q = 1;
    in.size = 2;
    return true;
  case Format::SimdFpWidth: // size: the narrow lanes' (halves or singles)
    in.q = bits(w, 30, 30);
    in.size = 1 + bits(w, 22, 22);
    return true;
  case Format::SimdFpWidthScalar:
    in.scalar = 1;
    in.size = 2;
    return true;
  case Format::FpCvtHalf:
    in.scalar = 1;
    return true;
  case Format::SimdFpElem:
  case Format::SimdFpElemScalar: {
    bool scalar = f == Format::SimdFpElemScalar;
    unsigned sz = bits(w, 22, 22), h = bits(w, 11, 11), l = bits(w, 21, 21);
    in.q = scalar ? 0 : bits(w, 30, 30);
    in.scalar = scalar;
    in.size = 2 + sz;
    in.imms = uint8_t(sz ? h : h << 1 | l);
    return !(sz && l) && (scalar || !sz || in.q);
  }
  case Format::SimdShiftFp:
  case Format::SimdShiftFpScalar: {
    unsigned immh = bits(w, 22, 19), immhb = bits(w, 22, 16);
    bool scalar = f == Format::SimdShiftFpScalar;
    if (immh < 4)
      return false; // B and H lanes: the modified immediates, or FP16
    in.size = uint8_t(highestBit(immh));
    in.q = scalar ? 0 : bits(w, 30, 30);
    in.scalar = scalar;
    in.imm = 2 * (8 << in.size) - immhb;
    return scalar || in.size == 2 || in.q;
  }
  // fmov between general and SIMD&FP registers: W and S, X and D, X and
  // the upper half of V (ftype 10, rmode 01: size 4).
  case Format::FpMovGen: {
    unsigned ftype = bits(w, 23, 22), rmode = bits(w, 20, 19);
    if (ftype == 2)
      in.size = 4;
    else
      in.size = 2 + ftype;
    return (in.sf ? (ftype == 1 && rmode == 0) || (ftype == 2 && rmode == 1)
                  : ftype == 0 && rmode == 0);
  }
  // AdvSIMD. A D-lane vector needs Q; the scalar forms have one lane.
  case Format::SimdSame:
  case Format::SimdMisc:
    in.q = bits(w, 30, 30);
    in.size = bits(w, 23, 22);
    return in.size != 3 || in.q;
  case Format::SimdSameBHS:
  case Format::SimdMiscBHS:
  case Format::SimdMiscNarrow: // size: the narrow lanes'
  case Format::SimdDiff:
    in.q = bits(w, 30, 30);
    in.size = bits(w, 23, 22);
    return in.size != 3;
  case Format::SimdSameHS:
  case Format::SimdDiffHS:
    in.q = bits(w, 30, 30);
    in.size = bits(w, 23, 22);
    return in.size == 1 || in.size == 2;
  case Format::SimdMiscBH:
    in.q = bits(w, 30, 30);
    in.size = bits(w, 23, 22);
    return in.size <= 1;
  case Format::SimdLogic:
  case Format::SimdMiscB:
    in.q = bits(w, 30, 30);
    in.size = 0;
    return true;
  case Format::SimdSameScalar:
  case Format::SimdMiscScalar:
    in.scalar = 1;
    in.size = bits(w, 23, 22);
    return true;
  case Format::SimdSameScalarD:
  case Format::SimdMiscScalarD:
  case Format::SimdPairScalar:
    in.scalar = 1;
    in.size = bits(w, 23, 22);
    return in.size == 3;
  case Format::SimdSameScalarHS:
  case Format::SimdDiffScalar:
    in.scalar = 1;
    in.size = bits(w, 23, 22);
    return in.size == 1 || in.size == 2;
  case Format::SimdMiscScalarNarrow:
    in.scalar = 1;
    in.size = bits(w, 23, 22);
    return in.size != 3;
  case Format::SimdAcross:
    in.q = bits(w, 30, 30);
    in.size = bits(w, 23, 22);
    return in.size < 2 || (in.size == 2 && in.q);
  case Format::SimdElem:
  case Format::SimdElemScalar: {
    in.q = f == Format::SimdElem ? bits(w, 30, 30) : 0;
    in.scalar = f == Format::SimdElemScalar;
    in.size = bits(w, 23, 22);
    unsigned h = bits(w, 11, 11), l = bits(w, 21, 21), m = bits(w, 20, 20);
    if (in.size == 1) {
      in.imms = uint8_t(h << 2 | l << 1 | m);
      in.rm = bits(w, 19, 16);
    } else {
      in.imms = uint8_t(h << 1 | l);
    }
    return in.size == 1 || in.size == 2;
  }
  case Format::SimdShiftR:
  case Format::SimdShiftRScalar:
  case Format::SimdShiftL:
  case Format::SimdShiftLScalar:
  case Format::SimdShiftLScalarD:
  case Format::SimdShiftNarrow:
  case Format::SimdShiftNarrowScalar:
  case Format::SimdShiftLong: {
    unsigned immh = bits(w, 22, 19), immhb = bits(w, 22, 16);
    if (!immh)
      return false; // the modified-immediate space
    in.q = bits(w, 30, 30);
    in.size = uint8_t(highestBit(immh));
    unsigned esize = 8u << in.size;
    bool right = f == Format::SimdShiftR || f == Format::SimdShiftRScalar ||
                 f == Format::SimdShiftNarrow || f == Format::SimdShiftNarrowScalar;
    in.imm = right ? 2 * esize - immhb : immhb - esize;
    switch (f) {
    case Format::SimdShiftR:
    case Format::SimdShiftL:
      return in.size != 3 || in.q;
    case Format::SimdShiftRScalar:
    case Format::SimdShiftLScalarD:
      in.scalar = 1, in.q = 0;
      return in.size == 3;
    case Format::SimdShiftLScalar:
      in.scalar = 1, in.q = 0;
      return true;
    case Format::SimdShiftNarrowScalar:
      in.scalar = 1, in.q = 0;
      return in.size != 3;
    default: // narrowing and lengthening: the narrow lanes are B, H or S
      return in.size != 3;
    }
  }
  case Format::SimdModImm: {
    unsigned op = bits(w, 29, 29), cmode = bits(w, 15, 12);
    in.q = bits(w, 30, 30);
    uint64_t imm8 = bits(w, 18, 16) << 5 | bits(w, 9, 5);
    uint64_t v = simdImmediate(op, cmode, imm8);
    in.imm = int64_t(in.op == Op::MVNI ? ~v : v);
    return true;
  }
  case Format::SimdCopy:
  case Format::SimdCopyScalar: {
    unsigned imm5 = bits(w, 20, 16);
    if (!(imm5 & 0xf))
      return false;
    in.q = bits(w, 30, 30);
    in.size = uint8_t(__builtin_ctz(imm5));
    in.imms = uint8_t(imm5 >> (in.size + 1));
    in.amount = uint8_t(bits(w, 14, 11) >> in.size); // ins (element)'s source lane
    if (f == Format::SimdCopyScalar) {
      in.scalar = 1, in.q = 0;
      return true;
    }
    switch (in.op) {
    case Op::DUP_ELEM: case Op::DUP_GEN: return in.size != 3 || in.q;
    case Op::SMOV: return in.size < 2 + in.q; // into W: B, H; into X: B, H, S
    case Op::UMOV: return in.q ? in.size == 3 : in.size < 3;
    default: return true; // ins
    }
  }
  case Format::SimdExt:
    in.q = bits(w, 30, 30);
    in.imm = bits(w, 14, 11);
    return in.q || in.imm < 8;
  case Format::SimdTbl:
    in.q = bits(w, 30, 30);
    in.ra = uint8_t(bits(w, 14, 13) + 1);
    return true;
  case Format::SimdLdStMulti: {
    // opcode: the structure's lanes and the registers.
    static constexpr uint8_t kLanes[16] = {4, 0, 1, 0, 3, 0, 1, 1, 2, 0, 1};
    static constexpr uint8_t kRegs[16] = {4, 0, 4, 0, 3, 0, 3, 1, 2, 0, 2};
    unsigned opcode = bits(w, 15, 12);
    in.q = bits(w, 30, 30);
    in.size = bits(w, 11, 10);
    in.imms = kLanes[opcode];
    in.ra = kRegs[opcode];
    in.mode = bits(w, 23, 23) ? Mode::PostIndex : Mode::Offset;
    in.imm = in.ra * (in.q ? 16 : 8);
    return in.imms && (in.size != 3 || in.q || in.imms == 1);
  }
  case Format::SimdLdStLane: {
    unsigned opcode = bits(w, 15, 13), s = bits(w, 12, 12), size = bits(w, 11, 10);
    unsigned scale = opcode >> 1;
    in.q = bits(w, 30, 30);
    in.imms = uint8_t(((opcode & 1) << 1 | bits(w, 21, 21)) + 1);
    in.ra = in.imms;
    in.mode = bits(w, 23, 23) ? Mode::PostIndex : Mode::Offset;
    unsigned index = in.q << 3 | s << 2 | size;
    switch (scale) {
    case 0: break;
    case 1:
      if (size & 1)
        return false;
      index >>= 1;
      break;
    case 2:
      if (size & 2)
        return false;
      if (size & 1) {
        if (s)
          return false;
        scale = 3;
        index >>= 3;
      } else {
        index >>= 2;
      }
      break;
    default: // replicate: every lane, loads only
      if (s || !bits(w, 22, 22))
        return false;
      scale = size;
      index = 0;
      break;
    }
    in.size = uint8_t(scale);
    in.amount = uint8_t(index);
    in.imm = int64_t(in.imms) << scale;
    return true;
  }
  case Format::Atomic:
    in.size = bits(w, 31, 30);
    in.mode = Mode::Offset;
    in.order = (bits(w, 23, 23) ? kAcquire : 0) | (bits(w, 22, 22) ? kRelease : 0);
    return true;
  }
  return false;
}

} // namespace

bool fetchInsn(CodeReader &code, uint64_t pc, Insn &out) {
  uint32_t raw;
  if ((pc & 3) || !code.read(pc, &raw, 4))
    return false;
  out = decode(pc, raw);
  return true;
}

bool logicalImmediate(unsigned n, unsigned imms, unsigned immr, unsigned width,
                      uint64_t &mask) {
  unsigned combined = (n << 6) | (~imms & 0x3f);
  if (combined < 2)
    return false; // no element size: len < 1
  unsigned len = 31 - __builtin_clz(combined);
  unsigned esize = 1u << len;
  if (esize > width)
    return false;
  unsigned levels = esize - 1;
  unsigned s = imms & levels, r = immr & levels;
  if (s == levels)
    return false; // all ones: reserved
  uint64_t elem = (uint64_t(1) << (s + 1)) - 1;
  uint64_t emask = esize == 64 ? ~uint64_t(0) : (uint64_t(1) << esize) - 1;
  if (r)
    elem = ((elem >> r) | (elem << (esize - r))) & emask;
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i += esize)
    v |= elem << i;
  mask = v;
  return true;
}

std::string_view mnemonic(Op op) { return kOpInfo[static_cast<size_t>(op)].mnemonic; }
uint32_t flags(Op op) { return kOpInfo[static_cast<size_t>(op)].flags; }

Insn decode(uint64_t pc, uint32_t raw) {
  Insn in{};
  in.pc = pc;
  in.raw = raw;
  in.op = Op::ILLEGAL;
  for (const TableEntry *e : buckets().bucket[bits(raw, 28, 25)]) {
    if ((raw & e->enc.mask) != e->enc.match)
      continue;
    Insn d = in;
    d.op = e->op;
    d.rd = bits(raw, 4, 0);
    d.rn = bits(raw, 9, 5);
    d.rm = bits(raw, 20, 16);
    d.ra = bits(raw, 14, 10);
    if (readFields(e->format, raw, d))
      return d;
    break; // the encoding's own pattern says it is unallocated
  }
  return in;
}

} // namespace xlat::a64
