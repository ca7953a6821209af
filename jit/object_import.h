// Turns the ELF relocatable object LLVM compiled a translation into into
// a CodeObject (code_object.h): the sections that run, their relocations
// against link cells, the module base and runtime functions, and the
// memory lowering's pc map.
#pragma once

#include "jit/code_object.h"

#include <llvm/Support/MemoryBufferRef.h>

#include <string>

namespace xlat::jit {

// `entry` names the function; false with err for what xlat cannot install
// (an unknown relocation type, a missing function).
bool importObject(llvm::MemoryBufferRef elf, const std::string &entry,
                  CodeObject &out, std::string &err);

} // namespace xlat::jit
