// User mode's translation caches: one per module the guest maps for
// execution (its program, interpreter and libraries), each the file of
// aot::TranslationCache for that module's bytes, opened when code of the
// module is first looked up. Code lifted for a module is relative to its
// base (jit::BlockTierOptions::moduleOf), so a library's cached code serves
// every program that maps it, at whatever address.
#pragma once

#include "aot/cache.h"
#include "runtime/guest_memory.h"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace xlat {

class ModuleCaches {
public:
  // `program`: the real path of the process's executable.
  ModuleCaches(GuestMemory &mem, const aot::CacheOptions &opts, GuestIsa isa,
               std::string config, std::string program)
      : mem_(mem), opts_(opts), isa_(isa), config_(std::move(config)),
        program_(std::move(program)) {}

  // The module whose code holds pc: a private executable file mapping,
  // whose base is its address minus its file offset. The program's own
  // base is 0: an ELF executable is only ever at its link addresses, and
  // xlat-run (as xlat-aot) loads a PIE program at one address too. So its
  // code, where a program's hot loops mostly are, keeps constant pcs (see
  // jit::GuestModuleSpan); libraries, whose addresses depend on what else
  // the program maps, are compiled relative to their base.
  bool moduleOf(uint64_t pc, jit::GuestModuleSpan &span);
  // pc's cached translation, installed (see aot::installCached); null on a
  // miss, with err set as installCached sets it. Code in no module (a
  // guest JIT's) is kept in the program's file at its own addresses.
  jit::BlockFn install(uint64_t pc, CodeReader &code, jit::CodeInstaller &installer,
                       jit::CodeCache &codeCache, std::string &err);
  // Keeps a translation compiled for a module in that module's cache.
  void record(const jit::CompiledTranslation &t);
  // Publishes what each module's cache recorded; a warning line on
  // failure, on stderr (see warnOnce).
  void save();
  aot::CacheStats stats() const;

private:
  // The cache of the module file at path (null if it cannot be used, told
  // once on stderr).
  aot::TranslationCache *cacheOf(const std::string &path);
  // The base of the module mapped as f.
  uint64_t baseOf(const GuestMemory::ExecFile &f);
  // One line on stderr per distinct problem: a directory that cannot be
  // made, used or written is one problem however many modules' files are
  // in it; a damaged file is one per file (its path is in the message).
  void warnOnce(const std::string &warning);

  GuestMemory &mem_;
  aot::CacheOptions opts_;
  GuestIsa isa_;
  std::string config_, program_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<aot::TranslationCache>> byPath_;
  std::map<std::string, bool> fixed_; // by path: at one address always?
  std::set<std::string> told_;        // the warnings printed
};

} // namespace xlat
