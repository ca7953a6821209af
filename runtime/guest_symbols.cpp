#include "runtime/guest_symbols.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

namespace xlat {

std::vector<GuestSymbols::Function> GuestSymbols::readFunctions(const std::string &path) {
  std::vector<Function> out;
  if (elf_version(EV_CURRENT) == EV_NONE)
    return out;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return out;
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  size_t phnum = 0;
  if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &phnum) != 0) {
    if (elf)
      elf_end(elf);
    close(fd);
    return out;
  }
  std::vector<GElf_Phdr> loads;
  for (size_t i = 0; i < phnum; i++) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD)
      loads.push_back(ph);
  }
  // The static symbol table names local functions too; a stripped file
  // keeps only the dynamic one.
  Elf_Scn *table = nullptr;
  GElf_Shdr tableHdr{};
  for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(elf, scn));) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh))
      continue;
    if (sh.sh_type == SHT_SYMTAB || (sh.sh_type == SHT_DYNSYM && !table)) {
      table = scn;
      tableHdr = sh;
    }
  }
  struct Ranked {
    Function fn;
    int rank; // global before weak before local, at one offset
  };
  std::vector<Ranked> found;
  Elf_Data *data = table ? elf_getdata(table, nullptr) : nullptr;
  size_t count = data && tableHdr.sh_entsize ? tableHdr.sh_size / tableHdr.sh_entsize : 0;
  for (size_t i = 0; i < count; i++) {
    GElf_Sym sym;
    if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF ||
        sym.st_value == 0)
      continue;
    int type = GELF_ST_TYPE(sym.st_info);
    if (type != STT_FUNC && type != STT_GNU_IFUNC)
      continue;
    const char *name = elf_strptr(elf, tableHdr.sh_link, sym.st_name);
    if (!name || !*name)
      continue;
    for (const GElf_Phdr &ph : loads)
      if (sym.st_value >= ph.p_vaddr && sym.st_value < ph.p_vaddr + ph.p_filesz) {
        int bind = GELF_ST_BIND(sym.st_info);
        int rank = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
        found.push_back({{sym.st_value - ph.p_vaddr + ph.p_offset, sym.st_size, name}, rank});
        break;
      }
  }
  elf_end(elf);
  close(fd);
  std::stable_sort(found.begin(), found.end(), [](const Ranked &a, const Ranked &b) {
    return a.fn.offset != b.fn.offset ? a.fn.offset < b.fn.offset : a.rank < b.rank;
  });
  for (Ranked &r : found)
    if (out.empty() || out.back().offset != r.fn.offset)
      out.push_back(std::move(r.fn));
  return out;
}

std::string GuestSymbols::describe(uint64_t pc) {
  GuestMemory::ExecFile f;
  if (!mem_.execFileAt(pc, f) || f.path.empty())
    return "";
  uint64_t offset = pc - f.start + f.offset;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = byPath_.find(f.path);
  if (it == byPath_.end())
    it = byPath_.emplace(f.path, readFunctions(f.path)).first;
  const std::vector<Function> &fns = it->second;
  auto next = std::upper_bound(fns.begin(), fns.end(), offset,
                               [](uint64_t o, const Function &fn) { return o < fn.offset; });
  if (next == fns.begin())
    return "";
  const Function &fn = *std::prev(next);
  if (fn.size && offset >= fn.offset + fn.size)
    return ""; // between functions (a PLT, padding)
  char off[32];
  snprintf(off, sizeof off, "+0x%" PRIx64, offset - fn.offset);
  return fn.name + off;
}

} // namespace xlat
