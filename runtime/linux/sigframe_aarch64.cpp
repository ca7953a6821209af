// The arm64 rt_sigframe, laid out as arch/arm64/kernel/signal.c does:
//
//   struct rt_sigframe { siginfo_t info; struct ucontext uc; }     4688 bytes
//   ucontext:    uc_flags, uc_link, uc_stack (24), uc_sigmask (8 + 120
//                spare), uc_mcontext at +176 (16-aligned)
//   sigcontext:  fault_address, regs[31], sp, pc, pstate, then at +288
//                __reserved[4096]: a list of {magic, size} records, here
//                fpsimd_context (fpsr, fpcr, vregs[32]), for a fault
//                esr_context (the syndrome), and the null one
//
// and above it, 16-aligned, the frame record {x29, x30} that x29 points at
// so that unwinders can walk through the handler. glibc's ucontext_t has
// the same layout (sigset_t is 128 bytes there: uc_mcontext is at 176
// either way).
#include "lifter/aarch64/state.h"
#include "runtime/guest_thread.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/signal_frame.h"
#include "runtime/process.h"

#include <csignal>
#include <cstring>

namespace xlat::linux_abi {
namespace {

constexpr uint64_t kUc = 128;
constexpr uint64_t kUcStack = kUc + 16;
constexpr uint64_t kUcSigmask = kUc + 40;
constexpr uint64_t kMc = kUc + 176;
constexpr uint64_t kMcFaultAddress = kMc;
constexpr uint64_t kMcRegs = kMc + 8;
constexpr uint64_t kMcSp = kMc + 256;
constexpr uint64_t kMcPc = kMc + 264;
constexpr uint64_t kMcPstate = kMc + 272;
constexpr uint64_t kMcReserved = kMc + 288;
constexpr uint64_t kReservedSize = 4096;
constexpr uint64_t kFrameSize = kMcReserved + kReservedSize; // 4688
static_assert(kFrameSize == 4688);

constexpr uint32_t kFpsimdMagic = 0x46508001, kFpsimdSize = 16 + 8 + 32 * 16 - 8; // 528
static_assert(kFpsimdSize == 528);
constexpr uint32_t kEsrMagic = 0x45535201, kEsrSize = 16;

// The ESR_EL1 Linux reports for a fault of EL0's (its thread.fault_code):
// a data abort from a lower level (EC 0x24) or a PC alignment fault (EC
// 0x22), IL set, WnR for a write, and the fault status: translation or
// permission fault (whose level is not modelled: 3) or alignment fault.
// 0 for a signal that no fault raised.
uint64_t faultSyndrome(const GuestThread &t, int sig, int code, uint64_t addr) {
  constexpr uint64_t kIl = uint64_t(1) << 25, kWnR = 1u << 6;
  if (sig == SIGBUS && code == BUS_ADRALN && addr == t.a64.pc)
    return uint64_t(0x22) << 26 | kIl;
  uint64_t dfsc;
  if (sig == SIGSEGV && code == SEGV_MAPERR)
    dfsc = 0x07;
  else if (sig == SIGSEGV && code == SEGV_ACCERR)
    dfsc = 0x0f;
  else if (sig == SIGBUS && code == BUS_ADRALN)
    dfsc = 0x21;
  else
    return 0;
  return uint64_t(0x24) << 26 | kIl | (t.faultWrite ? kWnR : 0) | dfsc;
}

using Frame = FrameBytes<kFrameSize>;

// What of FPCR and FPSR ARMv8.0 has (as msr writes them).
constexpr uint32_t kFpcrMask = 0x07c00000, kFpsrMask = 0x0800009f;

} // namespace

uint64_t aarch64SetupRtFrame(GuestThread &t, uint64_t sp, int sig, const RawSiginfo &info,
                             const GuestSigaction &act, uint64_t savedMask,
                             const GuestStackT &altStack) {
  a64::A64State &s = t.a64;
  uint64_t record = (sp - 16) & ~uint64_t(15);
  uint64_t frame = record - kFrameSize;

  Frame f{};
  memcpy(f.b, info.bytes, kSiginfoSize);
  f.put<uint64_t>(kUcStack, altStack.sp);
  f.put<int32_t>(kUcStack + 8, altStack.flags);
  f.put<uint64_t>(kUcStack + 16, altStack.size);
  f.put<uint64_t>(kUcSigmask, savedMask);
  // The fault address register, for a fault (si_code > 0): a SIGSEGV
  // that kill or raise sent has none (si_addr's place holds its pid).
  int32_t code;
  memcpy(&code, info.bytes + 8, sizeof code);
  uint64_t addr = 0;
  if ((sig == SIGSEGV || sig == SIGBUS) && code > 0) {
    memcpy(&addr, info.bytes + 16, sizeof addr);
    f.put<uint64_t>(kMcFaultAddress, addr);
  }
  for (int r = 0; r < 31; ++r)
    f.put<uint64_t>(kMcRegs + 8 * r, s.x[r]);
  f.put<uint64_t>(kMcSp, s.sp);
  f.put<uint64_t>(kMcPc, s.pc);
  f.put<uint64_t>(kMcPstate, s.nzcv()); // EL0t: NZCV is all of PSTATE that is set
  f.put<uint32_t>(kMcReserved, kFpsimdMagic);
  f.put<uint32_t>(kMcReserved + 4, kFpsimdSize);
  f.put<uint32_t>(kMcReserved + 8, s.fpsr);
  f.put<uint32_t>(kMcReserved + 12, s.fpcr);
  for (int r = 0; r < 32; ++r) {
    f.put<uint64_t>(kMcReserved + 16 + 16 * r, s.v[r][0]);
    f.put<uint64_t>(kMcReserved + 24 + 16 * r, s.v[r][1]);
  }
  uint64_t esr = (sig == SIGSEGV || sig == SIGBUS) && code > 0 ? faultSyndrome(t, sig, code, addr) : 0;
  if (esr) {
    f.put<uint32_t>(kMcReserved + kFpsimdSize, kEsrMagic);
    f.put<uint32_t>(kMcReserved + kFpsimdSize + 4, kEsrSize);
    f.put<uint64_t>(kMcReserved + kFpsimdSize + 8, esr);
  }
  // The null record that ends the list is zero.

  uint64_t fp[2] = {s.x[29], s.x[30]};
  GuestMemory &mem = t.process->mem;
  if (!mem.write(frame, f.b, kFrameSize) || !mem.write(record, fp, sizeof fp))
    return 0;

  s.x[0] = (uint64_t)sig;
  s.x[1] = frame;
  s.x[2] = frame + kUc;
  s.x[29] = record;
  s.x[30] = (act.flags & kSaRestorer) ? act.restorer
                                      : processState(*t.process).sigreturnTrampoline;
  s.sp = frame;
  s.pc = act.handler;
  return frame;
}

bool aarch64RestoreRtFrame(GuestThread &t, uint64_t *mask, GuestStackT *stack) {
  a64::A64State &s = t.a64;
  // The kernel refuses a frame that is not 16-aligned.
  Frame f;
  if ((s.sp & 15) || !t.process->mem.read(s.sp, f.b, kFrameSize))
    return false;
  *mask = f.get<uint64_t>(kUcSigmask);
  *stack = GuestStackT{f.get<uint64_t>(kUcStack), f.get<int32_t>(kUcStack + 8), 0,
                       f.get<uint64_t>(kUcStack + 16)};
  for (int r = 0; r < 31; ++r)
    s.x[r] = f.get<uint64_t>(kMcRegs + 8 * r);
  s.sp = f.get<uint64_t>(kMcSp);
  s.pc = f.get<uint64_t>(kMcPc);
  s.setNzcv(uint32_t(f.get<uint64_t>(kMcPstate)));
  // The records of __reserved: an fpsimd_context is required, as the
  // kernel requires it; unknown ones are skipped by their size.
  bool fpsimd = false;
  for (uint64_t off = 0; off + 8 <= kReservedSize;) {
    uint32_t magic = f.get<uint32_t>(kMcReserved + off);
    uint32_t size = f.get<uint32_t>(kMcReserved + off + 4);
    if (magic == 0)
      break;
    if (size < 8 || size % 16 || size > kReservedSize - off)
      return false;
    if (magic == kFpsimdMagic) {
      if (size != kFpsimdSize)
        return false;
      s.fpsr = f.get<uint32_t>(kMcReserved + off + 8) & kFpsrMask;
      s.fpcr = f.get<uint32_t>(kMcReserved + off + 12) & kFpcrMask;
      for (int r = 0; r < 32; ++r) {
        s.v[r][0] = f.get<uint64_t>(kMcReserved + off + 16 + 16 * r);
        s.v[r][1] = f.get<uint64_t>(kMcReserved + off + 24 + 16 * r);
      }
      fpsimd = true;
    }
    off += size;
  }
  s.excl_bytes = 0; // an exception return clears the exclusive monitor
  return fpsimd;
}

} // namespace xlat::linux_abi
