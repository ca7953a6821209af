// Host services the semantics call that are not guest memory: provided by
// the runner (natively for the interpreter; resolved by the JIT linker).
#pragma once

#include <cstdint>

extern "C" {
// Free-running host tick counter, for the cycle and instret CSRs.
uint64_t xlat_host_ticks(void);
// Wall-clock time in units of the guest timebase (10 MHz), for `time`.
uint64_t xlat_host_time(void);
}
