// The riscv64 Linux ABI: what is its own beside the shared asm-generic
// handlers. ecall takes its number in a7 and arguments in a0-a5 and
// returns in a0; sp is x2, the thread pointer x4 (tp).
#include "lifter/riscv/state.h"
#include "runtime/guest_thread.h"
#include "runtime/linux/signal_frame.h"
#include "runtime/linux/syscall_impl.h"

#include <cstdio>
#include <elf.h>
#include <string>

namespace xlat {
namespace {

constexpr unsigned kA0 = 10, kA7 = 17, kSp = 2, kTp = 4;

void syscallArgs(const GuestThread &t, uint64_t &nr, uint64_t args[6]) {
  nr = t.state.x[kA7];
  for (unsigned i = 0; i < 6; i++)
    args[i] = t.state.x[kA0 + i];
}
void setSyscallResult(GuestThread &t, uint64_t v) { t.state.x[kA0] = v; }
void restartSyscall(GuestThread &t, uint64_t a0) {
  t.state.pc -= 4; // ecall
  t.state.x[kA0] = a0;
}
uint64_t stackPointer(const GuestThread &t) { return t.state.x[kSp]; }
void cloneRegisters(GuestThread &t, uint64_t newsp, bool setTls, uint64_t tls) {
  if (newsp)
    t.state.x[kSp] = newsp;
  if (setTls)
    t.state.x[kTp] = tls;
  t.state.reserve_addr = ~0ull;
}

// li a7, 139 (rt_sigreturn); ecall
const uint32_t kSigreturn[] = {0x08b00893, 0x00000073};

// HWCAP: one bit per single-letter extension, 'a' = bit 0 (RV64IMAFDC).
constexpr uint64_t hwcapBit(char ext) { return 1ull << (ext - 'a'); }
constexpr uint64_t kHwcap = hwcapBit('i') | hwcapBit('m') | hwcapBit('a') | hwcapBit('f') |
                            hwcapBit('d') | hwcapBit('c');

// What a real rv64gc machine shows.
std::string cpuinfoEntry(long n) {
  char buf[256];
  snprintf(buf, sizeof buf,
           "processor\t: %ld\nhart\t\t: %ld\n"
           "isa\t\t: rv64imafdc_zicntr_zicsr_zifencei\nmmu\t\t: sv39\n"
           "mvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n",
           n, n);
  return buf;
}

} // namespace

const LinuxAbi &riscv64LinuxAbi() {
  static const LinuxAbi abi{
      "riscv64",
      EM_RISCV,
      "/usr/riscv64-linux-gnu",
      syscallArgs,
      setSyscallResult,
      restartSyscall,
      stackPointer,
      cloneRegisters,
      linux_abi::riscv64SetupRtFrame,
      linux_abi::riscv64RestoreRtFrame,
      kSigreturn,
      2,
      /*sigactionHasRestorer=*/false,
      // AT_MINSIGSTKSZ: sizeof(struct rt_sigframe) rounded to 16, without
      // the V extension (the kernel's signal_minsigstksz on RV64GC).
      AuxvArch{kHwcap, false, 0, 1088},
      /*minSigStackSize=*/2048,
      cpuinfoEntry,
      /*openFlagBits=*/nullptr, 0, // asm-generic's, as the host's
      linux_abi::riscv64ArchSyscall,
  };
  return abi;
}

} // namespace xlat
