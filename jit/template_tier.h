// The template tier: copy-and-patch translation.
//
// A block is translated by copying, for each guest instruction, the machine
// code of its stencil (the instruction's semantics compiled ahead of time,
// see jit/stencils/) into an executable buffer and writing the operands into
// the stencil's holes; glue stencils add the block's entry, its execution
// counter, chaining to successors and the IBTC probe. No compiler runs at
// translation time. The result has the same entry point as a lifted block
// (jit::BlockFn), so the two tiers chain into each other through link
// cells and share the IBTC.
#pragma once

#include "jit/block_tier.h"

#include <memory>
#include <string>

namespace xlat::jit {

// Uses maxBlockInsns, chain, softmmu, decodeFilter(Ctx),
// hotThreshold, countBlocks, logInAsm and logOutAsm of `opts`.
std::unique_ptr<BlockTier> createTemplateTier(const BlockTierOptions &opts,
                                              std::string &err);

} // namespace xlat::jit
