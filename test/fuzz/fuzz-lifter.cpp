// libFuzzer target: random bytes as guest code, through the decoder, the
// lifter and the block tier's IR pipeline. Whatever the bytes, every lifted
// module must pass the IR verifier, before and after the pipeline.
//
// Input: one control byte, then the code bytes.
//   bit 0     run the BlockPipeline on each block
//   bit 7     place the code just below 2^64 (pc wrap-around)
//   bits 1-6  the block size limit (1 + value)
#include "jit/ir_pipeline.h"
#include "lifter/core/code_reader.h"
#include "lifter/core/memory_lowering.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/lift.h"
#include "lifter/riscv/state.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

using namespace xlat;

// The input's code bytes at `base`; nothing else is readable.
class BytesCode final : public CodeReader {
public:
  BytesCode(uint64_t base, const uint8_t *p, size_t n)
      : base_(base), p_(p), n_(n) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    uint64_t off = addr - base_;
    if (addr < base_ || off > n_ || n > n_ - off)
      return false;
    memcpy(dst, p_ + off, n);
    return true;
  }

private:
  uint64_t base_;
  const uint8_t *p_;
  size_t n_;
};

// One lifter and pipeline, rebuilt every kInputsPerContext inputs: an
// LLVMContext keeps every constant it ever saw, and random immediates would
// otherwise grow it without bound.
struct LiftEnv {
  static constexpr unsigned kInputsPerContext = 4000;
  std::unique_ptr<llvm::LLVMContext> ctx;
  std::unique_ptr<rv::Lifter> lifter;
  std::unique_ptr<jit::BlockPipeline> pipeline;
  unsigned uses = 0;

  void refresh() {
    if (lifter && uses++ < kInputsPerContext)
      return;
    uses = 0;
    pipeline.reset();
    lifter.reset();
    ctx = std::make_unique<llvm::LLVMContext>();
    std::string err;
    lifter = rv::Lifter::create(
        *ctx,
        rv::userMemoryLowering(FaultCheck::InlineAsm),
        err);
    if (!lifter) {
      fprintf(stderr, "fuzz-lifter: %s\n", err.c_str());
      abort();
    }
    pipeline = std::make_unique<jit::BlockPipeline>(rv::fpRegisterFile());
  }
};

void verifyOrDie(const llvm::Module &m, const char *when) {
  std::string msg;
  llvm::raw_string_ostream os(msg);
  if (!llvm::verifyModule(m, &os))
    return;
  fprintf(stderr, "fuzz-lifter: invalid IR %s:\n%s\n", when, msg.c_str());
  m.print(llvm::errs(), nullptr);
  abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static LiftEnv env;
  if (size < 2)
    return -1;
  uint8_t ctl = data[0];
  bool optimize = ctl & 1;
  unsigned maxInsns = 1 + ((ctl >> 1) & 63);
  uint64_t base = ctl & 0x80 ? (0 - (uint64_t)(size - 1)) & ~1ull : 0x10000;
  BytesCode code(base, data + 1, size - 1);
  env.refresh();

  // Blocks one after another, as far as the bytes decode.
  uint64_t pc = base;
  for (unsigned blocks = 0; blocks < 64; ++blocks) {
    rv::GuestBlock b = rv::decodeBlock(code, pc, maxInsns);
    if (b.insns.empty())
      break;
    if (b.endPc - b.pc > size || b.insns.size() > maxInsns) {
      fprintf(stderr, "fuzz-lifter: bad block extent\n");
      abort();
    }
    std::unique_ptr<llvm::Module> m = env.lifter->liftBlock(b, "fuzz_block");
    if (!m) {
      fprintf(stderr, "fuzz-lifter: liftBlock returned no module\n");
      abort();
    }
    verifyOrDie(*m, "after lifting");
    if (optimize) {
      env.pipeline->run(*m);
      verifyOrDie(*m, "after the block pipeline");
    }
    if (b.endPc <= pc)
      break; // wrapped past 2^64
    pc = b.endPc;
  }
  return 0;
}
