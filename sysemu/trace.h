// Named trace events of the machine (-trace PATTERN, as qemu's): device
// accesses, interrupt lines, traps, TLB fills, virtio notifications. Each
// event site tests one flag, so tracing costs nothing when off; an
// enabled event writes one line to the log (-D FILE, else stderr).
#pragma once

#include <string>

namespace xlat::sysemu {

enum class TraceEvent : unsigned {
  MmioRead,      // a device register read: device, offset, size, value
  MmioWrite,     // a device register write
  PlicSetIrq,    // a device's interrupt line into the PLIC changed
  HartTrap,      // an exception taken: hart, cause, epc, tval, modes
  HartInterrupt, // an interrupt taken
  TlbFill,       // a page walk filled the TLB: hart, va, pa, PTE bits
  MmuFault,      // a page walk failed: hart, va, access, cause
  VirtioNotify,  // a driver notified a virtqueue: device, queue
  Count,
};

extern bool traceEnabled[unsigned(TraceEvent::Count)];

inline bool tracing(TraceEvent e) { return traceEnabled[unsigned(e)]; }
void trace(TraceEvent e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Enables the events whose names match the glob PATTERN (qemu's -trace
// PATTERN or -trace enable=PATTERN); false with err when none does.
bool enableTraceEvents(const std::string &pattern, std::string &err);
// `-trace help`: every event, one line each.
std::string traceEventList();

} // namespace xlat::sysemu
