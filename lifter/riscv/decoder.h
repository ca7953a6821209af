// Table-driven RV64GC decoder (tables: insns.def, insns_fp.def, rvc.def).
#pragma once

#include "lifter/riscv/insn.h"

#include <cstdint>
#include <string_view>

namespace xlat::rv {

enum InsnFlags : uint32_t {
  kEndsBlock = 1u << 0,  // control transfer or trap to the runner
  kHasRm = 1u << 1,      // funct3 is a rounding mode
};

// Length of the instruction whose low 16 bits are `lo`: 2 or 4 (longer
// encodings are not part of RV64GC and decode as illegal with length 4).
inline unsigned insnLength(uint16_t lo) { return (lo & 3) == 3 ? 4 : 2; }

// Decodes the instruction at `pc` whose bits are `raw` (only the low 16 bits
// are read for a compressed instruction). Illegal encodings give Op::ILLEGAL
// with `len` still set, so the caller knows where the bad instruction ends.
Insn decode(uint64_t pc, uint32_t raw);

// Decodes a 16-bit encoding into the base instruction it expands to.
Insn decodeCompressed(uint64_t pc, uint16_t raw);

std::string_view mnemonic(Op op);
uint32_t flags(Op op);

// Whether the instruction, when it completes, writes integer register rd
// (x0 included).
bool writesXReg(const Insn &in);
// Whether it may read integer register r (true for a trap: the runner may
// read any).
bool mayReadXReg(const Insn &in, unsigned r);

// Whether the instruction reads or writes the FP state (the F and D
// instructions, fflags, frm and fcsr): illegal while mstatus.FS is Off.
bool usesFpState(const Insn &in);

} // namespace xlat::rv
