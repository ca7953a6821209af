#include "sysemu/snapshot.h"

#include "sysemu/machine.h"

#include <cerrno>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <algorithm>

namespace xlat::sysemu {

namespace {

constexpr char kMagic[8] = {'X', 'L', 'A', 'T', 'S', 'N', 'A', 'P'};
constexpr uint32_t kVersion = 1;
constexpr const char *kSuffix = ".xsnap";

// The file's first 64 bytes (docs/snapshot-format.md).
struct Header {
  char magic[8];
  uint32_t version;
  uint32_t headerSize;
  uint64_t configHash;  // the machine's shape: harts, RAM, disks
  uint64_t rawSize;     // the payload uncompressed
  uint64_t payloadSize; // the payload as stored (zstd)
  uint64_t payloadHash; // XXH3-64 of the stored payload
  uint64_t created;     // Unix time
  uint64_t headerHash;  // XXH3-64 of the bytes above
};
static_assert(sizeof(Header) == 64);

bool validName(const std::string &n) {
  return !n.empty() && n.size() <= 64 && n[0] != '.' &&
         std::all_of(n.begin(), n.end(), [](char c) {
           return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
         });
}

bool mkdirs(const std::string &dir) {
  for (size_t at = 1; at <= dir.size(); at++)
    if (at == dir.size() || dir[at] == '/') {
      std::string part = dir.substr(0, at);
      if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
        return false;
    }
  return true;
}

bool writeAll(int fd, const void *p, size_t n) {
  auto *b = static_cast<const uint8_t *>(p);
  while (n) {
    ssize_t r = write(fd, b, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    b += r, n -= size_t(r);
  }
  return true;
}

std::string defaultDir(const MachineConfig &cfg) {
  if (!cfg.drives.empty())
    return cfg.drives[0].path + ".snapshots";
  const char *data = getenv("XDG_DATA_HOME");
  if (data && *data)
    return std::string(data) + "/xlat/snapshots";
  const char *home = getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/xlat/snapshots";
}

} // namespace

Snapshots::Snapshots(Machine &m, std::string dir)
    : m_(m), dir_(dir.empty() ? defaultDir(m.config()) : std::move(dir)) {}

std::string Snapshots::path(const std::string &name, std::string &err) {
  if (!validName(name)) {
    err = "bad snapshot name '" + name + "' (letters, digits, '_', '-', '.')";
    return "";
  }
  return dir_ + "/" + name + kSuffix;
}

std::string Snapshots::save(const std::string &name) {
  std::string err, file = path(name, err);
  if (file.empty())
    return err;
  // Every hart must be stopped (all pause() calls count, even failed ones).
  bool parked = m_.pause();
  StateWriter w;
  std::string why = parked ? m_.saveState(w) : "a hart did not stop (gdb holds it?)";
  m_.resume();
  if (!why.empty())
    return "savevm: " + why;

  std::vector<uint8_t> packed(ZSTD_compressBound(w.data.size()));
  size_t n = ZSTD_compress(packed.data(), packed.size(), w.data.data(),
                           w.data.size(), 1);
  if (ZSTD_isError(n))
    return std::string("savevm: compression failed: ") + ZSTD_getErrorName(n);
  Header h{};
  memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.headerSize = sizeof h;
  h.configHash = m_.configHash();
  h.rawSize = w.data.size();
  h.payloadSize = n;
  h.payloadHash = XXH3_64bits(packed.data(), n);
  h.created = uint64_t(time(nullptr));
  h.headerHash = XXH3_64bits(&h, offsetof(Header, headerHash));

  // Published by rename: a reader sees the old file or the whole new one.
  if (!mkdirs(dir_))
    return "savevm: cannot create " + dir_ + ": " + strerror(errno);
  std::string tmp = file + ".tmp." + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return "savevm: cannot write " + tmp + ": " + strerror(errno);
  bool ok = writeAll(fd, &h, sizeof h) && writeAll(fd, packed.data(), n) &&
            fsync(fd) == 0;
  int saved = errno;
  close(fd);
  if (!ok || rename(tmp.c_str(), file.c_str()) != 0) {
    if (ok)
      saved = errno;
    unlink(tmp.c_str());
    return "savevm: cannot write " + file + ": " + strerror(saved);
  }
  return "";
}

std::string Snapshots::load(const std::string &name) {
  std::string err, file = path(name, err);
  if (file.empty())
    return err;
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return "loadvm: no snapshot '" + name + "' in " + dir_;
  struct stat st;
  Header h{};
  std::vector<uint8_t> packed;
  bool readOk = fstat(fd, &st) == 0 && size_t(st.st_size) >= sizeof h &&
                pread(fd, &h, sizeof h, 0) == ssize_t(sizeof h);
  if (readOk) {
    packed.resize(size_t(st.st_size) - sizeof h);
    readOk = pread(fd, packed.data(), packed.size(), sizeof h) == ssize_t(packed.size());
  }
  close(fd);
  std::string bad = "loadvm: " + file + ": ";
  if (!readOk || memcmp(h.magic, kMagic, sizeof kMagic) != 0)
    return bad + "not a snapshot";
  if (h.version != kVersion || h.headerSize != sizeof h)
    return bad + "snapshot format version " + std::to_string(h.version) +
           ", this xlat-system reads " + std::to_string(kVersion);
  if (h.headerHash != XXH3_64bits(&h, offsetof(Header, headerHash)))
    return bad + "damaged (header)";
  if (h.configHash != m_.configHash())
    return bad + "made on another machine configuration (harts, -m, drives, NICs)";
  if (h.payloadSize != packed.size() ||
      h.payloadHash != XXH3_64bits(packed.data(), packed.size()))
    return bad + "damaged (truncated or corrupt)";
  if (h.rawSize > m_.maxStateBytes() ||
      ZSTD_getFrameContentSize(packed.data(), packed.size()) != h.rawSize)
    return bad + "damaged (sizes)";
  std::vector<uint8_t> raw(h.rawSize);
  size_t n = ZSTD_decompress(raw.data(), raw.size(), packed.data(), packed.size());
  if (ZSTD_isError(n) || n != raw.size())
    return bad + "damaged (compressed data)";

  if (!m_.pause()) {
    m_.resume();
    return bad + "a hart did not stop (gdb holds it?)";
  }
  StateReader r(raw.data(), raw.size());
  std::string why = m_.loadState(r);
  m_.resume();
  return why.empty() ? "" : bad + why;
}

std::string Snapshots::remove(const std::string &name) {
  std::string err, file = path(name, err);
  if (file.empty())
    return err;
  if (unlink(file.c_str()) != 0)
    return "delvm: no snapshot '" + name + "' in " + dir_;
  return "";
}

std::string Snapshots::list() {
  DIR *d = opendir(dir_.c_str());
  std::vector<std::string> rows;
  if (d) {
    while (dirent *e = readdir(d)) {
      std::string f = e->d_name;
      size_t s = strlen(kSuffix);
      if (f.size() <= s || f.compare(f.size() - s, s, kSuffix) != 0)
        continue;
      struct stat st;
      std::string full = dir_ + "/" + f;
      if (stat(full.c_str(), &st) != 0)
        continue;
      char when[32];
      strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&st.st_mtime));
      char row[160];
      snprintf(row, sizeof row, "%-20s %10lld KiB  %s\n",
               f.substr(0, f.size() - s).c_str(),
               (long long)(st.st_size + 1023) / 1024, when);
      rows.push_back(row);
    }
    closedir(d);
  }
  std::sort(rows.begin(), rows.end());
  std::string out = "snapshots in " + dir_ + ":\n";
  if (rows.empty())
    return out + "(none)\n";
  out += "name                       size  saved\n";
  for (const std::string &r : rows)
    out += r;
  return out;
}

} // namespace xlat::sysemu
