#include "debug/riscv.h"

#include "debug/gdb_server.h"

#include <cstring>

namespace xlat::debug {

namespace {

constexpr const char *kXNames[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
constexpr const char *kFNames[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
    "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
    "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

std::string reg(const char *name, unsigned bits, const char *type, unsigned n) {
  return std::string("  <reg name=\"") + name + "\" bitsize=\"" +
         std::to_string(bits) + "\" type=\"" + type + "\" regnum=\"" +
         std::to_string(n) + "\"/>\n";
}

} // namespace

const RvCsrName kRvSystemCsrs[] = {
    {"sstatus", 0x100}, {"sie", 0x104},       {"stvec", 0x105},
    {"scounteren", 0x106}, {"senvcfg", 0x10a}, {"sscratch", 0x140},
    {"sepc", 0x141},    {"scause", 0x142},    {"stval", 0x143},
    {"sip", 0x144},     {"satp", 0x180},      {"mstatus", 0x300},
    {"misa", 0x301},    {"medeleg", 0x302},   {"mideleg", 0x303},
    {"mie", 0x304},     {"mtvec", 0x305},     {"mcounteren", 0x306},
    {"menvcfg", 0x30a}, {"mscratch", 0x340},  {"mepc", 0x341},
    {"mcause", 0x342},  {"mtval", 0x343},     {"mip", 0x344},
    {"cycle", 0xc00},   {"time", 0xc01},      {"instret", 0xc02},
    {"mhartid", 0xf14},
};
const unsigned kRvNumSystemCsrs = sizeof kRvSystemCsrs / sizeof kRvSystemCsrs[0];

std::string rvTargetXml(const std::string &annex, bool system) {
  if (annex != "target.xml")
    return "";
  std::string x = "<?xml version=\"1.0\"?>\n"
                  "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                  "<target version=\"1.0\">\n"
                  "<architecture>riscv:rv64</architecture>\n"
                  "<feature name=\"org.gnu.gdb.riscv.cpu\">\n";
  for (unsigned i = 0; i < 32; i++)
    x += reg(kXNames[i], 64, i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr" : "int", i);
  x += reg("pc", 64, "code_ptr", kRvPc);
  x += "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n"
       "  <union id=\"riscv_double\">\n"
       "    <field name=\"float\" type=\"ieee_single\"/>\n"
       "    <field name=\"double\" type=\"ieee_double\"/>\n"
       "  </union>\n";
  for (unsigned i = 0; i < 32; i++)
    x += reg(kFNames[i], 64, "riscv_double", kRvF0 + i);
  x += reg("fflags", 32, "int", kRvFflags);
  x += reg("frm", 32, "int", kRvFrm);
  x += reg("fcsr", 32, "int", kRvFcsr);
  x += "</feature>\n";
  if (system) {
    x += "<feature name=\"org.gnu.gdb.riscv.virtual\">\n";
    x += reg("priv", 64, "int", kRvPriv);
    x += "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n";
    for (unsigned i = 0; i < kRvNumSystemCsrs; i++)
      x += reg(kRvSystemCsrs[i].name, 64, "int", kRvFirstCsr + i);
    x += "</feature>\n";
  }
  return x + "</target>\n";
}

std::string rvReadRegister(const rv::RvState &s, unsigned n) {
  auto bytes = [](const void *p, size_t size) {
    return std::string(static_cast<const char *>(p), size);
  };
  if (n < 32)
    return bytes(&s.x[n], 8);
  if (n == kRvPc)
    return bytes(&s.pc, 8);
  if (n >= kRvF0 && n < kRvF0 + 32)
    return bytes(&s.f[n - kRvF0], 8);
  uint32_t v;
  switch (n) {
  case kRvFflags: v = s.fflags; break;
  case kRvFrm: v = s.frm; break;
  case kRvFcsr: v = s.frm << 5 | s.fflags; break;
  default: return "";
  }
  return bytes(&v, 4);
}

bool rvWriteRegister(rv::RvState &s, unsigned n, const std::string &b) {
  uint64_t v = 0;
  if (b.size() != (n < kRvFflags ? 8u : 4u))
    return false;
  memcpy(&v, b.data(), b.size());
  if (n < 32) {
    if (n)
      s.x[n] = v;
  } else if (n == kRvPc) {
    s.pc = v;
  } else if (n >= kRvF0 && n < kRvF0 + 32) {
    s.f[n - kRvF0] = v;
  } else if (n == kRvFflags) {
    s.fflags = v & 0x1f;
  } else if (n == kRvFrm) {
    s.frm = v & 7;
  } else if (n == kRvFcsr) {
    s.fflags = v & 0x1f;
    s.frm = (v >> 5) & 7;
  } else {
    return false;
  }
  return true;
}

bool rvDataAccess(const rv::Insn &in, const rv::RvState &s, DataAccess &a) {
  using rv::Op;
  a = {};
  a.addr = s.x[in.rs1] + in.imm;
  switch (in.op) {
  case Op::LB: case Op::LBU: a.size = 1, a.read = true; return true;
  case Op::LH: case Op::LHU: a.size = 2, a.read = true; return true;
  case Op::LW: case Op::LWU: case Op::FLW: a.size = 4, a.read = true; return true;
  case Op::LD: case Op::FLD: a.size = 8, a.read = true; return true;
  case Op::SB: a.size = 1, a.write = true; return true;
  case Op::SH: a.size = 2, a.write = true; return true;
  case Op::SW: case Op::FSW: a.size = 4, a.write = true; return true;
  case Op::SD: case Op::FSD: a.size = 8, a.write = true; return true;
  default: break;
  }
  // The A extension: the address is rs1 alone.
  a.addr = s.x[in.rs1];
  switch (in.op) {
  case Op::LR_W: a.size = 4, a.read = true; return true;
  case Op::LR_D: a.size = 8, a.read = true; return true;
  case Op::SC_W: a.size = 4, a.write = true; return true;
  case Op::SC_D: a.size = 8, a.write = true; return true;
  case Op::AMOSWAP_W: case Op::AMOADD_W: case Op::AMOXOR_W: case Op::AMOAND_W:
  case Op::AMOOR_W: case Op::AMOMIN_W: case Op::AMOMAX_W: case Op::AMOMINU_W:
  case Op::AMOMAXU_W:
    a.size = 4, a.read = a.write = true;
    return true;
  case Op::AMOSWAP_D: case Op::AMOADD_D: case Op::AMOXOR_D: case Op::AMOAND_D:
  case Op::AMOOR_D: case Op::AMOMIN_D: case Op::AMOMAX_D: case Op::AMOMINU_D:
  case Op::AMOMAXU_D:
    a.size = 8, a.read = a.write = true;
    return true;
  default:
    return false;
  }
}

bool RvBreakpointReader::read(uint64_t addr, void *dst, size_t n) {
  if (!inner_.read(addr, dst, n))
    return false;
  if (!gdb_.anyBreakpoints())
    return true;
  // A breakpoint's instruction may start before addr (its second half
  // read alone).
  for (uint64_t bp : gdb_.breakpointsIn(addr >= 2 ? addr - 2 : 0, n + 2)) {
    uint16_t lo;
    if (!inner_.read(bp, &lo, 2))
      continue;
    uint32_t ebreak = (lo & 3) == 3 ? 0x00100073u : 0x9002u;
    unsigned len = (lo & 3) == 3 ? 4 : 2;
    for (unsigned i = 0; i < len; i++)
      if (bp + i >= addr && bp + i < addr + n)
        static_cast<uint8_t *>(dst)[bp + i - addr] = uint8_t(ebreak >> (8 * i));
  }
  return true;
}

} // namespace xlat::debug
