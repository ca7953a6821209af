#include "jit/llvm_tiers.h"

#include <dlfcn.h>
#include <limits.h>
#include <mutex>
#include <unistd.h>

namespace xlat::jit {

std::string llvmTiersPath() {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return "";
  std::string path(exe, n);
  return path.substr(0, path.rfind('/')) + "/../lib/libxlat-llvm.so";
}

const LlvmTiers *loadLlvmTiers(std::string &err) {
  static std::once_flag once;
  static const LlvmTiers *tiers = nullptr;
  static std::string loadErr;
  std::call_once(once, [] {
    std::string path = llvmTiersPath();
    if (path.empty()) {
      loadErr = "cannot find the program's own path";
      return;
    }
    void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      loadErr = std::string("cannot load the LLVM tiers: ") + dlerror();
      return;
    }
    using Entry = const LlvmTiers *(*)();
    auto entry = reinterpret_cast<Entry>(dlsym(h, "xlat_llvm_tiers_v2"));
    if (!entry) {
      loadErr = path + " is not an xlat LLVM-tiers plugin";
      return;
    }
    tiers = entry();
  });
  if (!tiers)
    err = loadErr;
  return tiers;
}

std::unique_ptr<BlockTier> createLlvmBlockTier(const BlockTierOptions &opts,
                                               std::string &err) {
  const LlvmTiers *t = loadLlvmTiers(err);
  return t ? t->createBlockTier(opts, err) : nullptr;
}

std::unique_ptr<Disassembler> createLlvmDisassembler(GuestIsa isa) {
  std::string err;
  const LlvmTiers *t = loadLlvmTiers(err);
  return t ? t->createDisassembler(isa) : nullptr;
}

} // namespace xlat::jit
