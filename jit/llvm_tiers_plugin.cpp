// The entry point of libxlat-llvm.so (see llvm_tiers.h).
#include "jit/llvm_tiers.h"

extern "C" __attribute__((visibility("default"))) const xlat::jit::LlvmTiers *
xlat_llvm_tiers_v2() {
  static const xlat::jit::LlvmTiers tiers = {
      &xlat::jit::BlockTier::create,
      &xlat::Disassembler::create,
  };
  return &tiers;
}
