#include "jit/template_tier.h"

#include "jit/code_buffer.h"
#include "jit/host_pc_map.h"
#include "jit/perf_map.h"
#include "jit/stencils/a64_shapes.h"
#include "jit/stencils/op_names.h"
#include "jit/stencils/state_offsets.h"
#include "jit/stencils/table.h"
#include "lifter/aarch64/block.h"
#include "lifter/aarch64/state.h"
#include "lifter/core/log.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"
#include "lifter/riscv/state.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <unordered_map>
#include <string_view>
#include <vector>

namespace xlat::jit {
namespace {

using namespace stencil;

#define XLAT_CHECK_OFFSETS(State, P)                                           \
  static_assert(offsetof(State, pc) == P##PC);                                 \
  static_assert(offsetof(State, exit_reason) == P##EXIT_REASON);               \
  static_assert(offsetof(State, interrupt) == P##INTERRUPT);                   \
  static_assert(offsetof(State, membase) == P##MEMBASE);                       \
  static_assert(offsetof(State, memlimit) == P##MEMLIMIT);                     \
  static_assert(offsetof(State, ibtc) == P##IBTC);                             \
  static_assert(offsetof(State, blocks_run) == P##BLOCKS_RUN);                 \
  static_assert(offsetof(State, ibtc_probes) == P##IBTC_PROBES);               \
  static_assert(offsetof(State, ibtc_hits) == P##IBTC_HITS);                   \
  static_assert(offsetof(State, shadow_top) == P##SHADOW_TOP);                 \
  static_assert(offsetof(State, shadow_probes) == P##SHADOW_PROBES);           \
  static_assert(offsetof(State, shadow_hits) == P##SHADOW_HITS);               \
  static_assert(offsetof(State, shadow) == P##SHADOW);                         \
  static_assert(sizeof(State::ShadowEntry) == 16);                             \
  static_assert(sizeof(State::shadow) / 16 - 1 == XLAT_SHADOW_MASK);
XLAT_CHECK_OFFSETS(rv::RvState, XLAT_RV_)
XLAT_CHECK_OFFSETS(a64::A64State, XLAT_A64_)
#undef XLAT_CHECK_OFFSETS
static_assert(exits::kHot == XLAT_EXIT_HOT);
static_assert(rv::kIbtcSize - 1 == XLAT_IBTC_MASK);

// What the template tier needs of a guest ISA: its decoded blocks, the
// names of its stencils (gen_stencils.cpp), which variants they have, and
// what goes into their holes.
struct RvTemplate {
  using Insn = rv::Insn;
  using Block = rv::GuestBlock;
  using Op = rv::Op;
  static constexpr size_t kNumOps = (size_t)Op::NumOps;
  static constexpr const char *kStencils = "xlat_st_", *kSoftmmuStencils = "xlat_sst_",
                              *kGlue = "xlat_glue_";
  static const char *opName(size_t op) { return kRvOpNames[op]; }
  static constexpr bool kRd0Variants = true, kForwarding = true, kShapes = false;
  static constexpr const auto &kSplitBranches = stencil::kRvSplitBranches;
  static Block decode(CodeReader &code, uint64_t pc, const BlockTierOptions &o) {
    return rv::decodeBlock(code, pc, o.maxBlockInsns, o.decodeFilter, o.decodeFilterCtx);
  }
  static bool endsBlock(Op op) { return rv::flags(op) & rv::kEndsBlock; }
  static bool isIndirectJump(const Insn &in) { return in.op == Op::JALR; }
  static uint64_t next(const Insn &in) { return in.pc + in.len; }
  static void fill(uint64_t *holes, const Insn &in) {
    holes[(size_t)Hole::imm] = (uint64_t)in.imm;
    holes[(size_t)Hole::len] = in.len;
    holes[(size_t)Hole::rd] = in.rd * 8u;
    holes[(size_t)Hole::rs1] = in.rs1 * 8u;
    holes[(size_t)Hole::rs2] = in.rs2 * 8u;
    holes[(size_t)Hole::rs3] = in.rs3 * 8u;
    holes[(size_t)Hole::rm] = in.rm;
  }
};

struct A64Template {
  using Insn = a64::Insn;
  using Block = a64::GuestBlock;
  using Op = a64::Op;
  static constexpr size_t kNumOps = (size_t)Op::NumOps;
  static constexpr const char *kStencils = "xlat_st_a64_", *kSoftmmuStencils = nullptr,
                              *kGlue = "xlat_glue_a64_";
  static const char *opName(size_t op) { return kA64OpNames[op]; }
  // Stencils per shape (a64_shapes.h).
  static constexpr bool kRd0Variants = false, kForwarding = false, kShapes = true;
  static constexpr const auto &kSplitBranches = stencil::kA64SplitBranches;
  static Block decode(CodeReader &code, uint64_t pc, const BlockTierOptions &o) {
    return a64::decodeBlock(code, pc, o.maxBlockInsns);
  }
  static bool endsBlock(Op op) { return a64::flags(op) & a64::kEndsBlock; }
  static bool isIndirectJump(const Insn &in) {
    return in.op == Op::BR || in.op == Op::BLR || in.op == Op::RET;
  }
  static uint64_t next(const Insn &in) { return in.pc + 4; }
  static void fill(uint64_t *holes, const Insn &in) {
    auto set = [&](Hole h, uint64_t v) { holes[(size_t)h] = v; };
    set(Hole::imm, (uint64_t)in.imm);
    set(Hole::rd, in.rd * 8u);
    set(Hole::rs1, in.rn * 8u);
    set(Hole::rs2, in.rm * 8u);
    set(Hole::rs3, in.ra * 8u);
    set(Hole::rd_not31, in.rd * 8u);
    set(Hole::rs1_not31, in.rn * 8u);
    set(Hole::rs2_not31, in.rm * 8u);
    set(Hole::rs3_not31, in.ra * 8u);
    set(Hole::sf, in.sf);
    set(Hole::cond, in.cond);
    set(Hole::nzcv, in.nzcv);
    set(Hole::shift, in.shift);
    set(Hole::amount, in.amount);
    set(Hole::imms, in.imms);
    set(Hole::size, in.size);
    set(Hole::mode, (uint8_t)in.mode);
    set(Hole::form, (uint8_t)in.form);
    set(Hole::order, in.order);
    set(Hole::q, in.q);
    set(Hole::scalar, in.scalar);
  }
};

// Writes value into a relocated field of `type` at `field` (whose address
// when executed is `fieldAddr`); false if it does not fit.
bool patch(uint8_t *field, uint64_t fieldAddr, RelocType type, uint64_t value) {
  switch (type) {
  case RelocType::Abs64:
    memcpy(field, &value, 8);
    return true;
  case RelocType::Pc32:
  case RelocType::Plt32: {
    int64_t rel = (int64_t)(value - fieldAddr);
    if (rel != (int32_t)rel)
      return false;
    int32_t v = (int32_t)rel;
    memcpy(field, &v, 4);
    return true;
  }
  case RelocType::Abs32: {
    if (value != (uint32_t)value)
      return false;
    uint32_t v = (uint32_t)value;
    memcpy(field, &v, 4);
    return true;
  }
  case RelocType::Abs32S: {
    if ((int64_t)value != (int32_t)value)
      return false;
    int32_t v = (int32_t)value;
    memcpy(field, &v, 4);
    return true;
  }
  case RelocType::Abs8:
    if ((int64_t)value != (int8_t)value)
      return false;
    *field = (uint8_t)value;
    return true;
  }
  return false;
}

// One stencil placed in a block, with its hole values.
struct Piece {
  const Stencil *st = nullptr;
  uint64_t holes[(size_t)Hole::NumHoles] = {};
  bool dropTail = false; // its closing `jmp next` is dropped
  int takenPiece = -1;   // split branches: the piece `taken` continues at
  int faultPiece = -1;   // memory stencils: their fault stubs
  int misalignedPiece = -1;
  uint64_t pad = 0;    // bytes of nop before the code (goto slot alignment)
  uint64_t offset = 0; // of the code, in the block
  bool linked = false; // a goto made a direct jump when the block was
  uint64_t size() const { return st->size - (dropTail ? 5 : 0); }
};

template <class G> class TemplateTier final : public BlockTier {
public:
  using Insn = typename G::Insn;
  using Op = typename G::Op;
  explicit TemplateTier(const BlockTierOptions &opts)
      : opts_(opts), insn_(G::kNumOps), split_(G::kNumOps) {}

  bool init(std::string &err) {
    if (!buf_.init(err, opts_.codeBufferBytes))
      return false;
    for (size_t i = 0; i < kNumStencils; i++)
      byName_.emplace_back(kStencils[i].name, &kStencils[i]);
    // Stencils may call host functions this program lacks (the softmmu
    // calls, outside xlat-system): only a stencil this tier uses must find
    // its own.
    for (size_t i = 0; i < kNumExternals; i++)
      externals_.push_back(dlsym(RTLD_DEFAULT, kExternals[i]));
    if (opts_.softmmu && !G::kSoftmmuStencils) {
      err = "the template tier has no system-mode stencils for this ISA";
      return false;
    }
    for (size_t op = 0; op < G::kNumOps; op++)
      for (int rd0 = 0; rd0 < (G::kRd0Variants ? 2 : 1); rd0++) {
        std::string suffix = std::string(G::opName(op)) + (rd0 ? "_rd0" : "");
        // System mode: the variant whose accesses probe the software TLB,
        // where the instruction accesses memory.
        const Stencil *softmmu =
            opts_.softmmu ? lookup(G::kSoftmmuStencils + suffix) : nullptr;
        const Stencil *st = softmmu ? checked(softmmu, err)
                                    : find(G::kStencils + suffix, err);
        if (!st)
          return false;
        findForwardedVariants(st, insn_[op][rd0]);
      }
    for (Op op : G::kSplitBranches)
      if (const Stencil *st =
              find(std::string(G::kStencils) + G::opName((size_t)op) + "_split", err))
        findForwardedVariants(st, split_[(size_t)op]);
      else
        return false;
    if constexpr (G::kShapes)
      findShapes();
    auto glue = [&](const char *name) { return find(std::string(G::kGlue) + name, err); };
    if (!(entry_ = glue("entry")) || !(return_ = glue("return")) ||
        !(count_ = glue("count")) || !(setpc_ = glue("setpc")) ||
        !(countRun_ = glue("countrun")) || !(goto_ = glue("goto")) ||
        !(push_ = glue("push")) ||
        // Softmmu accesses raise their faults themselves: no fault stubs.
        (!opts_.softmmu && !(faultStub_ = glue("fault"))) ||
        (!opts_.softmmu && !(misalignedStub_ = glue("misaligned"))) ||
        !(returnProbe_ = glue(opts_.countBlocks ? "return_probe_counted" : "return_probe")) ||
        !(ibtc_ = glue(opts_.countBlocks ? "ibtc_counted" : "ibtc")))
      return false;
    if (!installShared(err))
      return false;
    buf_.keepFirst();
    for (uint32_t off = 0; off + 8 <= goto_->size && !gotoSlot_; off++)
      if (!memcmp(goto_->code + off, kSlot, 8))
        gotoSlot_ = off;
    if (!gotoSlot_) {
      err = "the goto stencil has no patch slot (see glue.S)";
      return false;
    }
    // A stencil with a fault continuation accesses guest memory: it gets a
    // fault stub, and a host fault in its copy is a fault of its
    // instruction.
    stubs_.assign(kNumStencils, 0);
    for (size_t i = 0; i < kNumStencils; i++)
      for (uint32_t r = 0; r < kStencils[i].numRelocs; r++) {
        const Reloc &rel = kStencils[i].relocs[r];
        if (rel.target == RelocTarget::Hole && rel.hole == Hole::fault)
          stubs_[i] |= kFaultStub;
        if (rel.target == RelocTarget::Hole && rel.hole == Hole::misaligned)
          stubs_[i] |= kMisalignedStub;
      }
    if (opts_.logInAsm && opts_.makeDisassembler)
      disasm_ = opts_.makeDisassembler(opts_.isa);
    return true;
  }

  BlockFn translate(uint64_t pc, CodeReader &code, CodeCache &cache,
                    TierStats &stats, std::string &err) override {
    auto start = std::chrono::steady_clock::now();
    if (cache.generation() != pendingGeneration_) {
      // Every translation was dropped: so were the gotos.
      pendingGotos_.clear();
      linked_.clear();
      for (auto [pc, entry] : current_)
        kill(entry);
      current_.clear();
      counterOf_.clear();
      made_.clear();
      pendingGeneration_ = cache.generation();
    }
    typename G::Block block = G::decode(code, pc, opts_);
    if (block.insns.empty()) {
      err = "fetch";
      return nullptr;
    }
    if (opts_.logInAsm)
      logGuestBlock(block, disasm_.get());

    pieces_.clear();
    add(entry_);
    int countPiece = -1;
    if (opts_.hotThreshold) {
      countPiece = (int)pieces_.size();
      Piece &p = add(count_); // the counter comes with the code's segment
      p.holes[(size_t)Hole::threshold] = opts_.hotThreshold;
      p.holes[(size_t)Hole::pc] = block.pc;
    }
    if (opts_.countBlocks)
      add(countRun_);
    const Stencil *prevSt = nullptr;
    const Insn *prev = nullptr;
    for (const Insn &in : block.insns) {
      // A branch to the next instruction has no split stencil to take.
      bool split =
          opts_.chain && split_[(size_t)in.op][0] && in.pc + uint64_t(in.imm) != G::next(in);
      const Stencil *st = shaped(in, split);
      if (!st)
        st = split ? forwarded(split_[(size_t)in.op], in, prevSt, prev)
                   : forwarded(insn_[(size_t)in.op][G::kRd0Variants && rd0(in)], in, prevSt,
                               prev);
      prevSt = st;
      prev = &in;
      Piece &p = add(st);
      p.holes[(size_t)Hole::pc] = in.pc;
      p.holes[(size_t)Hole::raw] = in.raw;
      G::fill(p.holes, in);
    }
    addExits(block, cache);
    size_t returnPiece = pieces_.size();
    add(return_);
    // Out of the way after the return: a fault stub per memory stencil.
    for (size_t i = 0; i < returnPiece; i++) {
      const Stencil *st = pieces_[i].st;
      uint64_t pc = pieces_[i].holes[(size_t)Hole::pc];
      if (stubsOf(st) & kFaultStub) {
        pieces_[i].faultPiece = (int)pieces_.size();
        add(faultStub_).holes[(size_t)Hole::pc] = pc;
      }
      if (stubsOf(st) & kMisalignedStub) {
        pieces_[i].misalignedPiece = (int)pieces_.size();
        add(misalignedStub_).holes[(size_t)Hole::pc] = pc;
      }
    }

    // Lay out, then copy and patch: `next` is the following piece, `exit`
    // the return.
    uint64_t size = 0;
    for (size_t i = 0; i < pieces_.size(); i++) {
      Piece &p = pieces_[i];
      p.dropTail = p.st->tailJumpToNext && i + 1 < pieces_.size();
      if (p.st == goto_) // blocks are 16-byte aligned
        p.pad = (8 - (size + gotoSlot_) % 8) % 8;
      size += p.pad;
      p.offset = size;
      size += p.size();
    }
    CodeBuffer::Allocation a = buf_.allocate(size);
    if (!a.write) {
      err = kCodeBufferFull;
      return nullptr;
    }
    Segment &seg = segments_[buf_.segmentOf(a.exec)];
    seg.blocks.push_back({block.pc, a.exec});
    // setCurrent finds it: the reference stays valid.
    Made &made = made_[a.exec] = {nullptr, size, false};
    setCurrent(block.pc, a.exec);
    if (countPiece >= 0) {
      uint64_t *counter = &seg.counters.emplace_back(0);
      counterOf_[block.pc] = counter;
      made.counter = counter;
      pieces_[countPiece].holes[(size_t)Hole::counter] =
          reinterpret_cast<uint64_t>(counter);
    }
    uint64_t exitAddr = a.exec + pieces_[returnPiece].offset;
    for (size_t i = 0; i < pieces_.size(); i++) {
      Piece &p = pieces_[i];
      p.holes[(size_t)Hole::next] = a.exec + p.offset + p.size();
      p.holes[(size_t)Hole::exit] = exitAddr;
      if (p.takenPiece >= 0)
        p.holes[(size_t)Hole::taken] = a.exec + pieces_[p.takenPiece].offset;
      if (p.faultPiece >= 0)
        p.holes[(size_t)Hole::fault] = a.exec + pieces_[p.faultPiece].offset;
      if (p.misalignedPiece >= 0)
        p.holes[(size_t)Hole::misaligned] =
            a.exec + pieces_[p.misalignedPiece].offset;
      p.holes[(size_t)Hole::codelo] = buf_.execStart();
      p.holes[(size_t)Hole::codehi] = buf_.execEnd();
      p.holes[(size_t)Hole::entrysize] = entry_->size;
      if (!emit(p, a, err))
        return nullptr;
    }
    buf_.commit(a);
    // Gotos to blocks this tier has translated are direct jumps; the rest
    // become them once it has, and this block's own predecessors now.
    for (Piece &p : pieces_)
      if (p.st == goto_) {
        uint64_t target = p.holes[(size_t)Hole::target];
        uint64_t slot = a.exec + p.offset + gotoSlot_;
        uint64_t fn = reinterpret_cast<uint64_t>(cache.find(target));
        p.linked = fn >= buf_.execStart() && fn < buf_.execEnd() &&
                   patchSlot(slot, fn + entry_->size);
        if (p.linked)
          linked_[target].push_back(slot);
        else
          pendingGotos_[target].push_back(slot);
      }
    linkPendingGotos(block.pc, a.exec + entry_->size);
    ranges_.clear();
    for (const Piece &p : pieces_)
      if (stubsOf(p.st) & kFaultStub)
        ranges_.push_back({a.exec + p.offset, a.exec + p.offset + p.size(),
                           p.holes[(size_t)Hole::pc]});
    if (!ranges_.empty())
      HostPcMap::instance().addRanges(ranges_);
    if (PerfMap::instance().pieces()) {
      for (const Piece &p : pieces_)
        PerfMap::instance().add(a.exec + p.offset, p.size(), p.st->name);
    } else if (PerfMap::instance().enabled()) {
      char name[48];
      snprintf(name, sizeof name, "xlat_template_%llx",
               (unsigned long long)block.pc);
      PerfMap::instance().add(a.exec, size, name, block.pc);
    }
    if (opts_.logOutAsm)
      logHostCode(block.pc, a);

    auto elapsed = std::chrono::steady_clock::now() - start;
    stats.blocksTranslated++;
    stats.guestInsnsTranslated += block.insns.size();
    stats.guestBytesTranslated += block.endPc - block.pc;
    stats.hostBytesEmitted += size;
    stats.translateNanos +=
        std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
    if ((block.pc >> 12) != ((block.endPc - 1) >> 12))
      stats.crossPageBlocks++;
    return reinterpret_cast<BlockFn>(a.exec);
  }

  bool afterFork(std::string &err) override { return buf_.unshare(err); }

  size_t codeBytes() const override { return buf_.bytesInUse(); }
  size_t peakCodeBytes() const override { return buf_.peakBytesInUse(); }
  bool wantsEviction() const override { return buf_.wantsEviction(); }

  // The oldest segment goes: the blocks translated there that are still
  // pc's current translation are dropped from the cache and unlinked;
  // gotos that live there leave the lists of slots to patch; so do the
  // counters.
  size_t evict(CodeCache &cache, std::vector<uint64_t> &dropped, uint64_t &lo,
               uint64_t &hi) override {
    size_t freed = buf_.evictNext(lo, hi);
    Segment &seg = segments_[buf_.segmentOf(lo)];
    for (auto [pc, fn] : seg.blocks) {
      if (auto it = current_.find(pc); it != current_.end() && it->second == fn) {
        drop(pc);
        if (cache.dropIf(pc, reinterpret_cast<BlockFn>(fn)))
          dropped.push_back(pc);
      }
      made_.erase(fn);
    }
    seg = Segment{};
    auto outside = [&](std::unordered_map<uint64_t, std::vector<uint64_t>> &lists) {
      for (auto it = lists.begin(); it != lists.end();) {
        std::erase_if(it->second, [&](uint64_t slot) { return slot >= lo && slot < hi; });
        it = it->second.empty() ? lists.erase(it) : std::next(it);
      }
    };
    outside(pendingGotos_);
    outside(linked_);
    HostPcMap::instance().removeRange(lo, hi);
    return freed;
  }

  // pc's translation here is no longer its current one (dropped, or
  // promoted): gotos that jump to its body go through its link cell
  // again, and wait for the next template translation. The body itself
  // stays, for threads still in it.
  void drop(uint64_t pc) override {
    if (auto it = current_.find(pc); it != current_.end()) {
      kill(it->second);
      current_.erase(it);
    }
    counterOf_.erase(pc);
    auto it = linked_.find(pc);
    if (it == linked_.end())
      return;
    std::vector<uint64_t> &pending = pendingGotos_[pc];
    for (uint64_t slot : it->second) {
      storeSlot(slot, kSlot);
      pending.push_back(slot);
    }
    linked_.erase(it);
  }

  bool revive(uint64_t pc, BlockFn fn) override {
    uint64_t entry = reinterpret_cast<uint64_t>(fn);
    auto it = made_.find(entry);
    if (it == made_.end())
      return false;
    setCurrent(pc, entry);
    if (it->second.counter)
      counterOf_[pc] = it->second.counter;
    linkPendingGotos(pc, entry + entry_->size);
    return true;
  }

  uint64_t executions(uint64_t pc) const override {
    auto it = counterOf_.find(pc);
    return it == counterOf_.end() ? 0 : *it->second;
  }

  // The block's code increments the counter without a lock: a count that
  // races with this store may survive it, and then the block just never
  // reports hot again.
  void rearm(uint64_t pc) override {
    if (auto it = counterOf_.find(pc); it != counterOf_.end())
      __atomic_store_n(it->second, 0, __ATOMIC_RELAXED);
  }

private:
  const Stencil *find(std::string_view name, std::string &err) {
    if (const Stencil *st = lookup(name))
      return checked(st, err);
    err = "the stencil table lacks " + std::string(name);
    return nullptr;
  }

  // The table is sorted by name.
  const Stencil *lookup(std::string_view name) const {
    auto it = std::lower_bound(byName_.begin(), byName_.end(), name,
                               [](const auto &e, std::string_view n) { return e.first < n; });
    return it != byName_.end() && it->first == name ? it->second : nullptr;
  }

  // The stencils specialised on a shape, by op, split or not, and shape.
  static uint64_t shapedKey(size_t op, bool split, uint64_t shape) {
    static_assert(G::kNumOps <= 1u << 16);
    return uint64_t(op) << 44 | uint64_t(split) << 43 | shape;
  }
  void findShapes() {
    std::unordered_map<std::string_view, size_t> ops;
    for (size_t op = 0; op < G::kNumOps; op++)
      ops.emplace(G::opName(op), op);
    std::string_view prefix = G::kStencils;
    std::string err;
    for (size_t i = 0; i < kNumStencils; i++) {
      std::string_view name = kStencils[i].name;
      size_t mark = name.find("__");
      stencil::A64Shape shape;
      if (!name.starts_with(prefix) || mark == std::string_view::npos ||
          !stencil::parseShapeSuffix(kStencils[i].name + mark, shape))
        continue;
      std::string_view op = name.substr(prefix.size(), mark - prefix.size());
      bool split = op.ends_with("_split");
      if (split)
        op.remove_suffix(6);
      auto it = ops.find(op);
      if (it == ops.end() || !checked(&kStencils[i], err))
        continue;
      // The register holes a no-31 stencil's code refers to (1: rd, 2: rn,
      // 4: rm, 8: ra): the fields that must not be 31 for it to serve.
      uint8_t regs = 0;
      for (uint32_t r = 0; r < kStencils[i].numRelocs; r++) {
        const Reloc &rel = kStencils[i].relocs[r];
        if (rel.target != RelocTarget::Hole)
          continue;
        regs |= rel.hole == Hole::rd_not31    ? 1
                : rel.hole == Hole::rs1_not31 ? 2
                : rel.hole == Hole::rs2_not31 ? 4
                : rel.hole == Hole::rs3_not31 ? 8
                                              : 0;
      }
      shaped_[shapedKey(it->second, split, shape.key())] = {&kStencils[i], regs};
    }
  }
  // in's stencil for its shape: of those that assume what register 31
  // is, one whose assumptions hold for the fields its code refers to;
  // else the one that assumes nothing.
  const Stencil *shaped(const Insn &in, bool split) const {
    if constexpr (!G::kShapes) {
      return nullptr;
    } else {
      using stencil::A64Shape;
      A64Shape shape = stencil::shapeOf(in);
      for (uint8_t reg31 : {A64Shape::kNo31, A64Shape::kRd31, A64Shape::kRn31, A64Shape::kRa31,
                            A64Shape::kAny31}) {
        if ((reg31 == A64Shape::kRd31 && in.rd != 31) || (reg31 == A64Shape::kRn31 && in.rn != 31) ||
            (reg31 == A64Shape::kRa31 && in.ra != 31))
          continue;
        shape.reg31 = reg31;
        auto it = shaped_.find(shapedKey((size_t)in.op, split, shape.key()));
        if (it == shaped_.end())
          continue;
        uint8_t regs = it->second.second;
        if (!((regs & 1 && in.rd == 31) || (regs & 2 && in.rn == 31) ||
              (regs & 4 && in.rm == 31) || (regs & 8 && in.ra == 31)))
          return it->second.first;
      }
      return nullptr;
    }
  }

  // st's variants that take rs1 (mask 1), rs2 (2) or both (3) from the
  // value the stencil before them forwards, where they exist.
  void findForwardedVariants(const Stencil *st, std::array<const Stencil *, 4> &out) {
    static const char *kSuffix[] = {nullptr, "_f1", "_f2", "_f12"};
    out[0] = st;
    std::string err;
    for (int mask = 1; mask < 4; mask++)
      if (const Stencil *v = lookup(std::string(st->name) + kSuffix[mask]))
        out[mask] = checked(v, err);
  }

  // The stencil for `in`, its operands taken from the register the
  // previous instruction's stencil (prev) forwards where they can be.
  const Stencil *forwarded(const std::array<const Stencil *, 4> &variants, const Insn &in,
                           const Stencil *prevSt, const Insn *prev) const {
    if constexpr (!G::kForwarding)
      return variants[0];
    else
      return forwardedRv(variants, in, prevSt, prev);
  }
  const Stencil *forwardedRv(const std::array<const Stencil *, 4> &variants, const rv::Insn &in,
                             const Stencil *prevSt, const rv::Insn *prev) const {
    if (!prevSt || !prevSt->forwardsRd || prev->rd == 0)
      return variants[0];
    unsigned mask = (in.rs1 == prev->rd ? 1 : 0) | (in.rs2 == prev->rd ? 2 : 0);
    // An op that reads only one of them as an x register has that variant
    // only (fsd reads x[rs1] and f[rs2]).
    for (unsigned m : {mask, mask & 1u, mask & 2u})
      if (m && variants[m])
        return variants[m];
    return variants[0];
  }

  // st, if every host function it calls was found.
  const Stencil *checked(const Stencil *st, std::string &err) {
    for (uint32_t r = 0; r < st->numRelocs; r++) {
      const Reloc &rel = st->relocs[r];
      if (rel.target == RelocTarget::External && !externals_[rel.index]) {
        err = std::string("stencils call ") + kExternals[rel.index] +
              ", which this program does not export";
        return nullptr;
      }
    }
    return st;
  }

  // In place: a Piece is 300 bytes, and a guest that churns code makes
  // millions.
  Piece &add(const Stencil *st) {
    Piece &p = pieces_.emplace_back();
    p.st = st;
    return p;
  }

  // How the block continues: chaining to its direct successors, the IBTC
  // for an indirect jump, or straight back to the runner.
  void addExits(const typename G::Block &block, CodeCache &cache) {
    const Insn &last = block.insns.back();
    bool ends = G::endsBlock(last.op);
    if (!ends)
      add(setpc_).holes[(size_t)Hole::pc] = block.endPc;
    if (!opts_.chain)
      return;
    auto addGoto = [&](uint64_t target) {
      Piece &p = add(goto_);
      p.holes[(size_t)Hole::target] = target;
      p.holes[(size_t)Hole::cell] =
          reinterpret_cast<uint64_t>(cache.linkCell(target));
    };
    if (!ends) {
      addGoto(block.endPc);
      return;
    }
    size_t branch = pieces_.size() - 1;
    // A call pushes its return address on the shadow stack; a return
    // tries the top before the IBTC.
    if (uint64_t ret = callContinuation(block)) {
      Piece &p = add(push_);
      p.holes[(size_t)Hole::target] = ret;
      p.holes[(size_t)Hole::cell] = reinterpret_cast<uint64_t>(cache.linkCell(ret));
    }
    if (G::isIndirectJump(last)) {
      if (endsInReturn(block))
        add(returnProbe_);
      add(ibtc_);
      return;
    }
    std::vector<uint64_t> succs = directSuccessors(block);
    if (succs.size() == 2) {
      // A conditional branch: {taken, fall-through}.
      addGoto(succs[1]);
      if (succs[0] != succs[1]) { // a split stencil: see translate
        pieces_[branch].takenPiece = (int)pieces_.size();
        addGoto(succs[0]);
      }
      return;
    }
    for (uint64_t target : succs)
      addGoto(target);
  }
  static bool rd0(const Insn &in) {
    if constexpr (G::kRd0Variants)
      return in.rd == 0;
    else
      return false;
  }

  // entry is pc's translation here from now on; the one before is dead.
  void setCurrent(uint64_t pc, uint64_t entry) {
    auto [it, fresh] = current_.try_emplace(pc, entry);
    if (!fresh && it->second != entry) {
      kill(it->second);
      it->second = entry;
    }
    if (Made &m = made_[entry]; m.dead) {
      m.dead = false;
      buf_.retain(entry, m.size);
    }
  }
  // The block at entry is no one's translation: dead code to the buffer,
  // unless the runner may revive it.
  void kill(uint64_t entry) {
    if (opts_.revivesDropped)
      return;
    if (Made &m = made_[entry]; !m.dead) {
      m.dead = true;
      buf_.release(entry, m.size);
    }
  }

  // Turns every goto waiting for `target` into a direct jump to `body`.
  void linkPendingGotos(uint64_t target, uint64_t body) {
    auto it = pendingGotos_.find(target);
    if (it == pendingGotos_.end())
      return;
    std::vector<uint64_t> &linked = linked_[target];
    for (uint64_t slot : it->second)
      if (patchSlot(slot, body)) // else out of reach: the slow way stays
        linked.push_back(slot);
    pendingGotos_.erase(it);
  }

  // A goto's 8-byte slot, aligned, becomes `jmp body; nopl (%rax)` in one
  // store, so that a thread running the goto sees the old code or the new.
  bool patchSlot(uint64_t slot, uint64_t body) {
    int64_t rel = (int64_t)(body - (slot + 5));
    if (rel != (int32_t)rel)
      return false;
    uint8_t bytes[8] = {0xe9, 0, 0, 0, 0, 0x0f, 0x1f, 0x00};
    int32_t rel32 = (int32_t)rel;
    memcpy(bytes + 1, &rel32, 4);
    storeSlot(slot, bytes);
    return true;
  }
  void storeSlot(uint64_t slot, const uint8_t (&bytes)[8]) {
    uint64_t word;
    memcpy(&word, bytes, 8);
    __atomic_store_n(reinterpret_cast<uint64_t *>(buf_.writable(slot)), word,
                     __ATOMIC_RELEASE);
  }

  // A nop of n (0-7) bytes, as one instruction.
  static void writeNop(uint8_t *dst, uint64_t n) {
    static const uint8_t kNops[8][7] = {
        {},
        {0x90},
        {0x66, 0x90},
        {0x0f, 0x1f, 0x00},
        {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00}};
    memcpy(dst, kNops[n], n);
  }

  bool emit(const Piece &p, const CodeBuffer::Allocation &a, std::string &err) {
    writeNop(a.write + p.offset - p.pad, p.pad);
    uint8_t *dst = a.write + p.offset;
    uint64_t execAddr = a.exec + p.offset;
    memcpy(dst, p.st->code, p.size());
    for (uint32_t i = 0; i < p.st->numRelocs; i++) {
      const Reloc &r = p.st->relocs[i];
      if (r.offset >= p.size())
        continue; // the dropped tail jump
      uint64_t s = r.target == RelocTarget::Hole ? p.holes[(size_t)r.hole]
                                                 : resolve(r);
      if (!patch(dst + r.offset, execAddr + r.offset, r.type, s + r.addend)) {
        err = std::string("stencil ") + p.st->name + ": relocation at +" +
              std::to_string(r.offset) + " out of range";
        return false;
      }
    }
    return true;
  }

  // The goto's patch slot, unlinked: `jmp +6` and six int3 (glue.S).
  static constexpr uint8_t kSlot[8] = {0xeb, 0x06, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc};

  uint64_t resolve(const Reloc &r) const {
    return r.target == RelocTarget::Data ? shared_ + r.index
                                         : veneers_[r.index];
  }

  // Copies the shared code and data and makes a veneer (an absolute jump)
  // for each host function the stencils call, so that rel32 calls reach
  // them wherever the buffer is.
  bool installShared(std::string &err) {
    for (size_t i = 0; i < kNumExternals; i++) {
      // A function this program lacks is called by no stencil in use
      // (checked()); its veneer stops the program if that ever changes.
      void *fn = externals_[i] ? externals_[i]
                               : reinterpret_cast<void *>(&missingExternal);
      CodeBuffer::Allocation a = buf_.allocate(16);
      if (!a.write) {
        err = kCodeBufferFull;
        return false;
      }
      static const uint8_t kJmpAbs[] = {0xff, 0x25, 0, 0, 0, 0}; // jmp *0(%rip)
      memcpy(a.write, kJmpAbs, sizeof kJmpAbs);
      uint64_t target = reinterpret_cast<uint64_t>(fn);
      memcpy(a.write + sizeof kJmpAbs, &target, 8);
      buf_.commit(a);
      veneers_.push_back(a.exec);
    }
    CodeBuffer::Allocation a = buf_.allocate(kSharedSize ? kSharedSize : 1);
    if (!a.write) {
      err = kCodeBufferFull;
      return false;
    }
    shared_ = a.exec;
    memcpy(a.write, kShared, kSharedSize);
    for (size_t i = 0; i < kNumSharedRelocs; i++) {
      const Reloc &r = kSharedRelocs[i];
      if (!patch(a.write + r.offset, a.exec + r.offset, r.type,
                 resolve(r) + r.addend)) {
        err = "shared stencil code: relocation out of range";
        return false;
      }
    }
    buf_.commit(a);
    return true;
  }


  // The stencils a block is made of, where they are and which holes they
  // got: what -d out_asm can say about copied code without a disassembler.
  void logHostCode(uint64_t pc, const CodeBuffer::Allocation &a) {
    log().printf("OUT: block 0x%llx: template, %zu bytes at 0x%llx\n",
                 (unsigned long long)pc, a.size, (unsigned long long)a.exec);
    for (const Piece &p : pieces_) {
      log().printf("  +0x%04llx %-24s", (unsigned long long)p.offset, p.st->name);
      if (strncmp(p.st->name, "xlat_st_", 8) == 0 ||
          strncmp(p.st->name, "xlat_sst_", 9) == 0)
        log().printf(" pc=0x%llx", (unsigned long long)p.holes[(size_t)Hole::pc]);
      else if (p.st == goto_)
        log().printf(" target=0x%llx%s",
                     (unsigned long long)p.holes[(size_t)Hole::target],
                     p.linked ? " linked" : "");
      log().printf("\n");
    }
    log().printf("\n");
  }

  [[noreturn]] static void missingExternal() {
    fprintf(stderr, "xlat: a stencil called a host function this program lacks\n");
    abort();
  }

  BlockTierOptions opts_;
  CodeBuffer buf_;
  std::vector<void *> externals_; // kExternals' addresses; null: missing
  std::vector<std::pair<std::string_view, const Stencil *>> byName_;
  // Per op and rd == 0: the stencil, then its forwarded variants.
  // Per op: the stencil, for rd != 0 and rd == 0, then its forwarded
  // variants; a branch's split stencils.
  std::vector<std::array<std::array<const Stencil *, 4>, 2>> insn_;
  const Stencil *entry_ = nullptr, *return_ = nullptr, *count_ = nullptr,
                *setpc_ = nullptr, *goto_ = nullptr, *ibtc_ = nullptr,
                *countRun_ = nullptr,
                *push_ = nullptr, *returnProbe_ = nullptr,
                *faultStub_ = nullptr, *misalignedStub_ = nullptr;
  std::vector<std::array<const Stencil *, 4>> split_; // branches only
  // See shapedKey; with the register holes the stencil refers to.
  std::unordered_map<uint64_t, std::pair<const Stencil *, uint8_t>> shaped_;
  uint64_t shared_ = 0;
  std::vector<uint64_t> veneers_;
  std::vector<Piece> pieces_;
  // What each segment of the buffer holds: the blocks translated there
  // ({pc, entry}) and their execution counts (at stable addresses).
  struct Segment {
    std::vector<std::pair<uint64_t, uint64_t>> blocks;
    std::deque<uint64_t> counters;
  };
  Segment segments_[CodeBuffer::kMaxSegments];
  std::unordered_map<uint64_t, uint64_t> current_;     // pc -> its entry here
  std::unordered_map<uint64_t, uint64_t *> counterOf_; // pc -> its counter
  // Every block in the buffer, current or not (entry -> its counter, or
  // null, and its size): what revive() may make current again. Those
  // that are not current are dead code to the buffer.
  struct Made {
    uint64_t *counter;
    uint64_t size;
    bool dead;
  };
  std::unordered_map<uint64_t, Made> made_;
  uint64_t gotoSlot_ = 0; // offset of the patch slot in xlat_glue_goto
  // Guest pc -> goto slots (executable addresses) that wait for its
  // template translation, and those that jump to it, in the cache
  // generation pendingGeneration_.
  std::unordered_map<uint64_t, std::vector<uint64_t>> pendingGotos_, linked_;
  uint64_t pendingGeneration_ = 0;
  // Per stencil (by index in kStencils): whether it has a fault
  // (misaligned-atomic) continuation, which gets a stub.
  static constexpr uint8_t kFaultStub = 1, kMisalignedStub = 2;
  std::vector<uint8_t> stubs_;
  uint8_t stubsOf(const Stencil *st) const { return stubs_[st - kStencils]; }
  std::vector<HostPcMap::Range> ranges_; // the block's, for the pc map
  std::unique_ptr<Disassembler> disasm_;
};

} // namespace

std::unique_ptr<BlockTier> createTemplateTier(const BlockTierOptions &opts,
                                              std::string &err) {
  auto make = [&](auto t) -> std::unique_ptr<BlockTier> {
    if (!t->init(err))
      return nullptr;
    return t;
  };
  if (opts.isa == GuestIsa::Aarch64)
    return make(std::make_unique<TemplateTier<A64Template>>(opts));
  return make(std::make_unique<TemplateTier<RvTemplate>>(opts));
}

} // namespace xlat::jit
