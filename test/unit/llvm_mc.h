// LLVM's MC layer for one target: the oracle the guest decoders' tests
// compare with. The caller initialises the target (LLVMInitialize*Target
// Info, *TargetMC, *Disassembler) first.
#pragma once

#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <string>

namespace xlat::test {

struct LlvmMc {
  LlvmMc(const std::string &triple, const std::string &cpu, const std::string &features) {
    std::string err;
    target = llvm::TargetRegistry::lookupTarget(triple, err);
    if (!target)
      return;
    mri.reset(target->createMCRegInfo(triple));
    llvm::MCTargetOptions opts;
    mai.reset(target->createMCAsmInfo(*mri, triple, opts));
    sti.reset(target->createMCSubtargetInfo(triple, cpu, features));
    mii.reset(target->createMCInstrInfo());
    ctx = std::make_unique<llvm::MCContext>(llvm::Triple(triple), mai.get(), mri.get(),
                                            sti.get());
    disasm.reset(target->createMCDisassembler(*sti, *ctx));
  }

  // Decodes the low `len` bytes of `word` (little-endian) into inst: LLVM's
  // status, and in size how many bytes the instruction took.
  llvm::MCDisassembler::DecodeStatus decode(uint32_t word, unsigned len, llvm::MCInst &inst,
                                            uint64_t &size) const {
    uint8_t bytes[4] = {uint8_t(word), uint8_t(word >> 8), uint8_t(word >> 16),
                        uint8_t(word >> 24)};
    return disasm->getInstruction(inst, size, llvm::ArrayRef<uint8_t>(bytes, len), 0,
                                  llvm::nulls());
  }

  const llvm::Target *target = nullptr;
  std::unique_ptr<llvm::MCRegisterInfo> mri;
  std::unique_ptr<llvm::MCAsmInfo> mai;
  std::unique_ptr<llvm::MCSubtargetInfo> sti;
  std::unique_ptr<llvm::MCInstrInfo> mii;
  std::unique_ptr<llvm::MCContext> ctx;
  std::unique_ptr<llvm::MCDisassembler> disasm;
};

} // namespace xlat::test
