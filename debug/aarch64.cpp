#include "debug/aarch64.h"

#include "debug/gdb_server.h"
#include "lifter/aarch64/sem/sem.h"

#include <cstring>

namespace xlat::debug {
namespace {

std::string reg(const std::string &name, unsigned bits, const char *type, unsigned n) {
  return "  <reg name=\"" + name + "\" bitsize=\"" + std::to_string(bits) + "\" type=\"" +
         type + "\" regnum=\"" + std::to_string(n) + "\"/>\n";
}

std::string bytes(const void *p, size_t size) {
  return std::string(static_cast<const char *>(p), size);
}

} // namespace

// The features gdb's aarch64 port requires by name: the core registers and
// the FP/AdvSIMD ones, each V register a union of its lane views.
std::string a64TargetXml(const std::string &annex) {
  if (annex != "target.xml")
    return "";
  std::string x = "<?xml version=\"1.0\"?>\n"
                  "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                  "<target version=\"1.0\">\n"
                  "<architecture>aarch64</architecture>\n"
                  "<feature name=\"org.gnu.gdb.aarch64.core\">\n";
  for (unsigned i = 0; i < 31; i++)
    x += reg("x" + std::to_string(i), 64, i == 29 ? "data_ptr" : i == 30 ? "code_ptr" : "int", i);
  x += reg("sp", 64, "data_ptr", kA64Sp);
  x += reg("pc", 64, "code_ptr", kA64Pc);
  x += "  <flags id=\"cpsr_flags\" size=\"4\">\n"
       "    <field name=\"V\" start=\"28\" end=\"28\"/>\n"
       "    <field name=\"C\" start=\"29\" end=\"29\"/>\n"
       "    <field name=\"Z\" start=\"30\" end=\"30\"/>\n"
       "    <field name=\"N\" start=\"31\" end=\"31\"/>\n"
       "  </flags>\n";
  x += reg("cpsr", 32, "cpsr_flags", kA64Cpsr);
  x += "</feature>\n<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
       "  <vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
       "  <vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n"
       "  <vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
       "  <vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n"
       "  <vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n"
       "  <vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n"
       "  <union id=\"aarch64v\">\n"
       "    <field name=\"d\" type=\"v2d\"/>\n"
       "    <field name=\"ud\" type=\"v2u\"/>\n"
       "    <field name=\"s\" type=\"v4f\"/>\n"
       "    <field name=\"us\" type=\"v4u\"/>\n"
       "    <field name=\"h\" type=\"v8u\"/>\n"
       "    <field name=\"b\" type=\"v16u\"/>\n"
       "    <field name=\"q\" type=\"uint128\"/>\n"
       "  </union>\n";
  for (unsigned i = 0; i < 32; i++)
    x += reg("v" + std::to_string(i), 128, "aarch64v", kA64V0 + i);
  x += reg("fpsr", 32, "int", kA64Fpsr);
  x += reg("fpcr", 32, "int", kA64Fpcr);
  return x + "</feature>\n</target>\n";
}

std::string a64ReadRegister(const a64::A64State &s, unsigned n) {
  if (n < 31)
    return bytes(&s.x[n], 8);
  if (n == kA64Sp)
    return bytes(&s.sp, 8);
  if (n == kA64Pc)
    return bytes(&s.pc, 8);
  if (n == kA64Cpsr) {
    uint32_t nzcv = s.nzcv(); // EL0t: NZCV is all of PSTATE that is set
    return bytes(&nzcv, 4);
  }
  if (n >= kA64V0 && n < kA64V0 + 32)
    return bytes(s.v[n - kA64V0], 16);
  if (n == kA64Fpsr)
    return bytes(&s.fpsr, 4);
  if (n == kA64Fpcr)
    return bytes(&s.fpcr, 4);
  return "";
}

bool a64WriteRegister(a64::A64State &s, unsigned n, const std::string &b) {
  size_t size = n <= kA64Pc ? 8 : n == kA64Cpsr || n >= kA64Fpsr ? 4 : 16;
  if (n >= kA64NumRegs || b.size() != size)
    return false;
  uint64_t v = 0;
  if (size <= 8)
    memcpy(&v, b.data(), size);
  if (n < 31)
    s.x[n] = v;
  else if (n == kA64Sp)
    s.sp = v;
  else if (n == kA64Pc)
    s.pc = v;
  else if (n == kA64Cpsr)
    s.setNzcv(uint32_t(v));
  else if (n == kA64Fpsr)
    s.fpsr = uint32_t(v) & 0x0800009fu; // what ARMv8.0 has, as msr writes it
  else if (n == kA64Fpcr)
    s.fpcr = uint32_t(v) & 0x07c00000u;
  else
    memcpy(s.v[n - kA64V0], b.data(), 16);
  return true;
}

bool a64DataAccess(const a64::Insn &in, const a64::A64State &s, DataAccess &a) {
  using a64::Op;
  a = {};
  unsigned bytes = 1u << in.size; // one register's
  uint64_t base = a64::sem::XSP(&s, in.rn);
  switch (in.op) {
  // One register, every addressing form.
  case Op::LDRB: case Op::LDRSB_X: case Op::LDRSB_W: case Op::LDRH: case Op::LDRSH_X:
  case Op::LDRSH_W: case Op::LDR_W: case Op::LDRSW: case Op::LDR_X: case Op::LDR_V:
    a.read = true;
    break;
  case Op::STRB: case Op::STRH: case Op::STR_W: case Op::STR_X: case Op::STR_V:
    a.write = true;
    break;
  // Pairs.
  case Op::LDP_W: case Op::LDPSW: case Op::LDP_X: case Op::LDP_V: case Op::LDXP:
  case Op::LDAXP:
    a.read = true, bytes *= 2;
    break;
  case Op::STP_W: case Op::STP_X: case Op::STP_V: case Op::STXP: case Op::STLXP:
    a.write = true, bytes *= 2;
    break;
  // Exclusives, ordered and atomic accesses: at the base.
  case Op::LDXR: case Op::LDAXR: case Op::LDAR:
    a.read = true;
    break;
  case Op::STXR: case Op::STLXR: case Op::STLR:
    a.write = true;
    break;
  case Op::CASP:
    bytes *= 2;
    [[fallthrough]];
  case Op::CAS: case Op::LDADD: case Op::LDCLR: case Op::LDEOR: case Op::LDSET:
  case Op::LDSMAX: case Op::LDSMIN: case Op::LDUMAX: case Op::LDUMIN: case Op::SWP:
    a.read = a.write = true;
    break;
  // Structures: from the base, the bytes of all their registers' lanes.
  case Op::LD1_M: case Op::LD2_M: case Op::LD3_M: case Op::LD4_M:
  case Op::ST1_M: case Op::ST2_M: case Op::ST3_M: case Op::ST4_M:
    a.addr = base;
    a.size = in.ra * (in.q ? 16u : 8u);
    a.write = in.op == Op::ST1_M || in.op == Op::ST2_M || in.op == Op::ST3_M ||
              in.op == Op::ST4_M;
    a.read = !a.write;
    return true;
  case Op::LD1_LANE: case Op::LD2_LANE: case Op::LD3_LANE: case Op::LD4_LANE:
  case Op::LD1R: case Op::LD2R: case Op::LD3R: case Op::LD4R:
    a.addr = base, a.size = in.imms << in.size, a.read = true;
    return true;
  case Op::ST1_LANE: case Op::ST2_LANE: case Op::ST3_LANE: case Op::ST4_LANE:
    a.addr = base, a.size = in.imms << in.size, a.write = true;
    return true;
  default:
    return false; // no access (prfm is a hint)
  }
  a.addr = a64::sem::address(&s, &in).ea;
  a.size = bytes;
  return true;
}

bool A64BreakpointReader::read(uint64_t addr, void *dst, size_t n) {
  if (!inner_.read(addr, dst, n))
    return false;
  if (!gdb_.anyBreakpoints())
    return true;
  constexpr uint32_t kBrk0 = 0xd4200000; // brk #0
  for (uint64_t bp : gdb_.breakpointsIn(addr >= 3 ? addr - 3 : 0, n + 3))
    for (unsigned i = 0; i < 4; i++)
      if (bp + i >= addr && bp + i < addr + n)
        static_cast<uint8_t *>(dst)[bp + i - addr] = uint8_t(kBrk0 >> (8 * i));
  return true;
}

} // namespace xlat::debug
