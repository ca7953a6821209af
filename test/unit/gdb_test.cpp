// The gdb stub's tables: signal numbers between Linux and gdb's remote
// protocol, the RV64 and A64 registers gdb numbers, and which data an
// instruction touches (watchpoints).
#include "debug/aarch64.h"
#include "debug/gdb_server.h"
#include "debug/riscv.h"
#include "lifter/aarch64/decoder.h"
#include "lifter/riscv/decoder.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>

using namespace xlat;

TEST(GdbSignals, LinuxToGdb) {
  // gdb's numbers (include/gdb/signals.def) differ from Linux's past 6.
  EXPECT_EQ(debug::toGdbSignal(SIGTRAP), 5);
  EXPECT_EQ(debug::toGdbSignal(SIGINT), 2);
  EXPECT_EQ(debug::toGdbSignal(SIGSEGV), 11);
  EXPECT_EQ(debug::toGdbSignal(SIGBUS), 10);
  EXPECT_EQ(debug::toGdbSignal(SIGUSR1), 30);
  EXPECT_EQ(debug::toGdbSignal(SIGUSR2), 31);
  EXPECT_EQ(debug::toGdbSignal(SIGCHLD), 20);
  EXPECT_EQ(debug::toGdbSignal(SIGSYS), 12);
  EXPECT_EQ(debug::toGdbSignal(34), 46); // glibc's SIGRTMIN
  EXPECT_EQ(debug::toGdbSignal(33), 45);
  EXPECT_EQ(debug::toGdbSignal(32), 76);
}

TEST(GdbSignals, RoundTrip) {
  for (int sig = 1; sig <= 64; sig++) {
    if (sig == SIGSTKFLT)
      continue; // gdb has no such signal
    EXPECT_EQ(debug::fromGdbSignal(debug::toGdbSignal(sig)), sig) << sig;
  }
  EXPECT_EQ(debug::fromGdbSignal(0), 0);
}

TEST(GdbRiscv, Registers) {
  rv::RvState s{};
  s.x[10] = 0x1122334455667788;
  s.pc = 0x10000;
  s.f[1] = 0x400921fb54442d18; // pi
  s.frm = 3;
  s.fflags = 0x11;
  std::string a0 = debug::rvReadRegister(s, 10);
  ASSERT_EQ(a0.size(), 8u);
  uint64_t v;
  memcpy(&v, a0.data(), 8);
  EXPECT_EQ(v, s.x[10]);
  std::string pc = debug::rvReadRegister(s, debug::kRvPc);
  memcpy(&v, pc.data(), 8);
  EXPECT_EQ(v, 0x10000u);
  std::string fcsr = debug::rvReadRegister(s, debug::kRvFcsr);
  ASSERT_EQ(fcsr.size(), 4u);
  uint32_t w;
  memcpy(&w, fcsr.data(), 4);
  EXPECT_EQ(w, 3u << 5 | 0x11);
  EXPECT_TRUE(debug::rvReadRegister(s, debug::kRvNumRegs).empty());

  // x0 stays zero; fcsr writes both fields.
  std::string eight(8, '\x7f');
  EXPECT_TRUE(debug::rvWriteRegister(s, 0, eight));
  EXPECT_EQ(s.x[0], 0u);
  w = 1u << 5 | 0x4;
  EXPECT_TRUE(debug::rvWriteRegister(s, debug::kRvFcsr, std::string((char *)&w, 4)));
  EXPECT_EQ(s.frm, 1u);
  EXPECT_EQ(s.fflags, 0x4u);
  EXPECT_FALSE(debug::rvWriteRegister(s, debug::kRvFcsr, eight)); // wrong size

  std::string xml = debug::rvTargetXml("target.xml");
  EXPECT_NE(xml.find("org.gnu.gdb.riscv.cpu"), std::string::npos);
  EXPECT_NE(xml.find("name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"67\""),
            std::string::npos);
  EXPECT_TRUE(debug::rvTargetXml("other.xml").empty());
}

TEST(GdbRiscv, DataAccess) {
  rv::RvState s{};
  s.x[2] = 0x8000;
  s.x[10] = 0x9000;
  debug::DataAccess a;
  // sd a0, 16(sp)
  EXPECT_TRUE(debug::rvDataAccess(rv::decode(0, 0x00a13823), s, a));
  EXPECT_EQ(a.addr, 0x8010u);
  EXPECT_EQ(a.size, 8u);
  EXPECT_TRUE(a.write);
  EXPECT_FALSE(a.read);
  // c.lw a1, 4(a0)
  EXPECT_TRUE(debug::rvDataAccess(rv::decode(0, 0x414c), s, a));
  EXPECT_EQ(a.addr, 0x9004u);
  EXPECT_EQ(a.size, 4u);
  EXPECT_TRUE(a.read);
  // amoadd.w a1, a1, (a0): the address is rs1 alone, read and written
  EXPECT_TRUE(debug::rvDataAccess(rv::decode(0, 0x00b525af), s, a));
  EXPECT_EQ(a.addr, 0x9000u);
  EXPECT_TRUE(a.read && a.write);
  // add a0, a0, a1: none
  EXPECT_FALSE(debug::rvDataAccess(rv::decode(0, 0x00b50533), s, a));
}

TEST(GdbAarch64, Registers) {
  a64::A64State s{};
  s.x[30] = 0x1122334455667788;
  s.sp = 0x7ff0;
  s.pc = 0x400000;
  s.setNzcv(a64::kFlagN | a64::kFlagC);
  s.v[3][0] = 0x400921fb54442d18, s.v[3][1] = 1;
  s.fpcr = 0x00c00000;
  uint64_t v;
  std::string lr = debug::a64ReadRegister(s, 30);
  ASSERT_EQ(lr.size(), 8u);
  memcpy(&v, lr.data(), 8);
  EXPECT_EQ(v, s.x[30]);
  memcpy(&v, debug::a64ReadRegister(s, debug::kA64Sp).data(), 8);
  EXPECT_EQ(v, 0x7ff0u);
  memcpy(&v, debug::a64ReadRegister(s, debug::kA64Pc).data(), 8);
  EXPECT_EQ(v, 0x400000u);
  std::string cpsr = debug::a64ReadRegister(s, debug::kA64Cpsr);
  ASSERT_EQ(cpsr.size(), 4u);
  uint32_t w;
  memcpy(&w, cpsr.data(), 4);
  EXPECT_EQ(w, 0xa0000000u);
  std::string v3 = debug::a64ReadRegister(s, debug::kA64V0 + 3);
  ASSERT_EQ(v3.size(), 16u);
  EXPECT_EQ(memcmp(v3.data(), s.v[3], 16), 0);
  memcpy(&w, debug::a64ReadRegister(s, debug::kA64Fpcr).data(), 4);
  EXPECT_EQ(w, 0x00c00000u);
  EXPECT_TRUE(debug::a64ReadRegister(s, debug::kA64NumRegs).empty());

  // Writes take each register's size; CPSR keeps NZCV, FPCR its ARMv8.0 bits.
  w = 0xffffffff;
  EXPECT_TRUE(debug::a64WriteRegister(s, debug::kA64Cpsr, std::string((char *)&w, 4)));
  EXPECT_EQ(s.nzcv(), 0xf0000000u);
  EXPECT_TRUE(debug::a64WriteRegister(s, debug::kA64Fpcr, std::string((char *)&w, 4)));
  EXPECT_EQ(s.fpcr, 0x07c00000u);
  EXPECT_TRUE(debug::a64WriteRegister(s, debug::kA64V0 + 31, std::string(16, '\x5a')));
  EXPECT_EQ(s.v[31][1], 0x5a5a5a5a5a5a5a5aull);
  EXPECT_FALSE(debug::a64WriteRegister(s, debug::kA64Sp, std::string(4, '\0'))); // wrong size

  std::string xml = debug::a64TargetXml("target.xml");
  EXPECT_NE(xml.find("org.gnu.gdb.aarch64.core"), std::string::npos);
  EXPECT_NE(xml.find("org.gnu.gdb.aarch64.fpu"), std::string::npos);
  EXPECT_NE(xml.find("name=\"fpcr\" bitsize=\"32\" type=\"int\" regnum=\"67\""),
            std::string::npos);
  EXPECT_TRUE(debug::a64TargetXml("other.xml").empty());
}

TEST(GdbAarch64, DataAccess) {
  a64::A64State s{};
  s.x[1] = 0x9000, s.x[2] = 3, s.x[3] = 0xa000, s.x[4] = 0xb000, s.x[5] = 0xc000,
  s.x[6] = 0xd000, s.sp = 0x8000;
  debug::DataAccess a;
  // ldr x0, [x1, #8]
  EXPECT_TRUE(debug::a64DataAccess(a64::decode(0, 0xf9400420), s, a));
  EXPECT_EQ(a.addr, 0x9008u);
  EXPECT_EQ(a.size, 8u);
  EXPECT_TRUE(a.read && !a.write);
  // stp x29, x30, [sp, #-32]!: the pair, at the pre-indexed address
  EXPECT_TRUE(debug::a64DataAccess(a64::decode(0, 0xa9be7bfd), s, a));
  EXPECT_EQ(a.addr, 0x7fe0u);
  EXPECT_EQ(a.size, 16u);
  EXPECT_TRUE(a.write && !a.read);
  // ldr w2, [x3], #4: post-index, at the base
  EXPECT_TRUE(debug::a64DataAccess(a64::decode(0, 0xb8404462), s, a));
  EXPECT_EQ(a.addr, 0xa000u);
  EXPECT_EQ(a.size, 4u);
  // ldr q3, [x1, x2, lsl #4]
  EXPECT_TRUE(debug::a64DataAccess(a64::decode(0, 0x3ce27823), s, a));
  EXPECT_EQ(a.addr, 0x9030u);
  EXPECT_EQ(a.size, 16u);
  // ld1 {v0.16b, v1.16b}, [x4]: both registers' bytes
  EXPECT_TRUE(debug::a64DataAccess(a64::decode(0, 0x4c40a080), s, a));
  EXPECT_EQ(a.addr, 0xb000u);
  EXPECT_EQ(a.size, 32u);
  EXPECT_TRUE(a.read);
  // st1 {v2.s}[1], [x5]: one lane
  EXPECT_TRUE(debug::a64DataAccess(a64::decode(0, 0x0d0090a2), s, a));
  EXPECT_EQ(a.addr, 0xc000u);
  EXPECT_EQ(a.size, 4u);
  EXPECT_TRUE(a.write);
  // ldaddal w1, w2, [x6]: read and written
  EXPECT_TRUE(debug::a64DataAccess(a64::decode(0, 0xb8e100c2), s, a));
  EXPECT_EQ(a.addr, 0xd000u);
  EXPECT_TRUE(a.read && a.write);
  // add x0, x1, x2: none
  EXPECT_FALSE(debug::a64DataAccess(a64::decode(0, 0x8b020020), s, a));
}
