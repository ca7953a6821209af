// State the Linux layer keeps per guest process and per guest thread:
// signal dispositions, masks and pending signals, set_tid_address /
// set_robust_list, the thread name. Process and GuestThread hold one each.
#pragma once

#include "runtime/linux/signal_state.h"

#include <cstdint>

namespace xlat {
struct Process;
struct GuestThread;
} // namespace xlat

namespace xlat::linux_abi {

struct LinuxProcessState {
  SignalState signals;
  uint64_t sigreturnTrampoline = 0; // guest address of LinuxAbi::sigreturnCode
  uint32_t personality = 0;         // PER_LINUX
};

struct LinuxThreadState {
  ThreadSignalState signals;
  uint64_t clearChildTid = 0;  // set_tid_address / CLONE_CHILD_CLEARTID
  uint64_t robustListHead = 0; // set_robust_list
  uint64_t robustListLen = 0;
  char name[16] = ""; // prctl(PR_SET_NAME)
};

LinuxProcessState &processState(Process &p);
LinuxThreadState &threadState(GuestThread &t);

} // namespace xlat::linux_abi
