#include "aot/cache.h"

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
#include <unordered_set>

namespace xlat::aot {
namespace {

constexpr char kMagic[8] = {'X', 'L', 'A', 'T', 'T', 'C', '\r', '\n'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kIsaRiscv64 = EM_RISCV;
constexpr size_t kHeaderSize = 72;
constexpr const char *kSuffix = ".xtc";
// Decompressed payloads beyond this are refused as corrupt.
constexpr uint64_t kMaxPayload = uint64_t(1) << 30;

// The fixed-size header, little-endian, in this order.
struct Header {
  char magic[8];
  uint32_t version;
  uint32_t isa;
  uint8_t key[16];
  uint64_t payloadSize; // compressed
  uint64_t rawSize;     // decompressed
  uint64_t payloadHash; // XXH3-64 of the compressed payload
  uint32_t entries;
  uint32_t reserved;
  uint64_t headerHash; // XXH3-64 of the bytes above
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

class Reader {
public:
  Reader(const uint8_t *p, size_t n) : p_(p), end_(p + n) {}
  template <typename T> bool get(T &v) { return bytes(&v, sizeof v); }
  bool bytes(void *dst, size_t n) {
    if ((size_t)(end_ - p_) < n)
      return false;
    memcpy(dst, p_, n);
    p_ += n;
    return true;
  }
  size_t left() const { return end_ - p_; }

private:
  const uint8_t *p_, *end_;
};

bool readWhole(int fd, std::vector<uint8_t> &out) {
  struct stat st;
  if (fstat(fd, &st) != 0)
    return false;
  out.resize(st.st_size);
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += n;
  }
  out.resize(done);
  return true;
}

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
           "tier=%.*s max-block-insns=%u chain=%d count-blocks=%d region-blocks=%u",
           (int)tier.size(), tier.data(), block.maxBlockInsns, (int)block.chain,
           (int)block.countBlocks, regionBlocks);
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

std::vector<uint8_t> TranslationCache::formatFile(const std::vector<Entry> &entries,
                                                  const uint8_t key[16]) {
  std::vector<uint8_t> raw;
  put<uint32_t>(raw, entries.size());
  for (const Entry &e : entries) {
    put<uint64_t>(raw, e.pc);
    put<uint32_t>(raw, e.ranges.size());
    for (auto [pc, len] : e.ranges) {
      put<uint64_t>(raw, pc);
      put<uint32_t>(raw, len);
    }
    put(raw, e.bytesHash, 16);
    put<uint32_t>(raw, e.object.size());
    put(raw, e.object.data(), e.object.size());
  }
  return fileFromPayload(raw, key);
}

std::vector<uint8_t> TranslationCache::fileFromPayload(const std::vector<uint8_t> &raw,
                                                       const uint8_t key[16]) {
  std::vector<uint8_t> packed(ZSTD_compressBound(raw.size()));
  size_t n = ZSTD_compress(packed.data(), packed.size(), raw.data(), raw.size(), 3);
  packed.resize(ZSTD_isError(n) ? 0 : n);

  Header h = {};
  memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.isa = kIsaRiscv64;
  memcpy(h.key, key, 16);
  h.payloadSize = packed.size();
  h.rawSize = raw.size();
  h.payloadHash = XXH3_64bits(packed.data(), packed.size());
  uint32_t entries = 0;
  if (raw.size() >= 4)
    memcpy(&entries, raw.data(), 4);
  h.entries = entries;
  h.headerHash = XXH3_64bits(&h, offsetof(Header, headerHash));
  std::vector<uint8_t> out;
  put(out, &h, sizeof h);
  put(out, packed.data(), packed.size());
  return out;
}

bool TranslationCache::parseFile(const std::vector<uint8_t> &file,
                                 const uint8_t key[16], std::vector<Entry> &out,
                                 std::string &err) {
  out.clear();
  Header h;
  if (file.size() < sizeof h) {
    err = "truncated header";
    return false;
  }
  memcpy(&h, file.data(), sizeof h);
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
  if (h.isa != kIsaRiscv64) {
    err = "for another guest ISA";
    return false;
  }
  if (memcmp(h.key, key, 16) != 0) {
    err = "made for another program or translator build";
    return false;
  }
  if (h.payloadSize != file.size() - sizeof h) {
    err = "truncated payload";
    return false;
  }
  const uint8_t *packed = file.data() + sizeof h;
  if (h.payloadHash != XXH3_64bits(packed, h.payloadSize)) {
    err = "payload checksum mismatch";
    return false;
  }
  if (h.rawSize > kMaxPayload ||
      ZSTD_getFrameContentSize(packed, h.payloadSize) != h.rawSize) {
    err = "bad payload size";
    return false;
  }
  std::vector<uint8_t> raw(h.rawSize);
  size_t n = ZSTD_decompress(raw.data(), raw.size(), packed, h.payloadSize);
  if (ZSTD_isError(n) || n != raw.size()) {
    err = "payload does not decompress";
    return false;
  }
  Reader r(raw.data(), raw.size());
  uint32_t count;
  if (!r.get(count) || count != h.entries) {
    err = "bad entry count";
    return false;
  }
  for (uint32_t i = 0; i < count; i++) {
    Entry e;
    uint32_t nRanges, objSize;
    if (!r.get(e.pc) || !r.get(nRanges) || nRanges == 0 ||
        nRanges > r.left() / 12) {
      err = "bad entry";
      return false;
    }
    e.ranges.resize(nRanges);
    for (auto &[pc, len] : e.ranges)
      if (!r.get(pc) || !r.get(len) || len == 0 || len > (1u << 20)) {
        err = "bad entry range";
        return false;
      }
    if (!r.bytes(e.bytesHash, 16) || !r.get(objSize) || objSize > r.left()) {
      err = "bad entry";
      return false;
    }
    e.object.resize(objSize);
    r.bytes(e.object.data(), objSize);
    out.push_back(std::move(e));
  }
  if (r.left() != 0) {
    err = "trailing bytes";
    return false;
  }
  return true;
}

std::unique_ptr<TranslationCache>
TranslationCache::open(const CacheOptions &opts, const std::string &program,
                       const std::string &config, std::string &warning) {
  if (!opts.enabled)
    return nullptr;
  uint64_t start = nowNanos();
  std::unique_ptr<TranslationCache> c(new TranslationCache());
  c->opts_ = opts;
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

  bool ok;
  XXH128_hash_t prog = hashFile(program, ok);
  if (!ok)
    return nullptr; // not a readable file (the run will say so)
  std::string keyText = "xlat translation cache\nisa riscv64\nlowering user\n";
  keyText += "build " + translatorBuildId() + "\nconfig " + config + "\n";
  XXH128_hash_t seedless = XXH3_128bits(keyText.data(), keyText.size());
  uint8_t parts[32];
  memcpy(parts, &seedless, 16);
  memcpy(parts + 16, &prog, 16);
  XXH128_hash_t key = XXH3_128bits(parts, sizeof parts);
  memcpy(c->key_, &key, 16);
  c->path_ = c->dir_ + "/" + hex(c->key_, 16) + kSuffix;

  std::string err;
  if (!c->readFile(c->entries_, err) && !err.empty()) {
    warning = "cache file " + c->path_ + " refused (" + err + "); it will be rewritten";
    c->stats_.rejected++;
    c->entries_.clear();
  }
  for (size_t i = 0; i < c->entries_.size(); i++)
    c->byPc_.emplace(c->entries_[i].pc, i);
  c->stats_.fileEntries = c->entries_.size();
  c->stats_.loadNanos = nowNanos() - start;
  return c;
}

// The file's entries; false with err empty if there is no file yet.
bool TranslationCache::readFile(std::vector<Entry> &out, std::string &err) {
  out.clear();
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno != ENOENT)
      err = strerror(errno);
    return false;
  }
  struct stat st;
  std::vector<uint8_t> bytes;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !ownedAndPrivate(st)) {
    close(fd);
    err = "not a private regular file";
    return false;
  }
  bool readOk = readWhole(fd, bytes);
  // Last use, for the size bound's eviction order.
  futimens(fd, nullptr);
  close(fd);
  if (!readOk) {
    err = strerror(errno);
    return false;
  }
  stats_.fileBytes = bytes.size();
  return parseFile(bytes, key_, out, err);
}

bool TranslationCache::lookup(uint64_t pc, CodeReader &code, jit::CodeObject &out) {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.lookups++;
  auto [first, last] = byPc_.equal_range(pc);
  if (first == last)
    return false;
  std::vector<uint8_t> bytes;
  for (auto it = first; it != last; ++it) {
    const Entry &e = entries_[it->second];
    bytes.clear();
    bool readable = true;
    for (auto [at, len] : e.ranges) {
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
    std::string err;
    if (!jit::CodeObject::parse(e.object.data(), e.object.size(), out, err)) {
      stats_.rejected++;
      continue;
    }
    stats_.hits++;
    return true;
  }
  return false;
}

void TranslationCache::record(const jit::CompiledTranslation &t) {
  Entry e;
  e.pc = t.pc;
  e.ranges = t.ranges;
  XXH128_hash_t h = XXH3_128bits(t.guestBytes.data(), t.guestBytes.size());
  memcpy(e.bytesHash, &h, 16);
  e.object = t.object->serialize();
  std::lock_guard<std::mutex> lock(mu_);
  recorded_.push_back(std::move(e));
}

bool TranslationCache::save(std::string &warning) {
  std::lock_guard<std::mutex> lock(mu_);
  if (recorded_.empty())
    return true;
  // The file as another process may have left it; unreadable or corrupt
  // files are replaced.
  std::vector<Entry> merged;
  std::string err;
  if (!readFile(merged, err))
    merged.clear();
  // An entry is its pc and guest bytes: the same pair compiled twice (two
  // runs at once, or a recompile after a flush) is kept once.
  auto identity = [](const Entry &e) {
    return std::to_string(e.pc) + ":" +
           std::string(reinterpret_cast<const char *>(e.bytesHash), 16);
  };
  std::unordered_set<std::string> present;
  for (const Entry &e : merged)
    present.insert(identity(e));
  size_t before = merged.size();
  for (Entry &e : recorded_)
    if (present.insert(identity(e)).second)
      merged.push_back(e);
  size_t added = merged.size() - before;
  std::vector<uint8_t> bytes = formatFile(merged, key_);

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
