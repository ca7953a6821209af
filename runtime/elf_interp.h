// Loading the program interpreter named by PT_INTERP (the dynamic linker,
// e.g. /lib/ld-linux-riscv64-lp64d.so.1).
#pragma once

#include "runtime/elf_loader.h"

#include <string>

namespace xlat {

// Maps the interpreter at hostPath (the caller resolves img.interpPath
// against the sysroot) at a free address, as Linux does for ld.so, and sets
// img.interpBase (AT_BASE) and img.entry (where execution starts). The
// program's own fields (progEntry, phdrAddr, brkStart, ...) are untouched.
// On failure returns false with a one-line reason in `err`.
bool loadInterpreter(const std::string &hostPath, GuestMemory &mem,
                     LoadedImage &img, std::string &err);

// Where PT_INTERP `interp` is found: under `sysroot` (-L or
// $XLAT_LD_PREFIX) if given, then the host path if it exists, then
// `defaultSysroot` (the ABI's Debian cross sysroot, LinuxAbi::
// defaultSysroot).
// `root` is set to the prefix it was found under, the sysroot for the
// guest's other absolute paths. Empty if it is nowhere.
std::string findInterpreter(const std::string &sysroot, const std::string &defaultSysroot,
                            const std::string &interp, std::string &root);

} // namespace xlat
