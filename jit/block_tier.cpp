#include "jit/block_tier.h"

#include "jit/code_object.h"
#include "jit/ir_pipeline.h"
#include "jit/object_import.h"
#include "lifter/aarch64/lift.h"
#include "lifter/core/log.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"
#include "lifter/riscv/lift.h"
#include "lifter/riscv/pc_values.h"

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/MCContext.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <algorithm>
#include <chrono>
#include <type_traits>
#include <mutex>
#include <deque>
#include <unordered_map>
#include <cstddef>
#include <cstdio>
#include <cstring>

using namespace llvm;
using namespace llvm::orc;

namespace xlat::jit {
namespace {

// Compiles modules to objects with one codegen pass pipeline, built once.
// ORC's SimpleCompiler builds the legacy codegen pipeline for every module,
// which costs several times more than compiling one block; the pipeline can
// be run again on the next module (AsmPrinter and MachineModuleInfo reset
// themselves in doFinalization/doInitialization, as llc -run-twice relies on).
class ReusedPipelineCompiler {
public:
  static std::unique_ptr<ReusedPipelineCompiler>
  create(std::unique_ptr<TargetMachine> tm, std::string &err) {
    std::unique_ptr<ReusedPipelineCompiler> c(new ReusedPipelineCompiler(std::move(tm)));
    MCContext *ctx = nullptr;
    if (c->tm_->addPassesToEmitMC(c->pm_, ctx, c->os_)) {
      err = "the target cannot emit machine code";
      return nullptr;
    }
    return c;
  }

  // The object file; valid until the next call.
  MemoryBufferRef compile(Module &m) {
    buf_.clear();
    pm_.run(m);
    return MemoryBufferRef(StringRef(buf_.data(), buf_.size()), "translation");
  }

private:
  explicit ReusedPipelineCompiler(std::unique_ptr<TargetMachine> tm)
      : tm_(std::move(tm)), os_(buf_) {}

  std::unique_ptr<TargetMachine> tm_;
  legacy::PassManager pm_;
  SmallVector<char, 0> buf_;
  raw_svector_ostream os_;
};

// The tier for the guest ISA whose Guest (lifter/core/lifter.h) is G.
template <class G> class LlvmBlockTier final : public BlockTier {
public:
  using GuestBlock = typename G::Block;
  using Insn = typename G::Insn;
  static constexpr bool kRiscv = std::is_same_v<G, rv::RvLifting>;

  explicit LlvmBlockTier(const BlockTierOptions &opts)
      : opts_(opts), pipeline_(kRiscv ? std::optional(rv::fpRegisterFile()) : std::nullopt) {}

  bool init(std::string &err) {
    // Registering a target is not thread-safe, and xlat-aot sets up one
    // tier per thread: registered twice at once, x86-64 was on LLVM's list
    // twice ("cannot choose between targets"), or the list went round in
    // a cycle and target lookups never ended.
    static std::once_flag targets;
    std::call_once(targets, [] {
      InitializeNativeTarget();
      InitializeNativeTargetAsmPrinter();
      InitializeNativeTargetAsmParser(); // the semantics use inline asm (MXCSR)
    });
    auto jtmb = JITTargetMachineBuilder::detectHost();
    if (!jtmb) {
      err = toString(jtmb.takeError());
      return false;
    }
    jtmb->setCodeGenOptLevel(static_cast<CodeGenOptLevel>(opts_.codegenOpt));
    // The code is installed anywhere in the address space, away from the
    // runtime, its link cells and its constants: every address is a
    // 64-bit relocation (code_object.h), which is also what lets the
    // translation cache store it.
    jtmb->setCodeModel(CodeModel::Large);
    jtmb->setRelocationModel(Reloc::Static);
    auto tm = jtmb->createTargetMachine();
    if (!tm) {
      err = toString(tm.takeError());
      return false;
    }
    dataLayout_ = (*tm)->createDataLayout();
    triple_ = (*tm)->getTargetTriple().str();
    if (opts_.logOutAsm) {
      auto asmTm = jtmb->createTargetMachine();
      if (!asmTm) {
        err = toString(asmTm.takeError());
        return false;
      }
      asmTm_ = std::move(*asmTm);
    }
    compiler_ = ReusedPipelineCompiler::create(std::move(*tm), err);
    if (!compiler_)
      return false;
    installer_ = opts_.installer;
    if (!installer_) {
      ownInstaller_ = std::make_unique<CodeInstaller>();
      if (!ownInstaller_->init(err, opts_.codeBufferBytes))
        return false;
      installer_ = ownInstaller_.get();
    }

    // Names of instructions and arguments cost time in every pass that
    // makes or moves values (2.5% of a region's compile); only -d op shows
    // them.
    ctx_.setDiscardValueNames(!opts_.logIr);
    std::unique_ptr<MemoryLowering> mem;
    if constexpr (kRiscv)
      mem = opts_.softmmu ? rv::softMmuLowering(SoftTlbFrom::State)
                          : rv::userMemoryLowering(FaultCheck::InlineAsm);
    else
      mem = a64::userMemoryLowering(FaultCheck::InlineAsm);
    lifter_ = BasicLifter<G>::create(ctx_, std::move(mem), err);
    if (!lifter_)
      return false;
    lifter_->setCountBlocks(opts_.countBlocks);
    lifter_->setSymbolicCells(true);
    if (opts_.logInAsm)
      disasm_ = Disassembler::create(opts_.isa);
    return true;
  }

  BlockFn translate(uint64_t pc, CodeReader &code, CodeCache &cache,
                    TierStats &stats, std::string &err) override {
    return translateRegion({pc}, code, cache, stats, err);
  }

  BlockFn translateRegion(const std::vector<uint64_t> &pcs, CodeReader &code,
                          CodeCache &cache, TierStats &stats,
                          std::string &err) override {
    BlockFn fn = nullptr;
    return build(pcs, code, &cache, stats, err, &fn) ? fn : nullptr;
  }

  bool compileRegion(const std::vector<uint64_t> &pcs, CodeReader &code,
                     TierStats &stats, std::string &err) override {
    return build(pcs, code, nullptr, stats, err, nullptr);
  }

  bool afterFork(std::string &err) override {
    return !ownInstaller_ || ownInstaller_->afterFork(err);
  }

  // Counted blocks (hotThreshold): the count of pc's latest translation.
  uint64_t executions(uint64_t pc) const override {
    auto it = counterOf_.find(pc);
    return it == counterOf_.end() ? 0 : *it->second;
  }
  void rearm(uint64_t pc) override {
    if (auto it = counterOf_.find(pc); it != counterOf_.end())
      *it->second = 0;
  }

  // A shared installer is the runner's to evict from.
  size_t codeBytes() const override {
    return ownInstaller_ ? ownInstaller_->bytesInUse() : 0;
  }
  size_t peakCodeBytes() const override {
    return ownInstaller_ ? ownInstaller_->peakBytesInUse() : 0;
  }
  bool wantsEviction() const override {
    return ownInstaller_ && ownInstaller_->wantsEviction();
  }
  size_t evict(CodeCache &cache, std::vector<uint64_t> &dropped, uint64_t &lo,
               uint64_t &hi) override {
    lo = hi = 0;
    return ownInstaller_ ? ownInstaller_->evict(cache, dropped, lo, hi) : 0;
  }

private:
  // Lifts, optimizes and compiles the region at pcs; installs it (with its
  // link cells in `cache`) when `fn` is given, and hands it to onCompiled.
  bool build(const std::vector<uint64_t> &pcs, CodeReader &code,
             CodeCache *cache, TierStats &stats, std::string &err, BlockFn *fn) {
    auto start = std::chrono::steady_clock::now();
    std::vector<GuestBlock> blocks;
    for (uint64_t pc : pcs) {
      GuestBlock block = decode(code, pc);
      if (block.insns.empty()) {
        if (blocks.empty()) {
          err = "fetch";
          return false;
        }
        continue; // a later block's page went away: leave it out
      }
      if (opts_.logInAsm)
        logGuestBlock(block, disasm_.get());
      blocks.push_back(std::move(block));
    }
    // A frflags whose register is dead needs no read of the host's flags;
    // finding out may look at blocks past the region, whose bytes the
    // translation then depends on as on its own.
    std::vector<GuestBlock> lookedAt;
    if constexpr (kRiscv)
      lookedAt = rv::markDeadFflagsReads(blocks, [&](uint64_t at, GuestBlock &b) {
        b = decode(code, at);
        return !b.insns.empty();
      });
    uint64_t pc = pcs.front();

    char name[48];
    snprintf(name, sizeof name, "%s_block_%llx_%llu", kRiscv ? "rv" : "a64",
             (unsigned long long)pc, (unsigned long long)serial_++);
    typename BasicLifter<G>::LinkCellFn linkCell;
    // Cells are named in the code (setSymbolicCells): the installer makes
    // them; nonzero only says that the block chains.
    if (opts_.chain)
      linkCell = [](uint64_t) { return uint64_t(1); };
    uint64_t *counter = nullptr;
    if (opts_.hotThreshold && fn) {
      counter = &counters_.emplace_back(0);
      counterOf_[pc] = counter;
    }
    // Code that counts is this process's; other code in a module is made
    // for the module at any base.
    std::optional<uint64_t> moduleBase;
    GuestModuleSpan span;
    if (!counter && opts_.moduleOf && opts_.moduleOf(pc, span) &&
        std::all_of(blocks.begin(), blocks.end(), [&](const GuestBlock &b) {
          return b.pc >= span.start && b.endPc <= span.end;
        }))
      moduleBase = span.base;
    // The program's code, position-independent: relative to the region's
    // lowest block, its pc-relative immediates symbols.
    std::vector<PcValue> values;
    std::vector<uint8_t> identity;
    uint64_t lowest = 0;
    CodeObject pcIndependent;
    bool reused = false;
    bool independent = kRiscv && opts_.pcIndependentProgram && moduleBase == uint64_t(0);
    if constexpr (kRiscv)
      if (independent) {
        lowest = rv::pcIndependentBase(blocks);
        values = rv::pcValues(blocks);
        identity = rv::pcIndependentIdentity(blocks, lookedAt, values, lowest);
        reused = opts_.findShared && opts_.findShared(identity, pcIndependent);
      }
    auto lifted = std::chrono::steady_clock::now(), optimized = lifted;
    CodeObject obj;
    if (!reused) {
      lifter_->setModuleBase(independent ? std::optional<uint64_t>(lowest)
                             : moduleBase.value_or(0) ? moduleBase : std::nullopt);
      lifter_->setPcValues(independent ? &values : nullptr);
      std::unique_ptr<Module> m =
          blocks.size() == 1
              ? lifter_->liftBlock(blocks.front(), name, linkCell,
                                   {reinterpret_cast<uint64_t>(counter),
                                    opts_.hotThreshold})
              : lifter_->liftRegion(blocks, name, linkCell);
      lifter_->setPcValues(nullptr);
      lifted = std::chrono::steady_clock::now();
      pipeline_.run(*m);
      optimized = std::chrono::steady_clock::now();
      if (opts_.logIr) {
        std::string text;
        raw_string_ostream os(text);
        m->print(os, nullptr);
        log().printf("IR for block 0x%llx:\n%s\n", (unsigned long long)pc,
                     text.c_str());
      }
      if (opts_.logOutAsm)
        logHostCode(*m, pc);

      m->setDataLayout(dataLayout_);
      m->setTargetTriple(triple_);
      MemoryBufferRef elf = compiler_->compile(*m);
      if (!importObject(elf, name, independent ? pcIndependent : obj, err))
        return false;
    }
    if (independent) {
      std::vector<uint64_t> bound;
      for (const PcValue &v : values)
        bound.push_back(v.value);
      obj = pcIndependent;
      if (!bindPcValues(obj, lowest, bound, err))
        return false;
    }
    if (fn) {
      *fn = installer_->install(obj, moduleBase.value_or(0), *cache, name, pc, err);
      if (!*fn)
        return false;
    }
    if (!counter && opts_.onCompiled) {
      CompiledTranslation t;
      t.pc = pc;
      t.moduleBase = moduleBase;
      t.object = &obj;
      if (independent) {
        t.pcIndependent = &pcIndependent;
        t.identity = &identity;
        t.reused = reused;
      }
      for (const auto *from : {&blocks, &lookedAt})
        for (const GuestBlock &block : *from) {
          t.ranges.push_back({block.pc, uint32_t(block.endPc - block.pc)});
          for (const Insn &in : block.insns)
            for (unsigned i = 0; i < G::next(in) - in.pc; i++)
              t.guestBytes.push_back(uint8_t(in.raw >> (8 * i)));
        }
      opts_.onCompiled(t);
    }
    auto end = std::chrono::steady_clock::now();
    auto elapsed = end - start;
    auto ns = [](auto d) {
      return (uint64_t)std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    };
    stats.llvmLiftNanos += ns(lifted - start);
    stats.llvmOptNanos += ns(optimized - lifted);
    stats.llvmCodegenNanos += ns(end - optimized);
    stats.blocksTranslated++;
    if (blocks.size() > 1) {
      stats.regionsTranslated++;
      stats.regionBlocks += blocks.size();
    }
    for (const GuestBlock &block : blocks) {
      stats.guestInsnsTranslated += block.insns.size();
      stats.guestBytesTranslated += block.endPc - block.pc;
      if ((block.pc >> 12) != ((block.endPc - 1) >> 12))
        stats.crossPageBlocks++;
    }
    stats.hostBytesEmitted += obj.codeSize;
    stats.translateNanos +=
        std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
    return true;
  }

  GuestBlock decode(CodeReader &code, uint64_t pc) {
    if constexpr (kRiscv)
      return rv::decodeBlock(code, pc, opts_.maxBlockInsns, opts_.decodeFilter,
                             opts_.decodeFilterCtx);
    else
      return a64::decodeBlock(code, pc, opts_.maxBlockInsns);
  }

  void logHostCode(const Module &m, uint64_t pc) {
    std::unique_ptr<Module> copy = CloneModule(m);
    SmallString<4096> text;
    raw_svector_ostream os(text);
    legacy::PassManager pm;
    if (asmTm_->addPassesToEmitFile(pm, os, nullptr, CodeGenFileType::AssemblyFile))
      return;
    pm.run(*copy);
    log().printf("OUT: block 0x%llx\n%s\n", (unsigned long long)pc,
                 text.c_str());
  }

  BlockTierOptions opts_;
  LLVMContext ctx_;
  std::unique_ptr<ReusedPipelineCompiler> compiler_;
  DataLayout dataLayout_{""};
  std::string triple_;
  CodeInstaller *installer_ = nullptr;
  std::unique_ptr<CodeInstaller> ownInstaller_;
  std::unique_ptr<TargetMachine> asmTm_;
  std::unique_ptr<BasicLifter<G>> lifter_;
  BlockPipeline pipeline_;
  std::unique_ptr<Disassembler> disasm_;
  uint64_t serial_ = 0;
  std::deque<uint64_t> counters_; // execution counts, at stable addresses
  std::unordered_map<uint64_t, uint64_t *> counterOf_; // pc -> its count
};

} // namespace

std::unique_ptr<BlockTier> BlockTier::create(const BlockTierOptions &opts,
                                             std::string &err) {
  auto make = [&](auto t) -> std::unique_ptr<BlockTier> {
    if (!t->init(err))
      return nullptr;
    return t;
  };
  if (opts.isa == GuestIsa::Aarch64)
    return make(std::make_unique<LlvmBlockTier<a64::A64Lifting>>(opts));
  return make(std::make_unique<LlvmBlockTier<rv::RvLifting>>(opts));
}

} // namespace xlat::jit
