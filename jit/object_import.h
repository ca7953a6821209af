// Turns the ELF relocatable object LLVM compiled a translation into into
// a CodeObject (code_object.h): the sections that run, their relocations
// against link cells, the module base and runtime functions, and the
// memory lowering's pc map.
#pragma once

#include "jit/code_object.h"

#include <llvm/Support/MemoryBufferRef.h>

#include <cstdint>
#include <string>
#include <vector>

namespace xlat::jit {

// `entry` names the function; false with err for what xlat cannot install
// (an unknown relocation type, a missing function).
bool importObject(llvm::MemoryBufferRef elf, const std::string &entry,
                  CodeObject &out, std::string &err);

// Makes code lifted position-independent (rv::Lifter::setPcValues, with the
// module base at `base`) code for one program at its own addresses: pcs
// and cells move by `base`, and the pc values (xlat_pcval_<k>) and their
// cells (xlat_pccell_<k>) become values[k] and its cell. False with err if
// the object names a value that `values` lacks.
bool bindPcValues(CodeObject &obj, uint64_t base, const std::vector<uint64_t> &values,
                  std::string &err);

} // namespace xlat::jit
