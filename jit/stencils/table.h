// The stencil table that extract_stencils generates at build time.
#pragma once

#include "jit/stencils/holes.h"

#include <cstddef>
#include <cstdint>

namespace xlat::jit::stencil {

// One stencil per instruction (xlat_st_<ID> and xlat_st_<ID>_rd0) and per
// glue piece (xlat_glue_*), sorted by name.
extern const Stencil kStencils[];
extern const size_t kNumStencils;

// Code and read-only data the stencils share (constant pools, helpers the
// optimizer kept out of line): copied once into executable memory and
// patched with kSharedRelocs (Data targets there are offsets into it).
extern const uint8_t kShared[];
extern const size_t kSharedSize;
extern const Reloc kSharedRelocs[];
extern const size_t kNumSharedRelocs;

// Host functions stencils call, by name (resolved with dlsym).
extern const char *const kExternals[];
extern const size_t kNumExternals;

} // namespace xlat::jit::stencil
