// Position-independent code for static programs (lifter/riscv/pc_values.h):
// which instructions take their values from where the program was linked,
// what the code depends on, and binding such code to one program
// (jit::bindPcValues).
#include "jit/object_import.h"
#include "lifter/riscv/pc_values.h"

#include <gtest/gtest.h>

#include <map>

namespace {

using namespace xlat;
using rv::PcValue;

uint32_t encI(uint32_t opcode, unsigned rd, unsigned f3, unsigned rs1, int32_t imm) {
  return (uint32_t(imm) << 20) | rs1 << 15 | f3 << 12 | rd << 7 | opcode;
}
uint32_t encS(uint32_t opcode, unsigned f3, unsigned rs1, unsigned rs2, int32_t imm) {
  return ((uint32_t(imm) >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
         (uint32_t(imm) & 0x1f) << 7 | opcode;
}
uint32_t auipc(unsigned rd, int32_t hi) { return uint32_t(hi) << 12 | rd << 7 | 0x17; }
uint32_t jal(unsigned rd, int32_t off) {
  uint32_t u = uint32_t(off);
  return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
         ((u >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
}
uint32_t ld(unsigned rd, unsigned rs1, int32_t imm) { return encI(0x03, rd, 3, rs1, imm); }
uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) { return encI(0x13, rd, 0, rs1, imm); }
uint32_t sd(unsigned rs2, unsigned rs1, int32_t imm) { return encS(0x23, 3, rs1, rs2, imm); }

constexpr unsigned ra = 1, a0 = 10, a1 = 11, a2 = 12;

// 32-bit instructions at pc, one after another.
class Code final : public CodeReader {
public:
  Code(uint64_t pc, std::vector<uint32_t> words) : pc_(pc), words_(std::move(words)) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    if (addr < pc_ || addr + n > pc_ + 4 * words_.size())
      return false;
    memcpy(dst, reinterpret_cast<const uint8_t *>(words_.data()) + (addr - pc_), n);
    return true;
  }
  std::vector<rv::GuestBlock> blocks() {
    std::vector<rv::GuestBlock> out;
    for (uint64_t at = pc_; at < pc_ + 4 * words_.size();) {
      out.push_back(rv::decodeBlock(*this, at, 64));
      at = out.back().endPc;
    }
    return out;
  }

private:
  uint64_t pc_;
  std::vector<uint32_t> words_;
};

// A libc-like function: a global's load and store through auipc, a call
// to another function, and a loop back to its start (a block of its own).
std::vector<uint32_t> function(int32_t hi, int32_t lo, int32_t call, unsigned reg = a1) {
  return {auipc(a0, hi), ld(reg, a0, lo), addi(reg, reg, 1), sd(reg, a0, lo),
          jal(ra, call), jal(0, -20)};
}

TEST(PcValues, AuipcPairsAndJumpsOut) {
  Code code(0x10000, function(2, 16, 0x10000));
  std::vector<PcValue> v = rv::pcValues(code.blocks());
  ASSERT_EQ(v.size(), 4u); // the loop's jal stays: its target is a block
  EXPECT_EQ(v[0].kind, PcValue::Auipc);
  EXPECT_EQ(v[0].pc, 0x10000u);
  EXPECT_EQ(v[0].value, 0x12000u);
  EXPECT_EQ(v[1].kind, PcValue::PairLow);
  EXPECT_EQ(v[1].anchor, 0u);
  EXPECT_EQ(v[1].value, 0x12010u);
  EXPECT_EQ(v[1].mask, 0xfff00000u);
  EXPECT_EQ(v[2].kind, PcValue::PairLow);
  EXPECT_EQ(v[2].pc, 0x1000cu);
  EXPECT_EQ(v[2].mask, 0xfe000f80u);
  EXPECT_EQ(v[3].kind, PcValue::Jump);
  EXPECT_EQ(v[3].value, 0x20010u);
}

TEST(PcValues, PairEndsWhereItsRegisterIsWritten) {
  // addi a0, a0, 8 is a partner and then writes a0: ld after it is not.
  Code code(0x10000, {auipc(a0, 1), addi(a0, a0, 8), ld(a1, a0, 0), jal(0, -12)});
  std::vector<PcValue> v = rv::pcValues(code.blocks());
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].kind, PcValue::PairLow);
  EXPECT_EQ(v[1].pc, 0x10004u);
}

TEST(PcValues, IdentityIgnoresOnlyWhereTheCodeIs) {
  auto identity = [](uint64_t pc, std::vector<uint32_t> words) {
    Code code(pc, std::move(words));
    std::vector<rv::GuestBlock> blocks = code.blocks();
    return rv::pcIndependentIdentity(blocks, {}, rv::pcValues(blocks), pc);
  };
  std::vector<uint8_t> here = identity(0x10000, function(2, 16, 0x10000));
  // The same function in another program: other addresses, immediates.
  EXPECT_EQ(here, identity(0x23450, function(7, -40, -0x3000)));
  // Another register, or a call that lands in the region: other code.
  EXPECT_NE(here, identity(0x10000, function(2, 16, 0x10000, a2)));
  EXPECT_NE(here, identity(0x10000, function(2, 16, 4)));
}

TEST(BindPcValues, MakesCodeForOneProgram) {
  jit::CodeObject obj;
  using T = jit::CodeObject::Target;
  using Ty = jit::CodeObject::Type;
  obj.cells = {0x10};
  obj.externals = {"xlat_pcval_1", "xlat_pccell_0", "xlat_helper"};
  obj.relocs = {{0, Ty::Abs64, T::ModuleBase, 0, 8},
                {8, Ty::Abs64, T::External, 0, 4},
                {16, Ty::Pc32, T::External, 1, -4},
                {20, Ty::Plt32, T::External, 2, -4},
                {24, Ty::Pc32, T::Cell, 0, -4}};
  obj.pcmap = {{0, 0x4, 0, {}}};
  std::string err;
  ASSERT_TRUE(jit::bindPcValues(obj, 0x10000, {0x30000, 0x40000}, err)) << err;
  EXPECT_EQ(obj.cells, (std::vector<uint64_t>{0x10010, 0x30000}));
  EXPECT_EQ(obj.externals, std::vector<std::string>{"xlat_helper"});
  EXPECT_EQ(obj.relocs[0].target, T::ModuleBase);
  EXPECT_EQ(obj.relocs[0].addend, 0x10008);
  EXPECT_EQ(obj.relocs[1].target, T::ModuleBase);
  EXPECT_EQ(obj.relocs[1].addend, 0x40004);
  EXPECT_EQ(obj.relocs[2].target, T::Cell);
  EXPECT_EQ(obj.relocs[2].index, 1u);
  EXPECT_EQ(obj.relocs[3].target, T::External);
  EXPECT_EQ(obj.relocs[3].index, 0u);
  EXPECT_EQ(obj.relocs[4].index, 0u);
  EXPECT_EQ(obj.pcmap[0].guestPc, 0x10004u);

  jit::CodeObject missing;
  missing.externals = {"xlat_pcval_2"};
  EXPECT_FALSE(jit::bindPcValues(missing, 0x10000, {1, 2}, err));
  EXPECT_NE(err.find("xlat_pcval_2"), std::string::npos);
}

} // namespace
