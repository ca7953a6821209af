// Where a region's code depends on where the program was linked.
//
// A static program carries its own copy of libc, placed where the linker
// left room, so the same function differs from one program to the next
// only in the immediates of its pc-relative instructions: auipc, its
// %pcrel_lo partner, and jal to another function. Lifted with those values
// as symbols (Lifter::setPcValues) and its other pcs relative to a base,
// a region serves every program that holds the same code (xlat-aot's
// shared code, docs/cache-format.md).
#pragma once

#include "lifter/core/pc_value.h"
#include "lifter/riscv/block.h"

#include <cstdint>
#include <vector>

namespace xlat::rv {

using PcValue = xlat::PcValue;

// The pc-relative values of the instructions of `blocks` (a region, entry
// first), in block and instruction order. A jal whose target is a block of
// the region is not one: the region's shape depends on it.
std::vector<PcValue> pcValues(const std::vector<GuestBlock> &blocks);

// The base such code is relative to: the lowest pc of the (non-empty)
// blocks, so that every pc of theirs is base plus a small offset.
uint64_t pcIndependentBase(const std::vector<GuestBlock> &blocks);

// Everything code lifted with `values` as symbols and pcs relative to
// `base` depends on: the blocks' places relative to base and their
// encodings without the values' immediate bits, then the values' places
// and kinds; `lookedAt` are blocks the lifter looked at past the region
// (markDeadFflagsReads), kept whole. Equal identities, equal code.
std::vector<uint8_t> pcIndependentIdentity(const std::vector<GuestBlock> &blocks,
                                           const std::vector<GuestBlock> &lookedAt,
                                           const std::vector<PcValue> &values,
                                           uint64_t base);

} // namespace xlat::rv
