// Guest function names for --perfmap: the function a guest pc is in, from
// the symbols of the ELF file mapped there (.symtab, else .dynsym), so that
// perf attributes translated code to guest functions.
#pragma once

#include "runtime/guest_memory.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace xlat {

class GuestSymbols {
public:
  explicit GuestSymbols(const GuestMemory &mem) : mem_(mem) {}

  // "name+0xOFF" of the function that holds pc, or "" when the mapping
  // there is no file, or the file names no function there. Thread-safe; a
  // file's symbols are read once, when one of its pcs is first asked for.
  std::string describe(uint64_t pc);

  struct Function {
    uint64_t offset, size; // in the file: where its bytes are
    std::string name;
  };
  // The functions of the ELF file at path, sorted by offset: its defined
  // STT_FUNC and STT_GNU_IFUNC symbols, placed by the PT_LOAD segment
  // that holds them. Empty if the file cannot be read as ELF.
  static std::vector<Function> readFunctions(const std::string &path);

private:
  const GuestMemory &mem_;
  std::mutex mu_;
  std::map<std::string, std::vector<Function>> byPath_;
};

} // namespace xlat
