// xlat-aot's line sweep of RISC-V code (aot/rv_sweep.h): the two jump-table
// dispatches GCC emits, found with their bounds, and their targets read
// until an entry leaves the function.
#include "aot/rv_sweep.h"

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

std::vector<JumpTable> tablesIn(Bytes &b, uint64_t start, uint64_t end) {
  std::vector<JumpTable> out;
  xlat::aot::SweepFound found;
  found.table = [&](const JumpTable &t) { out.push_back(t); };
  xlat::aot::sweepRiscv(b, start, end, found);
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
  std::vector<uint64_t> targets = xlat::aot::jumpTableTargets(ts[0], b, b, fn, end);
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
  EXPECT_EQ(xlat::aot::jumpTableTargets(ts[0], b, b, fn, end),
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

} // namespace
