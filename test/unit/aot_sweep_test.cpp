// xlat-aot's line sweeps (aot/sweep.h): the jump-table dispatches GCC emits
// for RISC-V and A64, found with their bounds, their targets read until an
// entry leaves the function, and the addresses A64 code forms.
#include "aot/sweep.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

namespace {

using xlat::aot::JumpTable;

// Little-endian bytes at addresses.
struct Bytes final : xlat::CodeReader {
  std::map<uint64_t, uint8_t> at;
  void put(uint64_t addr, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++)
      at[addr + i] = uint8_t(v >> (8 * i));
  }
  // Instructions in a line: 16-bit ones below 0x10000 with low bits != 3.
  uint64_t code(uint64_t addr, std::initializer_list<uint32_t> insns) {
    for (uint32_t i : insns) {
      unsigned n = (i & 3) == 3 ? 4 : 2;
      put(addr, i, n);
      addr += n;
    }
    return addr;
  }
  bool read(uint64_t addr, void *dst, size_t n) override {
    for (size_t i = 0; i < n; i++) {
      auto it = at.find(addr + i);
      if (it == at.end())
        return false;
      static_cast<uint8_t *>(dst)[i] = it->second;
    }
    return true;
  }
};

std::vector<JumpTable> tablesIn(Bytes &b, uint64_t start, uint64_t end,
                                xlat::GuestIsa isa = xlat::GuestIsa::Riscv64) {
  std::vector<JumpTable> out;
  xlat::aot::SweepFound found;
  found.table = [&](const JumpTable &t) { out.push_back(t); };
  xlat::aot::sweep(isa, b, start, end, found);
  return out;
}

TEST(AotSweep, SwitchTableOfOffsetsWithItsBound) {
  // GCC's switch over 8 cases (as in test/cache/Inputs/jumptab.c):
  //   li a5,7; bltu a5,a0,default; auipc a4,0x1; addi a4,a4,-0x100
  //   slli a0,a0,2; add a5,a0,a4; lw a5,0(a5); add a5,a5,a4; jr a5
  // then the cases, 4 bytes each (ret; nop).
  Bytes b;
  const uint64_t fn = 0x10000;
  uint64_t end = b.code(fn, {0x479d, 0x04a7e763, 0x00001717, 0xf0070713, 0x050a,
                             0x00e507b3, 0x439c, 0x97ba, 0x8782});
  uint64_t cases = end;
  for (int i = 0; i < 8; i++)
    end = b.code(end, {0x8082, 0x0001});
  const uint64_t table = fn + 6 + 0x1000 - 0x100; // auipc at fn + 6
  for (int i = 0; i < 10; i++) // two more entries than the bound allows
    b.put(table + 4 * i, uint32_t(cases + 4 * (i % 8) - table), 4);

  std::vector<JumpTable> ts = tablesIn(b, fn, end);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].jumpPc, fn + 0x18);
  EXPECT_EQ(ts[0].table, table);
  EXPECT_EQ(ts[0].entrySize, 4u);
  EXPECT_TRUE(ts[0].relative);
  EXPECT_EQ(ts[0].relBase, table);
  EXPECT_EQ(ts[0].entries, 8u); // a0 <= 7
  std::vector<uint64_t> targets = xlat::aot::jumpTableTargets(xlat::GuestIsa::Riscv64, ts[0], b, b, fn, end);
  ASSERT_EQ(targets.size(), 8u);
  for (int i = 0; i < 8; i++)
    EXPECT_EQ(targets[i], cases + 4 * i);
}

TEST(AotSweep, ComputedGotoTableOfAddressesEndsWhereEntriesLeaveTheFunction) {
  // Lua's dispatch: auipc s4,0x1; addi s4,s4,0; ...; andi a5,s0,127;
  // slli a5,a5,3; add a5,a5,s4; ld a5,0(a5); jr a5. The mask bounds the
  // index at 128, but the table ends at its third entry: the fourth points
  // outside the function.
  Bytes b;
  const uint64_t fn = 0x20000;
  uint64_t end = b.code(fn, {0x00001a17, 0x000a0a13, 0x07f47793, 0x078e, 0x97d2,
                             0x639c, 0x8782});
  uint64_t handlers = end;
  for (int i = 0; i < 3; i++)
    end = b.code(end, {0x8082, 0x0001});
  const uint64_t table = fn + 0x1000;
  for (int i = 0; i < 3; i++)
    b.put(table + 8 * i, handlers + 4 * i, 8);
  b.put(table + 24, 0x90000, 8);

  std::vector<JumpTable> ts = tablesIn(b, fn, end);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].table, table);
  EXPECT_EQ(ts[0].entrySize, 8u);
  EXPECT_FALSE(ts[0].relative);
  EXPECT_EQ(ts[0].entries, 128u);
  EXPECT_EQ(xlat::aot::jumpTableTargets(xlat::GuestIsa::Riscv64, ts[0], b, b, fn, end),
            (std::vector<uint64_t>{handlers, handlers + 4, handlers + 8}));
}

TEST(AotSweep, AnIndexNotScaledIsNoTable) {
  // auipc a4; addi a4; add a5,a0,a4 (no shift); lw a5,0(a5); add a5,a5,a4;
  // jr a5: not a table walk the sweep can bound, so nothing is found.
  Bytes b;
  const uint64_t fn = 0x30000;
  uint64_t end = b.code(fn, {0x00001717, 0xf0070713, 0x00e507b3, 0x439c, 0x97ba, 0x8782});
  EXPECT_TRUE(tablesIn(b, fn, end).empty());
}

// A64 code at a page boundary (adrp of it gives its own address), one
// 32-bit word per instruction.
constexpr uint64_t kA64Base = 0x40000;
uint64_t a64Code(Bytes &b, uint64_t addr, std::initializer_list<uint32_t> words) {
  for (uint32_t w : words) {
    b.put(addr, w, 4);
    addr += 4;
  }
  return addr;
}

// f: cmp w0,#9; b.hi 1f; adrp x1,f; add x1,x1,#0x100;
//    ldrb w2,[x1,w0,uxtw]; adr x3,2f; add x2,x3,w2,sxtb #2; br x2;
//    2: ret; 1: ret
const std::initializer_list<uint32_t> kA64ByteSwitch = {
    0x7100241f, 0x54000108, 0x90000001, 0x91040021, 0x38604822,
    0x10000063, 0x8b228862, 0xd61f0040, 0xd65f03c0, 0xd65f03c0};

TEST(AotSweep, A64SwitchOfSignedByteCountsFromALabel) {
  Bytes b;
  uint64_t end = a64Code(b, kA64Base, kA64ByteSwitch);
  const uint64_t table = kA64Base + 0x100, label = kA64Base + 0x20;
  // Entries count instructions from the label: 0 and 1 are the two rets,
  // 0xff (-1) the br before it; two more than the bound allows.
  const uint8_t entries[12] = {0, 1, 0, 0xff, 1, 0, 1, 0, 1, 0, 1, 1};
  for (int i = 0; i < 12; i++)
    b.put(table + i, entries[i], 1);
  std::vector<JumpTable> ts = tablesIn(b, kA64Base, end, xlat::GuestIsa::Aarch64);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].jumpPc, kA64Base + 0x1c);
  EXPECT_EQ(ts[0].table, table);
  EXPECT_EQ(ts[0].entrySize, 1u);
  EXPECT_TRUE(ts[0].relative);
  EXPECT_TRUE(ts[0].signedEntries);
  EXPECT_EQ(ts[0].scale, 2u);
  EXPECT_EQ(ts[0].relBase, label);
  EXPECT_EQ(ts[0].entries, 10u); // w0 <= 9
  EXPECT_EQ(xlat::aot::jumpTableTargets(xlat::GuestIsa::Aarch64, ts[0], b, b, kA64Base, end),
            (std::vector<uint64_t>{label, label + 4, label - 4}));
}

TEST(AotSweep, A64SwitchOfHalfwordsAndAComputedGoto) {
  // h: cmp w0,#300; b.hi 1f; adrp x1,h; add x1,x1,#0x300;
  //    ldrh w2,[x1,w0,uxtw #1]; adr x3,2f; add x2,x3,w2,sxth #2; br x2;
  //    2: ret; 1: bl h; ret
  Bytes b;
  uint64_t end = a64Code(b, kA64Base, {0x7104b01f, 0x54000108, 0x90000001, 0x910c0021,
                                       0x78605822, 0x10000063, 0x8b22a862, 0xd61f0040,
                                       0xd65f03c0, 0x97fffff7, 0xd65f03c0});
  std::vector<JumpTable> ts = tablesIn(b, kA64Base, end, xlat::GuestIsa::Aarch64);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].table, kA64Base + 0x300);
  EXPECT_EQ(ts[0].entrySize, 2u);
  EXPECT_EQ(ts[0].scale, 2u);
  EXPECT_EQ(ts[0].entries, 301u);

  // g: adrp x5,g; add x5,x5,#0x200; ldrb w2,[x4]; ldr x7,[x5,x2,lsl #3];
  //    br x7: absolute addresses, no bound; the third leaves the function.
  Bytes c;
  const uint64_t g = kA64Base;
  end = a64Code(c, g, {0x90000005, 0x910800a5, 0x39400082, 0xf86278a7, 0xd61f00e0,
                       0xd65f03c0, 0xd65f03c0});
  c.put(g + 0x200, g + 0x14, 8);
  c.put(g + 0x208, g + 0x18, 8);
  c.put(g + 0x210, 0x90000, 8);
  ts = tablesIn(c, g, end, xlat::GuestIsa::Aarch64);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].table, g + 0x200);
  EXPECT_EQ(ts[0].entrySize, 8u);
  EXPECT_FALSE(ts[0].relative);
  EXPECT_EQ(ts[0].entries, 0u);
  EXPECT_EQ(xlat::aot::jumpTableTargets(xlat::GuestIsa::Aarch64, ts[0], c, c, g, end),
            (std::vector<uint64_t>{g + 0x14, g + 0x18}));
}

TEST(AotSweep, A64AddressesFormedAndCalled) {
  // The byte switch's table (adrp + add) and label (adr), and a bl.
  Bytes b;
  uint64_t end = a64Code(b, kA64Base, kA64ByteSwitch);
  end = a64Code(b, end, {0x97fffff6}); // bl kA64Base
  std::vector<uint64_t> seen;
  xlat::aot::SweepFound found;
  found.address = [&](uint64_t a) { seen.push_back(a); };
  xlat::aot::sweep(xlat::GuestIsa::Aarch64, b, kA64Base, end, found);
  EXPECT_EQ(seen, (std::vector<uint64_t>{kA64Base + 0x100, kA64Base + 0x20, kA64Base}));
}

} // namespace
