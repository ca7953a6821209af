// Execution tiers and what they count.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace xlat::jit {

// interp: the reference interpreter, one instruction at a time.
// block:  every block lifted to LLVM IR and compiled with a light pipeline.
// (template, region and adaptive come with the tiered engine.)
enum class Tier { Interp, Block };

std::optional<Tier> parseTier(std::string_view name);
std::string_view tierName(Tier t);

// Counters every tier keeps; printed by --stats.
struct TierStats {
  uint64_t blocksTranslated = 0;
  uint64_t guestInsnsTranslated = 0;
  uint64_t guestBytesTranslated = 0;
  uint64_t hostBytesEmitted = 0;
  uint64_t translateNanos = 0;
  uint64_t blocksExecuted = 0;   // dispatcher entries into translated code
  uint64_t insnsInterpreted = 0;
  uint64_t crossPageBlocks = 0;
  uint64_t cacheFlushes = 0;
  uint64_t blocksInvalidated = 0; // translations dropped by flushes
  uint64_t syscallsExecuted = 0;  // guest ecalls serviced by the runtime
};

} // namespace xlat::jit
