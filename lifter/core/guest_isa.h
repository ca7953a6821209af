// The guest instruction sets xlat runs.
#pragma once

#include <cstdint>

namespace xlat {

enum class GuestIsa : uint8_t { Riscv64, Aarch64 };

} // namespace xlat
