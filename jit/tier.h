// Execution tiers and what they count.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace xlat::jit {

// interp:   the reference interpreter, one instruction at a time.
// template: copy-and-patch: each block is a copy of its instructions'
//           precompiled stencils with the operands patched in.
// block:    every block lifted to LLVM IR and compiled once, with a light IR
//           pipeline and the chosen code generation level.
// region:   every block is compiled at O2 as a region with the blocks it
//           reaches by direct branches (no profile: for research).
// adaptive: blocks start in the template tier; a block that runs often is
//           compiled at O2 with the warm blocks around it as a region and
//           replaces the template code.
enum class Tier { Interp, Template, Block, Region, Adaptive };

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
  uint64_t blocksRun = 0;        // every block entry, chained ones too
                                 // (counted with --stats only)
  uint64_t ibtcProbes = 0, ibtcHits = 0; // jalr targets looked up inline
  uint64_t shadowProbes = 0, shadowHits = 0; // returns tried on the shadow stack
  uint64_t insnsInterpreted = 0;
  uint64_t crossPageBlocks = 0;
  uint64_t cacheFlushes = 0;       // every translation dropped at once
  uint64_t blocksInvalidated = 0; // translations dropped, by page or all
  uint64_t blocksRevived = 0; // dropped ones made current again (BlockTier::revive)
  uint64_t smcFlushes = 0; // guest stores into code seen and acted on
  uint64_t codePagesWritten = 0; // ... and the pages they wrote
  uint64_t fenceDrops = 0; // fences that dropped fence-managed code
  uint64_t codePagesFenced = 0; // pages made fence-managed (set by the runner)
  uint64_t codeEvictions = 0;  // code buffer segments freed when full
  uint64_t codeBytesFreed = 0; // ... and the bytes of code that freed
  // Code buffer bytes in use at the end and at most (set by the runner).
  uint64_t codeBytesInUse = 0, codeBytesPeak = 0;
  uint64_t syscallsExecuted = 0;  // guest ecalls serviced by the runtime
  uint64_t blocksPromoted = 0;    // adaptive: hot blocks compiled again
  uint64_t regionsTranslated = 0; // translations of more than one block
  uint64_t regionBlocks = 0;      // ... and the blocks in them
  uint64_t promoteNanos = 0;      // ... and the time that took
  // Where LLVM translation time goes (block tier and promotions): lifting
  // with the semantics inlined, the IR pipeline, code generation + linking.
  uint64_t llvmLiftNanos = 0, llvmOptNanos = 0, llvmCodegenNanos = 0;
  // The persistent translation cache (aot/cache.h): translations looked
  // for, found and installed, found but made from other guest bytes; the
  // file read at start (entries, bytes, time) and written at exit; files
  // and entries refused; time spent installing cached code.
  uint64_t aotLookups = 0, aotHits = 0, aotStale = 0, aotRejected = 0;
  uint64_t aotFileEntries = 0, aotFileBytes = 0, aotLoadNanos = 0;
  uint64_t aotInstallNanos = 0;
  uint64_t aotEntriesWritten = 0, aotBytesWritten = 0;
  bool aotEnabled = false;

  TierStats &operator+=(const TierStats &o) {
    blocksTranslated += o.blocksTranslated;
    guestInsnsTranslated += o.guestInsnsTranslated;
    guestBytesTranslated += o.guestBytesTranslated;
    hostBytesEmitted += o.hostBytesEmitted;
    translateNanos += o.translateNanos;
    blocksExecuted += o.blocksExecuted;
    blocksRun += o.blocksRun;
    ibtcProbes += o.ibtcProbes;
    ibtcHits += o.ibtcHits;
    shadowProbes += o.shadowProbes;
    shadowHits += o.shadowHits;
    insnsInterpreted += o.insnsInterpreted;
    crossPageBlocks += o.crossPageBlocks;
    cacheFlushes += o.cacheFlushes;
    blocksInvalidated += o.blocksInvalidated;
    blocksRevived += o.blocksRevived;
    smcFlushes += o.smcFlushes;
    codePagesWritten += o.codePagesWritten;
    fenceDrops += o.fenceDrops;
    codeEvictions += o.codeEvictions;
    codeBytesFreed += o.codeBytesFreed;
    syscallsExecuted += o.syscallsExecuted;
    blocksPromoted += o.blocksPromoted;
    regionsTranslated += o.regionsTranslated;
    regionBlocks += o.regionBlocks;
    promoteNanos += o.promoteNanos;
    llvmLiftNanos += o.llvmLiftNanos;
    llvmOptNanos += o.llvmOptNanos;
    llvmCodegenNanos += o.llvmCodegenNanos;
    aotInstallNanos += o.aotInstallNanos;
    return *this;
  }
};

} // namespace xlat::jit
