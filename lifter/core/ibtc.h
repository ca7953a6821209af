// The indirect-branch translation cache's shape, which translated code of
// every guest ISA and the runner that fills it share: kIbtcSize entries
// of {guest pc, host code}, indexed by (pc >> 1) % kIbtcSize.
#pragma once

#include <cstdint>

namespace xlat {

inline constexpr uint64_t kIbtcSize = 4096;

} // namespace xlat
