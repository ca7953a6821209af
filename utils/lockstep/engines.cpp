#include "utils/lockstep/engines.h"

#include "jit/template_tier.h"
#include "lifter/riscv/block.h"

#include <algorithm>

#include "jit/block_tier.h"
#include "jit/interpreter.h"
#include "lifter/riscv/sem/fenv.h"

#include <csetjmp>
#include <cstring>
#include <unordered_map>

namespace xlat::lockstep {

bool BufferCodeReader::read(uint64_t addr, void *dst, size_t n) {
  if (addr < pc_ || addr - pc_ > bytes_.size() || bytes_.size() - (addr - pc_) < n)
    return false;
  memcpy(dst, bytes_.data() + (addr - pc_), n);
  return true;
}

namespace {

class InterpreterEngine final : public Engine {
public:
  std::string_view name() const override { return "interp"; }
  void setCode(CodeReader &code) override {
    code_ = &code;
    interp_.flush();
  }
  bool run(GuestThread &t, std::string &) override {
    t.interpreting = true;
    interp_.run(t.state, *code_, &t.currentPc, stop_, stats_);
    return true;
  }
  uint64_t interpreted() const override { return stats_.insnsInterpreted; }

private:
  jit::Interpreter interp_;
  CodeReader *code_ = nullptr;
  std::atomic<bool> stop_{false};
  jit::TierStats stats_;
};

// A translating tier (LLVM block or template). Each block is translated
// once per stream and run from every initial state. Neither tier frees code,
// so the tier is rebuilt now and then to bound memory.
class BlockEngine final : public Engine {
public:
  using Factory = std::unique_ptr<jit::BlockTier> (*)(const jit::BlockTierOptions &,
                                                      std::string &);
  // regions: translate each block together with the blocks it reaches by
  // direct branches (up to kRegionBlocks), as --tier=region does.
  BlockEngine(std::string_view name, Factory make, bool regions = false)
      : name_(name), make_(make), regions_(regions) {}
  bool init(std::string &err) {
    tier_ = make_(jit::BlockTierOptions{}, err);
    return tier_ != nullptr;
  }
  std::string_view name() const override { return name_; }
  void setCode(CodeReader &code) override {
    code_ = &code;
    cache_.clear();
    generic_.flush();
    if (++streams_ % kStreamsPerTier == 0) {
      std::string err;
      tier_.reset();
      tier_ = make_(jit::BlockTierOptions{}, err);
    }
  }
  bool run(GuestThread &t, std::string &err) override {
    rv::RvState &s = t.state;
    t.interpreting = false;
    for (unsigned n = 0; s.exit_reason == rv::kExitNone; ++n) {
      if (n == kMaxBlocks) {
        err = "no exit after many blocks";
        return false;
      }
      jit::BlockFn fn = lookup(s, err);
      if (!fn)
        return false;
      t.currentPc = s.pc;
      fn(&s);
      if (s.exit_reason == rv::kExitGeneric) { // as the dispatcher does
        s.exit_reason = rv::kExitNone;
        t.interpreting = true;
        generic_.runBlock(s, *code_, &t.currentPc, stats_);
        t.interpreting = false;
      }
    }
    return true;
  }
  uint64_t translated() const override { return translated_; }

private:
  static constexpr unsigned kMaxBlocks = 100000;
  static constexpr unsigned kStreamsPerTier = 2000;

  jit::BlockFn lookup(rv::RvState &s, std::string &err) {
    s.ibtc = front_.table();
    front_.catchUp(cache_);
    if (jit::BlockFn fn = front_.lookup(cache_, s.pc))
      return fn;
    // LLVM does FP arithmetic of its own: not under the guest's MXCSR.
    rv::fenv::leaveGuestFp(&s);
    jit::BlockFn fn = nullptr;
    jit::PageRecorder code(*code_);
    if (tier_ && regions_)
      fn = tier_->translateRegion(region(s.pc), code, cache_, stats_, err);
    else if (tier_)
      fn = tier_->translate(s.pc, code, cache_, stats_, err);
    rv::fenv::enterGuestFp(&s);
    if (!fn) {
      if (err.empty())
        err = "block tier unavailable";
      return nullptr;
    }
    ++translated_;
    cache_.insert(s.pc, fn, code.pages());
    return fn;
  }

  std::vector<uint64_t> region(uint64_t head) {
    std::vector<uint64_t> pcs = rv::formRegion(
        head, kRegionBlocks,
        [&](uint64_t pc, rv::GuestBlock &b) {
          b = rv::decodeBlock(*code_, pc, 64);
          return true;
        },
        [](uint64_t) { return true; });
    if (pcs.empty())
      pcs.push_back(head);
    return pcs;
  }

  static constexpr size_t kRegionBlocks = 8;
  std::string_view name_;
  Factory make_;
  bool regions_;
  std::unique_ptr<jit::BlockTier> tier_;
  CodeReader *code_ = nullptr;
  // Chained blocks reach each other through its link cells, so lockstep
  // covers block linking too.
  jit::CodeCache cache_;
  jit::CodeCacheFront front_; // also the IBTC that jalr blocks probe
  jit::Interpreter generic_;  // blocks that exit with kExitGeneric
  jit::TierStats stats_;
  uint64_t streams_ = 0, translated_ = 0;
};

} // namespace

std::unique_ptr<Engine> createInterpreterEngine() {
  return std::make_unique<InterpreterEngine>();
}

std::unique_ptr<Engine> createTierEngine(std::string_view tier, std::string &err) {
  BlockEngine::Factory make = nullptr;
  if (tier == "block")
    make = [](const jit::BlockTierOptions &o, std::string &err) {
      return jit::BlockTier::create(o, err);
    };
  else if (tier == "region")
    make = [](const jit::BlockTierOptions &o, std::string &err) {
      jit::BlockTierOptions region = o;
      region.codegenOpt = 2;
      return jit::BlockTier::create(region, err);
    };
  else if (tier == "template")
    make = jit::createTemplateTier;
  if (make) {
    std::string_view name = tier == "block" ? "block"
                            : tier == "region" ? "region"
                                               : "template";
    auto e = std::make_unique<BlockEngine>(name, make, tier == "region");
    if (!e->init(err))
      return nullptr;
    return e;
  }
  err = "unknown tier '" + std::string(tier) + "' (known: block, template, region)";
  return nullptr;
}

bool runGuest(Engine &e, GuestThread &t, std::string &err) {
  setCurrentThread(&t);
  volatile bool ok = true;
  if (sigsetjmp(t.faultJump, 0) == 0) {
    t.faultJumpArmed = true;
    rv::fenv::enterGuestFp(&t.state);
    ok = e.run(t, err);
  }
  t.faultJumpArmed = false;
  rv::fenv::leaveGuestFp(&t.state);
  setCurrentThread(nullptr);
  return ok;
}

} // namespace xlat::lockstep
