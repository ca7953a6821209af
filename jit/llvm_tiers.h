// The LLVM tiers, for a program that does not link LLVM.
//
// xlat-run starts without libLLVM: the interpreter, the template tier and
// the translation cache's loader need none of it, and loading it (its
// static constructors above all) is most of a short run's start-up. The
// block and region tiers, the lifter and the guest disassembler live in
// libxlat-llvm.so, next to the program in ../lib, which is loaded the first
// time one of them is needed (a block gets hot, --tier=block, -d in_asm).
// The plugin resolves the runtime's symbols (the code cache, the host-pc
// map, the log) from the program, which exports them.
//
// Tools that link the LLVM tiers themselves (xlat-lift, xlat-lockstep) call
// BlockTier::create and Disassembler::create directly.
#pragma once

#include "jit/block_tier.h"
#include "lifter/riscv/disasm.h"

#include <memory>
#include <string>

namespace xlat::jit {

// What the plugin exports, under the C name xlat_llvm_tiers_v2.
struct LlvmTiers {
  std::unique_ptr<BlockTier> (*createBlockTier)(const BlockTierOptions &opts,
                                                std::string &err);
  std::unique_ptr<Disassembler> (*createDisassembler)(GuestIsa isa);
};

// Where the plugin is: ../lib/libxlat-llvm.so from the program.
std::string llvmTiersPath();

// Loads the plugin once (thread-safe); null with err if it cannot be.
const LlvmTiers *loadLlvmTiers(std::string &err);

// The LLVM block tier through the plugin; null with err on failure.
std::unique_ptr<BlockTier> createLlvmBlockTier(const BlockTierOptions &opts,
                                               std::string &err);
// The guest disassembler through the plugin; null if it cannot be loaded.
std::unique_ptr<Disassembler> createLlvmDisassembler(GuestIsa isa);

} // namespace xlat::jit
