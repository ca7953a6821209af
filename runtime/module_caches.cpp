#include "runtime/module_caches.h"

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace xlat {

uint64_t ModuleCaches::baseOf(const GuestMemory::ExecFile &f) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = fixed_.find(f.path);
  if (it == fixed_.end()) {
    unsigned char ident[18] = {};
    int fd = open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
    bool isExec = fd >= 0 && pread(fd, ident, sizeof ident, 0) == sizeof ident &&
                  !memcmp(ident, "\177ELF", 4) && ident[16] == 2 /* ET_EXEC */ &&
                  ident[17] == 0;
    if (fd >= 0)
      close(fd);
    it = fixed_.emplace(f.path, isExec || f.path == program_).first;
  }
  return it->second ? 0 : f.start - f.offset;
}

bool ModuleCaches::moduleOf(uint64_t pc, jit::GuestModuleSpan &span) {
  GuestMemory::ExecFile f;
  if (!mem_.execFileAt(pc, f) || f.path.empty())
    return false;
  span = {baseOf(f), f.start, f.end};
  return true;
}

aot::TranslationCache *ModuleCaches::cacheOf(const std::string &path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = byPath_.find(path);
  if (it == byPath_.end()) {
    std::string warning;
    it = byPath_.emplace(path, aot::TranslationCache::open(opts_, path, isa_, config_, warning))
             .first;
    warnOnce(warning);
  }
  return it->second.get();
}

void ModuleCaches::warnOnce(const std::string &warning) {
  if (!warning.empty() && told_.insert(warning).second)
    fprintf(stderr, "xlat-run: %s\n", warning.c_str());
}

jit::BlockFn ModuleCaches::install(uint64_t pc, CodeReader &code,
                                   jit::CodeInstaller &installer,
                                   jit::CodeCache &codeCache, std::string &err) {
  GuestMemory::ExecFile f;
  // Code in no module (a guest JIT's) is kept in the program's file, at
  // its addresses, and used where the same bytes are there again.
  bool inModule = mem_.execFileAt(pc, f) && !f.path.empty();
  aot::TranslationCache *cache = cacheOf(inModule ? f.path : program_);
  if (!cache)
    return nullptr;
  return aot::installCached(*cache, pc, inModule ? baseOf(f) : 0, code, installer,
                            codeCache, "xlat-run", err);
}

void ModuleCaches::record(const jit::CompiledTranslation &t) {
  GuestMemory::ExecFile f;
  if (!t.moduleBase) {
    // In no module (or across two): the program's file, at its addresses.
    if (aot::TranslationCache *cache = cacheOf(program_))
      cache->record(t);
    return;
  }
  if (!mem_.execFileAt(t.pc, f) || f.path.empty() || baseOf(f) != *t.moduleBase)
    return; // its module went away meanwhile
  if (aot::TranslationCache *cache = cacheOf(f.path))
    cache->record(t);
}

void ModuleCaches::save() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto &[path, cache] : byPath_) {
    std::string warning;
    if (cache && !cache->save(warning))
      warnOnce(warning);
  }
}

aot::CacheStats ModuleCaches::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  aot::CacheStats all;
  for (auto &[path, cache] : byPath_)
    if (cache)
      all += cache->stats();
  return all;
}

} // namespace xlat
