// Why translated code or the interpreter handed control back to the runner,
// for every guest ISA. Each ISA names the reasons it raises in its own
// terms (rv::ExitReason, a64::ExitReason) with these numbers, so that the
// runner's handling of an exit, and the memory services that raise faults,
// are written once. Zero means "keep going".
#pragma once

#include <cstdint>

namespace xlat::exits {

enum : uint32_t {
  kNone = 0,
  kSyscall = 1,    // pc = the instruction after the system call
  kBreakpoint = 2, // pc = the breakpoint instruction
  kIllegal = 3,    // pc = the instruction: unallocated, or not implemented
  kSyncCode = 4,   // pc = the next instruction; code may have changed
  kMemFault = 5,   // pc = the faulting access, fault_addr set
  kMisaligned = 6, // pc = the access (atomic, exclusive or ordered)
  kHot = 7,        // pc = a block whose execution count reached its
                   // threshold, before it ran: re-translate it
  kGeneric = 8,    // pc = a block whose translation assumes what does not
                   // hold now: run it without
  kCodeWrite = 9,  // pc = a store into a page code was translated from, not
                   // made yet: run from it in the interpreter (user mode)
};

} // namespace xlat::exits
