#include "aot/cache.h"

#include "jit/byte_reader.h"
#include "jit/code_buffer.h"
#include "jit/llvm_tiers.h"

#include <xxhash.h>
#include <zstd.h>

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <unordered_set>
#include <utility>

namespace xlat::aot {
namespace {

constexpr char kMagic[8] = {'X', 'L', 'A', 'T', 'T', 'C', '\r', '\n'};
constexpr uint32_t kVersion = 5;
// The header names the guest ISA by its ELF machine number.
uint32_t elfMachine(GuestIsa isa) { return isa == GuestIsa::Aarch64 ? EM_AARCH64 : EM_RISCV; }
const char *isaName(GuestIsa isa) { return isa == GuestIsa::Aarch64 ? "aarch64" : "riscv64"; }
constexpr size_t kHeaderSize = 72;
constexpr size_t kIndexEntrySize = 48;
constexpr const char *kSuffix = ".xtc";
// An entry body that decompresses beyond this is refused as corrupt.
constexpr uint32_t kMaxBody = 64u << 20;

// The fixed-size header, little-endian, in this order.
struct Header {
  char magic[8];
  uint32_t version;
  uint32_t isa;
  uint8_t key[16];
  uint32_t entries;
  uint32_t reserved;
  uint64_t indexSize;   // entries * kIndexEntrySize
  uint64_t payloadSize; // bytes after the header: index, then bodies
  uint64_t indexHash;   // XXH3-64 of the index (each body has its own)
  uint64_t headerHash;  // XXH3-64 of the bytes above
};
static_assert(sizeof(Header) == kHeaderSize);

std::string hex(const uint8_t *p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; i++) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

void put(std::vector<uint8_t> &out, const void *p, size_t n) {
  const uint8_t *b = static_cast<const uint8_t *>(p);
  out.insert(out.end(), b, b + n);
}
template <typename T> void put(std::vector<uint8_t> &out, T v) {
  put(out, &v, sizeof v);
}

using Reader = jit::ByteReader;

XXH128_hash_t hashFile(const std::string &path, bool &ok) {
  ok = false;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return {};
  struct stat st;
  XXH128_hash_t h = {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    void *p = st.st_size ? mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
                         : nullptr;
    if (p != MAP_FAILED) {
      h = XXH3_128bits(p, st.st_size);
      ok = true;
      if (p)
        munmap(p, st.st_size);
    }
  }
  close(fd);
  return h;
}

// The GNU build id in a run of ELF notes, as hex; empty if none.
std::string buildIdNote(const uint8_t *p, const uint8_t *end) {
  while (p + sizeof(ElfW(Nhdr)) <= end) {
    const auto *n = reinterpret_cast<const ElfW(Nhdr) *>(p);
    const uint8_t *name = p + sizeof *n;
    const uint8_t *desc = name + ((n->n_namesz + 3) & ~3u);
    if (desc > end || n->n_descsz > size_t(end - desc))
      break;
    if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
        memcmp(name, "GNU", 4) == 0)
      return hex(desc, n->n_descsz);
    p = desc + ((n->n_descsz + 3) & ~3u);
  }
  return "";
}

// The main program's build id, from its loaded program headers.
int selfBuildId(struct dl_phdr_info *info, size_t, void *data) {
  auto *out = static_cast<std::string *>(data);
  for (int i = 0; i < info->dlpi_phnum && out->empty(); i++) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_NOTE) {
      const uint8_t *p = reinterpret_cast<const uint8_t *>(info->dlpi_addr + ph.p_vaddr);
      *out = buildIdNote(p, p + ph.p_memsz);
    }
  }
  return 1; // the main program comes first: stop either way
}

// A file's build id, from its program headers (a few hundred bytes read,
// not the whole file); else a hash of its bytes; empty if unreadable.
std::string fileBuildId(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return "";
  std::string id;
  ElfW(Ehdr) eh;
  if (pread(fd, &eh, sizeof eh, 0) == sizeof eh &&
      memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
      eh.e_phentsize == sizeof(ElfW(Phdr)) && eh.e_phnum < 256) {
    std::vector<ElfW(Phdr)> phs(eh.e_phnum);
    size_t n = phs.size() * sizeof(ElfW(Phdr));
    if (pread(fd, phs.data(), n, eh.e_phoff) == (ssize_t)n)
      for (const ElfW(Phdr) &ph : phs)
        if (ph.p_type == PT_NOTE && ph.p_filesz < 4096 && id.empty()) {
          std::vector<uint8_t> notes(ph.p_filesz);
          if (pread(fd, notes.data(), notes.size(), ph.p_offset) ==
              (ssize_t)notes.size())
            id = buildIdNote(notes.data(), notes.data() + notes.size());
        }
  }
  close(fd);
  if (id.empty()) {
    bool ok;
    XXH128_hash_t h = hashFile(path, ok);
    if (ok)
      id = hex(reinterpret_cast<const uint8_t *>(&h), sizeof h);
  }
  return id;
}

bool makeDirs(const std::string &dir) {
  std::string path;
  size_t i = 0;
  while (i != std::string::npos) {
    i = dir.find('/', i + 1);
    path = dir.substr(0, i);
    if (path.empty())
      continue;
    if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
      return false;
  }
  return true;
}

// Cached code is code the translator runs: a directory or file that
// another user could write is not used.
bool ownedAndPrivate(const struct stat &st) {
  return st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

uint64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

bool parseCacheSize(const std::string &text, uint64_t &bytes) {
  if (text.empty() || !isdigit((unsigned char)text[0]))
    return false;
  char *end = nullptr;
  errno = 0;
  unsigned long long n = strtoull(text.c_str(), &end, 10);
  std::string unit = end;
  int shift = unit.empty() ? 0 : unit == "K" ? 10 : unit == "M" ? 20 : unit == "G" ? 30 : -1;
  if (errno || shift < 0 || n > (~0ull >> shift))
    return false;
  bytes = n << shift;
  return true;
}

std::string defaultCacheDir() {
  if (const char *d = getenv("XLAT_CACHE_DIR"); d && *d)
    return d;
  if (const char *d = getenv("XDG_CACHE_HOME"); d && *d == '/')
    return std::string(d) + "/xlat";
  if (const char *h = getenv("HOME"); h && *h == '/')
    return std::string(h) + "/.cache/xlat";
  return "";
}

std::string codeConfig(std::string_view tier, const jit::BlockTierOptions &block,
                       unsigned regionBlocks) {
  char config[160];
  snprintf(config, sizeof config,
           "tier=%.*s max-block-insns=%u chain=%d region-blocks=%u",
           (int)tier.size(), tier.data(), block.maxBlockInsns, (int)block.chain,
           regionBlocks);
  return config;
}

std::string translatorBuildId() {
  // xlat-run's, also when xlat-aot (next to it) asks: the code is for it.
  std::string self;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string path(exe, n);
    self = fileBuildId(path.substr(0, path.rfind('/')) + "/xlat-run");
  }
  if (self.empty())
    dl_iterate_phdr(selfBuildId, &self);
  // The LLVM tiers' lifter and code generator: what the entries' code
  // came from.
  std::string tiers = fileBuildId(jit::llvmTiersPath());
  return self + "+" + (tiers.empty() ? "no-llvm-tiers" : tiers);
}

TranslationCache::Packed TranslationCache::pack(const Entry &e) {
  std::vector<uint8_t> raw;
  put<uint32_t>(raw, e.ranges.size());
  for (auto [pc, len] : e.ranges) {
    put<uint64_t>(raw, pc);
    put<uint32_t>(raw, len);
  }
  put<uint32_t>(raw, e.object.size());
  put(raw, e.object.data(), e.object.size());
  Packed p;
  p.pc = e.pc;
  memcpy(p.bytesHash, e.bytesHash, 16);
  p.rawSize = raw.size();
  p.blob.resize(ZSTD_compressBound(raw.size()));
  size_t n = ZSTD_compress(p.blob.data(), p.blob.size(), raw.data(), raw.size(), 3);
  p.blob.resize(ZSTD_isError(n) ? 0 : n);
  return p;
}

void TranslationCache::sealFile(std::vector<uint8_t> &file) {
  if (file.size() < sizeof(Header))
    return;
  Header h;
  memcpy(&h, file.data(), sizeof h);
  h.payloadSize = file.size() - sizeof h;
  // The bodies' hashes, in the index, then the index's.
  const uint8_t *payload = file.data() + sizeof h;
  if (h.indexSize == uint64_t(h.entries) * kIndexEntrySize &&
      h.indexSize <= h.payloadSize)
    for (uint32_t i = 0; i < h.entries; i++) {
      uint8_t *ie = file.data() + sizeof h + i * kIndexEntrySize;
      uint64_t offset;
      uint32_t size;
      memcpy(&offset, ie + 8, 8);
      memcpy(&size, ie + 16, 4);
      if (offset <= h.payloadSize && size <= h.payloadSize - offset) {
        uint64_t bodyHash = XXH3_64bits(payload + offset, size);
        memcpy(ie + 40, &bodyHash, 8);
      }
    }
  h.indexHash = XXH3_64bits(payload, std::min<uint64_t>(h.indexSize, h.payloadSize));
  h.headerHash = XXH3_64bits(&h, offsetof(Header, headerHash));
  memcpy(file.data(), &h, sizeof h);
}

std::vector<uint8_t> TranslationCache::writeFile(const std::vector<Packed> &entries,
                                                 const uint8_t key[16], GuestIsa isa) {
  Header h = {};
  memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.isa = elfMachine(isa);
  memcpy(h.key, key, 16);
  h.entries = entries.size();
  h.indexSize = entries.size() * kIndexEntrySize;
  std::vector<uint8_t> out(sizeof h);
  uint64_t offset = h.indexSize;
  // By pc, which readers binary-search.
  std::vector<const Packed *> byPc;
  for (const Packed &p : entries)
    byPc.push_back(&p);
  std::stable_sort(byPc.begin(), byPc.end(),
                   [](const Packed *a, const Packed *b) { return a->pc < b->pc; });
  for (const Packed *pp : byPc) {
    const Packed &p = *pp;
    put<uint64_t>(out, p.pc);
    put<uint64_t>(out, offset);
    put<uint32_t>(out, p.blob.size());
    put<uint32_t>(out, p.rawSize);
    put(out, p.bytesHash, 16);
    put<uint64_t>(out, XXH3_64bits(p.blob.data(), p.blob.size()));
    offset += p.blob.size();
  }
  for (const Packed *p : byPc)
    put(out, p->blob.data(), p->blob.size());
  memcpy(out.data(), &h, sizeof h);
  sealFile(out);
  return out;
}

std::vector<uint8_t> TranslationCache::formatFile(const std::vector<Entry> &entries,
                                                  const uint8_t key[16], GuestIsa isa) {
  std::vector<Packed> packed;
  for (const Entry &e : entries)
    packed.push_back(pack(e));
  return writeFile(packed, key, isa);
}

bool TranslationCache::readIndex(const uint8_t *file, size_t size,
                                 const uint8_t key[16], GuestIsa isa,
                                 std::vector<IndexEntry> *out, std::string &err) {
  if (out)
    out->clear();
  Header h;
  if (size < sizeof h) {
    err = "truncated header";
    return false;
  }
  memcpy(&h, file, sizeof h);
  if (memcmp(h.magic, kMagic, sizeof kMagic) != 0) {
    err = "not an xlat cache file";
    return false;
  }
  if (h.headerHash != XXH3_64bits(&h, offsetof(Header, headerHash))) {
    err = "header checksum mismatch";
    return false;
  }
  if (h.version != kVersion) {
    err = "format version " + std::to_string(h.version) + ", expected " +
          std::to_string(kVersion);
    return false;
  }
  if (h.isa != elfMachine(isa)) {
    err = "for another guest ISA";
    return false;
  }
  if (memcmp(h.key, key, 16) != 0) {
    err = "made for another program or translator build";
    return false;
  }
  if (h.payloadSize != size - sizeof h) {
    err = "truncated payload";
    return false;
  }
  const uint8_t *payload = file + sizeof h;
  if (h.indexSize != uint64_t(h.entries) * kIndexEntrySize ||
      h.indexSize > h.payloadSize) {
    err = "bad index size";
    return false;
  }
  if (h.indexHash != XXH3_64bits(payload, h.indexSize)) {
    err = "index checksum mismatch";
    return false;
  }
  // Checked whole here, so that lookups may read entries unchecked.
  uint64_t lastPc = 0;
  for (uint32_t i = 0; i < h.entries; i++) {
    IndexEntry e = indexEntry(payload, i);
    if (e.offset < h.indexSize || e.offset > h.payloadSize ||
        e.size > h.payloadSize - e.offset || e.rawSize > kMaxBody) {
      err = "index entry out of bounds";
      if (out)
        out->clear();
      return false;
    }
    if (e.pc < lastPc) {
      err = "index not sorted by pc";
      if (out)
        out->clear();
      return false;
    }
    lastPc = e.pc;
    if (out)
      out->push_back(e);
  }
  return true;
}

TranslationCache::IndexEntry TranslationCache::indexEntry(const uint8_t *index,
                                                          size_t i) {
  IndexEntry e;
  Reader r(index + i * kIndexEntrySize, kIndexEntrySize);
  r.get(e.pc);
  r.get(e.offset);
  r.get(e.size);
  r.get(e.rawSize);
  r.bytes(e.bytesHash, 16);
  r.get(e.bodyHash);
  return e;
}

bool TranslationCache::decodeBody(const uint8_t *blob, const IndexEntry &ie,
                                  Entry &e, std::string &err) {
  if (XXH3_64bits(blob, ie.size) != ie.bodyHash) {
    err = "entry checksum mismatch";
    return false;
  }
  if (ZSTD_getFrameContentSize(blob, ie.size) != ie.rawSize) {
    err = "bad entry size";
    return false;
  }
  // One decompression context per thread, reused: ZSTD_decompress makes
  // one per call, a heap block of ~100 KiB that the allocator maps and
  // unmaps each time (a warm start installs hundreds of entries).
  struct FreeDCtx {
    void operator()(ZSTD_DCtx *c) const { ZSTD_freeDCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_DCtx, FreeDCtx> dctx(ZSTD_createDCtx());
  if (!dctx) {
    err = "cannot make a zstd context";
    return false;
  }
  std::vector<uint8_t> raw(ie.rawSize);
  size_t n = ZSTD_decompressDCtx(dctx.get(), raw.data(), raw.size(), blob, ie.size);
  if (ZSTD_isError(n) || n != raw.size()) {
    err = "entry does not decompress";
    return false;
  }
  e = Entry();
  e.pc = ie.pc;
  memcpy(e.bytesHash, ie.bytesHash, 16);
  Reader r(raw.data(), raw.size());
  uint32_t nRanges, objSize;
  if (!r.get(nRanges) || nRanges == 0 || nRanges > r.left() / 12) {
    err = "bad entry ranges";
    return false;
  }
  e.ranges.resize(nRanges);
  for (auto &[pc, len] : e.ranges)
    if (!r.get(pc) || !r.get(len) || len == 0 || len > (1u << 20)) {
      err = "bad entry range";
      return false;
    }
  if (!r.get(objSize) || objSize != r.left()) {
    err = "bad entry object size";
    return false;
  }
  e.object.resize(objSize);
  r.bytes(e.object.data(), objSize);
  return true;
}

bool TranslationCache::parseFile(const std::vector<uint8_t> &file,
                                 const uint8_t key[16], std::vector<Entry> &out,
                                 std::string &err, GuestIsa isa) {
  out.clear();
  std::vector<IndexEntry> index;
  if (!readIndex(file.data(), file.size(), key, isa, &index, err))
    return false;
  const uint8_t *payload = file.data() + sizeof(Header);
  for (const IndexEntry &ie : index) {
    Entry e;
    if (!decodeBody(payload + ie.offset, ie, e, err)) {
      out.clear();
      return false;
    }
    out.push_back(std::move(e));
  }
  return true;
}

TranslationCache::~TranslationCache() {
  if (map_)
    munmap(const_cast<uint8_t *>(map_), mapSize_);
}

std::unique_ptr<TranslationCache>
TranslationCache::open(const CacheOptions &opts, const std::string &module, GuestIsa isa,
                       const std::string &config, std::string &warning) {
  if (!opts.enabled)
    return nullptr;
  uint64_t start = nowNanos();
  bool ok;
  XXH128_hash_t prog = hashFile(module, ok);
  if (!ok)
    return nullptr; // not a readable file (the run will say so)
  uint8_t identity[16];
  memcpy(identity, &prog, 16);
  std::unique_ptr<TranslationCache> c = openKeyed(opts, identity, isa, config, warning);
  if (c)
    c->stats_.loadNanos = nowNanos() - start; // hashing the module too
  return c;
}

std::unique_ptr<TranslationCache>
TranslationCache::openShared(const CacheOptions &opts, GuestIsa isa,
                             const std::string &config, std::string &warning) {
  if (!opts.enabled)
    return nullptr;
  static const char kShared[] = "code shared between static programs";
  XXH128_hash_t h = XXH3_128bits(kShared, sizeof kShared - 1);
  uint8_t identity[16];
  memcpy(identity, &h, 16);
  return openKeyed(opts, identity, isa, config, warning);
}

std::unique_ptr<TranslationCache>
TranslationCache::openKeyed(const CacheOptions &opts, const uint8_t identity[16],
                            GuestIsa isa, const std::string &config, std::string &warning) {
  uint64_t start = nowNanos();
  std::unique_ptr<TranslationCache> c(new TranslationCache());
  c->opts_ = opts;
  c->isa_ = isa;
  c->dir_ = opts.dir.empty() ? defaultCacheDir() : opts.dir;
  if (c->dir_.empty())
    return nullptr; // nowhere to keep it: no home, no setting
  if (!makeDirs(c->dir_)) {
    warning = "cannot create cache directory " + c->dir_ + ": " +
              strerror(errno) + "; running without the cache";
    return nullptr;
  }
  struct stat st;
  if (stat(c->dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    warning = "cache directory " + c->dir_ + " is not a directory; running without the cache";
    return nullptr;
  }
  if (!ownedAndPrivate(st)) {
    warning = "cache directory " + c->dir_ +
              " is writable by other users or not ours; running without the cache";
    return nullptr;
  }

  std::string keyText =
      std::string("xlat translation cache\nisa ") + isaName(isa) + "\nlowering user\n";
  keyText += "build " + translatorBuildId() + "\nconfig " + config + "\n";
  XXH128_hash_t seedless = XXH3_128bits(keyText.data(), keyText.size());
  uint8_t parts[32];
  memcpy(parts, &seedless, 16);
  memcpy(parts + 16, identity, 16);
  XXH128_hash_t key = XXH3_128bits(parts, sizeof parts);
  memcpy(c->key_, &key, 16);
  c->path_ = c->dir_ + "/" + hex(c->key_, 16) + kSuffix;

  // Only the index is read now; an entry's body when its pc is first run.
  std::string err;
  const uint8_t *data = nullptr;
  size_t size = 0;
  if (c->mapFile(data, size, err)) {
    c->map_ = data;
    c->mapSize_ = size;
    c->stats_.fileBytes = size;
    if (readIndex(data, size, c->key_, c->isa_, nullptr, err)) {
      Header h;
      memcpy(&h, data, sizeof h);
      c->index_ = data + sizeof h;
      c->entries_ = h.entries;
    } else {
      warning = "cache file " + c->path_ + " refused (" + err + "); it will be rewritten";
      c->stats_.rejected++;
    }
  } else if (!err.empty()) {
    warning = "cache file " + c->path_ + " refused (" + err + "); it will be rewritten";
    c->stats_.rejected++;
  }
  c->stats_.fileEntries = c->entries_;
  c->stats_.loadNanos = nowNanos() - start;
  return c;
}

bool TranslationCache::mapFile(const uint8_t *&data, size_t &size, std::string &err) {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno != ENOENT)
      err = strerror(errno);
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !ownedAndPrivate(st)) {
    close(fd);
    err = "not a private regular file";
    return false;
  }
  // Last use, for the size bound's eviction order.
  futimens(fd, nullptr);
  size = st.st_size;
  void *p = size ? mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  close(fd);
  if (p == MAP_FAILED) {
    err = strerror(errno);
    return false;
  }
  if (!p) {
    err = "truncated header";
    return false;
  }
  data = static_cast<const uint8_t *>(p);
  return true;
}

bool TranslationCache::lookup(uint64_t pc, uint64_t base, CodeReader &code,
                              jit::CodeObject &out,
                              std::vector<std::pair<uint64_t, uint32_t>> *ranges) {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.lookups++;
  // The index is sorted by pc: the first entry of pc's, and those after.
  uint64_t key = pc - base;
  size_t lo = 0, hi = entries_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (indexEntry(index_, mid).pc < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  std::vector<uint8_t> bytes;
  for (size_t i = lo; i < entries_; i++) {
    const IndexEntry ie = indexEntry(index_, i);
    if (ie.pc != key)
      break;
    Entry e;
    std::string err;
    if (!decodeBody(map_ + sizeof(Header) + ie.offset, ie, e, err)) {
      stats_.rejected++;
      char at[32];
      snprintf(at, sizeof at, "0x%llx", (unsigned long long)pc);
      rejection_ = "cache file " + path_ + ": the entry at " + at + " refused (" +
                   err + "); it will be rewritten";
      continue;
    }
    bytes.clear();
    bool readable = true;
    for (auto &[at, len] : e.ranges) {
      at += base;
      size_t old = bytes.size();
      bytes.resize(old + len);
      if (!code.read(at, bytes.data() + old, len)) {
        readable = false;
        break;
      }
    }
    XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
    if (!readable || memcmp(&h, e.bytesHash, 16) != 0) {
      stats_.stale++;
      continue;
    }
    if (!jit::CodeObject::parse(e.object.data(), e.object.size(), out, err)) {
      stats_.rejected++;
      continue;
    }
    stats_.hits++;
    if (ranges)
      *ranges = std::move(e.ranges);
    return true;
  }
  return false;
}

bool TranslationCache::findShared(const std::vector<uint8_t> &identity,
                                  jit::CodeObject &out) {
  XXH128_hash_t h = XXH3_128bits(identity.data(), identity.size());
  std::lock_guard<std::mutex> lock(mu_);
  stats_.lookups++;
  size_t lo = 0, hi = entries_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (indexEntry(index_, mid).pc < h.low64)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < entries_; i++) {
    const IndexEntry ie = indexEntry(index_, i);
    if (ie.pc != h.low64)
      break;
    if (memcmp(ie.bytesHash, &h, 16) != 0)
      continue;
    Entry e;
    std::string err;
    if (!decodeBody(map_ + sizeof(Header) + ie.offset, ie, e, err) ||
        !jit::CodeObject::parse(e.object.data(), e.object.size(), out, err)) {
      stats_.rejected++;
      rejection_ = "cache file " + path_ + ": a shared entry refused (" + err +
                   "); it will be rewritten";
      continue;
    }
    stats_.hits++;
    return true;
  }
  return false;
}

void TranslationCache::recordShared(const jit::CompiledTranslation &t) {
  Entry e;
  XXH128_hash_t h = XXH3_128bits(t.identity->data(), t.identity->size());
  e.pc = h.low64;
  memcpy(e.bytesHash, &h, 16);
  e.ranges = t.ranges; // for the reader: relative to the entry
  for (auto &r : e.ranges)
    r.first -= t.pc;
  e.object = t.pcIndependent->serialize();
  Packed p = pack(e);
  std::lock_guard<std::mutex> lock(mu_);
  recorded_.push_back(std::move(p));
}

jit::BlockFn installCached(TranslationCache &cache, uint64_t pc, uint64_t base,
                           CodeReader &code, jit::CodeInstaller &installer,
                           jit::CodeCache &codeCache, const char *tool,
                           std::string &err,
                           std::vector<std::pair<uint64_t, uint32_t>> *ranges) {
  jit::CodeObject obj;
  if (!cache.lookup(pc, base, code, obj, ranges)) {
    if (std::string why = cache.takeRejection(); !why.empty()) {
      static std::once_flag once;
      std::call_once(once, [&] { fprintf(stderr, "%s: %s\n", tool, why.c_str()); });
    }
    return nullptr;
  }
  char name[48];
  snprintf(name, sizeof name, "xlat_aot_%llx", (unsigned long long)pc);
  jit::BlockFn fn = installer.install(obj, base, codeCache, name, pc, err);
  if (!fn && err != jit::kCodeBufferFull) {
    static std::once_flag once;
    std::call_once(once, [&] {
      fprintf(stderr, "%s: cached code at 0x%llx not used: %s\n", tool,
              (unsigned long long)pc, err.c_str());
    });
  }
  return fn;
}

std::string TranslationCache::takeRejection() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(rejection_, std::string());
}

void TranslationCache::record(const jit::CompiledTranslation &t) {
  uint64_t base = t.moduleBase.value_or(0);
  Entry e;
  e.pc = t.pc - base;
  e.ranges = t.ranges;
  for (auto &r : e.ranges)
    r.first -= base;
  XXH128_hash_t h = XXH3_128bits(t.guestBytes.data(), t.guestBytes.size());
  memcpy(e.bytesHash, &h, 16);
  e.object = t.object->serialize();
  Packed p = pack(e); // compressed on the compiling thread
  std::lock_guard<std::mutex> lock(mu_);
  recorded_.push_back(std::move(p));
}

bool TranslationCache::save(std::string &warning) {
  std::lock_guard<std::mutex> lock(mu_);
  if (recorded_.empty())
    return true;
  // The file as another process may have left it (its bodies are copied
  // as they are); an unreadable or damaged file is replaced.
  std::vector<Packed> merged;
  {
    std::string err;
    const uint8_t *data = nullptr;
    size_t size = 0;
    std::vector<IndexEntry> index;
    if (mapFile(data, size, err)) {
      if (readIndex(data, size, key_, isa_, &index, err))
        for (const IndexEntry &ie : index) {
          Packed p;
          p.pc = ie.pc;
          memcpy(p.bytesHash, ie.bytesHash, 16);
          p.rawSize = ie.rawSize;
          const uint8_t *b = data + sizeof(Header) + ie.offset;
          if (XXH3_64bits(b, ie.size) != ie.bodyHash)
            continue; // a damaged entry is dropped, the others kept
          p.blob.assign(b, b + ie.size);
          merged.push_back(std::move(p));
        }
      munmap(const_cast<uint8_t *>(data), size);
    }
  }
  // An entry is its pc and guest bytes: the same pair compiled twice (two
  // runs at once, or a recompile after a flush) is kept once.
  auto identity = [](const Packed &e) {
    return std::to_string(e.pc) + ":" +
           std::string(reinterpret_cast<const char *>(e.bytesHash), 16);
  };
  std::unordered_set<std::string> present;
  for (const Packed &e : merged)
    present.insert(identity(e));
  size_t before = merged.size();
  for (Packed &e : recorded_)
    if (present.insert(identity(e)).second)
      merged.push_back(e);
  size_t added = merged.size() - before;
  std::vector<uint8_t> bytes = writeFile(merged, key_, isa_);

  static std::atomic<unsigned> serial{0};
  std::string tmp = path_ + ".tmp." + std::to_string(getpid()) + "." +
                    std::to_string(serial++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    warning = "cannot write cache file in " + dir_ + ": " + strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += n;
  }
  int writeErrno = errno;
  if (close(fd) != 0 || done != bytes.size()) {
    unlink(tmp.c_str());
    warning = "cannot write cache file in " + dir_ + ": " +
              strerror(done != bytes.size() ? writeErrno : errno);
    return false;
  }
  if (rename(tmp.c_str(), path_.c_str()) != 0) {
    warning = "cannot publish cache file " + path_ + ": " + strerror(errno);
    unlink(tmp.c_str());
    return false;
  }
  stats_.entriesWritten += added;
  stats_.bytesWritten += bytes.size();
  recorded_.clear();

  // The size bound: least recently used files go first (the file just
  // written stays). Temporary files of writers that died are swept too.
  struct File {
    std::string path;
    struct timespec used;
    off_t size;
  };
  std::vector<File> files;
  uint64_t total = 0;
  if (DIR *d = opendir(dir_.c_str())) {
    time_t now = time(nullptr);
    while (dirent *de = readdir(d)) {
      std::string name = de->d_name;
      std::string p = dir_ + "/" + name;
      struct stat st;
      if (lstat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        continue;
      if (name.find(".tmp.") != std::string::npos) {
        if (now - st.st_mtime > 3600)
          unlink(p.c_str());
        continue;
      }
      if (name.size() < strlen(kSuffix) ||
          name.compare(name.size() - strlen(kSuffix), std::string::npos, kSuffix) != 0)
        continue;
      total += st.st_size;
      if (p != path_)
        files.push_back({p, st.st_mtim, st.st_size});
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end(), [](const File &a, const File &b) {
    return a.used.tv_sec != b.used.tv_sec ? a.used.tv_sec < b.used.tv_sec
                                          : a.used.tv_nsec < b.used.tv_nsec;
  });
  for (const File &f : files) {
    if (total <= opts_.maxBytes)
      break;
    if (unlink(f.path.c_str()) == 0)
      total -= f.size;
  }
  return true;
}

CacheStats TranslationCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

} // namespace xlat::aot
