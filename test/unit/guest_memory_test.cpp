// GuestMemory: Linux mmap/munmap/mprotect/mremap/brk semantics inside the
// reservation, and the checked accessors syscall handlers rely on.
#include "runtime/guest_memory.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>
#include <vector>

using xlat::GuestMemory;

namespace {

// Guest (asm-generic) values, spelled out: the API takes guest numbers.
constexpr int R = 1, W = 2, X = 4, RW = R | W;
constexpr int kShared = 1, kPrivate = 2, kFixed = 0x10, kAnon = 0x20;
constexpr int kNoReplace = 0x100000;
constexpr int kMayMove = 1, kRemapFixed = 2;
constexpr uint64_t P = GuestMemory::kPageSize;

class GuestMemoryTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string err;
    ASSERT_TRUE(mem.init(GuestMemory::kDefaultLimit, err)) << err;
  }
  int64_t anon(uint64_t addr, uint64_t len, int prot = RW, int extra = 0) {
    return mem.mmap(addr, len, prot, kPrivate | kAnon | extra, -1, 0);
  }
  size_t count() const { return mem.mappings().size(); }
  GuestMemory mem;
};

TEST_F(GuestMemoryTest, ReservationIsProtNone) {
  EXPECT_NE(mem.base(), nullptr);
  EXPECT_EQ(mem.limit(), GuestMemory::kDefaultLimit);
  EXPECT_FALSE(mem.isMapped(0x10000, 1, 0));
  EXPECT_TRUE(mem.mappings().empty());
  EXPECT_LT(mem.mmapBase(), mem.limit());
  EXPECT_EQ(mem.mmapBase() % P, 0u);
}

TEST_F(GuestMemoryTest, AnonymousTopDownBelowMmapBase) {
  int64_t a = anon(0, 3 * P);
  ASSERT_GT(a, 0);
  EXPECT_EQ((uint64_t)a + 3 * P, mem.mmapBase());
  int64_t b = anon(0, P);
  EXPECT_EQ((uint64_t)b + P, (uint64_t)a);
  // Fresh anonymous memory is zero and usable.
  uint64_t v = 1;
  ASSERT_TRUE(mem.read(a, &v, 8));
  EXPECT_EQ(v, 0u);
  v = 0x1122334455667788;
  ASSERT_TRUE(mem.write(a + 8, &v, 8));
  EXPECT_EQ(*(uint64_t *)mem.g2h(a + 8), v);
  // Adjacent anonymous mappings with equal prot merge, as Linux VMAs do.
  EXPECT_EQ(count(), 1u);
}

TEST_F(GuestMemoryTest, HintHonouredWhenFree) {
  EXPECT_EQ(anon(0x40000000, 2 * P), 0x40000000);
  // Occupied: placed elsewhere, not at the hint.
  int64_t b = anon(0x40000000, P);
  ASSERT_GT(b, 0);
  EXPECT_NE(b, 0x40000000);
  // Unaligned hints are rounded up.
  EXPECT_EQ(anon(0x50000123, P), 0x50001000);
}

TEST_F(GuestMemoryTest, FixedReplacesExisting) {
  ASSERT_EQ(anon(0x40000000, 4 * P), 0x40000000);
  uint32_t v = 7;
  ASSERT_TRUE(mem.write(0x40001000, &v, 4));
  ASSERT_EQ(anon(0x40001000, P, R, kFixed), 0x40001000);
  ASSERT_TRUE(mem.read(0x40001000, &v, 4));
  EXPECT_EQ(v, 0u);
  EXPECT_FALSE(mem.write(0x40001000, &v, 4)); // now read-only
  EXPECT_EQ(count(), 3u);
}

TEST_F(GuestMemoryTest, FixedNoReplace) {
  ASSERT_EQ(anon(0x40000000, 2 * P), 0x40000000);
  EXPECT_EQ(anon(0x40001000, 2 * P, RW, kNoReplace), -EEXIST);
  EXPECT_EQ(anon(0x3ffff000, 2 * P, RW, kNoReplace), -EEXIST);
  EXPECT_EQ(anon(0x40002000, P, RW, kNoReplace), 0x40002000);
  EXPECT_EQ(anon(0x40003001, P, RW, kNoReplace), -EINVAL);
}

TEST_F(GuestMemoryTest, MmapErrors) {
  EXPECT_EQ(anon(0, 0), -EINVAL);
  EXPECT_EQ(anon(0x40000001, P, RW, kFixed), -EINVAL);
  EXPECT_EQ(mem.mmap(0, P, RW, kAnon, -1, 0), -EINVAL); // no map type
  EXPECT_EQ(mem.mmap(0, P, RW, kPrivate | kAnon, -1, 123), -EINVAL);
  EXPECT_EQ(mem.mmap(0, P, RW, kPrivate, -1, 0), -EBADF);
  EXPECT_EQ(mem.mmap(0, P, RW, kPrivate, 9999, 0), -EBADF);
  // Below the host's mmap_min_addr: EPERM, unless the process may go there.
  if (mem.fixedMinAddr() > 0x1000) {
    EXPECT_EQ(anon(0x1000, P, RW, kFixed), -EPERM);
  } else {
    EXPECT_EQ(anon(0x1000, P, RW, kFixed), 0x1000);
    EXPECT_EQ(mem.munmap(0x1000, P), 0);
  }
  EXPECT_EQ(anon(mem.limit() - P, 2 * P, RW, kFixed), -ENOMEM);
  EXPECT_EQ(anon(0, mem.limit() + P), -ENOMEM);
  EXPECT_TRUE(mem.mappings().empty());
}

TEST(GuestMemorySmall, NoMemoryWhenFull) {
  GuestMemory mem;
  std::string err;
  ASSERT_TRUE(mem.init(1ull << 30, err)) << err;
  EXPECT_GT(mem.mmap(0, 512ull << 20, RW, kPrivate | kAnon, -1, 0), 0);
  // Top-down fails, the bottom-up fallback still finds the rest.
  EXPECT_GT(mem.mmap(0, 300ull << 20, RW, kPrivate | kAnon, -1, 0), 0);
  EXPECT_EQ(mem.mmap(0, 512ull << 20, RW, kPrivate | kAnon, -1, 0), -ENOMEM);
}

TEST_F(GuestMemoryTest, MunmapReReserves) {
  ASSERT_EQ(anon(0x40000000, 3 * P), 0x40000000);
  EXPECT_EQ(mem.munmap(0x40001000, P), 0);
  EXPECT_TRUE(mem.isMapped(0x40000000, P, RW));
  EXPECT_FALSE(mem.isMapped(0x40001000, 1, 0));
  EXPECT_TRUE(mem.isMapped(0x40002000, P, RW));
  EXPECT_FALSE(mem.isMapped(0x40000000, 3 * P, 0));
  uint8_t b;
  EXPECT_FALSE(mem.read(0x40001800, &b, 1));
  EXPECT_EQ(count(), 2u);
  // The host range stays inside the reservation (something is mapped there).
  void *h = mmap(mem.g2h(0x40001000), P, PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  EXPECT_EQ(h, MAP_FAILED);
  EXPECT_EQ(errno, EEXIST);
  // Unmapping nothing is fine; bad arguments are EINVAL.
  EXPECT_EQ(mem.munmap(0x50000000, P), 0);
  EXPECT_EQ(mem.munmap(0x40000001, P), -EINVAL);
  EXPECT_EQ(mem.munmap(0x40000000, 0), -EINVAL);
  EXPECT_EQ(mem.munmap(mem.limit() - P, 2 * P), -EINVAL);
}

TEST_F(GuestMemoryTest, Mprotect) {
  ASSERT_EQ(anon(0x40000000, 4 * P), 0x40000000);
  EXPECT_EQ(mem.mprotect(0x40001000, P, R | X), 0);
  EXPECT_TRUE(mem.isMapped(0x40001000, P, R | X));
  EXPECT_FALSE(mem.isMapped(0x40001000, P, W));
  uint8_t b = 1;
  EXPECT_FALSE(mem.write(0x40001000, &b, 1));
  EXPECT_TRUE(mem.read(0x40001000, &b, 1));
  EXPECT_EQ(count(), 3u);
  // Back to RW: the pieces merge again.
  EXPECT_EQ(mem.mprotect(0x40001000, P, RW), 0);
  EXPECT_EQ(count(), 1u);
  // Errors: unaligned, bad bits, unmapped start.
  EXPECT_EQ(mem.mprotect(0x40000001, P, R), -EINVAL);
  EXPECT_EQ(mem.mprotect(0x40000000, P, 0x100), -EINVAL);
  EXPECT_EQ(mem.mprotect(0x50000000, P, R), -ENOMEM);
  EXPECT_EQ(mem.mprotect(0x40000000, 0, R), 0);
}

TEST_F(GuestMemoryTest, MprotectStopsAtHoleLikeLinux) {
  ASSERT_EQ(anon(0x40000000, 2 * P), 0x40000000);
  ASSERT_EQ(anon(0x40003000, P), 0x40003000);
  EXPECT_EQ(mem.mprotect(0x40000000, 4 * P, R), -ENOMEM);
  // The prefix before the hole was changed, the part after it was not.
  EXPECT_FALSE(mem.isMapped(0x40000000, 2 * P, W));
  EXPECT_TRUE(mem.isMapped(0x40003000, P, RW));
}

TEST_F(GuestMemoryTest, Brk) {
  EXPECT_EQ(mem.brk(0), 0u); // before initBrk
  mem.initBrk(0x80000);
  EXPECT_EQ(mem.brk(0), 0x80000u);
  EXPECT_EQ(mem.brk(0x80000 + 10000), 0x80000u + 10000);
  EXPECT_TRUE(mem.isMapped(0x80000, 3 * P, RW));
  auto maps = mem.mappings();
  ASSERT_EQ(maps.count(0x80000), 1u);
  EXPECT_EQ(maps[0x80000].name, "[heap]");
  EXPECT_EQ(maps[0x80000].end, 0x83000u);
  uint32_t v = 5;
  ASSERT_TRUE(mem.write(0x82000, &v, 4));
  // Shrink: the pages above the new break go away.
  EXPECT_EQ(mem.brk(0x81000), 0x81000u);
  EXPECT_FALSE(mem.isMapped(0x81000, 1, 0));
  // Grow again: fresh zero pages.
  EXPECT_EQ(mem.brk(0x83000), 0x83000u);
  ASSERT_TRUE(mem.read(0x82000, &v, 4));
  EXPECT_EQ(v, 0u);
  // Failures return the current break.
  EXPECT_EQ(mem.brk(0x70000), 0x83000u);
  ASSERT_EQ(anon(0x90000, P, RW, kFixed), 0x90000);
  EXPECT_EQ(mem.brk(0x95000), 0x83000u);
  EXPECT_EQ(mem.brk(mem.limit() + P), 0x83000u);
}

TEST_F(GuestMemoryTest, MremapShrinkAndGrowInPlace) {
  ASSERT_EQ(anon(0x40000000, 4 * P), 0x40000000);
  EXPECT_EQ(mem.mremap(0x40000000, 4 * P, 2 * P, 0, 0), 0x40000000);
  EXPECT_FALSE(mem.isMapped(0x40002000, 1, 0));
  EXPECT_EQ(mem.mremap(0x40000000, 2 * P, 8 * P, 0, 0), 0x40000000);
  EXPECT_TRUE(mem.isMapped(0x40000000, 8 * P, RW));
  EXPECT_EQ(count(), 1u);
}

TEST_F(GuestMemoryTest, MremapMove) {
  ASSERT_EQ(anon(0x40000000, 2 * P), 0x40000000);
  ASSERT_EQ(anon(0x40002000, P, R, kFixed), 0x40002000); // blocks growth
  uint64_t v = 0xabcdef;
  ASSERT_TRUE(mem.write(0x40001ff8, &v, 8));
  EXPECT_EQ(mem.mremap(0x40000000, 2 * P, 4 * P, 0, 0), -ENOMEM);
  int64_t n = mem.mremap(0x40000000, 2 * P, 4 * P, kMayMove, 0);
  ASSERT_GT(n, 0);
  EXPECT_NE(n, 0x40000000);
  EXPECT_FALSE(mem.isMapped(0x40000000, 1, 0));
  EXPECT_TRUE(mem.isMapped(n, 4 * P, RW));
  v = 0;
  ASSERT_TRUE(mem.read(n + 0x1ff8, &v, 8));
  EXPECT_EQ(v, 0xabcdefu);
  // MREMAP_FIXED to a chosen address, replacing what is there.
  ASSERT_EQ(anon(0x60000000, P), 0x60000000);
  EXPECT_EQ(mem.mremap(n, 4 * P, 4 * P, kMayMove | kRemapFixed, 0x60000000),
            0x60000000);
  ASSERT_TRUE(mem.read(0x60001ff8, &v, 8));
  EXPECT_EQ(v, 0xabcdefu);
  EXPECT_FALSE(mem.isMapped(n, 1, 0));
}

TEST_F(GuestMemoryTest, MremapErrors) {
  ASSERT_EQ(anon(0x40000000, 2 * P), 0x40000000);
  EXPECT_EQ(mem.mremap(0x40000000, P, P, 0x80, 0), -EINVAL);
  EXPECT_EQ(mem.mremap(0x40000000, P, P, kRemapFixed, 0x50000000), -EINVAL);
  EXPECT_EQ(mem.mremap(0x40000001, P, P, 0, 0), -EINVAL);
  EXPECT_EQ(mem.mremap(0x40000000, P, 0, 0, 0), -EINVAL);
  EXPECT_EQ(mem.mremap(0x50000000, P, 2 * P, kMayMove, 0), -EFAULT);
  EXPECT_EQ(mem.mremap(0x40000000, 3 * P, 4 * P, kMayMove, 0), -EFAULT);
  // Overlapping source and destination.
  EXPECT_EQ(mem.mremap(0x40000000, P, P, kMayMove | kRemapFixed, 0x40000000),
            -EINVAL);
}

TEST_F(GuestMemoryTest, FileMappings) {
  char path[] = "/tmp/xlat-gm-test-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::vector<char> data(2 * P, 'a');
  data[P] = 'b';
  ASSERT_EQ(::write(fd, data.data(), data.size()), (ssize_t)data.size());

  int64_t a = mem.mmap(0, 2 * P, R, kPrivate, fd, 0);
  ASSERT_GT(a, 0);
  char c = 0;
  ASSERT_TRUE(mem.read(a + P, &c, 1));
  EXPECT_EQ(c, 'b');
  EXPECT_EQ(mem.mappings()[a].name, path);
  // An offset maps the file from there.
  int64_t b = mem.mmap(0, P, R, kPrivate, fd, P);
  ASSERT_TRUE(mem.read(b, &c, 1));
  EXPECT_EQ(c, 'b');
  // MAP_SHARED writes reach the file.
  int64_t s = mem.mmap(0, P, RW, kShared, fd, 0);
  ASSERT_GT(s, 0);
  c = 'z';
  ASSERT_TRUE(mem.write(s + 3, &c, 1));
  char back = 0;
  ASSERT_EQ(pread(fd, &back, 1, 3), 1);
  EXPECT_EQ(back, 'z');
  // Growing a file mapping in place and moving it keeps it file-backed.
  ASSERT_EQ(mem.mmap(0x40000000, P, R, kPrivate | kFixed, fd, 0), 0x40000000);
  EXPECT_EQ(mem.mremap(0x40000000, P, 2 * P, 0, 0), 0x40000000);
  ASSERT_TRUE(mem.read(0x40001000, &c, 1));
  EXPECT_EQ(c, 'b');
  EXPECT_EQ(
      mem.mremap(0x40000000, 2 * P, 2 * P, kMayMove | kRemapFixed, 0x50000000),
      0x50000000);
  ASSERT_TRUE(mem.read(0x50001000, &c, 1));
  EXPECT_EQ(c, 'b');
  EXPECT_EQ(mem.mappings()[0x50000000].name, path);
  EXPECT_FALSE(mem.isMapped(0x40000000, 1, 0));
  // Read-only fd, shared writable mapping: EACCES from the host.
  int ro = open(path, O_RDONLY);
  EXPECT_EQ(mem.mmap(0, P, RW, kShared, ro, 0), -EACCES);
  close(ro);
  close(fd);
  unlink(path);
}

TEST_F(GuestMemoryTest, ReadStringAcrossPages) {
  ASSERT_EQ(anon(0x40000000, 2 * P), 0x40000000);
  const char *s = "hello";
  ASSERT_TRUE(mem.write(0x40001000 - 3, s, 6));
  std::string out;
  EXPECT_TRUE(mem.readString(0x40001000 - 3, out));
  EXPECT_EQ(out, "hello");
  EXPECT_FALSE(mem.readString(0x40001000 - 3, out, 3)); // too long
  // Runs into an unmapped page without a NUL.
  std::vector<char> fill(P, 'x');
  ASSERT_TRUE(mem.write(0x40001000, fill.data(), P));
  EXPECT_FALSE(mem.readString(0x40001000, out, 2 * P));
  EXPECT_FALSE(mem.readString(0x50000000, out));
}

TEST_F(GuestMemoryTest, AccessChecksRejectOutOfRange) {
  uint8_t b = 0;
  EXPECT_FALSE(mem.read(mem.limit(), &b, 1));
  EXPECT_FALSE(mem.read(~0ull, &b, 1));
  EXPECT_FALSE(mem.isMapped(mem.limit() - 1, 2, 0));
  EXPECT_TRUE(mem.read(0x40000000, &b, 0)); // zero length touches nothing
}

TEST_F(GuestMemoryTest, SetNameAndStackGrowsDown) {
  uint64_t top = mem.limit(), lo = top - 16 * P;
  ASSERT_EQ(anon(lo, 16 * P, RW, kFixed), (int64_t)lo);
  mem.setName(lo, top, "[stack]");
  EXPECT_EQ(mem.mappings()[lo].name, "[stack]");
  // PROT_GROWSDOWN extends the change to the bottom of the stack.
  EXPECT_EQ(mem.mprotect(top - P, P, R | W | X | 0x01000000), 0);
  EXPECT_TRUE(mem.isMapped(lo, 16 * P, R | W | X));
  ASSERT_EQ(anon(0x40000000, P), 0x40000000);
  EXPECT_EQ(mem.mprotect(0x40000000, P, R | 0x01000000), -EINVAL);
}

TEST_F(GuestMemoryTest, ConcurrentMmapMunmap) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([this] {
      for (int i = 0; i < 500; ++i) {
        int64_t a = anon(0, (1 + i % 4) * P);
        ASSERT_GT(a, 0);
        uint64_t v = a;
        ASSERT_TRUE(mem.write(a, &v, 8));
        ASSERT_TRUE(mem.read(a, &v, 8));
        ASSERT_EQ(v, (uint64_t)a);
        ASSERT_EQ(mem.munmap(a, (1 + i % 4) * P), 0);
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_TRUE(mem.mappings().empty());
}

} // namespace
