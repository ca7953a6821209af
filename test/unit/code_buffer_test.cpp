// CodeBuffer: which segment allocation goes on in, and when the oldest is
// evicted (a full buffer, or code that is mostly dead), with its pages
// reused.
#include "jit/code_buffer.h"

#include <gtest/gtest.h>

using xlat::jit::CodeBuffer;

namespace {

constexpr size_t kSeg = 64 << 10; // 1 MiB / 16 segments

// A buffer of 16 segments of 64 KiB; the first 48 KiB of segment 0 and of
// the next one allocation goes on in are taken.
struct TwoSegments : ::testing::Test {
  void SetUp() override {
    std::string err;
    ASSERT_TRUE(buf.init(err, 1 << 20, /*low=*/false)) << err;
    a = buf.allocate(48 << 10);
    b = buf.allocate(48 << 10); // does not fit after a: the next segment
    ASSERT_TRUE(a.write && b.write);
    ASSERT_EQ(a.exec, buf.execStart());
    ASSERT_EQ(buf.segmentOf(b.exec), 1u);
  }
  CodeBuffer buf;
  CodeBuffer::Allocation a, b;
};

TEST_F(TwoSegments, LiveCodeStaysWhileSegmentsAreFree) {
  CodeBuffer::Allocation c = buf.allocate(48 << 10);
  ASSERT_TRUE(c.write);
  EXPECT_EQ(buf.segmentOf(c.exec), 2u);
  EXPECT_FALSE(buf.wantsEviction());
}

TEST_F(TwoSegments, MostlyDeadOldestIsEvictedAndItsPagesReused) {
  buf.release(a.exec, a.size);
  CodeBuffer::Allocation c = buf.allocate(48 << 10);
  EXPECT_FALSE(c.write);
  ASSERT_TRUE(buf.wantsEviction());
  uint64_t lo, hi;
  EXPECT_EQ(buf.evictNext(lo, hi), a.size);
  EXPECT_EQ(lo, buf.execStart());
  EXPECT_EQ(hi, buf.execStart() + kSeg);
  EXPECT_FALSE(buf.wantsEviction());
  c = buf.allocate(48 << 10);
  ASSERT_TRUE(c.write);
  EXPECT_EQ(c.exec, a.exec);
  EXPECT_EQ(buf.bytesInUse(), b.size + c.size);
  // Segment 0 is the newest now: segment 1 is the oldest, and live.
  CodeBuffer::Allocation d = buf.allocate(48 << 10);
  ASSERT_TRUE(d.write);
  EXPECT_EQ(buf.segmentOf(d.exec), 2u);
}

TEST_F(TwoSegments, RevivedCodeCountsAsLive) {
  buf.release(a.exec, a.size);
  buf.retain(a.exec, a.size);
  CodeBuffer::Allocation c = buf.allocate(48 << 10);
  ASSERT_TRUE(c.write);
  EXPECT_EQ(buf.segmentOf(c.exec), 2u);
}

TEST_F(TwoSegments, LessThanHalfDeadStays) {
  buf.release(a.exec, a.size / 2 - 16);
  CodeBuffer::Allocation c = buf.allocate(48 << 10);
  ASSERT_TRUE(c.write);
  EXPECT_EQ(buf.segmentOf(c.exec), 2u);
}

TEST(CodeBuffer, FullBufferEvictsTheOldest) {
  CodeBuffer buf;
  std::string err;
  ASSERT_TRUE(buf.init(err, 2 * kSeg, /*low=*/false)) << err;
  CodeBuffer::Allocation a = buf.allocate(kSeg - 64);
  CodeBuffer::Allocation b = buf.allocate(kSeg - 64);
  ASSERT_TRUE(a.write && b.write);
  EXPECT_FALSE(buf.allocate(kSeg - 64).write);
  ASSERT_TRUE(buf.wantsEviction());
  uint64_t lo, hi;
  buf.evictNext(lo, hi);
  EXPECT_EQ(lo, a.exec);
  CodeBuffer::Allocation c = buf.allocate(kSeg - 64);
  ASSERT_TRUE(c.write);
  EXPECT_EQ(c.exec, a.exec);
  // Bigger than a segment: never fits.
  EXPECT_FALSE(buf.allocate(kSeg + 1).write);
}

} // namespace
