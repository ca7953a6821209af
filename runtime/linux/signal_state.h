// What the guest has told the kernel about signals, in the guest's own terms
// (numbers, flags and layouts of the asm-generic ABI), and the signals raised
// for a thread but not yet delivered to it.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace xlat::linux_abi {

constexpr int kNumSignals = 64; // signals 1..64; index = signal - 1
constexpr int kSigKill = 9, kSigStop = 19;

// Guest sa_handler values.
constexpr uint64_t kSigDfl = 0, kSigIgn = 1;

// Guest sa_flags bits (asm-generic; riscv64 has no SA_RESTORER).
enum GuestSaFlags : uint64_t {
  kSaNoCldStop = 0x1,
  kSaNoCldWait = 0x2,
  kSaSigInfo = 0x4,
  kSaRestorer = 0x04000000, // aarch64: sa_restorer is where handlers return
  kSaOnStack = 0x08000000,
  kSaRestart = 0x10000000,
  kSaNoDefer = 0x40000000,
  kSaResetHand = 0x80000000,
};

// A guest's struct sigaction. rt_sigaction passes handler, flags, mask on
// riscv64 (24 bytes) and handler, flags, restorer, mask on aarch64
// (LinuxAbi::sigactionHasRestorer); restorer is 0 for the first.
struct GuestSigaction {
  uint64_t handler; // kSigDfl, kSigIgn or a guest address
  uint64_t flags;
  uint64_t mask; // bit (sig-1)
  uint64_t restorer;
};

// The guest's stack_t for sigaltstack.
struct GuestStackT {
  uint64_t sp;
  int32_t flags;
  int32_t pad;
  uint64_t size;
};
static_assert(sizeof(GuestStackT) == 24);
constexpr int32_t kSsOnStack = 1, kSsDisable = 2;
constexpr uint32_t kSsAutoDisarm = 1u << 31;

// Process-wide: dispositions are shared by all threads.
struct SignalState {
  mutable std::mutex mu;
  GuestSigaction actions[kNumSignals] = {};
};

// siginfo_t is 128 bytes with the same layout on riscv64 and x86-64
// (asm-generic), so host siginfo is kept as raw bytes.
constexpr unsigned kSiginfoSize = 128;
struct RawSiginfo {
  uint8_t bytes[kSiginfoSize];
};

// Per thread: the blocked mask, signals raised but not yet delivered, and
// the alternate stack. `pending` and `info` are written by the host signal
// handler running on this thread, so pending is atomic; standard and
// real-time signals alike keep one queued instance each.
struct ThreadSignalState {
  uint64_t blocked = 0;
  std::atomic<uint64_t> pending{0};
  RawSiginfo info[kNumSignals] = {};
  GuestStackT altStack{0, kSsDisable, 0, 0};
  // rt_sigsuspend: the mask to put back once the handler has been set up.
  bool restoreMask = false;
  uint64_t savedMask = 0;
  // The last syscall was cut short by a signal (host -EINTR): its number
  // and first argument, for SA_RESTART.
  bool interrupted = false;
  uint64_t interruptedNr = 0, interruptedA0 = 0;
};

constexpr uint64_t sigBit(int sig) { return 1ull << (sig - 1); }

// Hands the signals queued guest-side that the guest now blocks back to
// the host kernel (signals.cpp), so that blocked signals always wait there:
// signalfd, sigtimedwait and sigpending on the host see them. Runs on the
// thread that owns `ts`, with the host mask already following ts.blocked.
void parkBlockedSignals(ThreadSignalState &ts);

// Signals whose default action is to do nothing.
inline bool defaultIgnored(int sig) {
  return sig == 17 /*SIGCHLD*/ || sig == 23 /*SIGURG*/ ||
         sig == 28 /*SIGWINCH*/ || sig == 18 /*SIGCONT*/;
}

} // namespace xlat::linux_abi
