// Build step: turns stencil objects into the table the template tier copies
// and patches (table.h).
//
//   xlat-extract-stencils OUT.cpp OBJ...
//
// Every section .text.xlat_st_* / xlat_sst_* / xlat_glue_* of the objects is one
// stencil: its bytes and its relocations, each classified by what it points
// at (holes.h). Any other allocated section (constant pools, out-of-line
// helpers) goes into one shared blob with relocations of its own. Writable
// data, TLS, or a hole referenced from shared code cannot be copied and
// patched per use: the build fails naming the section.
#include "jit/stencils/holes.h"

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace xlat::jit::stencil;

namespace {

[[noreturn]] void die(const std::string &msg) {
  fprintf(stderr, "xlat-extract-stencils: %s\n", msg.c_str());
  exit(1);
}

struct OutReloc {
  uint32_t offset;
  unsigned type;
  RelocTarget target;
  unsigned hole = 0;
  uint32_t index = 0;
  int64_t addend;
};

struct OutStencil {
  std::string name;
  std::vector<uint8_t> code;
  std::vector<OutReloc> relocs;
  bool forwardsRd = false;
};

struct Extractor {
  std::vector<OutStencil> stencils;
  std::vector<uint8_t> shared;
  std::vector<OutReloc> sharedRelocs;
  std::vector<std::string> externals;
  std::set<std::string> forwarding; // from kForwardsSection

  uint32_t externalIndex(const std::string &name) {
    auto it = std::find(externals.begin(), externals.end(), name);
    if (it != externals.end())
      return it - externals.begin();
    externals.push_back(name);
    return externals.size() - 1;
  }

  static bool isStencilSection(const std::string &name) {
    return name.rfind(".text.xlat_st_", 0) == 0 ||
           name.rfind(".text.xlat_sst_", 0) == 0 ||
           name.rfind(".text.xlat_glue_", 0) == 0;
  }

  void read(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0)
      die(std::string(path) + ": " + strerror(errno));
    Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
    GElf_Ehdr eh;
    if (!elf || !gelf_getehdr(elf, &eh) || eh.e_machine != EM_X86_64 ||
        eh.e_type != ET_REL)
      die(std::string(path) + ": not an x86-64 relocatable object");
    size_t shstrndx;
    elf_getshdrstrndx(elf, &shstrndx);

    // Sections by index: name, header, data.
    std::map<size_t, std::pair<std::string, GElf_Shdr>> secs;
    Elf_Scn *symtabScn = nullptr;
    for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(elf, scn));) {
      GElf_Shdr sh;
      gelf_getshdr(scn, &sh);
      secs[elf_ndxscn(scn)] = {elf_strptr(elf, shstrndx, sh.sh_name), sh};
      if (sh.sh_type == SHT_SYMTAB)
        symtabScn = scn;
    }
    if (!symtabScn)
      die(std::string(path) + ": no symbol table");
    GElf_Shdr symSh;
    gelf_getshdr(symtabScn, &symSh);
    Elf_Data *symData = elf_getdata(symtabScn, nullptr);

    auto sectionBytes = [&](size_t idx) {
      Elf_Scn *scn = elf_getscn(elf, idx);
      Elf_Data *d = elf_getdata(scn, nullptr);
      const GElf_Shdr &sh = secs[idx].second;
      std::vector<uint8_t> v(sh.sh_size, 0);
      if (sh.sh_type != SHT_NOBITS && d && d->d_buf)
        memcpy(v.data(), d->d_buf, sh.sh_size);
      return v;
    };

    // Shared sections: every allocated section that is not a stencil.
    std::map<size_t, uint64_t> sharedOffset;
    for (auto &[idx, sec] : secs) {
      const auto &[name, sh] = sec;
      if (name == kForwardsSection) {
        std::vector<uint8_t> list = sectionBytes(idx);
        for (size_t at = 0; at < list.size();) {
          std::string n(reinterpret_cast<const char *>(list.data() + at),
                        strnlen(reinterpret_cast<const char *>(list.data() + at),
                                list.size() - at));
          forwarding.insert(n);
          at += n.size() + 1;
        }
        continue;
      }
      if (!(sh.sh_flags & SHF_ALLOC) || isStencilSection(name) ||
          sh.sh_size == 0 || name == ".eh_frame")
        continue;
      if (sh.sh_flags & (SHF_WRITE | SHF_TLS))
        die(std::string(path) + ": stencils must not use writable data (" +
            name + ")");
      uint64_t align = std::max<uint64_t>(sh.sh_addralign, 1);
      uint64_t off = (shared.size() + align - 1) / align * align;
      shared.resize(off);
      std::vector<uint8_t> bytes = sectionBytes(idx);
      shared.insert(shared.end(), bytes.begin(), bytes.end());
      sharedOffset[idx] = off;
    }

    auto classify = [&](const GElf_Rela &r, const std::string &where,
                        bool inShared) {
      GElf_Sym sym;
      gelf_getsym(symData, GELF_R_SYM(r.r_info), &sym);
      std::string symName = elf_strptr(elf, symSh.sh_link, sym.st_name);
      OutReloc o;
      o.type = GELF_R_TYPE(r.r_info);
      o.addend = r.r_addend;
      switch (o.type) {
      case R_X86_64_64: case R_X86_64_PC32: case R_X86_64_PLT32:
      case R_X86_64_32: case R_X86_64_32S: case R_X86_64_8:
        break;
      default:
        die(where + ": unsupported relocation type " + std::to_string(o.type));
      }
      if (sym.st_shndx == SHN_UNDEF) {
        if (symName.rfind(kHolePrefix, 0) == 0) {
          std::string h = symName.substr(kHolePrefix.size());
          auto it = std::find(std::begin(kHoleNames), std::end(kHoleNames), h);
          if (it == std::end(kHoleNames))
            die(where + ": unknown hole " + symName);
          if (inShared)
            die(where + ": shared code refers to hole " + symName);
          o.target = RelocTarget::Hole;
          o.hole = it - std::begin(kHoleNames);
        } else {
          o.target = RelocTarget::External;
          o.index = externalIndex(symName);
        }
      } else if (sharedOffset.count(sym.st_shndx)) {
        o.target = RelocTarget::Data;
        o.index = sharedOffset[sym.st_shndx] + sym.st_value;
      } else {
        die(where + ": refers to " +
            (symName.empty() ? secs[sym.st_shndx].first : symName) +
            ", which is not shared data or a hole");
      }
      return o;
    };

    for (auto &[idx, sec] : secs) {
      const auto &[name, sh] = sec;
      if (sh.sh_type != SHT_RELA)
        continue;
      if (sh.sh_type == SHT_REL)
        die(std::string(path) + ": REL relocations are not expected");
      size_t target = sh.sh_info;
      if (!secs.count(target) || !(secs[target].second.sh_flags & SHF_ALLOC) ||
          secs[target].first == ".eh_frame")
        continue; // unwind and debug info
      const std::string &tname = secs[target].first;
      Elf_Data *d = elf_getdata(elf_getscn(elf, idx), nullptr);
      size_t n = sh.sh_size / sh.sh_entsize;
      if (isStencilSection(tname) || tname == kForwardsSection)
        continue; // below, with the stencil; the list has none
      uint64_t base = sharedOffset.at(target);
      for (size_t i = 0; i < n; i++) {
        GElf_Rela r;
        gelf_getrela(d, i, &r);
        OutReloc o = classify(r, tname, true);
        o.offset = base + r.r_offset;
        sharedRelocs.push_back(o);
      }
    }

    for (auto &[idx, sec] : secs) {
      const auto &[name, sh] = sec;
      if (!isStencilSection(name))
        continue;
      OutStencil st;
      st.name = name.substr(strlen(".text."));
      st.code = sectionBytes(idx);
      for (auto &[ridx, rsec] : secs) {
        if (rsec.second.sh_type != SHT_RELA || rsec.second.sh_info != idx)
          continue;
        Elf_Data *d = elf_getdata(elf_getscn(elf, ridx), nullptr);
        size_t n = rsec.second.sh_size / rsec.second.sh_entsize;
        for (size_t i = 0; i < n; i++) {
          GElf_Rela r;
          gelf_getrela(d, i, &r);
          OutReloc o = classify(r, st.name, false);
          o.offset = r.r_offset;
          st.relocs.push_back(o);
        }
      }
      std::sort(st.relocs.begin(), st.relocs.end(),
                [](const OutReloc &a, const OutReloc &b) { return a.offset < b.offset; });
      stencils.push_back(std::move(st));
    }
    for (OutStencil &st : stencils)
      st.forwardsRd = st.forwardsRd || forwarding.count(st.name);
    elf_end(elf);
    close(fd);
  }

  static bool endsInJumpToNext(const OutStencil &s) {
    if (s.code.size() < 5 || s.code[s.code.size() - 5] != 0xe9 || s.relocs.empty())
      return false;
    const OutReloc &r = s.relocs.back();
    return r.offset == s.code.size() - 4 && r.target == RelocTarget::Hole &&
           r.hole == (unsigned)Hole::next && r.addend == -4 &&
           (r.type == R_X86_64_PLT32 || r.type == R_X86_64_PC32);
  }

  static void writeBytes(FILE *f, const std::vector<uint8_t> &v) {
    for (size_t i = 0; i < v.size(); i++)
      fprintf(f, "%s0x%02x,", i % 16 ? "" : "\n  ", v[i]);
    if (v.empty())
      fprintf(f, "0");
    fprintf(f, "\n");
  }

  static void writeReloc(FILE *f, const OutReloc &r) {
    static const char *kTargets[] = {"Hole", "Data", "External"};
    fprintf(f, "  {%u, RelocType(%u), RelocTarget::%s, Hole(%u), %u, %lldll},\n",
            r.offset, r.type, kTargets[(int)r.target], r.hole, r.index,
            (long long)r.addend);
  }

  void write(const char *path) {
    std::sort(stencils.begin(), stencils.end(),
              [](const OutStencil &a, const OutStencil &b) { return a.name < b.name; });
    FILE *f = fopen(path, "w");
    if (!f)
      die(std::string(path) + ": " + strerror(errno));
    fprintf(f, "// Generated by xlat-extract-stencils. Do not edit.\n"
               "#include \"jit/stencils/table.h\"\n\n"
               "namespace xlat::jit::stencil {\nnamespace {\n");
    for (const OutStencil &s : stencils) {
      fprintf(f, "alignas(16) const uint8_t code_%s[] = {", s.name.c_str());
      writeBytes(f, s.code);
      fprintf(f, "};\n");
      if (!s.relocs.empty()) {
        fprintf(f, "const Reloc relocs_%s[] = {\n", s.name.c_str());
        for (const OutReloc &r : s.relocs)
          writeReloc(f, r);
        fprintf(f, "};\n");
      }
    }
    fprintf(f, "} // namespace\n\nconst Stencil kStencils[] = {\n");
    for (const OutStencil &s : stencils)
      fprintf(f, "  {\"%s\", code_%s, %zu, %s%s, %zu, %s, %s},\n", s.name.c_str(),
              s.name.c_str(), s.code.size(), s.relocs.empty() ? "nullptr" : "relocs_",
              s.relocs.empty() ? "" : s.name.c_str(), s.relocs.size(),
              endsInJumpToNext(s) ? "true" : "false", s.forwardsRd ? "true" : "false");
    fprintf(f, "};\nconst size_t kNumStencils = %zu;\n\n", stencils.size());
    fprintf(f, "alignas(64) const uint8_t kShared[] = {");
    writeBytes(f, shared);
    fprintf(f, "};\nconst size_t kSharedSize = %zu;\n", shared.size());
    fprintf(f, "const Reloc kSharedRelocs[] = {\n");
    for (const OutReloc &r : sharedRelocs)
      writeReloc(f, r);
    if (sharedRelocs.empty())
      fprintf(f, "  {},\n");
    fprintf(f, "};\nconst size_t kNumSharedRelocs = %zu;\n", sharedRelocs.size());
    fprintf(f, "const char *const kExternals[] = {\n");
    for (const std::string &e : externals)
      fprintf(f, "  \"%s\",\n", e.c_str());
    if (externals.empty())
      fprintf(f, "  nullptr,\n");
    fprintf(f, "};\nconst size_t kNumExternals = %zu;\n", externals.size());
    fprintf(f, "\n} // namespace xlat::jit::stencil\n");
    if (fclose(f) != 0)
      die(std::string(path) + ": write failed");
  }
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 3)
    die("usage: xlat-extract-stencils OUT.cpp OBJ...");
  if (elf_version(EV_CURRENT) == EV_NONE)
    die("libelf is too old");
  Extractor x;
  for (int i = 2; i < argc; i++)
    x.read(argv[i]);
  x.write(argv[1]);
  return 0;
}
