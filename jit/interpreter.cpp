#include "jit/interpreter.h"

#include "lifter/riscv/decoder.h"

namespace xlat::jit {

std::optional<Tier> parseTier(std::string_view name) {
  if (name == "interp")
    return Tier::Interp;
  if (name == "template")
    return Tier::Template;
  if (name == "block")
    return Tier::Block;
  if (name == "region")
    return Tier::Region;
  if (name == "adaptive")
    return Tier::Adaptive;
  return std::nullopt;
}

std::string_view tierName(Tier t) {
  switch (t) {
  case Tier::Interp: return "interp";
  case Tier::Template: return "template";
  case Tier::Block: return "block";
  case Tier::Region: return "region";
  case Tier::Adaptive: return "adaptive";
  }
  return "?";
}

template <class Guest>
auto BasicInterpreter<Guest>::fill(uint64_t pc, CodeReader &code) -> const Entry * {
  if (!cache_)
    cache_.reset(new Entry[kCacheSize]());
  Entry &e = cache_[(pc >> Guest::kPcShift) & (kCacheSize - 1)];
  if (!Guest::fetch(code, pc, e.insn)) {
    e.pc = ~0ull;
    return nullptr;
  }
  if (filter_ && filter_(e.insn, filterCtx_))
    Guest::makeIllegal(e.insn);
  if (decodeLog_)
    decodeLog_(e.insn, decodeLogCtx_);
  e.fn = Guest::function(e.insn);
  e.endsBlock = Guest::endsBlock(e.insn);
  e.pc = pc;
  e.generation = generation_;
  return &e;
}

template <class Guest>
void BasicInterpreter<Guest>::run(State &s, CodeReader &code, uint64_t *currentPc,
                                  const std::atomic<bool> &stop, TierStats &stats) {
  uint64_t n = 0;
  while (s.exit_reason == exits::kNone && !stop.load(std::memory_order_relaxed)) {
    uint64_t pc = s.pc;
    const Entry *e = lookup(pc, code);
    if (!e) {
      Guest::fetchFault(s, code, pc);
      break;
    }
    *currentPc = pc;
    s.pc = Guest::next(e->insn);
    e->fn(&s, &e->insn);
    ++n;
  }
  stats.insnsInterpreted += n;
}

template <class Guest>
void BasicInterpreter<Guest>::runBlock(State &s, CodeReader &code, uint64_t *currentPc,
                                       TierStats &stats) {
  uint64_t n = 0;
  while (s.exit_reason == exits::kNone) {
    uint64_t pc = s.pc;
    const Entry *e = lookup(pc, code);
    if (!e) {
      Guest::fetchFault(s, code, pc);
      break;
    }
    *currentPc = pc;
    s.pc = Guest::next(e->insn);
    e->fn(&s, &e->insn);
    ++n;
    if (e->endsBlock)
      break;
  }
  stats.insnsInterpreted += n;
}

template class BasicInterpreter<RiscvGuest>;
template class BasicInterpreter<A64Guest>;

} // namespace xlat::jit
