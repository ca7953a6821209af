#include "jit/block_tier.h"

#include "jit/host_pc_map.h"
#include "jit/perf_map.h"
#include "jit/ir_pipeline.h"
#include "lifter/core/log.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"
#include "lifter/riscv/lift.h"

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/Orc/ObjectTransformLayer.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/MCContext.h>
#include <llvm/Support/SmallVectorMemoryBuffer.h>
#include <llvm/IR/Module.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <chrono>
#include <deque>
#include <cstddef>
#include <cstdio>
#include <cstring>

using namespace llvm;
using namespace llvm::orc;

namespace xlat::jit {
namespace {

uint64_t textBytes(const MemoryBuffer &obj) {
  auto file = object::ObjectFile::createObjectFile(obj.getMemBufferRef());
  if (!file) {
    consumeError(file.takeError());
    return 0;
  }
  uint64_t n = 0;
  for (const object::SectionRef &sec : (*file)->sections())
    if (sec.isText())
      n += sec.getSize();
  return n;
}

// Compiles modules to objects with one codegen pass pipeline, built once.
// ORC's SimpleCompiler builds the legacy codegen pipeline for every module,
// which costs several times more than compiling one block; the pipeline can
// be run again on the next module (AsmPrinter and MachineModuleInfo reset
// themselves in doFinalization/doInitialization, as llc -run-twice relies on).
class ReusedPipelineCompiler final : public IRCompileLayer::IRCompiler {
public:
  static Expected<std::unique_ptr<ReusedPipelineCompiler>>
  create(JITTargetMachineBuilder jtmb) {
    auto tm = jtmb.createTargetMachine();
    if (!tm)
      return tm.takeError();
    std::unique_ptr<ReusedPipelineCompiler> c(new ReusedPipelineCompiler(std::move(*tm)));
    MCContext *ctx = nullptr;
    if (c->tm_->addPassesToEmitMC(c->pm_, ctx, c->os_))
      return make_error<StringError>("target cannot emit machine code",
                                     inconvertibleErrorCode());
    return std::move(c);
  }

  Expected<std::unique_ptr<MemoryBuffer>> operator()(Module &m) override {
    buf_.clear();
    pm_.run(m);
    return std::make_unique<SmallVectorMemoryBuffer>(
        std::move(buf_), m.getModuleIdentifier() + "-object", false);
  }

private:
  explicit ReusedPipelineCompiler(std::unique_ptr<TargetMachine> tm)
      : IRCompiler(irManglingOptionsFromTargetOptions(tm->Options)),
        tm_(std::move(tm)), os_(buf_) {}

  std::unique_ptr<TargetMachine> tm_;
  legacy::PassManager pm_;
  SmallVector<char, 0> buf_;
  raw_svector_ostream os_;
};

// Reads the .xlat_pcmap section of each linked object (the memory
// lowering's {host address of an access, guest pc} pairs, relocated) into
// the process's HostPcMap, before the code can run.
class PcMapPlugin final : public ObjectLinkingLayer::Plugin {
public:
  static constexpr const char *kSection = ".xlat_pcmap";

  void modifyPassConfig(MaterializationResponsibility &, jitlink::LinkGraph &,
                        jitlink::PassConfiguration &config) override {
    // Nothing refers to the table: keep it from being dead-stripped.
    config.PrePrunePasses.push_back([](jitlink::LinkGraph &g) -> Error {
      if (jitlink::Section *sec = g.findSectionByName(kSection))
        for (jitlink::Block *b : sec->blocks())
          g.addAnonymousSymbol(*b, 0, b->getSize(), false, true);
      return Error::success();
    });
    config.PostFixupPasses.push_back([](jitlink::LinkGraph &g) -> Error {
      jitlink::Section *sec = g.findSectionByName(kSection);
      if (!sec)
        return Error::success();
      std::vector<std::pair<uint64_t, uint64_t>> entries;
      for (jitlink::Block *b : sec->blocks()) {
        ArrayRef<char> bytes = b->getContent();
        for (size_t i = 0; i + 16 <= bytes.size(); i += 16) {
          uint64_t host, guest;
          memcpy(&host, bytes.data() + i, 8);
          memcpy(&guest, bytes.data() + i + 8, 8);
          entries.push_back({host, guest});
        }
      }
      HostPcMap::instance().addExact(entries);
      return Error::success();
    });
    if (PerfMap::instance().enabled())
      config.PostFixupPasses.push_back([](jitlink::LinkGraph &g) -> Error {
        for (jitlink::Symbol *sym : g.defined_symbols())
          if (sym->hasName() && sym->getSize() &&
              (sym->getBlock().getSection().getMemProt() & MemProt::Exec) !=
                  MemProt::None)
            PerfMap::instance().add(sym->getAddress().getValue(),
                                    sym->getSize(), sym->getName().str());
        // The out-of-line fault paths of the accesses, under one name.
        if (jitlink::Section *cold = g.findSectionByName(".text.xlat_cold"))
          for (jitlink::Block *b : cold->blocks())
            PerfMap::instance().add(b->getAddress().getValue(), b->getSize(),
                                    "xlat_fault_paths");
        return Error::success();
      });
  }
  Error notifyFailed(MaterializationResponsibility &) override {
    return Error::success();
  }
  Error notifyRemovingResources(JITDylib &, ResourceKey) override {
    return Error::success();
  }
  void notifyTransferringResources(JITDylib &, ResourceKey, ResourceKey) override {}
};

class LlvmBlockTier final : public BlockTier {
public:
  explicit LlvmBlockTier(const BlockTierOptions &opts)
      : opts_(opts), tsc_(std::make_unique<LLVMContext>()) {}

  bool init(std::string &err) {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    InitializeNativeTargetAsmParser(); // the semantics use inline asm (MXCSR)
    auto jtmb = JITTargetMachineBuilder::detectHost();
    if (!jtmb) {
      err = toString(jtmb.takeError());
      return false;
    }
    jtmb->setCodeGenOptLevel(static_cast<CodeGenOptLevel>(opts_.codegenOpt));
    if (opts_.logOutAsm) {
      auto tm = jtmb->createTargetMachine();
      if (!tm) {
        err = toString(tm.takeError());
        return false;
      }
      asmTm_ = std::move(*tm);
    }
    auto jit =
        LLJITBuilder()
            .setJITTargetMachineBuilder(*jtmb)
            .setCompileFunctionCreator(
                [](JITTargetMachineBuilder jtmb)
                    -> Expected<std::unique_ptr<IRCompileLayer::IRCompiler>> {
                  auto c = ReusedPipelineCompiler::create(std::move(jtmb));
                  if (!c)
                    return c.takeError();
                  return std::unique_ptr<IRCompileLayer::IRCompiler>(std::move(*c));
                })
            .create();
    if (!jit) {
      err = toString(jit.takeError());
      return false;
    }
    jit_ = std::move(*jit);
    auto *linker = dyn_cast<ObjectLinkingLayer>(&jit_->getObjLinkingLayer());
    if (!linker) {
      err = "the LLVM JIT does not link with JITLink";
      return false;
    }
    linker->addPlugin(std::make_unique<PcMapPlugin>());
    // Translated code calls the runner's xlat_* helpers and libm by name.
    auto gen = DynamicLibrarySearchGenerator::GetForCurrentProcess(
        jit_->getDataLayout().getGlobalPrefix());
    if (!gen) {
      err = toString(gen.takeError());
      return false;
    }
    jit_->getMainJITDylib().addGenerator(std::move(*gen));
    jit_->getObjTransformLayer().setTransform(
        [this](std::unique_ptr<MemoryBuffer> obj)
            -> Expected<std::unique_ptr<MemoryBuffer>> {
          lastHostBytes_ = textBytes(*obj);
          return std::move(obj);
        });

    lifter_ = rv::Lifter::create(
        *tsc_.getContext(),
        rv::userMemoryLowering(FaultCheck::InlineAsm),
        err);
    if (!lifter_)
      return false;
    lifter_->setCountBlocks(opts_.countBlocks);
    if (opts_.logInAsm)
      disasm_ = rv::Disassembler::create();
    return true;
  }

  BlockFn translate(uint64_t pc, CodeReader &code, CodeCache &cache,
                    TierStats &stats, std::string &err) override {
    return translateRegion({pc}, code, cache, stats, err);
  }

  BlockFn translateRegion(const std::vector<uint64_t> &pcs, CodeReader &code,
                          CodeCache &cache, TierStats &stats,
                          std::string &err) override {
    auto start = std::chrono::steady_clock::now();
    std::vector<rv::GuestBlock> blocks;
    for (uint64_t pc : pcs) {
      rv::GuestBlock block = rv::decodeBlock(code, pc, opts_.maxBlockInsns);
      if (block.insns.empty()) {
        if (blocks.empty()) {
          err = "fetch";
          return nullptr;
        }
        continue; // a later block's page went away: leave it out
      }
      if (opts_.logInAsm)
        rv::logGuestBlock(block, disasm_.get());
      blocks.push_back(std::move(block));
    }
    uint64_t pc = pcs.front();

    char name[48];
    snprintf(name, sizeof name, "rv_block_%llx_%llu", (unsigned long long)pc,
             (unsigned long long)serial_++);
    rv::Lifter::LinkCellFn linkCell;
    if (opts_.chain)
      linkCell = [&cache](uint64_t target) {
        return reinterpret_cast<uint64_t>(cache.linkCell(target));
      };
    uint64_t *counter = nullptr;
    if (opts_.hotThreshold)
      counter = &counters_.emplace_back(0);
    std::unique_ptr<Module> m =
        blocks.size() == 1
            ? lifter_->liftBlock(blocks.front(), name, linkCell,
                                 {reinterpret_cast<uint64_t>(counter),
                                  opts_.hotThreshold})
            : lifter_->liftRegion(blocks, name, linkCell);
    auto lifted = std::chrono::steady_clock::now();
    pipeline_.run(*m);
    auto optimized = std::chrono::steady_clock::now();
    if (opts_.logIr) {
      std::string text;
      raw_string_ostream os(text);
      m->print(os, nullptr);
      log().printf("IR for block 0x%llx:\n%s\n", (unsigned long long)pc,
                   text.c_str());
    }
    if (opts_.logOutAsm)
      logHostCode(*m, pc);

    if (Error e = jit_->addIRModule(ThreadSafeModule(std::move(m), tsc_))) {
      err = toString(std::move(e));
      return nullptr;
    }
    auto sym = jit_->lookup(name);
    if (!sym) {
      err = toString(sym.takeError());
      return nullptr;
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
    for (const rv::GuestBlock &block : blocks) {
      stats.guestInsnsTranslated += block.insns.size();
      stats.guestBytesTranslated += block.endPc - block.pc;
      if ((block.pc >> 12) != ((block.endPc - 1) >> 12))
        stats.crossPageBlocks++;
    }
    stats.hostBytesEmitted += lastHostBytes_;
    stats.translateNanos +=
        std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
    return sym->toPtr<BlockFn>();
  }

private:

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
  ThreadSafeContext tsc_;
  std::unique_ptr<LLJIT> jit_;
  std::unique_ptr<TargetMachine> asmTm_;
  std::unique_ptr<rv::Lifter> lifter_;
  BlockPipeline pipeline_;
  std::unique_ptr<rv::Disassembler> disasm_;
  uint64_t serial_ = 0;
  std::deque<uint64_t> counters_; // execution counts, at stable addresses
  uint64_t lastHostBytes_ = 0;
};

} // namespace

std::unique_ptr<BlockTier> BlockTier::create(const BlockTierOptions &opts,
                                             std::string &err) {
  auto t = std::make_unique<LlvmBlockTier>(opts);
  if (!t->init(err))
    return nullptr;
  return t;
}

} // namespace xlat::jit
