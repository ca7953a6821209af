// Host services the semantics of every guest call that are not guest
// memory: provided by the runner (natively for the interpreter; resolved
// by the JIT linker).
#pragma once

#include <cstdint>

extern "C" {
// Free-running host tick counter, for the cycle and instret CSRs.
uint64_t xlat_host_ticks(void);
// Monotonic time in units of the guest timebase (10 MHz): RISC-V's
// `time`, A64's CNTVCT_EL0.
uint64_t xlat_host_time(void);
}
