// HostPcMap: the host-address-to-guest-pc side table the fault handler
// reads, with ranges from stencils and exact addresses from LLVM code.
#include "jit/host_pc_map.h"

#include <gtest/gtest.h>

using xlat::jit::HostPcMap;

namespace {

// Each test uses its own stretch of host addresses: the map is process-wide.
bool at(uint64_t host, uint64_t &pc) {
  uint32_t rawFp = 0;
  return HostPcMap::instance().lookup(host, pc, rawFp);
}

TEST(HostPcMap, RangesAndGaps) {
  HostPcMap &m = HostPcMap::instance();
  const uint64_t b = 0x10000000;
  m.addRange(b + 0x10, b + 0x30, 0x1000);
  m.addRange(b + 0x40, b + 0x48, 0x1004);
  uint64_t pc;
  EXPECT_FALSE(at(b + 0x0f, pc));
  ASSERT_TRUE(at(b + 0x10, pc));
  EXPECT_EQ(pc, 0x1000u);
  ASSERT_TRUE(at(b + 0x2f, pc));
  EXPECT_EQ(pc, 0x1000u);
  EXPECT_FALSE(at(b + 0x30, pc));
  ASSERT_TRUE(at(b + 0x47, pc));
  EXPECT_EQ(pc, 0x1004u);
  EXPECT_FALSE(at(b + 0x48, pc));
  m.removeRange(b, b + 0x40);
  EXPECT_FALSE(at(b + 0x10, pc));
  EXPECT_TRUE(at(b + 0x40, pc));
  m.removeRange(b, b + 0x1000);
  EXPECT_FALSE(at(b + 0x40, pc));
}

TEST(HostPcMap, RangeAcrossWindowsAndOutOfOrder) {
  HostPcMap &m = HostPcMap::instance();
  const uint64_t b = 0x20000000;
  // Straddles a 64 KiB boundary; then an earlier range added later.
  m.addRange(b + 0xfff0, b + 0x10010, 0x2000);
  m.addRange(b + 0x100, b + 0x110, 0x2004);
  uint64_t pc;
  for (uint64_t h : {b + 0xfff0, b + 0xffff, b + 0x10000, b + 0x1000f}) {
    ASSERT_TRUE(at(h, pc)) << std::hex << h;
    EXPECT_EQ(pc, 0x2000u);
  }
  EXPECT_FALSE(at(b + 0x10010, pc));
  ASSERT_TRUE(at(b + 0x108, pc));
  EXPECT_EQ(pc, 0x2004u);
  // Adding at an address already known replaces the entry.
  m.addRange(b + 0x100, b + 0x108, 0x2008);
  ASSERT_TRUE(at(b + 0x100, pc));
  EXPECT_EQ(pc, 0x2008u);
  m.removeRange(b, b + 0x20000);
  EXPECT_FALSE(at(b + 0x10000, pc));
  EXPECT_FALSE(at(b + 0x100, pc));
}

TEST(HostPcMap, ExactAccessesKeepTheirRawFpMask) {
  HostPcMap &m = HostPcMap::instance();
  const uint64_t b = 0x30000000;
  size_t before = m.size();
  m.addExact({{b + 8, 0x3000, 0, {}}, {b + 3, 0x3004, 0x5, {{{40, 3}, {80, 15}}}}});
  EXPECT_EQ(m.size(), before + 2);
  uint64_t pc;
  uint32_t rawFp = 0;
  ASSERT_TRUE(m.lookup(b + 3, pc, rawFp));
  EXPECT_EQ(pc, 0x3004u);
  EXPECT_EQ(rawFp, 0x5u);
  xlat::jit::RegSpills spills;
  ASSERT_TRUE(m.lookup(b + 3, pc, rawFp, &spills));
  EXPECT_EQ(spills[0], (xlat::jit::RegSpill{40, 3}));
  EXPECT_EQ(spills[1], (xlat::jit::RegSpill{80, 15}));
  EXPECT_EQ(spills[2].field, 0u);
  EXPECT_FALSE(m.lookup(b + 4, pc, rawFp)); // one byte each
  ASSERT_TRUE(m.lookup(b + 8, pc, rawFp));
  EXPECT_EQ(pc, 0x3000u);
  // A huge range to remove, over few windows in use.
  m.removeRange(0, ~uint64_t(0));
  EXPECT_EQ(m.size(), 0u);
}

} // namespace
