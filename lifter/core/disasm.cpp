#include "lifter/core/disasm.h"

#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstPrinter.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

using namespace llvm;

namespace xlat {
namespace {

class McDisassembler final : public Disassembler {
public:
  // The CPU and features: everything the guest may run, and for A64 also
  // what it does not implement yet, so that -d unimp can name it.
  bool init(const char *triple, const char *cpu, const char *features) {
    std::string err;
    const Target *t = TargetRegistry::lookupTarget(triple, err);
    if (!t)
      return false;
    mri_.reset(t->createMCRegInfo(triple));
    MCTargetOptions opts;
    mai_.reset(t->createMCAsmInfo(*mri_, triple, opts));
    sti_.reset(t->createMCSubtargetInfo(triple, cpu, features));
    mii_.reset(t->createMCInstrInfo());
    if (!mri_ || !mai_ || !sti_ || !mii_)
      return false;
    ctx_ = std::make_unique<MCContext>(Triple(triple), mai_.get(), mri_.get(),
                                       sti_.get());
    dis_.reset(t->createMCDisassembler(*sti_, *ctx_));
    printer_.reset(t->createMCInstPrinter(Triple(triple), 0, *mai_, *mii_, *mri_));
    return dis_ && printer_;
  }

  std::string disassemble(uint64_t pc, uint32_t raw, unsigned len) override {
    uint8_t bytes[4] = {uint8_t(raw), uint8_t(raw >> 8), uint8_t(raw >> 16),
                        uint8_t(raw >> 24)};
    MCInst inst;
    uint64_t size = 0;
    std::string text;
    raw_string_ostream os(text);
    if (dis_->getInstruction(inst, size, ArrayRef<uint8_t>(bytes, len), pc,
                             nulls()) != MCDisassembler::Success)
      return "<illegal>";
    printer_->printInst(&inst, pc, "", *sti_, os);
    os.flush();
    size_t start = text.find_first_not_of(" \t");
    return start == std::string::npos ? text : text.substr(start);
  }

private:
  std::unique_ptr<MCRegisterInfo> mri_;
  std::unique_ptr<MCAsmInfo> mai_;
  std::unique_ptr<MCSubtargetInfo> sti_;
  std::unique_ptr<MCInstrInfo> mii_;
  std::unique_ptr<MCContext> ctx_;
  std::unique_ptr<MCDisassembler> dis_;
  std::unique_ptr<MCInstPrinter> printer_;
};

} // namespace

std::unique_ptr<Disassembler> Disassembler::create(GuestIsa isa) {
  auto d = std::make_unique<McDisassembler>();
  bool ok;
  if (isa == GuestIsa::Aarch64) {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64Disassembler();
    ok = d->init("aarch64-unknown-linux-gnu", "generic",
                 "+v8a,+crc,+lse,+fp-armv8,+neon,+aes,+sha2");
  } else {
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVDisassembler();
    ok = d->init("riscv64-unknown-linux-gnu", "generic-rv64", "+m,+a,+f,+d,+c");
  }
  if (!ok)
    return nullptr;
  return d;
}

} // namespace xlat
