// A64 branch, exception and system-register semantics, and what the
// differential load and store test cannot reach (literals, SP as a base,
// faults), on encodings from llvm-mc -show-encoding (the data-processing
// and the other load and store semantics are checked against qemu-aarch64
// in test/isa/aarch64).
#include "lifter/aarch64/fenv.h"
#include "lifter/aarch64/decoder.h"
#include "lifter/aarch64/sem_table.h"
#include "test/unit/a64_flat_memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace xlat::a64;

namespace {

constexpr uint64_t kPc = 0x400100;

// Runs the instruction `raw` at kPc on `s` as the interpreter will: pc
// holding the fall-through address on entry.
void step(A64State &s, uint32_t raw) {
  Insn in = decode(kPc, raw);
  ASSERT_NE(in.op, Op::ILLEGAL) << std::hex << raw;
  SemFn fn = semanticFunction(in.op);
  ASSERT_NE(fn, nullptr) << mnemonic(in.op);
  s.pc = kPc + 4;
  clearHostFlags();
  fn(&s, &in);
  foldHostFlags(s); // as the runner does (lifter/aarch64/fenv.h)
}

TEST(A64Semantics, Branches) {
  A64State s{};
  step(s, 0x14000004); // b .+16
  EXPECT_EQ(s.pc, kPc + 16);
  step(s, 0x97ffffff); // bl .-4
  EXPECT_EQ(s.pc, kPc - 4);
  EXPECT_EQ(s.x[30], kPc + 4);

  s.setNzcv(kFlagZ);
  step(s, 0x54000040); // b.eq .+8
  EXPECT_EQ(s.pc, kPc + 8);
  step(s, 0x54000041); // b.ne .+8
  EXPECT_EQ(s.pc, kPc + 4);
  s.setNzcv(kFlagN); // N != V: lt
  step(s, 0x5400004b); // b.lt .+8
  EXPECT_EQ(s.pc, kPc + 8);
  step(s, 0x5400004e); // b.al .+8
  EXPECT_EQ(s.pc, kPc + 8);

  s.x[3] = 0xffffffff00000000ull;
  step(s, 0x34000043); // cbz w3, .+8: the low word is zero
  EXPECT_EQ(s.pc, kPc + 8);
  step(s, 0xb4000043); // cbz x3, .+8: the register is not
  EXPECT_EQ(s.pc, kPc + 4);
  step(s, 0xb7f80043); // tbnz x3, #63, .+8
  EXPECT_EQ(s.pc, kPc + 8);
  step(s, 0x36f80043); // tbz w3, #31, .+8 (bit 31 is clear)
  EXPECT_EQ(s.pc, kPc + 8);

  s.x[30] = 0x1234;
  step(s, 0xd65f03c0); // ret
  EXPECT_EQ(s.pc, 0x1234u);
  step(s, 0xd63f03c0); // blr x30: to the old x30
  EXPECT_EQ(s.pc, 0x1234u);
  EXPECT_EQ(s.x[30], kPc + 4);
  s.x[5] = 0x5678;
  step(s, 0xd61f00a0); // br x5
  EXPECT_EQ(s.pc, 0x5678u);
}

TEST(A64Semantics, ExceptionsAndHints) {
  A64State s{};
  step(s, 0xd4000001); // svc #0: the runner resumes after it
  EXPECT_EQ(s.exit_reason, kExitSvc);
  EXPECT_EQ(s.pc, kPc + 4);
  s = {};
  step(s, 0xd4200000); // brk #0: stays on itself
  EXPECT_EQ(s.exit_reason, kExitBrk);
  EXPECT_EQ(s.pc, kPc);
  s = {};
  step(s, 0xd503201f); // nop
  step(s, 0xd503233f); // paciasp: a hint without pointer authentication
  step(s, 0xd5033bbf); // dmb ish
  EXPECT_EQ(s.exit_reason, kExitNone);
  EXPECT_EQ(s.pc, kPc + 4);
}

TEST(A64Semantics, SystemRegisters) {
  A64State s{};
  s.x[1] = 0xdeadbeef00001000ull;
  step(s, 0xd51bd041); // msr tpidr_el0, x1
  EXPECT_EQ(s.tpidr_el0, s.x[1]);
  step(s, 0xd53bd042); // mrs x2, tpidr_el0
  EXPECT_EQ(s.x[2], s.x[1]);

  s.x[3] = 0xffffffffffffffffull;
  step(s, 0xd51b4203); // msr nzcv, x3: only bits 31:28
  EXPECT_EQ(s.nzcv(), 0xf0000000u);
  step(s, 0xd53b4204); // mrs x4, nzcv
  EXPECT_EQ(s.x[4], 0xf0000000u);
  step(s, 0xd51b4403); // msr fpcr, x3: AHP, DN, FZ and RMode
  EXPECT_EQ(s.fpcr, 0x07c00000u);
  step(s, 0xd51b4423); // msr fpsr, x3: QC and the cumulative flags
  EXPECT_EQ(s.fpsr, 0x0800009fu);

  // What Linux shows EL0: the counter, cache geometry, and the ID
  // registers through its mrs emulation (HWCAP_CPUID).
  s = {};
  step(s, 0xd53be001); // mrs x1, cntfrq_el0
  EXPECT_EQ(s.x[1], 10000000u);
  step(s, 0xd53be042); // mrs x2, cntvct_el0
  uint64_t t0 = s.x[2];
  step(s, 0xd53be042);
  EXPECT_GT(s.x[2], t0);
  step(s, 0xd53b0023); // mrs x3, ctr_el0
  EXPECT_EQ((s.x[3] >> 16) & 15, 4u); // DminLine: 64 bytes
  step(s, 0xd53b00e4); // mrs x4, dczid_el0
  EXPECT_EQ(s.x[4], 4u);              // dc zva: 64 bytes, allowed
  step(s, 0xd5380000); // mrs x0, midr_el1
  EXPECT_EQ(s.x[0], 0x000f0000u);
  step(s, 0xd5380605); // mrs x5, id_aa64isar0_el1
  EXPECT_EQ((s.x[5] >> 16) & 15, 1u); // CRC32
  EXPECT_EQ((s.x[5] >> 20) & 15, 2u); // LSE atomics
  s.x[6] = 1;
  step(s, 0xd5380706); // mrs x6, id_aa64mmfr0_el1: in the ID space, zero
  EXPECT_EQ(s.x[6], 0u);
  EXPECT_EQ(s.exit_reason, kExitNone);

  s = {};
  step(s, 0xd5381000); // mrs x0, sctlr_el1: EL1's
  EXPECT_EQ(s.exit_reason, kExitIllegal);
  EXPECT_EQ(s.pc, kPc);
}

// Arm detects tininess before rounding, x86 after: the largest denormal
// times 1 + 2^-52 is tiny, and rounds to the smallest normal, Underflow
// and Inexact (as qemu-aarch64 says too). FZ flushes the denormal operand
// instead: zero, Input Denormal alone.
TEST(A64Semantics, UnderflowBeforeRounding) {
  test::FlatMemory m(0x7000, 16);
  std::string why;
  A64State s{};
  s.v[1][0] = 0x000fffffffffffffull;
  s.v[2][0] = 0x3ff0000000000001ull;
  ASSERT_TRUE(m.execute(s, decode(kPc, 0x1e620820), why)) << why; // fmul d0, d1, d2
  EXPECT_EQ(s.v[0][0], 0x0010000000000000ull);
  EXPECT_EQ(s.fpsr, 0x18u); // UFC, IXC
  s.fpsr = 0;
  s.fpcr = 1u << 24; // FZ
  ASSERT_TRUE(m.execute(s, decode(kPc, 0x1e620820), why)) << why;
  EXPECT_EQ(s.v[0][0], 0u);
  EXPECT_EQ(s.fpsr, 0x80u); // IDC
}

// dc zva zeroes its aligned 64-byte block; ic ivau returns to the runner
// after itself; the EL1 maintenance instructions are undefined at EL0.
TEST(A64Semantics, CacheMaintenance) {
  test::FlatMemory m(0x7000, 256);
  memset(m.host(), 0xff, 256);
  A64State s{};
  std::string why;
  s.x[7] = 0x7050;
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xd50b7427), why)) << why; // dc zva, x7
  for (unsigned k = 0; k < 256; k++)
    ASSERT_EQ(m.host()[k], k >= 0x40 && k < 0x80 ? 0 : 0xff) << k;
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xd50b7b27), why)) << why; // dc cvau, x7
  EXPECT_EQ(s.exit_reason, kExitNone);
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xd50b7527), why)) << why; // ic ivau, x7
  EXPECT_EQ(s.exit_reason, kExitSyncCode);
  EXPECT_EQ(s.pc, kPc + 4);
  s = {};
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xd508751f), why)) << why; // ic iallu
  EXPECT_EQ(s.exit_reason, kExitIllegal);
  EXPECT_EQ(s.pc, kPc);
  s.x[7] = 0x9000; // outside memory: the clean faults
  EXPECT_FALSE(m.execute(s, decode(kPc, 0xd50b7b27), why));
}

// Loads relative to the pc read the code's own bytes; a prefetch reads
// nothing.
TEST(A64Semantics, LiteralLoads) {
  test::FlatMemory m(kPc, 64);
  const uint64_t word = 0x8000000180000002ull;
  memcpy(m.host() + 8, &word, 8);
  A64State s{};
  std::string why;
  for (uint32_t raw : {0x58000040u,   // ldr x0, .+8
                       0x18000041u,   // ldr w1, .+8
                       0x98000042u,   // ldrsw x2, .+8
                       0xd8000040u}) { // prfm pldl1keep, .+8
    ASSERT_TRUE(m.execute(s, decode(kPc, raw), why)) << why;
  }
  EXPECT_EQ(s.x[0], word);
  EXPECT_EQ(s.x[1], 0x80000002u);
  EXPECT_EQ(s.x[2], 0xffffffff80000002ull);
  EXPECT_EQ(s.x[3], 0u);

  // SIMD&FP literals: the low bytes of the V register, the rest cleared.
  const uint64_t high = 0x0123456789abcdefull;
  memcpy(m.host() + 16, &high, 8);
  s.v[4][1] = s.v[5][1] = ~0ull;
  ASSERT_TRUE(m.execute(s, decode(kPc, 0x9c000044), why)) << why; // ldr q4, .+8
  EXPECT_EQ(s.v[4][0], word);
  EXPECT_EQ(s.v[4][1], high);
  ASSERT_TRUE(m.execute(s, decode(kPc, 0x1c000045), why)) << why; // ldr s5, .+8
  EXPECT_EQ(s.v[5][0], 0x80000002u);
  EXPECT_EQ(s.v[5][1], 0u);
}

TEST(A64Semantics, StackPairs) {
  test::FlatMemory m(0x7000, 64);
  A64State s{};
  std::string why;
  s.sp = 0x7020;
  s.x[29] = 0x1111;
  s.x[30] = 0x2222;
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xa9bf7bfd), why)) << why; // stp x29, x30, [sp, #-16]!
  EXPECT_EQ(s.sp, 0x7010u);
  uint64_t saved[2];
  memcpy(saved, m.host() + 0x10, 16);
  EXPECT_EQ(saved[0], 0x1111u);
  EXPECT_EQ(saved[1], 0x2222u);
  s.x[29] = s.x[30] = 0;
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xa8c17bfd), why)) << why; // ldp x29, x30, [sp], #16
  EXPECT_EQ(s.sp, 0x7020u);
  EXPECT_EQ(s.x[29], 0x1111u);
  EXPECT_EQ(s.x[30], 0x2222u);
}

// clrex, and a store-exclusive of another size, fail the store; a
// misaligned exclusive or atomic access faults and leaves its registers.
TEST(A64Semantics, ExclusiveMonitor) {
  test::FlatMemory m(0x7000, 64);
  A64State s{};
  std::string why;
  s.x[4] = 0x7010;
  s.x[2] = 42;
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xc85f7c80), why)) << why; // ldxr x0, [x4]
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xd5033f5f), why)) << why; // clrex
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xc8017c82), why)) << why; // stxr w1, x2, [x4]
  EXPECT_EQ(s.x[1], 1u);
  EXPECT_EQ(m.host()[0x10], 0);
  ASSERT_TRUE(m.execute(s, decode(kPc, 0xc85f7c80), why)) << why; // ldxr x0, [x4]
  ASSERT_TRUE(m.execute(s, decode(kPc, 0x8803fc82), why)) << why; // stlxr w3, w2, [x4]
  EXPECT_EQ(s.x[3], 1u);
  ASSERT_TRUE(m.execute(s, decode(kPc, 0x885ffc80), why)) << why; // ldaxr w0, [x4]
  ASSERT_TRUE(m.execute(s, decode(kPc, 0x8803fc82), why)) << why; // stlxr w3, w2, [x4]
  EXPECT_EQ(s.x[3], 0u);
  EXPECT_EQ(m.host()[0x10], 42);

  s.x[4] = 0x7014;
  s.x[0] = 7;
  EXPECT_FALSE(m.execute(s, decode(kPc, 0xc85f7c80), why)); // ldxr x0, [x4]
  EXPECT_NE(why.find("misaligned"), std::string::npos) << why;
  EXPECT_EQ(s.x[0], 7u);
  EXPECT_FALSE(m.execute(s, decode(kPc, 0xf8210082), why)); // ldadd x1, x2, [x4]
  EXPECT_NE(why.find("misaligned"), std::string::npos) << why;
}

} // namespace
