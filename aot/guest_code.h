// What xlat-aot's discovery needs of a guest ISA besides its line sweep
// (sweep.h): which ELF files are its, which relocations point at code,
// where its libraries live, and how a decoded block ends.
#pragma once

#include "lifter/core/code_reader.h"
#include "lifter/core/guest_isa.h"

#include <cstdint>
#include <vector>

namespace xlat::aot {

// How the block at a pc ends, for the traversal of direct control flow.
struct BlockEnd {
  enum Kind : uint8_t {
    Branches, // falls through, branches directly or traps for good: succs
    Call,     // callee (0: through a register), returning to next
    Leaf,     // an indirect jump that is no call: a return, a tail call, a
              // switch, a PLT stub's jump
    Resume,   // a trap the runner resumes after, at next (a system call,
              // fence.i, isb, an instruction-cache operation)
  };
  Kind kind = Branches;
  uint64_t bytes = 0; // 0: nothing decodes there (data, or a bad decode)
  uint64_t next = 0;  // the pc after the block's last instruction
  uint64_t callee = 0;
  std::vector<uint64_t> succs;
};

struct GuestCode {
  GuestIsa isa;
  uint16_t machine;  // the ELF e_machine of its files
  unsigned align;    // of an instruction's address
  uint32_t relative, irelative, abs64; // relocation types: base + addend, ifunc, S + A
  std::vector<const char *> libraryDirs; // the dynamic linker's defaults
  BlockEnd (*blockEnd)(CodeReader &code, uint64_t pc, unsigned maxInsns);
};

// The guest whose ELF files have this e_machine; null if none.
const GuestCode *guestCode(uint16_t machine);

} // namespace xlat::aot
