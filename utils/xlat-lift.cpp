// xlat-lift: shows what the lifter makes of guest code. The tool the lifter's
// lit tests drive.
//
//   xlat-lift --hex "93 02 10 00 ..." [--pc ADDR]   lift bytes as one block
//   xlat-lift --elf FILE --sym NAME                 lift each block of a symbol
//   xlat-lift --elf FILE --range START:END          ... of an address range
// Output: optimized LLVM IR (default), --no-opt for the IR as lifted,
// --asm for host assembly, --disasm for the guest instructions only.
// --isa=aarch64 lifts A64 code (the default is riscv64; an ELF file says
// its own).
#include "jit/ir_pipeline.h"
#include "lifter/aarch64/lift.h"
#include "lifter/core/memory_lowering.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"
#include "lifter/riscv/lift.h"
#include "lifter/riscv/state.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

using namespace llvm;

namespace {

[[noreturn]] void fail(const std::string &msg) {
  fprintf(stderr, "xlat-lift: %s\n", msg.c_str());
  exit(1);
}

// Guest code from a byte buffer mapped at `base`.
class BufferCode final : public xlat::CodeReader {
public:
  BufferCode(uint64_t base, std::vector<uint8_t> bytes)
      : base_(base), bytes_(std::move(bytes)) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    if (addr < base_ || addr - base_ + n > bytes_.size())
      return false;
    memcpy(dst, bytes_.data() + (addr - base_), n);
    return true;
  }
  uint64_t begin() const { return base_; }
  uint64_t end() const { return base_ + bytes_.size(); }

private:
  uint64_t base_;
  std::vector<uint8_t> bytes_;
};

std::vector<uint8_t> parseHex(const std::string &text) {
  std::vector<uint8_t> out;
  std::string digits;
  for (char c : text) {
    if (isxdigit((unsigned char)c))
      digits += c;
    else if (c != ' ' && c != ',' && c != '\n' && c != '\t')
      fail(std::string("bad character '") + c + "' in --hex");
  }
  if (digits.size() % 2)
    fail("--hex needs whole bytes");
  for (size_t i = 0; i < digits.size(); i += 2)
    out.push_back((uint8_t)strtoul(digits.substr(i, 2).c_str(), nullptr, 16));
  return out;
}

// An object file and the buffer it reads from.
struct ObjectFileOf {
  std::unique_ptr<MemoryBuffer> buf;
  std::unique_ptr<object::ObjectFile> obj;
};
ObjectFileOf openObject(const std::string &path) {
  auto buf = MemoryBuffer::getFile(path);
  if (!buf)
    fail("cannot open '" + path + "': " + buf.getError().message());
  auto obj = object::ObjectFile::createObjectFile((*buf)->getMemBufferRef());
  if (!obj)
    fail(path + ": " + toString(obj.takeError()));
  return {std::move(*buf), std::move(*obj)};
}

// Reads the bytes of [start, end) from the section of an ELF file that holds
// them.
BufferCode rangeCode(const std::string &path, uint64_t start, uint64_t end) {
  ObjectFileOf file = openObject(path);
  auto &obj = file.obj;
  if (end <= start)
    fail("--range needs START < END");
  for (const object::SectionRef &sec : obj->sections()) {
    uint64_t a = sec.getAddress();
    if (!sec.isText() || start < a || end > a + sec.getSize())
      continue;
    auto contents = sec.getContents();
    if (!contents)
      fail(toString(contents.takeError()));
    auto *p = reinterpret_cast<const uint8_t *>(contents->data()) + (start - a);
    return BufferCode(start, std::vector<uint8_t>(p, p + (end - start)));
  }
  fail("no code section of " + path + " holds the range");
}

// Reads the bytes of symbol `sym` from an ELF file.
BufferCode symbolCode(const std::string &path, const std::string &sym) {
  ObjectFileOf file = openObject(path);
  auto &obj = file.obj;
  for (const object::SymbolRef &s : obj->symbols()) {
    auto name = s.getName();
    if (!name || *name != sym)
      continue;
    auto addr = s.getAddress();
    auto sec = s.getSection();
    if (!addr || !sec || *sec == obj->section_end())
      fail("symbol '" + sym + "' has no code");
    uint64_t size = object::ELFSymbolRef(s).getSize();
    auto contents = (*sec)->getContents();
    if (!contents)
      fail(toString(contents.takeError()));
    uint64_t off = *addr - (*sec)->getAddress();
    if (off + size > contents->size())
      fail("symbol '" + sym + "' lies outside its section");
    auto *p = reinterpret_cast<const uint8_t *>(contents->data()) + off;
    return BufferCode(*addr, std::vector<uint8_t>(p, p + size));
  }
  fail("no symbol '" + sym + "' in " + path);
}

void printHostAsm(Module &m) {
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  InitializeNativeTargetAsmParser();
  std::string err;
  std::string triple = sys::getProcessTriple();
  const Target *t = TargetRegistry::lookupTarget(triple, err);
  if (!t)
    fail(err);
  std::unique_ptr<TargetMachine> tm(t->createTargetMachine(
      triple, sys::getHostCPUName(), "", TargetOptions(), std::nullopt));
  m.setDataLayout(tm->createDataLayout());
  legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, outs(), nullptr, CodeGenFileType::AssemblyFile))
    fail("cannot emit host assembly");
  pm.run(m);
}

struct Options {
  bool opt = true, asmOut = false, disasmOnly = false, chain = false;
  unsigned maxInsns = 64;
  bool region = false;        // all the blocks as one region, as adaptive makes them
  bool pcIndependent = false; // as xlat-aot lifts a program's code (RISC-V)
  uint64_t hotThreshold = 0;
};

uint16_t elfMachine(const std::string &path) {
  ObjectFileOf file = openObject(path);
  auto &obj = file.obj;
  auto *elf = dyn_cast<object::ELFObjectFileBase>(obj.get());
  return elf ? elf->getEMachine() : 0;
}

template <class G> int lift(const Options &o, BufferCode &code) {
  constexpr bool kRiscv = std::is_same_v<G, xlat::rv::RvLifting>;
  using Block = typename G::Block;
  const unsigned maxInsns = o.maxInsns;
  const bool chain = o.chain, pcIndependent = kRiscv && o.pcIndependent;
  LLVMContext ctx;
  std::string err;
  std::unique_ptr<xlat::BasicLifter<G>> lifter;
  if constexpr (kRiscv)
    lifter = xlat::BasicLifter<G>::create(
        ctx, xlat::rv::userMemoryLowering(xlat::FaultCheck::InlineAsm), err);
  else
    lifter = xlat::BasicLifter<G>::create(
        ctx, xlat::a64::userMemoryLowering(xlat::FaultCheck::InlineAsm), err);
  if (!lifter)
    fail(err);
  auto disasm = xlat::Disassembler::create(kRiscv ? xlat::GuestIsa::Riscv64
                                                  : xlat::GuestIsa::Aarch64);
  xlat::jit::BlockPipeline pipeline{kRiscv ? std::optional(xlat::rv::fpRegisterFile())
                                           : std::nullopt};
  const char *prefix = kRiscv ? "rv" : "a64";
  auto decode = [&](uint64_t at) {
    if constexpr (kRiscv)
      return xlat::rv::decodeBlock(code, at, maxInsns);
    else
      return xlat::a64::decodeBlock(code, at, maxInsns);
  };

  // --chain: link cells at made-up addresses 0x7000, 0x7008, ... (from
  // 0x7000 again for each function) in the order the lifter asks for them,
  // to show the chaining code.
  uint64_t nextCell = 0x7000;
  auto cellsFn = [&]() -> typename xlat::BasicLifter<G>::LinkCellFn {
    nextCell = 0x7000;
    if (!chain)
      return {};
    if (pcIndependent)
      return [](uint64_t) { return uint64_t(1); }; // cells by name
    return [&nextCell](uint64_t) { return (nextCell += 8) - 8; };
  };
  auto print = [&](std::unique_ptr<Module> m) {
    if (o.opt)
      pipeline.run(*m);
    if (o.asmOut)
      printHostAsm(*m);
    else
      m->print(outs(), nullptr);
  };

  // As the runners do (jit/block_tier.cpp): frflags whose register is dead.
  auto markDeadFflags = [&](std::vector<Block> &blocks) {
    if constexpr (kRiscv)
      xlat::rv::markDeadFflagsReads(blocks, [&](uint64_t at, Block &b) {
        b = decode(at);
        return !b.insns.empty();
      });
  };

  // --pc-independent: as xlat-aot lifts a program's code (jit/block_tier.cpp):
  // pcs relative to the lowest block, pc-relative values and cells by name.
  std::vector<xlat::PcValue> values;
  auto independent = [&](const std::vector<Block> &blocks) {
    if constexpr (kRiscv) {
    if (!pcIndependent)
      return;
    uint64_t lowest = xlat::rv::pcIndependentBase(blocks);
    values = xlat::rv::pcValues(blocks);
    for (size_t k = 0; k < values.size(); k++)
      outs() << "; pc value " << k << ": 0x" << Twine::utohexstr(values[k].pc) << " "
             << (values[k].kind == xlat::rv::PcValue::Auipc  ? "auipc"
                 : values[k].kind == xlat::rv::PcValue::Jump ? "jump"
                                                             : "pcrel_lo")
             << " = 0x" << Twine::utohexstr(values[k].value) << "\n";
    lifter->setModuleBase(lowest);
    lifter->setPcValues(&values);
    lifter->setSymbolicCells(true);
    }
  };

  // --region: every block of the bytes, in one function.
  if (o.region) {
    std::vector<Block> blocks;
    for (uint64_t at = code.begin(); at < code.end();) {
      Block b = decode(at);
      if (b.insns.empty())
        break;
      at = b.endPc;
      blocks.push_back(std::move(b));
    }
    if (blocks.empty())
      fail("no block to lift");
    markDeadFflags(blocks);
    independent(blocks);
    print(lifter->liftRegion(
        blocks, prefix + ("_region_" + Twine::utohexstr(blocks.front().pc).str()),
        cellsFn()));
    return 0;
  }

  // Blocks one after another until the bytes run out.
  for (uint64_t at = code.begin(); at < code.end();) {
    Block b = decode(at);
    if (b.insns.empty())
      break;
    outs() << "; block 0x" << Twine::utohexstr(b.pc) << "\n";
    for (const auto &in : b.insns)
      outs() << ";   0x" << Twine::utohexstr(in.pc) << ": "
             << (disasm ? disasm->disassemble(in.pc, in.raw, unsigned(G::next(in) - in.pc))
                        : std::string(mnemonic(in.op)))
             << "\n";
    if (!o.disasmOnly) {
      // --hot-threshold: an execution counter at the made-up address 0x6000.
      xlat::BlockHotCounter counter;
      if (o.hotThreshold)
        counter = {0x6000, o.hotThreshold};
      std::vector<Block> one{b};
      markDeadFflags(one);
      independent(one);
      print(lifter->liftBlock(one[0], prefix + ("_block_" + Twine::utohexstr(b.pc).str()),
                              cellsFn(), counter));
    }
    at = b.endPc;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string hex, elf, sym, range, isa;
  uint64_t pc = 0x10000;
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        fail("option '" + a + "' needs an argument");
      return argv[++i];
    };
    if (a == "--hex") hex = value();
    else if (a == "--elf") elf = value();
    else if (a == "--sym") sym = value();
    else if (a == "--range") range = value();
    else if (a == "--pc") pc = strtoull(value().c_str(), nullptr, 0);
    else if (a == "--max-insns") o.maxInsns = (unsigned)strtoul(value().c_str(), nullptr, 0);
    else if (a == "--no-opt") o.opt = false;
    else if (a == "--asm") o.asmOut = true;
    else if (a == "--disasm") o.disasmOnly = true;
    else if (a == "--chain") o.chain = true;
    else if (a == "--hot-threshold") o.hotThreshold = strtoull(value().c_str(), nullptr, 0);
    else if (a == "--region") o.region = true;
    else if (a == "--pc-independent") o.pcIndependent = true;
    else if (a.rfind("--isa=", 0) == 0) isa = a.substr(6);
    else if (a == "-h" || a == "--help") {
      puts("usage: xlat-lift (--hex BYTES [--pc ADDR] | --elf FILE (--sym NAME |\n"
           "                  --range START:END))\n"
           "                 [--no-opt] [--asm] [--disasm] [--chain] [--max-insns N]\n"
           "                 [--hot-threshold N] [--region] [--pc-independent]\n"
           "                 [--isa=riscv64|aarch64]");
      return 0;
    } else
      fail("unknown option '" + a + "'");
  }
  if (hex.empty() == elf.empty())
    fail("give either --hex BYTES or --elf FILE --sym NAME");
  if (!elf.empty() && sym.empty() == range.empty())
    fail("--elf needs --sym NAME or --range START:END");

  auto rangeOf = [&]() {
    size_t colon = range.find(':');
    if (colon == std::string::npos)
      fail("--range takes START:END");
    return rangeCode(elf, strtoull(range.substr(0, colon).c_str(), nullptr, 0),
                     strtoull(range.substr(colon + 1).c_str(), nullptr, 0));
  };
  BufferCode code = !hex.empty()   ? BufferCode(pc, parseHex(hex))
                    : sym.empty() ? rangeOf()
                                  : symbolCode(elf, sym);
  if (code.begin() == code.end())
    fail("no bytes to lift");
  if (isa.empty() && !elf.empty())
    isa = elfMachine(elf) == ELF::EM_AARCH64 ? "aarch64" : "riscv64";
  if (isa == "aarch64")
    return lift<xlat::a64::A64Lifting>(o, code);
  if (isa.empty() || isa == "riscv64")
    return lift<xlat::rv::RvLifting>(o, code);
  fail("unknown --isa '" + isa + "' (riscv64 or aarch64)");
}

