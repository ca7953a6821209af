// Host side of guest signals: host handlers that queue signals for guest
// threads, the host signal mask that mirrors the guest's, and delivery at
// safe points.
#pragma once

#include "runtime/linux/signal_state.h"
#include "runtime/linux/syscalls.h"

#include <cstdint>
#include <string>

namespace xlat {
struct GuestThread;
struct Process;
} // namespace xlat

namespace xlat::linux_abi {

// Queues `sig` for thread t and tells its run loop (async-signal-safe).
void queueSignal(GuestThread &t, int sig, const RawSiginfo &info);

// Makes the host act on `sig` as the guest disposition says: a guest
// handler gets a host handler that queues the signal; SIG_IGN and SIG_DFL
// are passed on, so the host kernel ignores or applies the default action
// (terminating with the right status) without xlat's involvement.
void setHostDisposition(int sig, const GuestSigaction &act);

// The host mask of the calling thread follows the guest's blocked mask, so
// blocked signals stay pending in the host kernel until unblocked (except
// the signals xlat needs for its own faults).
void applyHostMask(uint64_t guestBlocked);

// rt_sigsuspend / rt_sigtimedwait / sigpending need the host set.
void guestMaskToHost(uint64_t guestMask, void *hostSigset);

// deliverSignals, raiseTrap and initSignals: runtime/linux/syscalls.h.

} // namespace xlat::linux_abi
