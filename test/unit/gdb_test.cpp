// The gdb stub's tables: signal numbers between Linux and gdb's remote
// protocol, the RV64 registers gdb numbers, and which data an instruction
// touches (watchpoints).
#include "debug/gdb_server.h"
#include "debug/riscv.h"
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
