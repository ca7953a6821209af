#include "utils/lockstep/riscv/encodings.h"

#include "lifter/riscv/decoder.h"
#include "lifter/riscv/rvc.h"

#include <array>

namespace xlat::lockstep::riscv {
namespace {

struct Pattern {
  uint32_t mask = 0, match = 0;
};

// "0000000 ----- ..." (or 16 characters for rvc.def) -> fixed bits.
Pattern parsePattern(std::string_view pat, int width) {
  Pattern p;
  int bit = width - 1;
  for (char c : pat) {
    if (c == ' ')
      continue;
    if (c != '-') {
      p.mask |= 1u << bit;
      if (c == '1')
        p.match |= 1u << bit;
    }
    --bit;
  }
  return p;
}

Format parseFormat(std::string_view f) {
  static constexpr std::pair<std::string_view, Format> kNames[] = {
      {"None", Format::None}, {"R", Format::R},         {"R4", Format::R4},
      {"I", Format::I},       {"S", Format::S},         {"B", Format::B},
      {"U", Format::U},       {"J", Format::J},         {"Shamt5", Format::Shamt5},
      {"Shamt6", Format::Shamt6}, {"Csr", Format::Csr},
  };
  for (const auto &[name, fmt] : kNames)
    if (name == f)
      return fmt;
  return Format::None;
}

constexpr unsigned major(uint32_t match) { return match & 0x7f; }

// The extension a base line belongs to, read from its fixed bits the way the
// spec's opcode map groups them.
Ext extOf(uint32_t match) {
  unsigned f7 = match >> 25;
  switch (major(match)) {
  case 0x2f: return Ext::A;
  case 0x33:
  case 0x3b: return f7 == 1 ? Ext::M : Ext::I;
  case 0x07:
  case 0x27: return ((match >> 12) & 7) == 2 ? Ext::F : Ext::D;
  case 0x43:
  case 0x47:
  case 0x4b:
  case 0x4f: return (f7 & 3) == 0 ? Ext::F : Ext::D;
  case 0x53:
    // fmt in bits 26:25; fcvt.s.d (funct5 01000) is D despite fmt = S.
    return (f7 & 3) == 0 && (f7 >> 2) != 0b01000 ? Ext::F : Ext::D;
  default: return Ext::I;
  }
}

using OpTable = std::array<OpInfo, static_cast<size_t>(rv::Op::NumOps)>;

OpTable buildOpTable() {
  OpTable t{};
  t[0].mnemonic = "illegal";
  t[0].flags = rv::kEndsBlock;
#define RV_INSN(ID, MN, PAT, FMT, FLAGS)                                       \
  {                                                                            \
    Pattern p = parsePattern(PAT, 32);                                         \
    t[static_cast<size_t>(rv::Op::ID)] = {MN, p.mask, p.match,                 \
                                          parseFormat(#FMT), extOf(p.match),   \
                                          static_cast<uint32_t>(FLAGS)};       \
  }
  using namespace rv;
#include "lifter/riscv/insns.def"
#undef RV_INSN
  return t;
}

} // namespace

bool parseExts(std::string_view list, ExtSet &out) {
  out = 0;
  for (char c : list) {
    if (c == ',' || c == ' ')
      continue;
    static constexpr std::string_view kLetters = "IMAFDC";
    size_t i = kLetters.find(c >= 'a' ? char(c - 'a' + 'A') : c);
    if (i == std::string_view::npos)
      return false;
    out |= 1u << i;
  }
  return out != 0;
}

const OpInfo &opInfo(rv::Op op) {
  static const OpTable table = buildOpTable();
  return table[static_cast<size_t>(op)];
}

bool isMemoryAccess(rv::Op op) {
  unsigned m = major(opInfo(op).match);
  return m == 0x03 || m == 0x07 || m == 0x23 || m == 0x27 || m == 0x2f;
}

bool isControlTransfer(rv::Op op) {
  unsigned m = major(opInfo(op).match);
  return op != rv::Op::ILLEGAL && (m == 0x6f || m == 0x67 || m == 0x63);
}

bool isPrivileged(rv::Op op) {
  return op == rv::Op::MRET || op == rv::Op::SRET || op == rv::Op::WFI ||
         op == rv::Op::SFENCE_VMA;
}

bool isTrap(rv::Op op) {
  return (opInfo(op).flags & rv::kEndsBlock) && !isControlTransfer(op);
}

std::vector<Encoding> selectEncodings(ExtSet exts) {
  std::vector<Encoding> out;
  for (size_t i = 1; i < static_cast<size_t>(rv::Op::NumOps); ++i) {
    const OpInfo &info = opInfo(static_cast<rv::Op>(i));
    // Privileged instructions are illegal in user mode, which the
    // illegal encodings the generator draws already exercise.
    if (isPrivileged(static_cast<rv::Op>(i)))
      continue;
    if (exts & extBit(info.ext))
      out.push_back({info.mnemonic, info.mask, info.match, false,
                     static_cast<rv::Op>(i), info.ext, {}});
  }
  if (!(exts & extBit(Ext::C)))
    return out;
#define RVC_INSN(MN, PAT, REGS, IMM, OP)                                       \
  if (rv::Op::OP != rv::Op::ILLEGAL &&                                         \
      (exts & extBit(opInfo(rv::Op::OP).ext))) {                               \
    Pattern p = parsePattern(PAT, 16);                                         \
    out.push_back({MN, p.mask, p.match, true, rv::Op::OP,                      \
                   opInfo(rv::Op::OP).ext, {}});                               \
  }
#include "lifter/riscv/rvc.def"
#undef RVC_INSN
  for (Encoding &e : out) {
    if (!e.compressed)
      continue;
    for (uint32_t raw = 0; raw < 0x10000; ++raw)
      if ((raw & e.mask) == e.match &&
          rv::decodeCompressed(0, raw).op != rv::Op::ILLEGAL &&
          rv::compressedMnemonic(raw) == e.mnemonic)
        e.population.push_back(static_cast<uint16_t>(raw));
  }
  std::erase_if(out, [](const Encoding &e) {
    return e.compressed && e.population.empty();
  });
  return out;
}

} // namespace xlat::lockstep::riscv
