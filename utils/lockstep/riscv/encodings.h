// The encodings xlat-lockstep draws instructions from, read from the decode
// tables themselves (insns.def, insns_fp.def, rvc.def), so a new table line
// is generated without touching the tool.
#pragma once

#include "lifter/riscv/insn.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace xlat::lockstep::riscv {

// Extensions, as --only-ext letters. An ExtSet is a bit mask of them.
enum class Ext : uint8_t { I, M, A, F, D, C };
using ExtSet = uint32_t;
constexpr ExtSet extBit(Ext e) { return 1u << static_cast<unsigned>(e); }
constexpr ExtSet kAllExts = (1u << 6) - 1;
// "I,M,A" -> mask; false on an unknown letter.
bool parseExts(std::string_view list, ExtSet &out);

// How a base line assembles its immediate (the table's Format column).
enum class Format : uint8_t { None, R, R4, I, S, B, U, J, Shamt5, Shamt6, Csr };

// What the tool needs to know about a base operation, derived from its
// table line: the line's fixed bits, format and extension.
struct OpInfo {
  std::string_view mnemonic;
  uint32_t mask = 0, match = 0;
  Format format = Format::None;
  Ext ext = Ext::I;
  uint32_t flags = 0;  // decoder.h InsnFlags
};
const OpInfo &opInfo(rv::Op op);

// Operand-register classes of a decoded instruction, from its encoding
// (major opcode and funct5), not from a list of instructions.
bool isMemoryAccess(rv::Op op);        // loads, stores (int and FP), A
bool isControlTransfer(rv::Op op);     // jal, jalr, branches
// mret, sret, wfi, sfence.vma: system mode's (sysemu/hart.cpp).
bool isPrivileged(rv::Op op);
bool isTrap(rv::Op op);                // ends the block without a jump

// One table line a stream instruction is drawn from.
struct Encoding {
  std::string_view mnemonic;
  uint32_t mask = 0, match = 0;  // 16 bits wide for compressed lines
  bool compressed = false;
  rv::Op op = rv::Op::ILLEGAL;   // the base operation (the expansion for RVC)
  Ext ext = Ext::I;              // of the base operation
  // Compressed lines: every legal 16-bit encoding that decodes as this line
  // (more specific lines carve theirs out), enumerated once.
  std::vector<uint16_t> population;
};

// Every non-reserved line of both tables whose extensions are in `exts`
// (a compressed line needs C and its expansion's extension).
std::vector<Encoding> selectEncodings(ExtSet exts);

} // namespace xlat::lockstep::riscv
