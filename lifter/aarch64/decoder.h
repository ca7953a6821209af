// Table-driven A64 decoder (table: insns.def).
#pragma once

#include "lifter/aarch64/insn.h"
#include "lifter/core/code_reader.h"

#include <cstdint>
#include <string_view>

namespace xlat::a64 {

enum InsnFlags : uint32_t {
  kEndsBlock = 1u << 0, // control transfer or trap to the runner
};

// Decodes the instruction at `pc` whose bits are `raw`. Unallocated and
// reserved encodings, and those of features not implemented (the crypto
// instructions, FP16 arithmetic, later architecture versions), give
// Op::ILLEGAL.
Insn decode(uint64_t pc, uint32_t raw);

// Reads and decodes the instruction at pc; false if it cannot be fetched:
// pc is not 4-aligned, or its bytes are not mapped executable.
bool fetchInsn(CodeReader &code, uint64_t pc, Insn &out);

std::string_view mnemonic(Op op);
uint32_t flags(Op op);

// The bit mask of a logical immediate (the Arm ARM's DecodeBitMasks with
// immediate true) for a register of `width` bits (32 or 64); false when the
// encoding is reserved.
bool logicalImmediate(unsigned n, unsigned imms, unsigned immr, unsigned width,
                      uint64_t &mask);

} // namespace xlat::a64
