#include "jit/code_object.h"

#include "jit/byte_reader.h"
#include "jit/host_pc_map.h"
#include "jit/perf_map.h"

#include <dlfcn.h>

#include <cstring>

namespace xlat::jit {
namespace {

constexpr uint32_t kMagic = 0x344f4358; // "XCO4"

class Writer {
public:
  explicit Writer(std::vector<uint8_t> &out) : out_(out) {}
  template <typename T> void put(T v) {
    const uint8_t *p = reinterpret_cast<const uint8_t *>(&v);
    out_.insert(out_.end(), p, p + sizeof v);
  }
  void bytes(const void *p, size_t n) {
    const uint8_t *b = static_cast<const uint8_t *>(p);
    out_.insert(out_.end(), b, b + n);
  }

private:
  std::vector<uint8_t> &out_;
};

using Reader = ByteReader;

size_t fieldSize(CodeObject::Type t) {
  return t == CodeObject::Type::Abs64 ? 8 : 4;
}

bool knownType(uint8_t t) {
  using T = CodeObject::Type;
  return t == (uint8_t)T::Abs64 || t == (uint8_t)T::Pc32 ||
         t == (uint8_t)T::Plt32 || t == (uint8_t)T::Abs32 ||
         t == (uint8_t)T::Abs32S;
}

// Writes `value` into a field of `type` at `field`, which runs at `at`;
// false if it does not fit.
bool patch(uint8_t *field, uint64_t at, CodeObject::Type type, uint64_t value) {
  switch (type) {
  case CodeObject::Type::Abs64:
    memcpy(field, &value, 8);
    return true;
  case CodeObject::Type::Pc32:
  case CodeObject::Type::Plt32: {
    int64_t rel = (int64_t)(value - at);
    if (rel != (int32_t)rel)
      return false;
    int32_t v = (int32_t)rel;
    memcpy(field, &v, 4);
    return true;
  }
  case CodeObject::Type::Abs32:
    if (value != (uint32_t)value)
      return false;
    memcpy(field, &value, 4);
    return true;
  case CodeObject::Type::Abs32S: {
    if ((int64_t)value != (int32_t)value)
      return false;
    int32_t v = (int32_t)value;
    memcpy(field, &v, 4);
    return true;
  }
  }
  return false;
}

} // namespace

std::vector<uint8_t> CodeObject::serialize() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.put(kMagic);
  w.put((uint32_t)image.size());
  w.put(codeSize);
  w.put(coldStart);
  w.put(entry);
  w.put((uint32_t)relocs.size());
  w.put((uint32_t)cells.size());
  w.put((uint32_t)externals.size());
  w.put((uint32_t)pcmap.size());
  w.bytes(image.data(), image.size());
  for (const Reloc &r : relocs) {
    w.put(r.offset);
    w.put((uint8_t)r.type);
    w.put((uint8_t)r.target);
    w.put(r.index);
    w.put(r.addend);
  }
  for (uint64_t c : cells)
    w.put(c);
  for (const std::string &e : externals) {
    w.put((uint16_t)e.size());
    w.bytes(e.data(), e.size());
  }
  for (const Access &a : pcmap) {
    w.put(a.host);
    w.put(a.guestPc);
    w.put(a.rawFp);
    for (const RegSpill &sp : a.spills) {
      w.put(sp.field);
      w.put(sp.hostReg);
    }
  }
  return out;
}

bool CodeObject::parse(const uint8_t *data, size_t size, CodeObject &out,
                       std::string &err) {
  Reader r(data, size);
  uint32_t magic, imageSize, nRelocs, nCells, nExternals, nPcmap;
  out = CodeObject();
  if (!r.get(magic) || magic != kMagic) {
    err = "not a code object";
    return false;
  }
  if (!r.get(imageSize) || !r.get(out.codeSize) || !r.get(out.coldStart) ||
      !r.get(out.entry) || !r.get(nRelocs) || !r.get(nCells) ||
      !r.get(nExternals) || !r.get(nPcmap) || imageSize > size ||
      out.codeSize > imageSize || out.coldStart > out.codeSize ||
      out.entry >= out.coldStart) {
    err = "bad code object header";
    return false;
  }
  out.image.resize(imageSize);
  if (!r.bytes(out.image.data(), imageSize) || nRelocs > size ||
      nCells > size || nExternals > size || nPcmap > size) {
    err = "truncated code object";
    return false;
  }
  out.relocs.resize(nRelocs);
  for (Reloc &rel : out.relocs) {
    uint8_t type, target;
    if (!r.get(rel.offset) || !r.get(type) || !r.get(target) ||
        !r.get(rel.index) || !r.get(rel.addend) || !knownType(type) ||
        target > (uint8_t)Target::External) {
      err = "bad relocation in code object";
      return false;
    }
    rel.type = (Type)type;
    rel.target = (Target)target;
    if ((uint64_t)rel.offset + fieldSize(rel.type) > imageSize ||
        (rel.target == Target::Cell && rel.index >= nCells) ||
        (rel.target == Target::External && rel.index >= nExternals)) {
      err = "relocation out of bounds in code object";
      return false;
    }
  }
  out.cells.resize(nCells);
  for (uint64_t &c : out.cells)
    if (!r.get(c)) {
      err = "truncated code object";
      return false;
    }
  out.externals.resize(nExternals);
  for (std::string &e : out.externals) {
    uint16_t len;
    if (!r.get(len) || len == 0) {
      err = "truncated code object";
      return false;
    }
    e.resize(len);
    if (!r.bytes(e.data(), len)) {
      err = "truncated code object";
      return false;
    }
  }
  out.pcmap.resize(nPcmap);
  for (Access &a : out.pcmap) {
    if (!r.get(a.host) || !r.get(a.guestPc) || !r.get(a.rawFp) ||
        a.host >= out.codeSize) {
      err = "bad pc map in code object";
      return false;
    }
    for (RegSpill &sp : a.spills)
      if (!r.get(sp.field) || !r.get(sp.hostReg) || !validSpill(sp)) {
        err = "bad pc map in code object";
        return false;
      }
  }
  if (!r.done()) {
    err = "trailing bytes after code object";
    return false;
  }
  return true;
}

bool CodeInstaller::init(std::string &err, size_t capacity) {
  if (!buf_.init(err, capacity, /*low=*/false))
    return false;
  CodeBuffer::Allocation a = buf_.allocate(kVeneerArea);
  if (!a.write) {
    err = kCodeBufferFull;
    return false;
  }
  veneerArea_ = a.exec;
  buf_.keepFirst();
  return true;
}

bool CodeInstaller::afterFork(std::string &err) { return buf_.unshare(err); }

uint64_t CodeInstaller::veneer(const std::string &name, std::string &err) {
  if (auto it = veneers_.find(name); it != veneers_.end())
    return it->second;
  void *fn = dlsym(RTLD_DEFAULT, name.c_str());
  if (!fn) {
    err = "translated code calls " + name + ", which this program lacks";
    return 0;
  }
  if (veneerUsed_ + 16 > kVeneerArea) {
    err = "translated code calls more runtime functions than it has veneers for";
    return 0;
  }
  CodeBuffer::Allocation a{buf_.writable(veneerArea_ + veneerUsed_),
                           veneerArea_ + veneerUsed_, 16};
  veneerUsed_ += 16;
  static const uint8_t kJmpAbs[] = {0xff, 0x25, 0, 0, 0, 0}; // jmp *0(%rip)
  memcpy(a.write, kJmpAbs, sizeof kJmpAbs);
  uint64_t target = reinterpret_cast<uint64_t>(fn);
  memcpy(a.write + sizeof kJmpAbs, &target, 8);
  buf_.commit(a);
  veneers_[name] = a.exec;
  return a.exec;
}

size_t CodeInstaller::evict(CodeCache &cache, std::vector<uint64_t> &dropped,
                            uint64_t &lo, uint64_t &hi) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t freed = buf_.evictNext(lo, hi);
  std::vector<uint64_t> gone = cache.dropHostRange(lo, hi);
  dropped.insert(dropped.end(), gone.begin(), gone.end());
  HostPcMap::instance().removeRange(lo, hi);
  return freed;
}

BlockFn CodeInstaller::install(const CodeObject &obj, uint64_t base,
                               CodeCache &cache, const std::string &name,
                               uint64_t guestPc, std::string &err) {
  std::lock_guard<std::mutex> lock(mu_);
  // The veneers first: they need not be near this code, only near enough
  // for a rel32 call, and the buffer is one region.
  std::vector<uint64_t> externals;
  for (const std::string &e : obj.externals) {
    uint64_t v = veneer(e, err);
    if (!v)
      return nullptr;
    externals.push_back(v);
  }
  CodeBuffer::Allocation a = buf_.allocate(obj.image.size(), 64);
  if (!a.write) {
    err = kCodeBufferFull;
    return nullptr;
  }
  memcpy(a.write, obj.image.data(), obj.image.size());
  for (const CodeObject::Reloc &r : obj.relocs) {
    uint64_t value = 0;
    switch (r.target) {
    case CodeObject::Target::Image: value = a.exec; break;
    case CodeObject::Target::ModuleBase: value = base; break;
    case CodeObject::Target::Cell:
      value = reinterpret_cast<uint64_t>(cache.linkCell(base + obj.cells[r.index]));
      break;
    case CodeObject::Target::External: value = externals[r.index]; break;
    }
    if (!patch(a.write + r.offset, a.exec + r.offset, r.type, value + r.addend)) {
      err = "relocation out of range in translated code";
      return nullptr;
    }
  }
  buf_.commit(a);
  std::vector<HostPcMap::Access> accesses;
  for (const CodeObject::Access &acc : obj.pcmap)
    accesses.push_back({a.exec + acc.host, base + acc.guestPc, acc.rawFp, acc.spills});
  HostPcMap::instance().addExact(accesses);
  PerfMap::instance().add(a.exec, obj.coldStart, name, guestPc);
  if (obj.coldStart < obj.codeSize)
    PerfMap::instance().add(a.exec + obj.coldStart, obj.codeSize - obj.coldStart,
                            "xlat_fault_paths");
  return reinterpret_cast<BlockFn>(a.exec + obj.entry);
}

} // namespace xlat::jit
