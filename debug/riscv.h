// What gdb needs to know of an RV64 hart: its registers (the target
// description and their place in rv::RvState) and which data an
// instruction reads or writes (for watchpoints). Shared by xlat-run and
// xlat-system; system mode adds its CSRs to the description.
#pragma once

#include "lifter/core/code_reader.h"
#include "lifter/riscv/insn.h"
#include "lifter/riscv/state.h"

#include <cstdint>
#include <string>

namespace xlat::debug {

class GdbServer;

// gdb register numbers: x0-x31, pc, f0-f31, fflags, frm, fcsr; a
// privileged hart (system mode) adds its privilege level and CSRs.
constexpr unsigned kRvPc = 32, kRvF0 = 33, kRvFflags = 65, kRvFrm = 66,
                   kRvFcsr = 67, kRvNumRegs = 68;
constexpr unsigned kRvPriv = 68, kRvFirstCsr = 69;

// The CSRs a privileged hart shows gdb, numbered from kRvFirstCsr.
struct RvCsrName {
  const char *name;
  uint32_t csr;
};
extern const RvCsrName kRvSystemCsrs[];
extern const unsigned kRvNumSystemCsrs;

// The target description (annex "target.xml"); empty for other annexes.
// `system`: with the privilege level and the CSRs.
std::string rvTargetXml(const std::string &annex, bool system = false);
// Register n of s as little-endian bytes; empty when there is none.
std::string rvReadRegister(const rv::RvState &s, unsigned n);
bool rvWriteRegister(rv::RvState &s, unsigned n, const std::string &bytes);

// The data access of `in` (executed with registers s): address and size;
// false when it has none.
struct DataAccess {
  uint64_t addr = 0;
  unsigned size = 0;
  bool read = false, write = false;
};
bool rvDataAccess(const rv::Insn &in, const rv::RvState &s, DataAccess &out);

// Guest code with gdb's breakpoints in it: each shows as an ebreak (or
// c.ebreak) of the instruction's length, the instruction a native
// debugger patches in, so that code read through this reader by any tier
// stops there with kExitEbreak.
class RvBreakpointReader final : public CodeReader {
public:
  RvBreakpointReader(CodeReader &inner, const GdbServer &gdb)
      : inner_(inner), gdb_(gdb) {}
  bool read(uint64_t addr, void *dst, size_t n) override;

private:
  CodeReader &inner_;
  const GdbServer &gdb_;
};

} // namespace xlat::debug
