// An instruction whose value depends on where its code was linked (see
// lifter/riscv/pc_values.h), for lifting code position-independent.
#pragma once

#include <cstdint>

namespace xlat {

struct PcValue {
  enum Kind : uint8_t {
    Auipc = 1,   // auipc's result: pc + imm
    Jump = 2,    // a jal's target outside the region's blocks
    PairLow = 3, // a load, store, addi or jalr whose base is an auipc's
                 // result in the same block: that value + imm
  };
  uint64_t pc;     // the instruction
  Kind kind;
  uint32_t anchor; // PairLow: the index of its auipc's value
  uint64_t value;  // the value in this program
  uint32_t mask;   // the encoding's immediate bits
};

} // namespace xlat
