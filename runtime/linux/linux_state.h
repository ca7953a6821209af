// State the Linux layer keeps per guest process and per guest thread:
// recorded signal state, set_tid_address / set_robust_list, the thread name.
//
// Process and GuestThread do not (yet) hold these, so the accessors find
// them in a side table keyed by the object's address. When the structs grow
// a member for them, only state.cpp changes.
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
};

struct LinuxThreadState {
  ThreadSignalState signals;
  uint64_t clearChildTid = 0;  // set_tid_address
  uint64_t robustListHead = 0; // set_robust_list
  uint64_t robustListLen = 0;
  char name[16] = ""; // prctl(PR_SET_NAME)
};

LinuxProcessState &processState(Process &p);
LinuxThreadState &threadState(GuestThread &t);
// Drops a thread's state when it exits (the object may be reused).
void forgetThreadState(GuestThread &t);

} // namespace xlat::linux_abi
