// The initial process stack, laid out as Linux's binfmt_elf does on riscv64 and arm64
// (create_elf_tables). From the top of the address space down:
//   8 zero bytes, the execfn string, the envp strings, the argv strings,
//   (align 16) 16 random bytes (AT_RANDOM),
//   (align 16) argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
// argv[0]'s string is the lowest; sp points at argc and is 16-byte aligned.
#include "runtime/elf_loader.h"

#include <cerrno>
#include <cstring>
#include <sys/random.h>
#include <unistd.h>
#include <utility>

namespace xlat {
namespace {

constexpr uint64_t kStackSize = 8ull << 20;
// Guest PROT_READ|PROT_WRITE and MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS.
constexpr int kProtReadWrite = 3, kMapPrivateFixedAnon = 0x02 | 0x10 | 0x20;
// Linux caps argv+envp at a quarter of the stack rlimit.
constexpr uint64_t kMaxArgBytes = kStackSize / 4;

// auxv tags (include/uapi/linux/auxvec.h).
enum : uint64_t {
  AtNull = 0,
  AtPhdr = 3,
  AtPhent = 4,
  AtPhnum = 5,
  AtPagesz = 6,
  AtBase = 7,
  AtFlags = 8,
  AtEntry = 9,
  AtUid = 11,
  AtEuid = 12,
  AtGid = 13,
  AtEgid = 14,
  AtHwcap = 16,
  AtClktck = 17,
  AtSecure = 23,
  AtRandom = 25,
  AtHwcap2 = 26,
  AtExecfn = 31,
  AtMinsigstksz = 51,
};

using Auxv = std::vector<std::pair<uint64_t, uint64_t>>;

// The order matches the kernel: ARCH_DLINFO first, then the generic ones.
Auxv buildAuxv(const LoadedImage &img, const AuxvArch &arch, uint64_t randomAddr,
               uint64_t execfnAddr) {
  Auxv v = {
      {AtMinsigstksz, arch.minSigStkSz},
      {AtHwcap, arch.hwcap},
      {AtPagesz, GuestMemory::kPageSize},
      {AtClktck, 100},
      {AtPhdr, img.phdrAddr},
      {AtPhent, img.phent},
      {AtPhnum, img.phnum},
      {AtBase, img.interpBase},
      {AtFlags, 0},
      {AtEntry, img.progEntry},
      {AtUid, getuid()},
      {AtEuid, geteuid()},
      {AtGid, getgid()},
      {AtEgid, getegid()},
      {AtSecure, 0},
      {AtRandom, randomAddr},
  };
  if (arch.hasHwcap2)
    v.push_back({AtHwcap2, arch.hwcap2});
  v.push_back({AtExecfn, execfnAddr});
  v.push_back({AtNull, 0});
  return v;
}

// Places the strings top-down, returning the lowest address used.
uint64_t placeStrings(uint64_t p, const std::vector<std::string> &strs,
                      std::vector<uint64_t> &addrs) {
  addrs.resize(strs.size());
  for (size_t i = strs.size(); i-- > 0;) {
    p -= strs[i].size() + 1;
    addrs[i] = p;
  }
  return p;
}

} // namespace

bool setupStack(GuestMemory &mem, const LoadedImage &img, const AuxvArch &arch,
                const std::vector<std::string> &argv,
                const std::vector<std::string> &envp, StackInfo &out,
                std::string &err) {
  const uint64_t top = mem.limit(), bottom = top - kStackSize;
  uint64_t bytes = img.path.size() + 1;
  for (const auto *v : {&argv, &envp})
    for (const std::string &s : *v)
      bytes += s.size() + 1 + 8;
  if (bytes > kMaxArgBytes) {
    err = "argument list too long";
    return false;
  }
  int64_t rc =
      mem.mmap(bottom, kStackSize, kProtReadWrite, kMapPrivateFixedAnon, -1, 0);
  if (rc < 0) {
    err = std::string("cannot map the guest stack: ") + strerror((int)-rc);
    return false;
  }
  mem.setName(bottom, top, "[stack]");

  uint64_t p = top - 8; // the kernel keeps the top word zero
  p -= img.path.size() + 1;
  uint64_t execfnAddr = p;
  std::vector<uint64_t> envAddrs, argAddrs;
  out.envEnd = p;
  p = placeStrings(p, envp, envAddrs);
  out.envStart = p;
  p = placeStrings(p, argv, argAddrs);
  out.argStart = p;
  p &= ~15ull;
  p -= 16;
  uint64_t randomAddr = p;
  Auxv auxv = buildAuxv(img, arch, randomAddr, execfnAddr);
  uint64_t words = 1 + argv.size() + 1 + envp.size() + 1 + 2 * auxv.size();
  uint64_t sp = (p - 8 * words) & ~15ull;

  // Build [sp, top) on the host, then copy it in with one write.
  std::vector<uint8_t> buf(top - sp, 0);
  auto put = [&](uint64_t addr, const void *src, size_t n) {
    memcpy(buf.data() + (addr - sp), src, n);
  };
  auto putWord = [&](uint64_t &addr, uint64_t v) {
    put(addr, &v, 8);
    addr += 8;
  };
  put(execfnAddr, img.path.c_str(), img.path.size() + 1);
  for (size_t i = 0; i < envp.size(); ++i)
    put(envAddrs[i], envp[i].c_str(), envp[i].size() + 1);
  for (size_t i = 0; i < argv.size(); ++i)
    put(argAddrs[i], argv[i].c_str(), argv[i].size() + 1);
  uint8_t random[16];
  if (getrandom(random, sizeof random, 0) != (ssize_t)sizeof random) {
    err = std::string("getrandom failed: ") + strerror(errno);
    return false;
  }
  put(randomAddr, random, sizeof random);

  uint64_t q = sp;
  putWord(q, argv.size());
  for (uint64_t a : argAddrs)
    putWord(q, a);
  putWord(q, 0);
  for (uint64_t a : envAddrs)
    putWord(q, a);
  putWord(q, 0);
  out.auxvAddr = q;
  for (const auto &[tag, val] : auxv) {
    putWord(q, tag);
    putWord(q, val);
  }
  out.auxvLen = q - out.auxvAddr;
  if (!mem.write(sp, buf.data(), buf.size())) {
    err = "cannot write the guest stack";
    return false;
  }
  out.sp = sp;
  out.execfnAddr = execfnAddr;
  return true;
}

} // namespace xlat
