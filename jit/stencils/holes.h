// The holes of the template tier's stencils: what a relocation in a stencil
// object stands for, and how the translator fills it in.
//
// A hole is an undefined symbol named xlat_hole_<name> that stencil code
// refers to. Instruction stencils (gen_stencils.cpp) get their operands
// from holes, glue stencils (glue.S) their targets; at build time the
// extractor (extract_stencils.cpp) turns every relocation against a hole
// into a table entry, and at run time the template tier writes the value
// into each copy of the stencil.
#pragma once

#include <cstdint>
#include <string_view>

namespace xlat::jit::stencil {

// X(name, meaning)
#define XLAT_HOLES(X)                                                          \
  X(pc, "guest pc of the instruction (64-bit)")                                \
  X(imm, "sign-extended immediate (RISC-V: a signed 32-bit value)")          \
  X(raw, "the encoding as fetched")                                            \
  X(len, "instruction length, 2 or 4")                                         \
  X(rd, "8 * rd (RISC-V: never 0, see rd0 stencils); A64: 8 * Rd or Rt")     \
  X(rs1, "8 * rs1; A64: 8 * Rn")                                               \
  X(rs2, "8 * rs2; A64: 8 * Rm (or Rs)")                                       \
  X(rs3, "8 * rs3; A64: 8 * Ra (or Rt2)")                                      \
  X(rm, "the rm / funct3 field")                                               \
  X(sf, "A64: the Insn field of that name (a64/insn.h), as are the next")     \
  X(cond, "A64")                                                               \
  X(nzcv, "A64")                                                               \
  X(shift, "A64")                                                              \
  X(amount, "A64")                                                             \
  X(imms, "A64")                                                               \
  X(size, "A64")                                                               \
  X(mode, "A64")                                                               \
  X(form, "A64")                                                               \
  X(order, "A64")                                                              \
  X(q, "A64")                                                                  \
  X(scalar, "A64")                                                             \
  X(rd_not31, "A64: 8 * Rd, known not to be 31 (no-31 stencils: a64_shapes.h)") \
  X(rs1_not31, "A64: 8 * Rn, likewise")                                       \
  X(rs2_not31, "A64: 8 * Rm, likewise")                                       \
  X(rs3_not31, "A64: 8 * Ra, likewise")                                       \
  X(next, "continuation: the code that follows this stencil")                  \
  X(exit, "continuation: leave the block (a trap set exit_reason)")            \
  X(taken, "continuation: a split branch stencil's taken successor")           \
  X(fault, "continuation: the access at address r15 faults (its fault stub)")  \
  X(misaligned, "continuation: the atomic at address r15 is misaligned")       \
  X(target, "glue: a guest pc a chain stencil compares s->pc against")         \
  X(cell, "glue: host address of that pc's link cell")                        \
  X(dest, "glue: host code to jump to")                                        \
  X(counter, "glue: host address of the block's execution counter")            \
  X(threshold, "glue: the count at which the block asks to be promoted")    \
  X(codelo, "glue: start of the template code buffer (below 2 GiB)")        \
  X(codehi, "glue: its end")                                                 \
  X(entrysize, "glue: bytes of xlat_glue_entry, skipped by template-to-template jumps")

enum class Hole : uint8_t {
#define XLAT_HOLE_ENUM(name, doc) name,
  XLAT_HOLES(XLAT_HOLE_ENUM)
#undef XLAT_HOLE_ENUM
  NumHoles
};

constexpr std::string_view kHolePrefix = "xlat_hole_";

inline constexpr std::string_view kHoleNames[] = {
#define XLAT_HOLE_NAME(name, doc) #name,
    XLAT_HOLES(XLAT_HOLE_NAME)
#undef XLAT_HOLE_NAME
};

// What a relocation points at.
enum class RelocTarget : uint8_t {
  Hole,     // `hole` is the Hole
  Data,     // offset `index` into the shared read-only data blob
  External, // host function kExternals[index], resolved at run time
};

// Relocation types the patcher writes (the x86-64 ELF numbers).
enum class RelocType : uint8_t {
  Abs64 = 1,   // R_X86_64_64
  Pc32 = 2,    // R_X86_64_PC32
  Plt32 = 4,   // R_X86_64_PLT32 (treated as PC32: externals get a veneer)
  Abs32 = 10,  // R_X86_64_32
  Abs32S = 11, // R_X86_64_32S
  Abs8 = 14,   // R_X86_64_8
};

struct Reloc {
  uint32_t offset;  // in the stencil's code
  RelocType type;
  RelocTarget target;
  Hole hole;        // for RelocTarget::Hole
  uint32_t index;   // for Data / External
  int64_t addend;
};

struct Stencil {
  const char *name;
  const uint8_t *code;
  uint32_t size;
  const Reloc *relocs;
  uint32_t numRelocs;
  // The code ends in `jmp next` (5 bytes, rel32), which may be dropped
  // when the next stencil is placed right behind it.
  bool tailJumpToNext;
  // It passes the value it wrote to x[rd] to `next` in rdi, where the
  // _f1/_f2/_f12 variants of the next instruction's stencil take it.
  bool forwardsRd;
};

// The section of the stencil object that lists, NUL-separated, the
// stencils that forward x[rd] (the generator knows, the table says).
constexpr std::string_view kForwardsSection = ".xlat_forwards";

} // namespace xlat::jit::stencil
