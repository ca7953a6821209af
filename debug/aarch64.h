// What gdb needs to know of an A64 thread: its registers (the target
// description gdb's aarch64 port expects and their place in a64::A64State)
// and which data an instruction reads or writes (for watchpoints), as
// debug/riscv.h says them for RV64.
#pragma once

#include "debug/riscv.h" // DataAccess
#include "lifter/aarch64/insn.h"
#include "lifter/aarch64/state.h"
#include "lifter/core/code_reader.h"

#include <cstdint>
#include <string>

namespace xlat::debug {

class GdbServer;

// gdb register numbers (its aarch64 port): x0-x30, sp, pc, cpsr, then
// v0-v31, fpsr, fpcr.
constexpr unsigned kA64Sp = 31, kA64Pc = 32, kA64Cpsr = 33, kA64V0 = 34, kA64Fpsr = 66,
                   kA64Fpcr = 67, kA64NumRegs = 68;

// The target description (annex "target.xml"); empty for other annexes.
std::string a64TargetXml(const std::string &annex);
// Register n of s as little-endian bytes; empty when there is none.
std::string a64ReadRegister(const a64::A64State &s, unsigned n);
bool a64WriteRegister(a64::A64State &s, unsigned n, const std::string &bytes);

// The data access of `in` (executed with registers s): the bytes it reads
// or writes from its address; false for an instruction without one.
bool a64DataAccess(const a64::Insn &in, const a64::A64State &s, DataAccess &out);

// Guest code with gdb's breakpoints in it: each shows as brk #0, the
// instruction a native debugger patches in, so that code read through this
// reader stops there with the breakpoint exit.
class A64BreakpointReader final : public CodeReader {
public:
  A64BreakpointReader(CodeReader &inner, const GdbServer &gdb) : inner_(inner), gdb_(gdb) {}
  bool read(uint64_t addr, void *dst, size_t n) override;

private:
  CodeReader &inner_;
  const GdbServer &gdb_;
};

} // namespace xlat::debug
