#include "jit/object_import.h"

#include "lifter/riscv/lift.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/IR/Module.h>
#include <llvm/Object/ELFObjectFile.h>

#include <algorithm>
#include <cstring>
#include <map>

using namespace llvm;
using namespace llvm::object;

namespace xlat::jit {
namespace {

constexpr const char *kPcMapSection = ".xlat_pcmap";
constexpr const char *kModuleBase = kModuleBaseSymbol;
constexpr const char *kColdSection = ".text.xlat_cold";

bool relocType(uint32_t elfType, CodeObject::Type &out) {
  switch (elfType) {
  case ELF::R_X86_64_64: out = CodeObject::Type::Abs64; return true;
  case ELF::R_X86_64_PC32: out = CodeObject::Type::Pc32; return true;
  case ELF::R_X86_64_PLT32: out = CodeObject::Type::Plt32; return true;
  case ELF::R_X86_64_32: out = CodeObject::Type::Abs32; return true;
  case ELF::R_X86_64_32S: out = CodeObject::Type::Abs32S; return true;
  default: return false;
  }
}

std::string errorText(Error e) { return toString(std::move(e)); }

} // namespace

bool importObject(MemoryBufferRef elf, const std::string &entry,
                  CodeObject &out, std::string &err) {
  auto file = ObjectFile::createObjectFile(elf);
  if (!file) {
    err = errorText(file.takeError());
    return false;
  }
  auto *obj = dyn_cast<ELF64LEObjectFile>(file->get());
  if (!obj) {
    err = "the compiled translation is not an x86-64 ELF object";
    return false;
  }
  out = CodeObject();

  // Layout: the allocated sections that run first, then their data. Unwind
  // tables stay out (translated code never unwinds), and so does the pc
  // map, which becomes out.pcmap.
  std::map<uint64_t, uint64_t> placed; // section index -> image offset
  std::optional<SectionRef> pcmapSec;
  // Passes: code, the memory accesses' cold fault paths, data.
  for (int pass = 0; pass < 3; pass++) {
    for (ELFSectionRef sec : obj->sections()) {
      Expected<StringRef> name = sec.getName();
      if (!name) {
        err = errorText(name.takeError());
        return false;
      }
      if (*name == kPcMapSection) {
        pcmapSec = sec;
        continue;
      }
      bool cold = name->starts_with(kColdSection);
      int want = !sec.isText() ? 2 : cold ? 1 : 0;
      if (!(sec.getFlags() & ELF::SHF_ALLOC) || *name == ".eh_frame" ||
          want != pass)
        continue;
      uint64_t align = std::max<uint64_t>(1, sec.getAlignment().value());
      if (align > 64) {
        err = "a section of the compiled translation is aligned beyond 64";
        return false;
      }
      size_t at = (out.image.size() + align - 1) & ~(align - 1);
      out.image.resize(at, pass < 2 ? 0xcc : 0);
      placed[sec.getIndex()] = at;
      if (sec.isBSS()) {
        out.image.resize(at + sec.getSize(), 0);
      } else {
        Expected<StringRef> bytes = sec.getContents();
        if (!bytes) {
          err = errorText(bytes.takeError());
          return false;
        }
        out.image.insert(out.image.end(), bytes->begin(), bytes->end());
      }
    }
    if (pass == 0)
      out.coldStart = out.image.size();
    if (pass == 1)
      out.codeSize = out.image.size();
  }

  // Where a symbol is: its section's place plus its value.
  auto symbolPlace = [&](const SymbolRef &sym, uint64_t &at) -> bool {
    Expected<section_iterator> sec = sym.getSection();
    if (!sec) {
      consumeError(sec.takeError());
      return false;
    }
    if (*sec == obj->section_end())
      return false;
    auto it = placed.find((*sec)->getIndex());
    if (it == placed.end())
      return false;
    Expected<uint64_t> value = sym.getValue();
    if (!value) {
      consumeError(value.takeError());
      return false;
    }
    at = it->second + *value;
    return true;
  };

  bool haveEntry = false;
  for (const SymbolRef &sym : obj->symbols()) {
    Expected<StringRef> name = sym.getName();
    Expected<SymbolRef::Type> type = sym.getType();
    bool function = type && *type == SymbolRef::ST_Function;
    if (!type)
      consumeError(type.takeError());
    if (name && function && *name == entry) {
      uint64_t at;
      if (!symbolPlace(sym, at) || at >= out.coldStart) {
        err = "the compiled translation's function is not in its code";
        return false;
      }
      out.entry = at;
      haveEntry = true;
    } else if (!name) {
      consumeError(name.takeError());
    }
  }
  if (!haveEntry) {
    err = "the compiled translation lacks its function " + entry;
    return false;
  }

  std::map<uint64_t, uint32_t> cellIndex;
  std::map<std::string, uint32_t> externalIndex;
  // What a relocation's symbol resolves to.
  auto target = [&](const ELFRelocationRef &r, CodeObject::Target &kind,
                    uint32_t &index, int64_t &addend) -> bool {
    symbol_iterator sym = r.getSymbol();
    Expected<int64_t> a = r.getAddend();
    if (!a) {
      err = errorText(a.takeError());
      return false;
    }
    addend = *a;
    if (sym == obj->symbol_end()) {
      err = "a relocation without a symbol in the compiled translation";
      return false;
    }
    uint64_t at;
    if (symbolPlace(*sym, at)) {
      kind = CodeObject::Target::Image;
      index = 0;
      addend += at;
      return true;
    }
    Expected<StringRef> name = sym->getName();
    if (!name) {
      err = errorText(name.takeError());
      return false;
    }
    std::string n = name->str();
    const std::string cellPrefix = rv::Lifter::kCellPrefix;
    if (n == kModuleBase) {
      kind = CodeObject::Target::ModuleBase;
      index = 0;
    } else if (n.compare(0, cellPrefix.size(), cellPrefix) == 0) {
      uint64_t pc = strtoull(n.c_str() + cellPrefix.size(), nullptr, 16);
      auto [it, fresh] = cellIndex.emplace(pc, out.cells.size());
      if (fresh)
        out.cells.push_back(pc);
      kind = CodeObject::Target::Cell;
      index = it->second;
    } else {
      Expected<section_iterator> sec = sym->getSection();
      if (!sec || *sec != obj->section_end()) {
        if (!sec)
          consumeError(sec.takeError());
        err = "a relocation against a section xlat does not install: " + n;
        return false;
      }
      auto [it, fresh] = externalIndex.emplace(n, out.externals.size());
      if (fresh)
        out.externals.push_back(n);
      kind = CodeObject::Target::External;
      index = it->second;
    }
    return true;
  };

  for (ELFSectionRef rs : obj->sections()) {
    Expected<section_iterator> relocated = rs.getRelocatedSection();
    if (!relocated) {
      err = errorText(relocated.takeError());
      return false;
    }
    if (*relocated == obj->section_end())
      continue;
    uint64_t secIndex = (*relocated)->getIndex();
    if (pcmapSec && secIndex == pcmapSec->getIndex()) {
      // Per access: its host address (relocated against the code), guest
      // pc (a literal or module base + offset), raw-FP mask (a literal),
      // then its spills (withSpills in lifter/core/memory_lowering.h):
      // eight 16-bit state offsets, 0 for none, and eight 8-byte slots,
      // each zero or `movq %REG, %rax` padded with zeros: for a
      // general-purpose register REX.W (with R for the high ones), 0x89, a
      // ModRM of mod 3, rm 0; for an SSE register 0x66, REX.W (+R), 0x0f,
      // 0x7e and such a ModRM.
      Expected<StringRef> bytes = pcmapSec->getContents();
      if (!bytes) {
        err = errorText(bytes.takeError());
        return false;
      }
      std::map<uint64_t, std::pair<CodeObject::Target, int64_t>> fields;
      for (const RelocationRef &rr : rs.relocations()) {
        ELFRelocationRef r(rr);
        CodeObject::Target kind;
        uint32_t index;
        int64_t addend;
        if (r.getType() != ELF::R_X86_64_64 || !target(r, kind, index, addend)) {
          if (err.empty())
            err = "an unexpected relocation in the pc map";
          return false;
        }
        fields[r.getOffset()] = {kind, addend};
      }
      constexpr uint64_t kEntry = 24 + 10 * kMaxRegSpills;
      static_assert(kMaxRegSpills == kMaxAccessSpills, "one limit, two layers");
      if (bytes->size() % kEntry) {
        err = "a pc map of partial entries";
        return false;
      }
      for (uint64_t i = 0; i + kEntry <= bytes->size(); i += kEntry) {
        auto host = fields.find(i);
        if (host == fields.end() ||
            host->second.first != CodeObject::Target::Image ||
            (uint64_t)host->second.second >= out.codeSize) {
          err = "a pc map entry that is not in the code";
          return false;
        }
        uint64_t guest;
        auto g = fields.find(i + 8);
        if (g == fields.end())
          memcpy(&guest, bytes->data() + i + 8, 8);
        else if (g->second.first == CodeObject::Target::ModuleBase)
          guest = g->second.second;
        else {
          err = "a pc map entry with an unexpected guest pc";
          return false;
        }
        uint64_t rawFp;
        memcpy(&rawFp, bytes->data() + i + 16, 8);
        if (fields.count(i + 16) || rawFp != (uint32_t)rawFp) {
          err = "a pc map entry with a bad raw-FP mask";
          return false;
        }
        RegSpills spills{};
        for (unsigned k = 0; k < kMaxRegSpills; k++) {
          const uint8_t *slot = bytes->bytes_begin() + i + 24 + 2 * kMaxRegSpills + 8 * k;
          uint16_t field;
          memcpy(&field, bytes->data() + i + 24 + 2 * k, 2);
          auto zeroFrom = [&](unsigned at) {
            return std::all_of(slot + at, slot + 8, [](uint8_t b) { return b == 0; });
          };
          bool none = zeroFrom(0);
          bool gpr = (slot[0] & ~4) == 0x48 && slot[1] == 0x89 &&
                     (slot[2] & 0xc7) == 0xc0 && zeroFrom(3);
          bool xmm = slot[0] == 0x66 && (slot[1] & ~4) == 0x48 && slot[2] == 0x0f &&
                     slot[3] == 0x7e && (slot[4] & 0xc7) == 0xc0 && zeroFrom(5);
          if (field ? !gpr && !xmm : !none) {
            err = "a pc map entry with a bad spill";
            return false;
          }
          if (gpr)
            spills[k] = {field, (uint8_t)((slot[0] & 4) << 1 | (slot[2] >> 3 & 7))};
          else if (xmm)
            spills[k] = {field, (uint8_t)(kFirstXmmSpill + ((slot[1] & 4) << 1 |
                                                            (slot[4] >> 3 & 7)))};
          if (!validSpill(spills[k])) {
            err = "a pc map entry with a bad spill";
            return false;
          }
        }
        for (uint64_t at = i + 24; at < i + kEntry; at++)
          if (fields.count(at)) {
            err = "a pc map entry with a bad spill";
            return false;
          }
        out.pcmap.push_back({(uint32_t)host->second.second, guest, (uint32_t)rawFp, spills});
      }
      continue;
    }
    auto place = placed.find(secIndex);
    if (place == placed.end())
      continue; // relocations of what is not installed (.eh_frame)
    for (const RelocationRef &rr : rs.relocations()) {
      ELFRelocationRef r(rr);
      CodeObject::Reloc rel;
      if (!relocType(r.getType(), rel.type)) {
        SmallString<32> typeName;
        r.getTypeName(typeName);
        err = "the compiled translation has a relocation xlat does not install: " +
              std::string(typeName);
        return false;
      }
      rel.offset = place->second + r.getOffset();
      if (!target(r, rel.target, rel.index, rel.addend))
        return false;
      out.relocs.push_back(rel);
    }
  }
  return true;
}

bool bindPcValues(CodeObject &obj, uint64_t base, const std::vector<uint64_t> &values,
                  std::string &err) {
  const std::string valuePrefix = rv::Lifter::kPcValuePrefix;
  const std::string cellPrefix = rv::Lifter::kPcCellPrefix;
  std::map<uint64_t, uint32_t> cellIndex;
  for (uint64_t &c : obj.cells) {
    c += base;
    cellIndex.emplace(c, uint32_t(&c - obj.cells.data()));
  }
  // What each external becomes: a value, a cell, or itself renumbered.
  struct Bound {
    CodeObject::Target target;
    uint32_t index;
    uint64_t value;
  };
  std::vector<Bound> bound;
  std::vector<std::string> externals;
  for (const std::string &n : obj.externals) {
    bool isValue = n.compare(0, valuePrefix.size(), valuePrefix) == 0;
    bool isCell = n.compare(0, cellPrefix.size(), cellPrefix) == 0;
    if (!isValue && !isCell) {
      bound.push_back({CodeObject::Target::External, uint32_t(externals.size()), 0});
      externals.push_back(n);
      continue;
    }
    const char *digits = n.c_str() + (isValue ? valuePrefix.size() : cellPrefix.size());
    char *end;
    unsigned long k = strtoul(digits, &end, 10);
    if (end == digits || *end || k >= values.size()) {
      err = "a pc value the code object names and the program lacks: " + n;
      return false;
    }
    if (isValue) {
      bound.push_back({CodeObject::Target::ModuleBase, 0, values[k]});
    } else {
      auto [it, fresh] = cellIndex.emplace(values[k], uint32_t(obj.cells.size()));
      if (fresh)
        obj.cells.push_back(values[k]);
      bound.push_back({CodeObject::Target::Cell, it->second, 0});
    }
  }
  obj.externals = std::move(externals);
  for (CodeObject::Reloc &r : obj.relocs) {
    if (r.target == CodeObject::Target::ModuleBase) {
      r.addend += base;
    } else if (r.target == CodeObject::Target::External) {
      const Bound &b = bound[r.index];
      r.target = b.target;
      r.index = b.index;
      r.addend += b.value; // the program's base is 0
    }
  }
  for (CodeObject::Access &a : obj.pcmap)
    a.guestPc += base;
  return true;
}

} // namespace xlat::jit
