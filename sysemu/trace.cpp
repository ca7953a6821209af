#include "sysemu/trace.h"

#include "lifter/core/log.h"

#include <cstdarg>
#include <cstdio>
#include <fnmatch.h>

namespace xlat::sysemu {

namespace {

constexpr struct {
  const char *name, *what;
} kEvents[] = {
    {"mmio_read", "a device register read: device, offset, size, value"},
    {"mmio_write", "a device register write: device, offset, size, value"},
    {"plic_set_irq", "a device's interrupt line into the PLIC: source, level"},
    {"hart_trap", "an exception taken: hart, cause, epc, tval, from and to mode"},
    {"hart_interrupt", "an interrupt taken: hart, cause, pc, from and to mode"},
    {"tlb_fill", "a page walk filled the TLB: hart, va, pa, PTE bits"},
    {"mmu_fault", "a page walk failed: hart, va, access, cause"},
    {"virtio_notify", "a driver notified a virtqueue: device, queue"},
};
static_assert(sizeof kEvents / sizeof kEvents[0] == unsigned(TraceEvent::Count));

} // namespace

bool traceEnabled[unsigned(TraceEvent::Count)];

void trace(TraceEvent e, const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  log().printf("%s %s\n", kEvents[unsigned(e)].name, buf);
}

bool enableTraceEvents(const std::string &spec, std::string &err) {
  std::string pattern = spec.rfind("enable=", 0) == 0 ? spec.substr(7) : spec;
  bool any = false;
  for (unsigned i = 0; i < unsigned(TraceEvent::Count); i++)
    if (fnmatch(pattern.c_str(), kEvents[i].name, 0) == 0)
      traceEnabled[i] = any = true;
  if (!any)
    err = "-trace: no event matches '" + pattern + "' (-trace help lists them)";
  return any;
}

std::string traceEventList() {
  std::string out;
  for (const auto &e : kEvents) {
    char line[160];
    snprintf(line, sizeof line, "%-16s %s\n", e.name, e.what);
    out += line;
  }
  return out;
}

} // namespace xlat::sysemu
