// The aarch64 Linux ABI: what is its own beside the shared asm-generic
// handlers. svc #0 takes its number in x8 and arguments in x0-x5 and
// returns in x0; the thread pointer is TPIDR_EL0.
#include "lifter/aarch64/state.h"
#include "runtime/guest_thread.h"
#include "runtime/linux/signal_frame.h"
#include "runtime/linux/syscall_impl.h"

#include <cstdio>
#include <fcntl.h>
#include <iterator>
#include <elf.h>
#include <string>

namespace xlat {
namespace {

void syscallArgs(const GuestThread &t, uint64_t &nr, uint64_t args[6]) {
  nr = t.a64.x[8];
  for (unsigned i = 0; i < 6; i++)
    args[i] = t.a64.x[i];
}
void setSyscallResult(GuestThread &t, uint64_t v) { t.a64.x[0] = v; }
void restartSyscall(GuestThread &t, uint64_t x0) {
  t.a64.pc -= 4; // svc
  t.a64.x[0] = x0;
}
uint64_t stackPointer(const GuestThread &t) { return t.a64.sp; }
void cloneRegisters(GuestThread &t, uint64_t newsp, bool setTls, uint64_t tls) {
  if (newsp)
    t.a64.sp = newsp;
  if (setTls)
    t.a64.tpidr_el0 = tls;
  t.a64.excl_bytes = 0;
}

// The vDSO's __kernel_rt_sigreturn: mov x8, #139; svc #0.
const uint32_t kSigreturn[] = {0xd2801168, 0xd4000001};

// HWCAP: only what is implemented. FP and ASIMD (ARMv8.0's, without the
// FP16 arithmetic of FPHP and ASIMDHP), CRC32, the LSE atomics, and mrs
// of the ID registers (CPUID: the semantics show them as Linux's
// emulation does). No crypto instructions, so no AES, PMULL, SHA1, SHA2.
constexpr uint64_t kHwcapFp = 1u << 0, kHwcapAsimd = 1u << 1, kHwcapCrc32 = 1u << 7,
                   kHwcapAtomics = 1u << 8, kHwcapCpuid = 1u << 11;

// arm64's O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE (its
// asm/fcntl.h) against the host's.
constexpr std::pair<uint32_t, uint32_t> kOpenFlagBits[] = {
    {040000, O_DIRECTORY}, {0100000, O_NOFOLLOW}, {0200000, O_DIRECT}, {0400000, 0100000}};

// As arch/arm64/kernel/cpuinfo.c words it; Features lists the HWCAP bits
// above in its order. The ID fields are MIDR_EL1's as mrs shows it
// (sem/control.cpp).
std::string cpuinfoEntry(long n) {
  char buf[256];
  snprintf(buf, sizeof buf,
           "processor\t: %ld\nBogoMIPS\t: 20.00\nFeatures\t: fp asimd crc32 atomics cpuid\n"
           "CPU implementer\t: 0x00\nCPU architecture: 8\nCPU variant\t: 0x0\n"
           "CPU part\t: 0x000\nCPU revision\t: 0\n\n",
           n);
  return buf;
}

} // namespace

const LinuxAbi &aarch64LinuxAbi() {
  static const LinuxAbi abi{
      "aarch64",
      EM_AARCH64,
      "/usr/aarch64-linux-gnu",
      syscallArgs,
      setSyscallResult,
      restartSyscall,
      stackPointer,
      cloneRegisters,
      linux_abi::aarch64SetupRtFrame,
      linux_abi::aarch64RestoreRtFrame,
      kSigreturn,
      2,
      /*sigactionHasRestorer=*/true,
      // AT_MINSIGSTKSZ: the frame, its frame record and alignment, as the
      // kernel's signal_minsigstksz without SVE or SME.
      AuxvArch{kHwcapFp | kHwcapAsimd | kHwcapCrc32 | kHwcapAtomics | kHwcapCpuid, true, 0,
               4688 + 16 + 16},
      /*minSigStackSize=*/5120,
      cpuinfoEntry,
      kOpenFlagBits,
      std::size(kOpenFlagBits),
      linux_abi::aarch64ArchSyscall,
  };
  return abi;
}

} // namespace xlat
