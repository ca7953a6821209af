// The persistent translation cache: optimised translations kept on disk
// across runs, so that a program's second run (or a run after xlat-aot)
// starts on LLVM-compiled code without compiling it. docs/cache-format.md
// describes the files.
//
// One file per module (the identity of an executable file's bytes: a
// program, its interpreter, each shared library) and per translator build
// and code-generation configuration, so that a library's code is compiled
// once for every program that maps it. An entry is a translation lifted
// relative to its module's base (jit::BlockTierOptions::moduleOf), keyed by
// its offset from the base, with the guest bytes it was compiled from; it
// is used wherever the module is mapped, and only where the bytes now
// there are the same (another version, code the guest wrote: the entry is
// not used, and the JIT compiles as usual). System mode keeps one file per
// kernel, of translations at absolute addresses (base 0).
#pragma once

#include "lifter/core/guest_isa.h"

#include "jit/block_tier.h"
#include "jit/code_object.h"
#include "lifter/core/code_reader.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace xlat::aot {

struct CacheStats {
  uint64_t lookups = 0;       // translations looked for in the cache
  uint64_t hits = 0;          // found, with matching guest bytes
  uint64_t stale = 0;         // found, but the guest bytes differ
  uint64_t loadNanos = 0;     // reading and checking the file at start
  uint64_t fileBytes = 0;     // size of the file read
  uint64_t fileEntries = 0;   // entries in it
  uint64_t rejected = 0;      // files or entries refused (see warnings)
  uint64_t entriesWritten = 0;
  uint64_t bytesWritten = 0;

  CacheStats &operator+=(const CacheStats &o) {
    lookups += o.lookups, hits += o.hits, stale += o.stale;
    loadNanos += o.loadNanos, fileBytes += o.fileBytes;
    fileEntries += o.fileEntries, rejected += o.rejected;
    entriesWritten += o.entriesWritten, bytesWritten += o.bytesWritten;
    return *this;
  }
};

struct CacheOptions {
  bool enabled = true;
  std::string dir;         // empty: the default (defaultCacheDir)
  uint64_t maxBytes = uint64_t(1) << 30; // the directory's size bound
};

// A --cache-max value: N, NK, NM or NG bytes; false if it is none.
bool parseCacheSize(const std::string &text, uint64_t &bytes);

// $XLAT_CACHE_DIR, else $XDG_CACHE_HOME/xlat, else ~/.cache/xlat; empty if
// none can be made out.
std::string defaultCacheDir();

// The code-generation configuration a run's translations are made under
// (the cache file's `config`): the tier and the options the lifter and the
// code generator see. xlat-aot fills the file xlat-run's default tier uses.
// Block counting (--stats) is not part of it: a --stats run reads the same
// file (cached code does not count its blocks) and writes nothing to it.
std::string codeConfig(std::string_view tier, const jit::BlockTierOptions &block,
                       unsigned regionBlocks);

// The build identity of this translator: its executable and the LLVM-tiers
// plugin, whose code the cache stores.
std::string translatorBuildId();

class TranslationCache {
public:
  // Opens (or prepares to create) the cache file of the module whose file
  // is `module` (for system mode, the kernel), for code generated under
  // `config` (the tier and code-generation options that shape the code).
  // Null if the cache cannot be used, with a one-line `warning` unless it
  // is merely absent.
  static std::unique_ptr<TranslationCache>
  open(const CacheOptions &opts, const std::string &module, GuestIsa isa,
       const std::string &config, std::string &warning);

  // The file of code shared between static programs: translations of
  // their code made position-independent (BlockTierOptions::
  // pcIndependentProgram), keyed by what the code depends on
  // (rv::pcIndependentIdentity) instead of where it is. xlat-aot fills it
  // and takes from it; runners never read it.
  static std::unique_ptr<TranslationCache>
  openShared(const CacheOptions &opts, GuestIsa isa, const std::string &config,
             std::string &warning);
  // The shared code made for `identity`, if the file has it.
  bool findShared(const std::vector<uint8_t> &identity, jit::CodeObject &out);
  // Keeps t's position-independent code (t.pcIndependent) for save().
  void recordShared(const jit::CompiledTranslation &t);

  // The cached translation entered at pc, in the module whose base is
  // `base` here, if the guest code it was made from is the code now at its
  // addresses (read through `code`); and, if asked, those addresses.
  bool lookup(uint64_t pc, uint64_t base, CodeReader &code, jit::CodeObject &out,
              std::vector<std::pair<uint64_t, uint32_t>> *ranges = nullptr);
  // Why the last entry refused as damaged was refused (empty if none since
  // the last call): for one warning line.
  std::string takeRejection();
  // Keeps a translation this run compiled, for save(): relative to its
  // module base (t.moduleBase), else at its own addresses.
  void record(const jit::CompiledTranslation &t);
  // Merges what this run recorded with the file as it is now (another
  // process may have written it) and publishes the result atomically;
  // then keeps the directory within its size bound. False with a
  // one-line warning on failure. Safe to call more than once.
  bool save(std::string &warning);

  CacheStats stats() const;
  const std::string &path() const { return path_; }

  // The file format, for tests and the fuzz target: entries from the
  // bytes of a cache file, or false with a one-line err; a file of them.
  struct Entry {
    uint64_t pc = 0;
    std::vector<std::pair<uint64_t, uint32_t>> ranges;
    uint8_t bytesHash[16] = {};
    std::vector<uint8_t> object; // CodeObject::serialize()
  };
  static bool parseFile(const std::vector<uint8_t> &file, const uint8_t key[16],
                        std::vector<Entry> &out, std::string &err,
                        GuestIsa isa = GuestIsa::Riscv64);
  static std::vector<uint8_t> formatFile(const std::vector<Entry> &entries,
                                         const uint8_t key[16],
                                         GuestIsa isa = GuestIsa::Riscv64);
  // The file with its checksums made right (for the fuzz target: mutated
  // files then reach the index and entry parsers).
  static void sealFile(std::vector<uint8_t> &file);

  ~TranslationCache();

private:
  // An entry as stored: its pc, guest-bytes hash and zstd-compressed body
  // (ranges and code object).
  struct Packed {
    uint64_t pc = 0;
    uint8_t bytesHash[16] = {};
    uint32_t rawSize = 0;
    std::vector<uint8_t> blob;
  };
  // An entry of the file's index: where its body is in the payload.
  struct IndexEntry {
    uint64_t pc;
    uint64_t offset;
    uint32_t size, rawSize;
    uint8_t bytesHash[16];
    uint64_t bodyHash; // XXH3-64 of the compressed body
  };

  TranslationCache() = default;
  // open(), for a file whose module is `identity` (a hash).
  static std::unique_ptr<TranslationCache>
  openKeyed(const CacheOptions &opts, const uint8_t identity[16], GuestIsa isa,
            const std::string &config, std::string &warning);
  // Checks a file's header and index (and copies the index to out, if
  // given); false with a one-line err.
  static bool readIndex(const uint8_t *file, size_t size, const uint8_t key[16], GuestIsa isa,
                        std::vector<IndexEntry> *out, std::string &err);
  // Entry i of a checked index.
  static IndexEntry indexEntry(const uint8_t *index, size_t i);
  static bool decodeBody(const uint8_t *blob, const IndexEntry &ie, Entry &out,
                         std::string &err);
  static Packed pack(const Entry &e);
  static std::vector<uint8_t> writeFile(const std::vector<Packed> &entries,
                                        const uint8_t key[16], GuestIsa isa);
  // Maps the file; false with err empty if there is none yet.
  bool mapFile(const uint8_t *&data, size_t &size, std::string &err);

  CacheOptions opts_;
  GuestIsa isa_ = GuestIsa::Riscv64;
  std::string dir_, path_;
  uint8_t key_[16] = {};
  mutable std::mutex mu_;
  const uint8_t *map_ = nullptr; // the file as read at open, mapped
  size_t mapSize_ = 0;
  const uint8_t *index_ = nullptr; // its index, checked, sorted by pc
  size_t entries_ = 0;
  std::vector<Packed> recorded_;            // compiled in this run
  std::string rejection_;
  CacheStats stats_;
};

// The runners' use of a cache: pc's cached translation, if any, installed
// for the module at `base` with `installer` (its cells in `codeCache`) and
// named xlat_aot_<pc>;
// null on a miss or a failed install (err: why, e.g. kCodeBufferFull). A
// damaged entry, and a cached translation that cannot be installed, are
// each told once per process on stderr, after `tool`.
jit::BlockFn installCached(TranslationCache &cache, uint64_t pc, uint64_t base,
                           CodeReader &code,
                           jit::CodeInstaller &installer, jit::CodeCache &codeCache,
                           const char *tool, std::string &err,
                           std::vector<std::pair<uint64_t, uint32_t>> *ranges = nullptr);

} // namespace xlat::aot
