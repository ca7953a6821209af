#include "utils/lockstep/engines.h"

#include "jit/block_tier.h"
#include "jit/code_buffer.h"
#include "jit/interpreter.h"
#include "jit/template_tier.h"
#include "lifter/aarch64/block.h"
#include "lifter/aarch64/fenv.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/sem/fenv.h"

#include <csetjmp>
#include <cstring>
#include <type_traits>

namespace xlat::lockstep {

bool BufferCodeReader::read(uint64_t addr, void *dst, size_t n) {
  if (addr < pc_ || addr - pc_ > bytes_.size() || bytes_.size() - (addr - pc_) < n)
    return false;
  memcpy(dst, bytes_.data() + (addr - pc_), n);
  return true;
}

namespace {

template <class Guest> constexpr bool kA64 = std::is_same_v<Guest, jit::A64Guest>;

template <class Guest> typename Guest::State &stateOf(GuestThread &t) {
  if constexpr (kA64<Guest>)
    return t.a64;
  else
    return t.state;
}

// The guest FP environment in MXCSR, as the dispatcher enters and leaves it.
void enterGuestFp(GuestThread &t) {
  if (t.isA64())
    a64::clearHostFlags();
  else
    rv::fenv::enterGuestFp(&t.state);
}
void leaveGuestFp(GuestThread &t) {
  if (t.isA64())
    a64::foldHostFlags(t.a64);
  else
    rv::fenv::leaveGuestFp(&t.state);
}

template <class Guest> class InterpreterEngine final : public Engine {
public:
  std::string_view name() const override { return "interp"; }
  void setCode(CodeReader &code) override {
    code_ = &code;
    interp_.flush();
  }
  bool run(GuestThread &t, std::string &) override {
    t.interpreting = true;
    interp_.run(stateOf<Guest>(t), *code_, &t.currentPc, stop_, stats_);
    return true;
  }
  uint64_t interpreted() const override { return stats_.insnsInterpreted; }

private:
  jit::BasicInterpreter<Guest> interp_;
  CodeReader *code_ = nullptr;
  std::atomic<bool> stop_{false};
  jit::TierStats stats_;
};

// A translating tier (LLVM block or template). Each block is translated
// once per stream and run from every initial state. Neither tier frees code,
// so the tier is rebuilt now and then to bound memory, and when its buffer
// is full (A64 streams, whose AdvSIMD stencils are large, fill it sooner).
template <class Guest> class BlockEngine final : public Engine {
public:
  using Factory = std::unique_ptr<jit::BlockTier> (*)(const jit::BlockTierOptions &,
                                                      std::string &);
  // regions: translate each block together with the blocks it reaches by
  // direct branches (up to kRegionBlocks), as --tier=region does.
  BlockEngine(std::string_view name, Factory make, bool regions = false)
      : name_(name), make_(make), regions_(regions) {
    opts_.isa = kA64<Guest> ? GuestIsa::Aarch64 : GuestIsa::Riscv64;
  }
  bool init(std::string &err) {
    tier_ = make_(opts_, err);
    return tier_ != nullptr;
  }
  std::string_view name() const override { return name_; }
  void setCode(CodeReader &code) override {
    code_ = &code;
    cache_.clear();
    generic_.flush();
    if (++streams_ % kStreamsPerTier == 0)
      renew();
  }
  bool run(GuestThread &t, std::string &err) override {
    typename Guest::State &s = stateOf<Guest>(t);
    t.interpreting = false;
    for (unsigned n = 0; s.exit_reason == exits::kNone; ++n) {
      if (n == kMaxBlocks) {
        err = "no exit after many blocks";
        return false;
      }
      jit::BlockFn fn = lookup(t, s, err);
      if (!fn)
        return false;
      t.currentPc = s.pc;
      jit::enterTranslated(fn, &s);
      if (s.exit_reason == exits::kGeneric) { // as the dispatcher does
        s.exit_reason = exits::kNone;
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

  jit::BlockFn lookup(GuestThread &t, typename Guest::State &s, std::string &err) {
    s.ibtc = front_.table();
    front_.catchUp(cache_);
    if (jit::BlockFn fn = front_.lookup(cache_, s.pc))
      return fn;
    // LLVM does FP arithmetic of its own: not under the guest's MXCSR.
    leaveGuestFp(t);
    jit::BlockFn fn = nullptr;
    jit::PageRecorder code(*code_);
    for (int attempt = 0; attempt < 2 && !fn; ++attempt) {
      if (attempt == 1 && err == jit::kCodeBufferFull) {
        renew(); // between blocks: no translation is running
        err.clear();
      }
      if (tier_ && regions_)
        fn = tier_->translateRegion(region(s.pc), code, cache_, stats_, err);
      else if (tier_)
        fn = tier_->translate(s.pc, code, cache_, stats_, err);
    }
    enterGuestFp(t);
    if (!fn) {
      if (err.empty())
        err = "block tier unavailable";
      return nullptr;
    }
    ++translated_;
    cache_.insert(s.pc, fn, code.pages());
    return fn;
  }

  // A new tier, with an empty code buffer: neither tier frees code.
  void renew() {
    std::string err;
    cache_.clear();
    tier_.reset();
    tier_ = make_(opts_, err);
  }

  std::vector<uint64_t> region(uint64_t head) {
    std::vector<uint64_t> pcs;
    auto all = [](uint64_t) { return true; };
    if constexpr (kA64<Guest>)
      pcs = xlat::formRegion<a64::GuestBlock>(
          head, kRegionBlocks,
          [&](uint64_t pc, a64::GuestBlock &b) {
            b = a64::decodeBlock(*code_, pc, 64);
            return true;
          },
          all);
    else
      pcs = rv::formRegion(
          head, kRegionBlocks,
          [&](uint64_t pc, rv::GuestBlock &b) {
            b = rv::decodeBlock(*code_, pc, 64);
            return true;
          },
          all);
    if (pcs.empty())
      pcs.push_back(head);
    return pcs;
  }

  static constexpr size_t kRegionBlocks = 8;
  std::string_view name_;
  Factory make_;
  bool regions_;
  jit::BlockTierOptions opts_;
  std::unique_ptr<jit::BlockTier> tier_;
  CodeReader *code_ = nullptr;
  // Chained blocks reach each other through its link cells, so lockstep
  // covers block linking too.
  jit::CodeCache cache_;
  jit::CodeCacheFront front_; // also the IBTC that jalr blocks probe
  jit::BasicInterpreter<Guest> generic_;  // blocks that exit with kGeneric
  jit::TierStats stats_;
  uint64_t streams_ = 0, translated_ = 0;
};

template <class Guest>
std::unique_ptr<Engine> createTier(std::string_view tier, std::string &err) {
  typename BlockEngine<Guest>::Factory make = nullptr;
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
    auto e = std::make_unique<BlockEngine<Guest>>(name, make, tier == "region");
    if (!e->init(err))
      return nullptr;
    return e;
  }
  err = "unknown tier '" + std::string(tier) + "' (known: block, template, region)";
  return nullptr;
}

} // namespace

std::unique_ptr<Engine> createInterpreterEngine(GuestIsa isa) {
  if (isa == GuestIsa::Aarch64)
    return std::make_unique<InterpreterEngine<jit::A64Guest>>();
  return std::make_unique<InterpreterEngine<jit::RiscvGuest>>();
}

std::unique_ptr<Engine> createTierEngine(GuestIsa isa, std::string_view tier,
                                         std::string &err) {
  return isa == GuestIsa::Aarch64 ? createTier<jit::A64Guest>(tier, err)
                                  : createTier<jit::RiscvGuest>(tier, err);
}

bool runGuest(Engine &e, GuestThread &t, std::string &err) {
  setCurrentThread(&t);
  volatile bool ok = true;
  if (sigsetjmp(t.faultJump, 0) == 0) {
    t.faultJumpArmed = true;
    enterGuestFp(t);
    ok = e.run(t, err);
  }
  t.faultJumpArmed = false;
  leaveGuestFp(t);
  setCurrentThread(nullptr);
  return ok;
}

} // namespace xlat::lockstep
