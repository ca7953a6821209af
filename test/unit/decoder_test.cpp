// RV64GC decoder tests: hand-written RVC expansions, and cross-checks of the
// decoder against LLVM's RISC-V disassembler (every 16-bit encoding, and a
// fixed-seed sample of 32-bit encodings per major opcode).
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/rvc.h"

#include "test/unit/llvm_mc.h"

#include "llvm/MC/MCInstPrinter.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace xlat::rv;

namespace {

// ---------------------------------------------------------------------------
// The oracle: LLVM's MC disassembler for riscv64 with RV64GC. G includes
// Zicsr and Zifencei, which LLVM 19 lists as separate features.

struct LlvmDisasm {
  std::string mnemonic; // with "no-aliases": c.addi, amoadd.w.aq, ...
  std::string text;     // default printing: uncompressed, aliases applied
  // Integer registers among its operands: those it defines, those it uses.
  std::vector<unsigned> gprDefs, gprUses;
};

class LlvmRiscv {
public:
  LlvmRiscv() : mc(init(), "generic-rv64", "+m,+a,+f,+d,+c,+zicsr,+zifencei") {
    if (!mc.disasm)
      return;
    llvm::Triple tt(kTriple);
    plain.reset(mc.target->createMCInstPrinter(tt, 0, *mc.mai, *mc.mii, *mc.mri));
    raw.reset(mc.target->createMCInstPrinter(tt, 0, *mc.mai, *mc.mii, *mc.mri));
    raw->applyTargetSpecificCLOption("no-aliases");
  }

  bool ok() const { return mc.disasm && plain && raw; }

  // Disassembles exactly `len` bytes (2 or 4) of `word`; nullopt if LLVM
  // rejects the encoding or decodes a different length.
  std::optional<LlvmDisasm> disassemble(uint32_t word, unsigned len) const {
    llvm::MCInst inst;
    uint64_t size = 0;
    auto status = mc.decode(word, len, inst, size);
    if (status != llvm::MCDisassembler::Success || size != len)
      return std::nullopt;
    LlvmDisasm d;
    d.mnemonic = firstToken(print(*raw, inst));
    d.text = squeeze(print(*plain, inst));
    const llvm::MCInstrDesc &desc = mc.mii->get(inst.getOpcode());
    for (unsigned k = 0; k < inst.getNumOperands(); ++k) {
      const llvm::MCOperand &op = inst.getOperand(k);
      if (!op.isReg())
        continue;
      llvm::StringRef name = mc.mri->getName(op.getReg()); // X0-X31, F0_D, ...
      unsigned n;
      if (name.consume_front("X") && !name.getAsInteger(10, n))
        (k < desc.getNumDefs() ? d.gprDefs : d.gprUses).push_back(n);
    }
    return d;
  }

private:
  static constexpr const char *kTriple = "riscv64-unknown-linux-gnu";
  static const char *init() {
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVDisassembler();
    return kTriple;
  }
  std::string print(llvm::MCInstPrinter &p, const llvm::MCInst &inst) const {
    std::string s;
    llvm::raw_string_ostream os(s);
    p.printInst(&inst, 0, "", *mc.sti, os);
    return os.str();
  }
  static std::string firstToken(const std::string &s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
      return {};
    return s.substr(b, s.find_first_of(" \t", b) - b);
  }
  // Tabs to spaces, trimmed, so texts compare as strings.
  static std::string squeeze(const std::string &s) {
    std::string out;
    for (char c : s)
      out += c == '\t' ? ' ' : c;
    size_t b = out.find_first_not_of(' ');
    return b == std::string::npos ? std::string() : out.substr(b);
  }

  xlat::test::LlvmMc mc;
  std::unique_ptr<llvm::MCInstPrinter> plain, raw;
};

const LlvmRiscv &oracle() {
  static const LlvmRiscv o;
  return o;
}

// ---------------------------------------------------------------------------
// A test-side encoder for base instructions, read from insns.def, so an
// expansion can be shown to LLVM as the 32-bit instruction it stands for.

enum class Fmt { None, R, R4, I, S, B, U, J, Shamt5, Shamt6, Csr };

struct BaseEncoding {
  Op op;
  uint32_t mask, match;
  Fmt fmt;
};

BaseEncoding makeBase(Op op, std::string_view pat, Fmt fmt) {
  BaseEncoding e{op, 0, 0, fmt};
  int bit = 31;
  for (char c : pat) {
    if (c == ' ')
      continue;
    if (c != '-')
      e.mask |= 1u << bit;
    if (c == '1')
      e.match |= 1u << bit;
    --bit;
  }
  return e;
}

const std::vector<BaseEncoding> &baseTable() {
  static const std::vector<BaseEncoding> t = {
#define RV_INSN(ID, MN, PAT, FMT, FLAGS) makeBase(Op::ID, PAT, Fmt::FMT),
#include "lifter/riscv/insns.def"
#undef RV_INSN
  };
  return t;
}

const BaseEncoding &baseEncoding(Op op) {
  for (const BaseEncoding &e : baseTable())
    if (e.op == op)
      return e;
  static const BaseEncoding none{Op::ILLEGAL, 0, 0, Fmt::None};
  return none;
}

uint32_t field(uint64_t v, unsigned hi, unsigned lo, unsigned at) {
  return static_cast<uint32_t>((v >> lo) & ((1ull << (hi - lo + 1)) - 1)) << at;
}

uint32_t encode(const Insn &in) {
  const BaseEncoding &e = baseEncoding(in.op);
  uint64_t imm = static_cast<uint64_t>(in.imm);
  uint32_t rd = in.rd << 7, rs1 = in.rs1 << 15, rs2 = in.rs2 << 20;
  uint32_t rm = (uint32_t(in.rm) << 12) & ~e.mask;
  uint32_t w = e.match;
  switch (e.fmt) {
  case Fmt::None:
    return w;
  case Fmt::R:
    return w | rd | rs1 | rs2 | rm;
  case Fmt::R4:
    return w | rd | rs1 | rs2 | rm | uint32_t(in.rs3) << 27;
  case Fmt::I:
  case Fmt::Csr:
    return w | rd | rs1 | rm | field(imm, 11, 0, 20);
  case Fmt::Shamt5:
  case Fmt::Shamt6:
    return w | rd | rs1 | rm | field(imm, 5, 0, 20);
  case Fmt::S:
    return w | rs1 | rs2 | rm | field(imm, 11, 5, 25) | field(imm, 4, 0, 7);
  case Fmt::B:
    return w | rs1 | rs2 | rm | field(imm, 12, 12, 31) | field(imm, 10, 5, 25) |
           field(imm, 4, 1, 8) | field(imm, 11, 11, 7);
  case Fmt::U:
    return w | rd | field(imm, 31, 12, 12);
  case Fmt::J:
    return w | rd | field(imm, 20, 20, 31) | field(imm, 10, 1, 21) |
           field(imm, 11, 11, 20) | field(imm, 19, 12, 12);
  }
  return w;
}

// ---------------------------------------------------------------------------
// Hand-written expansions. Encodings are from
// `llvm-mc -triple=riscv64 -mattr=+c,+d -show-encoding`.

struct Case {
  uint16_t raw;
  const char *mnemonic;
  Op op;
  uint8_t rd, rs1, rs2;
  int64_t imm;
};

// x1 ra, x2 sp, x5 t0, x8 s0, x9 s1, x10.. a0.., x27 s11, x31 t6.
const Case kCases[] = {
    {0x1fe8, "c.addi4spn", Op::ADDI, 10, 2, 0, 1020},
    {0x0044, "c.addi4spn", Op::ADDI, 9, 2, 0, 4},
    {0x3de8, "c.fld", Op::FLD, 10, 11, 0, 248},
    {0x5de8, "c.lw", Op::LW, 10, 11, 0, 124},
    {0x40c0, "c.lw", Op::LW, 8, 9, 0, 4},
    {0x7de8, "c.ld", Op::LD, 10, 11, 0, 248},
    {0xa588, "c.fsd", Op::FSD, 0, 11, 10, 8},
    {0xc3a8, "c.sw", Op::SW, 0, 15, 10, 64},
    {0xe3c4, "c.sd", Op::SD, 0, 15, 9, 128},
    {0x0001, "c.nop", Op::ADDI, 0, 0, 0, 0},
    {0x1501, "c.addi", Op::ADDI, 10, 10, 0, -32},
    {0x0ffd, "c.addi", Op::ADDI, 31, 31, 0, 31},
    {0x257d, "c.addiw", Op::ADDIW, 10, 10, 0, 31},
    {0x30fd, "c.addiw", Op::ADDIW, 1, 1, 0, -1},
    {0x57fd, "c.li", Op::ADDI, 15, 0, 0, -1},
    {0x4dc5, "c.li", Op::ADDI, 27, 0, 0, 17},
    {0x7101, "c.addi16sp", Op::ADDI, 2, 2, 0, -512},
    {0x617d, "c.addi16sp", Op::ADDI, 2, 2, 0, 496},
    {0x6141, "c.addi16sp", Op::ADDI, 2, 2, 0, 16},
    {0x757d, "c.lui", Op::LUI, 10, 0, 0, -4096},
    {0x6405, "c.lui", Op::LUI, 8, 0, 0, 4096},
    {0x62fd, "c.lui", Op::LUI, 5, 0, 0, 31 << 12},
    {0x7281, "c.lui", Op::LUI, 5, 0, 0, -(32 << 12)},
    {0x917d, "c.srli", Op::SRLI, 10, 10, 0, 63},
    {0x8005, "c.srli", Op::SRLI, 8, 8, 0, 1},
    {0x9581, "c.srai", Op::SRAI, 11, 11, 0, 32},
    {0x9a7d, "c.andi", Op::ANDI, 12, 12, 0, -1},
    {0x8ad5, "c.andi", Op::ANDI, 13, 13, 0, 21},
    {0x8c05, "c.sub", Op::SUB, 8, 8, 9, 0},
    {0x8d3d, "c.xor", Op::XOR, 10, 10, 15, 0},
    {0x8dd1, "c.or", Op::OR, 11, 11, 12, 0},
    {0x8ef9, "c.and", Op::AND, 13, 13, 14, 0},
    {0x9c09, "c.subw", Op::SUBW, 8, 8, 10, 0},
    {0x9fa5, "c.addw", Op::ADDW, 15, 15, 9, 0},
    {0xb001, "c.j", Op::JAL, 0, 0, 0, -2048},
    {0xaffd, "c.j", Op::JAL, 0, 0, 0, 2046},
    {0xab91, "c.j", Op::JAL, 0, 0, 0, 1364},
    {0xd101, "c.beqz", Op::BEQ, 0, 10, 0, -256},
    {0xeffd, "c.bnez", Op::BNE, 0, 15, 0, 254},
    {0xc44d, "c.beqz", Op::BEQ, 0, 8, 0, 170},
    {0x157e, "c.slli", Op::SLLI, 10, 10, 0, 63},
    {0x0f86, "c.slli", Op::SLLI, 31, 31, 0, 1},
    {0x357e, "c.fldsp", Op::FLD, 10, 2, 0, 504},
    {0x2022, "c.fldsp", Op::FLD, 0, 2, 0, 8},
    {0x50fe, "c.lwsp", Op::LW, 1, 2, 0, 252},
    {0x4f92, "c.lwsp", Op::LW, 31, 2, 0, 4},
    {0x70fe, "c.ldsp", Op::LD, 1, 2, 0, 504},
    {0x6422, "c.ldsp", Op::LD, 8, 2, 0, 8},
    {0x8082, "c.jr", Op::JALR, 0, 1, 0, 0},
    {0x8f82, "c.jr", Op::JALR, 0, 31, 0, 0},
    {0x852e, "c.mv", Op::ADD, 10, 0, 11, 0},
    {0x9002, "c.ebreak", Op::EBREAK, 0, 0, 0, 0},
    {0x9502, "c.jalr", Op::JALR, 1, 10, 0, 0},
    {0x9082, "c.jalr", Op::JALR, 1, 1, 0, 0},
    {0x952e, "c.add", Op::ADD, 10, 10, 11, 0},
    {0x9ffe, "c.add", Op::ADD, 31, 31, 31, 0},
    {0xbfa2, "c.fsdsp", Op::FSD, 0, 2, 8, 504},
    {0xdf86, "c.swsp", Op::SW, 0, 2, 1, 252},
    {0xc27e, "c.swsp", Op::SW, 0, 2, 31, 4},
    {0xff86, "c.sdsp", Op::SD, 0, 2, 1, 504},
    {0xe422, "c.sdsp", Op::SD, 0, 2, 8, 8},
    // HINTs execute as their expansion (writing x0, or shifting by 0).
    {0x0005, "c.nop", Op::ADDI, 0, 0, 0, 1},
    {0x0501, "c.addi", Op::ADDI, 10, 10, 0, 0},
    {0x4015, "c.li", Op::ADDI, 0, 0, 0, 5},
    {0x6005, "c.lui", Op::LUI, 0, 0, 0, 4096},
    {0x802a, "c.mv", Op::ADD, 0, 0, 10, 0},
    {0x902a, "c.add", Op::ADD, 0, 0, 10, 0},
    {0x0006, "c.slli", Op::SLLI, 0, 0, 0, 1},
    {0x0502, "c.slli64", Op::SLLI, 10, 10, 0, 0},
    {0x8101, "c.srli64", Op::SRLI, 10, 10, 0, 0},
    {0x8501, "c.srai64", Op::SRAI, 10, 10, 0, 0},
};

std::string hex(uint32_t v) {
  char buf[16];
  snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

TEST(RvcDecoder, HandWrittenExpansions) {
  for (const Case &c : kCases) {
    SCOPED_TRACE(hex(c.raw) + " " + c.mnemonic);
    Insn in = decodeCompressed(0x10000, c.raw);
    EXPECT_EQ(compressedMnemonic(c.raw), c.mnemonic);
    EXPECT_EQ(mnemonic(in.op), mnemonic(c.op));
    EXPECT_EQ(in.rd, c.rd);
    EXPECT_EQ(in.rs1, c.rs1);
    EXPECT_EQ(in.rs2, c.rs2);
    EXPECT_EQ(in.imm, c.imm);
    EXPECT_EQ(in.pc, 0x10000u);
    EXPECT_EQ(in.len, 2);
    EXPECT_EQ(in.raw, c.raw);
    EXPECT_EQ(in.rs3, 0);
    EXPECT_EQ(in.rm, 0);
  }
}

TEST(RvcDecoder, ReservedEncodingsAreIllegal) {
  const uint16_t reserved[] = {
      0x0000, // all zeros
      0x0008, // c.addi4spn a0, nzuimm=0
      0x2005, // c.addiw rd=0
      0x6101, // c.addi16sp nzimm=0
      0x6501, // c.lui a0, nzimm=0
      0x6001, // c.lui x0, nzimm=0
      0x4012, // c.lwsp rd=0
      0x6012, // c.ldsp rd=0
      0x8002, // c.jr rs1=0
      0x9cc9, // CA funct 100111 / 10
      0x9ce9, // CA funct 100111 / 11
      0x8000, // quadrant 0 funct3 100 (Zcb, not RV64GC)
  };
  for (uint16_t raw : reserved) {
    SCOPED_TRACE(hex(raw));
    Insn in = decodeCompressed(0x4000, raw);
    EXPECT_EQ(in.op, Op::ILLEGAL);
    EXPECT_EQ(in.len, 2);
    EXPECT_EQ(in.raw, raw);
    EXPECT_EQ(in.pc, 0x4000u);
  }
  // Next to the reserved CA encodings, funct2 00 is c.subw.
  EXPECT_EQ(decodeCompressed(0, 0x9c01).op, Op::SUBW);
}

TEST(RvcDecoder, DecodeDispatchesOnLength) {
  // The upper half of the fetched word belongs to the next instruction.
  Insn in = decode(0x2000, 0xdead0000u | 0x1501);
  EXPECT_EQ(in.op, Op::ADDI);
  EXPECT_EQ(in.len, 2);
  EXPECT_EQ(in.raw, 0x1501u);
  EXPECT_EQ(in.imm, -32);
  EXPECT_EQ(decode(0x2000, 0xdead0000u).op, Op::ILLEGAL);
  EXPECT_EQ(decode(0x2000, 0xdead0000u).len, 2);
}

// Every expansion is a well-formed base instruction: encoding it and decoding
// the 32-bit word gives the same operation and operands back (so immediates
// are in range and fields are where the base format puts them).
TEST(RvcDecoder, ExpansionsRoundTripThroughBaseDecoder) {
  int failures = 0;
  for (uint32_t raw = 0; raw < 0x10000; ++raw) {
    if ((raw & 3) == 3)
      continue;
    Insn in = decodeCompressed(0, raw);
    if (in.op == Op::ILLEGAL)
      continue;
    uint32_t word = encode(in);
    Insn back = decode(0, word);
    if (back.op == in.op && back.imm == in.imm && encode(back) == word)
      continue;
    if (++failures <= 20)
      ADD_FAILURE() << hex(raw) << " " << compressedMnemonic(raw)
                    << " expands to " << mnemonic(in.op) << " imm " << in.imm
                    << " which does not round-trip (word " << hex(word) << ")";
  }
  EXPECT_EQ(failures, 0);
}

// ---------------------------------------------------------------------------
// Cross-checks against LLVM.

// LLVM names c.unimp (0x0000) and unimp (csrrw x0, cycle, x0): encodings that
// are defined to trap. For 0x0000 that is our ILLEGAL; the 32-bit one is a
// CSR write to a read-only CSR, which traps at run time.
bool llvmSaysDefinedIllegal(const LlvmDisasm &d) {
  return d.mnemonic == "c.unimp";
}

// LLVM 19 decodes c.lui with nzimm=0 (bits 12 and 6:2 clear) as "c.lui rd,
// 0"; the spec reserves these code points ("C.LUI is valid only when ... the
// immediate is not equal to zero. The code points with nzimm=0 are
// reserved"), so they stay illegal here.
bool llvmAcceptsButSpecReserves(uint32_t raw, const LlvmDisasm &d) {
  return d.mnemonic == "c.lui" && (raw & 0x107c) == 0;
}

// LLVM uncompresses c.mv to "addi rd, rs2, 0" (printed "mv"); the spec's
// expansion, which we follow, is "add rd, x0, rs2". Same effect.
bool sameExpansion(const std::string &llvmText, const std::string &ours) {
  if (llvmText == ours)
    return true;
  const std::string add = "add ", zero = ", zero, ";
  size_t z = ours.find(zero);
  return ours.rfind(add, 0) == 0 && z != std::string::npos &&
         llvmText == "mv " + ours.substr(add.size(), z - add.size()) + ", " +
                         ours.substr(z + zero.size());
}

TEST(RvcDecoder, AgreesWithLlvmOnAll16BitEncodings) {
  ASSERT_TRUE(oracle().ok());
  int failures = 0, uncompressedChecked = 0;
  auto fail = [&](uint32_t raw, const std::string &why) {
    if (++failures <= 30)
      ADD_FAILURE() << hex(raw) << ": " << why;
  };
  for (uint32_t raw = 0; raw < 0x10000; ++raw) {
    if ((raw & 3) == 3)
      continue;
    Insn in = decodeCompressed(0, raw);
    std::optional<LlvmDisasm> ref = oracle().disassemble(raw, 2);
    if (ref && llvmSaysDefinedIllegal(*ref))
      ref.reset();
    bool ours = in.op != Op::ILLEGAL;
    if (!ours && ref && llvmAcceptsButSpecReserves(raw, *ref))
      continue;
    if (ours != ref.has_value()) {
      fail(raw, std::string("validity: ours ") +
                    std::string(compressedMnemonic(raw)) + ", LLVM " +
                    (ref ? ref->mnemonic : "invalid"));
      continue;
    }
    if (!ours)
      continue;
    if (ref->mnemonic != compressedMnemonic(raw)) {
      fail(raw, "mnemonic: ours " + std::string(compressedMnemonic(raw)) +
                    ", LLVM " + ref->mnemonic);
      continue;
    }
    // LLVM's default printer uncompresses before applying aliases; HINTs
    // have no uncompressed form there and stay "c.*" (the hand-written
    // cases cover their expansion).
    if (ref->text.rfind("c.", 0) == 0)
      continue;
    std::optional<LlvmDisasm> expanded = oracle().disassemble(encode(in), 4);
    if (!expanded || !sameExpansion(ref->text, expanded->text)) {
      fail(raw, "expansion: LLVM " + ref->text + ", ours " +
                    (expanded ? expanded->text : "invalid"));
      continue;
    }
    ++uncompressedChecked;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(uncompressedChecked, 40000); // most of the space is compared
}

// RV64G major opcodes (bits 6:2); the others get a lighter sample that only
// checks they stay illegal in both.
bool isRv64gOpcode(uint32_t op7) {
  for (const BaseEncoding &e : baseTable())
    if ((e.match & 0x7f) == op7)
      return true;
  return false;
}

// LLVM's no-alias mnemonic, reduced to what our table distinguishes.
std::string normalizeLlvmMnemonic(std::string m) {
  // aq/rl are decoded but not represented: every AMO is seq_cst.
  for (const char *suffix : {".aqrl", ".aq", ".rl"}) {
    std::string s = suffix;
    if (m.size() > s.size() &&
        m.compare(m.size() - s.size(), s.size(), s) == 0 &&
        (m.rfind("amo", 0) == 0 || m.rfind("lr.", 0) == 0 ||
         m.rfind("sc.", 0) == 0)) {
      m.resize(m.size() - s.size());
      break;
    }
  }
  if (m == "fence.tso") // a FENCE with fm=1000, rw,rw: an ordinary fence
    return "fence";
  if (m == "unimp") // csrrw x0, cycle, x0
    return "csrrw";
  return m;
}

// Encodings the spec tells a base implementation to accept but LLVM's
// disassembler rejects: FENCE with reserved fm/rs1/rd values must execute as
// a plain fence, and FENCE.I ignores its imm, rs1 and rd fields
// (RISC-V unprivileged spec, "Memory Ordering" and "Zifencei").
bool llvmRejectsButSpecAccepts(uint32_t raw, const Insn &in) {
  return in.op == Op::FENCE || in.op == Op::FENCE_I;
}

// Privileged instructions LLVM decodes unconditionally. The base table is the
// unprivileged RV64G set (user mode: these trap as illegal in U-mode anyway);
// the system-mode table will add them, and then this list shrinks.
bool isPrivileged(const std::string &llvmMnemonic) {
  for (const char *m : {"sret", "mret", "wfi", "sfence.vma", "dret"})
    if (llvmMnemonic == m)
      return true;
  return false;
}

void crossCheckOpcode(uint32_t op7, int samples, int &failures,
                      std::vector<bool> &agreedOn) {
  std::vector<const BaseEncoding *> lines;
  for (const BaseEncoding &e : baseTable())
    if ((e.match & 0x7f) == op7)
      lines.push_back(&e);
  std::mt19937 rng(0x5eed0000u + op7);
  auto fail = [&](uint32_t raw, const std::string &why) {
    if (++failures <= 30)
      ADD_FAILURE() << hex(raw) << ": " << why;
  };
  for (int n = 0; n < samples; ++n) {
    // Half uniform (mostly invalid), half a table line with random fields;
    // now and then all-zero fields (the only FENCE.I LLVM accepts).
    uint32_t raw = (rng() & ~0x7fu) | op7;
    if ((n & 1) && !lines.empty()) {
      const BaseEncoding *e = lines[rng() % lines.size()];
      uint32_t fields = n % 64 == 1 ? 0 : rng();
      raw = e->match | (fields & ~e->mask);
    }
    Insn in = decode(0x1000, raw);
    std::optional<LlvmDisasm> ref = oracle().disassemble(raw, 4);
    bool ours = in.op != Op::ILLEGAL;
    if (ours && !ref && llvmRejectsButSpecAccepts(raw, in))
      continue;
    if (!ours && ref && isPrivileged(ref->mnemonic))
      continue;
    if (ours != ref.has_value()) {
      fail(raw, "validity: ours " + std::string(mnemonic(in.op)) + ", LLVM " +
                    (ref ? ref->mnemonic : "invalid"));
      continue;
    }
    if (!ours)
      continue;
    if (normalizeLlvmMnemonic(ref->mnemonic) != mnemonic(in.op)) {
      fail(raw, "mnemonic: ours " + std::string(mnemonic(in.op)) + ", LLVM " +
                    ref->mnemonic);
      continue;
    }
    // Operands: re-encoding what we decoded gives the word back (aq/rl of
    // AMOs are not represented).
    uint32_t ignored = op7 == 0x2f ? 3u << 25 : 0;
    if ((encode(in) ^ raw) & ~ignored) {
      fail(raw, "operands do not re-encode: " + hex(encode(in)));
      continue;
    }
    // Which integer registers it writes and reads, as region liveness
    // sees them (markDeadFflagsReads); a trap to the runner may read any.
    std::vector<unsigned> defs;
    if (writesXReg(in))
      defs.push_back(in.rd);
    if (defs != ref->gprDefs) {
      fail(raw, "writes x" + std::to_string(in.rd) + ": ours " +
                    std::to_string(writesXReg(in)) + ", LLVM " +
                    std::to_string(!ref->gprDefs.empty()));
      continue;
    }
    bool readsDiffer = false;
    bool trap = in.op == Op::ECALL || in.op == Op::EBREAK || in.op == Op::SRET ||
                in.op == Op::MRET || in.op == Op::WFI;
    for (unsigned r = 1; r < 32 && !trap; ++r)
      readsDiffer |= mayReadXReg(in, r) !=
                     (std::count(ref->gprUses.begin(), ref->gprUses.end(), r) > 0);
    if (readsDiffer) {
      fail(raw, "integer registers read differ from LLVM's");
      continue;
    }
    agreedOn[static_cast<size_t>(in.op)] = true;
  }
}

TEST(RvDecoder, AgreesWithLlvmOnSampled32BitEncodings) {
  ASSERT_TRUE(oracle().ok());
  int failures = 0;
  std::vector<bool> agreedOn(static_cast<size_t>(Op::NumOps));
  for (uint32_t major = 0; major < 32; ++major) {
    uint32_t op7 = major << 2 | 3;
    crossCheckOpcode(op7, isRv64gOpcode(op7) ? 300000 : 5000, failures,
                     agreedOn);
  }
  EXPECT_EQ(failures, 0);
  // The sample is not vacuous: every table line was hit and agreed on.
  for (const BaseEncoding &e : baseTable())
    EXPECT_TRUE(agreedOn[static_cast<size_t>(e.op)]) << mnemonic(e.op);
}

} // namespace

// ---------------------------------------------------------------------------
// decodeBlock reads through ChunkedCodeReader: the same block as reading
// halfword by halfword, fewer calls, and a page that cannot be read ends
// the block where it begins.

#include "lifter/core/code_reader.h"
#include "lifter/riscv/block.h"

namespace {

// Guest code at 0x10000: readable up to `limit`; counts calls.
class CountingReader final : public xlat::CodeReader {
public:
  std::vector<uint8_t> bytes;
  uint64_t limit = 0;
  unsigned calls = 0;
  bool read(uint64_t addr, void *dst, size_t n) override {
    calls++;
    if (addr < 0x10000 || addr + n > 0x10000 + std::min<uint64_t>(bytes.size(), limit))
      return false;
    memcpy(dst, bytes.data() + (addr - 0x10000), n);
    return true;
  }
};

} // namespace

TEST(DecodeBlock, ChunkedReadsSeeTheSameCodeAndStopAtAnUnreadablePage) {
  CountingReader r;
  // 0x10000..0x11000: c.addi a0,1 (0x0505) then addi a0,a0,1 (0x00150513)
  // repeated, so 32-bit instructions sit at every alignment; the last one
  // straddles into the second page.
  while (r.bytes.size() < 0x1000 - 2) {
    r.bytes.insert(r.bytes.end(), {0x05, 0x05});
    r.bytes.insert(r.bytes.end(), {0x13, 0x05, 0x15, 0x00});
  }
  r.bytes.resize(0x1000 - 2);
  r.bytes.insert(r.bytes.end(), {0x13, 0x05, 0x15, 0x00}); // straddles
  r.bytes.insert(r.bytes.end(), {0x67, 0x80, 0x00, 0x00}); // ret
  r.limit = r.bytes.size();
  GuestBlock whole = decodeBlock(r, 0x10f00, 1000);
  ASSERT_FALSE(whole.fetchFault);
  EXPECT_EQ(whole.insns.back().op, Op::JALR);
  EXPECT_EQ(whole.endPc, 0x10000 + r.bytes.size());
  EXPECT_LT(r.calls, whole.insns.size() / 4);
  // Byte by byte, the same instructions.
  uint64_t pc = 0x10f00;
  for (const Insn &in : whole.insns) {
    Insn one;
    ASSERT_TRUE(fetchInsn(r, pc, one));
    EXPECT_EQ(one.raw, in.raw);
    EXPECT_EQ(one.pc, in.pc);
    pc += one.len;
  }
  // The second page unreadable: the block ends before the straddling
  // instruction, without a fault (code before it was fetched).
  r.limit = 0x1000;
  GuestBlock cut = decodeBlock(r, 0x10f00, 1000);
  EXPECT_FALSE(cut.fetchFault);
  EXPECT_EQ(cut.endPc, 0x10ffeu);
  GuestBlock none = decodeBlock(r, 0x10ffe, 1000);
  EXPECT_TRUE(none.fetchFault);
}

// Code that ends at the top of the address space: the reader's empty
// first chunk (at 0) must not look as if it held the last bytes, which an
// end computed as addr + n wraps to 0 would.
TEST(DecodeBlock, ChunkedReadsAtTheTopOfTheAddressSpace) {
  struct TopReader final : xlat::CodeReader {
    // c.addi a0,1; addi a0,a0,1; c.addi a0,1 in the last 8 bytes.
    uint8_t bytes[8] = {0x05, 0x05, 0x13, 0x05, 0x15, 0x00, 0x05, 0x05};
    bool read(uint64_t addr, void *dst, size_t n) override {
      uint64_t base = 0 - uint64_t(sizeof bytes);
      if (addr < base || n > sizeof bytes || addr - base > sizeof bytes - n)
        return false;
      memcpy(dst, bytes + (addr - base), n);
      return true;
    }
  } r;
  xlat::ChunkedCodeReader chunked(r);
  uint16_t last = 0;
  ASSERT_TRUE(chunked.read(0 - uint64_t(2), &last, 2));
  EXPECT_EQ(last, 0x0505);
  GuestBlock b = decodeBlock(r, 0 - uint64_t(8), 3);
  ASSERT_EQ(b.insns.size(), 3u);
  EXPECT_EQ(b.insns[1].raw, 0x00150513u);
  EXPECT_EQ(b.insns[2].raw, 0x0505u);
}
