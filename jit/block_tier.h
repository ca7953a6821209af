// The LLVM block tier: each guest basic block is lifted to one LLVM function,
// optimized with the light pipeline and compiled by ORC LLJIT.
#pragma once

#include "jit/code_cache.h"
#include "jit/tier.h"
#include "lifter/core/code_reader.h"
#include "lifter/core/guest_isa.h"
#include "lifter/riscv/block.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xlat {
class Disassembler;
}

namespace xlat::jit {

class CodeInstaller;
struct CodeObject;

// A translation the LLVM tiers compiled, in the relocatable form the
// persistent cache stores: the guest code it was made from (the ranges of
// its blocks and their bytes, in order) and its code object.
struct CompiledTranslation {
  uint64_t pc = 0; // the entry
  // Set if the code was lifted relative to the base of the module that
  // holds it (BlockTierOptions::moduleOf): the base it was installed for.
  std::optional<uint64_t> moduleBase;
  std::vector<std::pair<uint64_t, uint32_t>> ranges;
  std::vector<uint8_t> guestBytes;
  const CodeObject *object = nullptr;
  // With BlockTierOptions::pcIndependentProgram, for the program's code:
  // the code before it was bound to this program, what it depends on
  // (rv::pcIndependentIdentity), and whether findShared gave it.
  const CodeObject *pcIndependent = nullptr;
  const std::vector<uint8_t> *identity = nullptr;
  bool reused = false;
};

// Where a module (an executable mapping of a file) is in this process: its
// base (the address of the file's offset 0 in the mapping) and the guest
// range [start, end) of its code. Base 0 says the module is only ever at
// these addresses (the program): its code is lifted with constant pcs, as
// code outside modules is.
struct GuestModuleSpan {
  uint64_t base = 0, start = 0, end = 0;
};

struct BlockTierOptions {
  GuestIsa isa = GuestIsa::Riscv64; // the LLVM tiers translate either
  unsigned maxBlockInsns = 64;
  bool chain = true;       // link blocks through their successors' cells
  unsigned codegenOpt = 1; // LLVM CodeGenOptLevel: 0 None ... 3 Aggressive
  // Nonzero: each block counts its executions and, at the count, exits with
  // kExitHot before running (the adaptive policy's promotion trigger).
  uint64_t hotThreshold = 0;
  bool countBlocks = false; // count block entries in RvState::blocks_run
  // Bytes of executable memory of each code buffer (--code-cache-size).
  size_t codeBufferBytes = size_t(256) << 20;
  // The runner may revive dropped translations (system mode parks them
  // for a page that comes back): they are not dead code to the buffer,
  // which evicts early only where most code is (CodeBuffer::release).
  bool revivesDropped = false;
  // Memory accesses probe a software TLB (system mode: the softmmu
  // lowering, and the template tier's xlat_sst_ stencils) instead of user
  // mode's base and limit.
  bool softmmu = false;
  // Instructions decoded as ILLEGAL for the runner (system mode).
  rv::DecodeFilter decodeFilter = nullptr;
  const void *decodeFilterCtx = nullptr;
  bool logInAsm = false;   // -d in_asm
  bool logIr = false;      // -d op
  bool logOutAsm = false;  // -d out_asm
  // -d in_asm in the template tier: makes the guest disassembler (null:
  // mnemonics only; the LLVM tiers make their own).
  std::unique_ptr<Disassembler> (*makeDisassembler)(GuestIsa) = nullptr;
  // Where the LLVM tiers install their code (null: a private installer).
  // Shared with the translation cache's loader.
  CodeInstaller *installer = nullptr;
  // Called with each translation the LLVM tiers compile that does not
  // depend on this process (no execution counter), on the compiling thread.
  std::function<void(const CompiledTranslation &)> onCompiled;
  // The module that holds guest pc, if any: a translation whose blocks all
  // lie in one module's code is lifted relative to its base, so that it
  // serves the module loaded anywhere (the translation cache keeps it for
  // the module, not the process).
  std::function<bool(uint64_t pc, GuestModuleSpan &span)> moduleOf;
  // xlat-aot: the program's code (the module at base 0) is lifted
  // position-independent (rv::Lifter::setPcValues, its pcs relative to the
  // region's lowest block), so that code compiled for one static program
  // serves another that holds the same functions elsewhere (its own copy
  // of libc). findShared(identity, out) may give code made for the same
  // identity instead of compiling it; either way it is bound to this
  // program for installing and onCompiled.
  bool pcIndependentProgram = false;
  std::function<bool(const std::vector<uint8_t> &identity, CodeObject &out)> findShared;
};

class BlockTier {
public:
  static std::unique_ptr<BlockTier> create(const BlockTierOptions &opts,
                                           std::string &err);
  virtual ~BlockTier() = default;

  // Translates the block at pc; with chaining on, its direct successors
  // are reached through cache.linkCell(). Null with `err` set if the
  // block's first instruction cannot be fetched (err = "fetch") or LLVM
  // failed.
  virtual BlockFn translate(uint64_t pc, CodeReader &code, CodeCache &cache,
                            TierStats &stats, std::string &err) = 0;

  // Translates a region: the blocks at pcs (pcs[0] the entry) as one unit
  // whose internal branches stay inside it. Tiers without regions
  // translate pcs[0] alone.
  virtual BlockFn translateRegion(const std::vector<uint64_t> &pcs,
                                  CodeReader &code, CodeCache &cache,
                                  TierStats &stats, std::string &err) {
    return translate(pcs.front(), code, cache, stats, err);
  }

  // Compiles the region at pcs without installing it, for the translation
  // cache: the result goes to BlockTierOptions::onCompiled. False with err
  // ("fetch": pcs[0] cannot be read) on failure, or if the tier does not
  // compile. Safe to call on several tiers at once, one per thread.
  virtual bool compileRegion(const std::vector<uint64_t> &pcs, CodeReader &code,
                             TierStats &stats, std::string &err) {
    err = "this tier does not compile for the cache";
    return false;
  }

  // How often this tier's current translation of pc has run (0 if it does
  // not count or has none). Under the translate lock.
  virtual uint64_t executions(uint64_t pc) const { return 0; }
  // Counts pc's executions from zero again, so that it reports hot again
  // at the threshold. Under the translate lock.
  virtual void rearm(uint64_t pc) {}
  // Code memory of this tier's own in use, and the most ever.
  virtual size_t codeBytes() const { return 0; }
  virtual size_t peakCodeBytes() const { return 0; }
  // This tier's code buffer is full: its oldest segment must be evicted
  // before it translates more.
  virtual bool wantsEviction() const { return false; }
  // Frees the oldest segment of this tier's code buffer: the translations
  // there that are current are dropped from `cache` (their pcs appended to
  // `dropped`) and unlinked; [lo, hi) is the host code range freed, whose
  // addresses new code will take (a runner that keeps dropped translations
  // to revive forgets those there). The runner calls it with every guest
  // thread outside translated code and the translate lock held. Returns
  // the bytes freed.
  virtual size_t evict(CodeCache &cache, std::vector<uint64_t> &dropped,
                       uint64_t &lo, uint64_t &hi) {
    lo = hi = 0;
    return 0;
  }

  // In the child of a fork, before it runs guest code: take private copies
  // of anything shared with the parent. False with err on failure.
  virtual bool afterFork(std::string &err) { return true; }

  // pc's translation by this tier is no longer its current one (the cache
  // dropped it, or a promotion replaced it): code of this tier must stop
  // jumping to it directly. Under the translate lock.
  virtual void drop(uint64_t pc) {}
  // fn, a translation of pc by this tier that drop() took away, is pc's
  // current translation again (what it was made from is back: system mode
  // maps a page of code to the address it had before): code of this tier
  // jumps to it directly again, and it counts its runs again. False if fn
  // is not this tier's, or its code is gone. Under the translate lock.
  virtual bool revive(uint64_t pc, BlockFn fn) { return false; }
};

} // namespace xlat::jit
