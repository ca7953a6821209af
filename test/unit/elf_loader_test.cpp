// The ELF loader and the initial stack, on small riscv64 programs built at
// test time with riscv64-linux-gnu-gcc (the tests skip without it).
#include "runtime/elf_interp.h"
#include "runtime/elf_loader.h"
#include "runtime/linux/syscalls.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <gelf.h>
#include <sstream>
#include <unistd.h>
#include <vector>

using namespace xlat;

namespace {

constexpr uint64_t P = GuestMemory::kPageSize;
const char *kLdso = "/usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1";

// A freestanding program: write(1, "tiny\n", 5); exit(big[100] + counter).
const char *kTinySrc = R"(
static const char msg[] = "tiny\n";
char big[8192];
int counter = 7;
void _start(void) {
  register long a0 asm("a0") = 1, a1 asm("a1") = (long)msg;
  register long a2 asm("a2") = 5, a7 asm("a7") = 64;
  asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7));
  register long b0 asm("a0") = big[100] + counter;
  register long b7 asm("a7") = 93;
  asm volatile("ecall" ::"r"(b0), "r"(b7));
  for (;;);
}
)";
const char *kHelloSrc = R"(
#include <stdio.h>
int main(int argc, char **argv) { printf("hi %s\n", argv[0]); return 0; }
)";

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const std::string &path, const std::string &data) {
  std::ofstream(path, std::ios::binary) << data;
}

class ElfLoaderTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    if (system("riscv64-linux-gnu-gcc --version >/dev/null 2>&1") != 0)
      return;
    char tmpl[] = "/tmp/xlat-elf-test-XXXXXX";
    if (!mkdtemp(tmpl))
      return;
    dir_ = tmpl;
    writeFile(dir_ + "/tiny.c", kTinySrc);
    writeFile(dir_ + "/hello.c", kHelloSrc);
  }
  static void TearDownTestSuite() {
    if (!dir_.empty())
      (void)system(("rm -rf " + dir_).c_str());
  }
  void SetUp() override {
    if (dir_.empty())
      GTEST_SKIP() << "riscv64-linux-gnu-gcc not available";
    std::string err;
    ASSERT_TRUE(mem.init(GuestMemory::kDefaultLimit, err)) << err;
  }
  // Builds src (tiny.c or hello.c) with flags into dir_/name.
  std::string build(const char *src, const std::string &flags,
                    const std::string &name) {
    std::string out = dir_ + "/" + name;
    std::string cmd = "riscv64-linux-gnu-gcc -O2 " + flags + " -o " + out +
                      " " + dir_ + "/" + src + " 2>/dev/null";
    EXPECT_EQ(system(cmd.c_str()), 0) << cmd;
    return out;
  }
  std::string tinyStatic() {
    return build("tiny.c", "-nostdlib -static", "tiny-static");
  }
  std::string loadError(const std::string &path) {
    LoadedImage img;
    std::string err;
    EXPECT_FALSE(loadElf(path, mem, img, err));
    return err;
  }
  // Every PT_LOAD holds the file's bytes, a zero bss and its prot.
  void checkImage(const std::string &path, uint64_t bias) {
    std::string file = readFile(path);
    int fd = open(path.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    elf_version(EV_CURRENT);
    Elf *e = elf_begin(fd, ELF_C_READ, nullptr);
    size_t n = 0;
    elf_getphdrnum(e, &n);
    for (size_t i = 0; i < n; ++i) {
      GElf_Phdr ph;
      gelf_getphdr(e, i, &ph);
      if (ph.p_type != PT_LOAD)
        continue;
      std::vector<char> got(ph.p_memsz);
      uint64_t at = bias + ph.p_vaddr;
      int prot = (ph.p_flags & PF_R ? 1 : 0) | (ph.p_flags & PF_W ? 2 : 0) |
                 (ph.p_flags & PF_X ? 4 : 0);
      EXPECT_TRUE(mem.isMapped(at, ph.p_memsz, prot)) << "segment " << i;
      ASSERT_TRUE(mem.read(at, got.data(), got.size()));
      EXPECT_EQ(0, memcmp(got.data(), file.data() + ph.p_offset, ph.p_filesz));
      for (uint64_t j = ph.p_filesz; j < ph.p_memsz; ++j)
        ASSERT_EQ(got[j], 0) << "bss byte " << j << " of segment " << i;
    }
    elf_end(e);
    close(fd);
  }
  GuestMemory mem;
  static std::string dir_;
};
std::string ElfLoaderTest::dir_;

TEST_F(ElfLoaderTest, StaticExecutable) {
  std::string path = tinyStatic();
  LoadedImage img;
  std::string err;
  ASSERT_TRUE(loadElf(path, mem, img, err)) << err;
  EXPECT_EQ(img.loadBias, 0u);
  EXPECT_EQ(img.entry, img.progEntry);
  EXPECT_TRUE(img.interpPath.empty());
  EXPECT_EQ(img.phent, 56u);
  EXPECT_EQ(img.brkStart % P, 0u);
  EXPECT_EQ(mem.brk(0), img.brkStart);
  EXPECT_TRUE(mem.isMapped(img.entry, 4, 4)); // entry is executable
  checkImage(path, 0);
}

TEST_F(ElfLoaderTest, GlibcStaticPhdr) {
  std::string path = build("hello.c", "-static", "hello-static");
  LoadedImage img;
  std::string err;
  ASSERT_TRUE(loadElf(path, mem, img, err)) << err;
  checkImage(path, 0);
  // AT_PHDR must point at the program headers (glibc finds PT_TLS there).
  std::string file = readFile(path);
  Elf64_Ehdr eh;
  memcpy(&eh, file.data(), sizeof eh);
  ASSERT_NE(img.phdrAddr, 0u);
  std::vector<char> ph(eh.e_phnum * sizeof(Elf64_Phdr));
  ASSERT_TRUE(mem.read(img.phdrAddr, ph.data(), ph.size()));
  EXPECT_EQ(0, memcmp(ph.data(), file.data() + eh.e_phoff, ph.size()));
  EXPECT_EQ(img.phnum, eh.e_phnum);
}

TEST_F(ElfLoaderTest, StaticPieGetsEtDynBase) {
  std::string path = build("tiny.c",
                           "-nostdlib -fPIE -static-pie "
                           "-Wl,--no-dynamic-linker",
                           "tiny-spie");
  LoadedImage img;
  std::string err;
  ASSERT_TRUE(loadElf(path, mem, img, err)) << err;
  EXPECT_EQ(img.loadBias, 0x2aaaaaa000u);
  EXPECT_GT(img.entry, img.loadBias);
  EXPECT_EQ(img.phdrAddr, img.loadBias + 64);
  checkImage(path, img.loadBias);
}

TEST_F(ElfLoaderTest, DynamicWithInterpreter) {
  std::string path = build("hello.c", "", "hello-dyn");
  LoadedImage img;
  std::string err;
  ASSERT_TRUE(loadElf(path, mem, img, err)) << err;
  EXPECT_EQ(img.interpPath, "/lib/ld-linux-riscv64-lp64d.so.1");
  if (access(kLdso, R_OK) != 0)
    GTEST_SKIP() << kLdso << " not installed";
  uint64_t prog = img.progEntry;
  ASSERT_TRUE(loadInterpreter(kLdso, mem, img, err)) << err;
  EXPECT_EQ(img.progEntry, prog);
  EXPECT_NE(img.interpBase, 0u);
  EXPECT_EQ(img.interpBase % P, 0u);
  EXPECT_GT(img.entry, img.interpBase);
  EXPECT_LT(img.interpBase, mem.mmapBase());
  EXPECT_TRUE(mem.isMapped(img.entry, 4, 4));
  checkImage(kLdso, img.interpBase);
  checkImage(path, img.loadBias);
}

TEST_F(ElfLoaderTest, SegmentsSharingAPage) {
  // Tiny page alignment puts text and data in one page, with offsets that
  // are not congruent to the addresses.
  std::string path = build("tiny.c",
                           "-nostdlib -static -Wl,-z,max-page-size=0x10 "
                           "-Wl,-z,common-page-size=0x10 "
                           "-Wl,-z,noseparate-code",
                           "tiny-shared");
  LoadedImage img;
  std::string err;
  ASSERT_TRUE(loadElf(path, mem, img, err)) << err;
  checkImage(path, 0);
  EXPECT_TRUE(mem.isMapped(0x10000, P, 7)); // r-x and rw- merged
}

TEST_F(ElfLoaderTest, Errors) {
  EXPECT_EQ(loadError("/nonexistent/prog"),
            "cannot open '/nonexistent/prog': No such file or directory");
  EXPECT_EQ(loadError(dir_), "cannot open '" + dir_ + "': Is a directory");
  EXPECT_EQ(loadError(dir_ + "/tiny.c"), "not an ELF file");
  writeFile(dir_ + "/empty", "");
  EXPECT_EQ(loadError(dir_ + "/empty"), "not an ELF file");
  if (access("/bin/true", R_OK) == 0)
    EXPECT_EQ(loadError("/bin/true"), "ELF for x86-64, not RISC-V or AArch64");

  std::string good = readFile(tinyStatic());
  std::string bad = good;
  bad[EI_CLASS] = ELFCLASS32;
  writeFile(dir_ + "/class32", bad);
  EXPECT_EQ(loadError(dir_ + "/class32"), "32-bit ELF is not supported");

  build("tiny.c", "-c", "tiny.o");
  EXPECT_EQ(loadError(dir_ + "/tiny.o"),
            "ELF relocatable object is not an executable");

  Elf64_Ehdr eh;
  memcpy(&eh, good.data(), sizeof eh);
  uint64_t phEnd = eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr);
  writeFile(dir_ + "/trunc-ph", good.substr(0, phEnd - 8));
  EXPECT_EQ(loadError(dir_ + "/trunc-ph"), "truncated ELF file");
  writeFile(dir_ + "/trunc-seg", good.substr(0, phEnd + 8));
  EXPECT_EQ(loadError(dir_ + "/trunc-seg"), "truncated ELF file");
  writeFile(dir_ + "/trunc-eh", good.substr(0, 40));
  EXPECT_EQ(loadError(dir_ + "/trunc-eh"), "truncated ELF file");
  writeFile(dir_ + "/trunc-ph0", good.substr(0, eh.e_phoff + 6));
  EXPECT_EQ(loadError(dir_ + "/trunc-ph0"), "truncated ELF file");

  bad = good;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    uint32_t *type = (uint32_t *)&bad[eh.e_phoff + i * sizeof(Elf64_Phdr)];
    if (*type == PT_LOAD)
      *type = PT_NULL;
  }
  writeFile(dir_ + "/noload", bad);
  EXPECT_EQ(loadError(dir_ + "/noload"), "no PT_LOAD segment");
}

// auxv as a tag -> value map, plus the order of tags.
struct AuxvView {
  std::vector<uint64_t> order;
  std::map<uint64_t, uint64_t> val;
};

TEST_F(ElfLoaderTest, InitialStackLayout) {
  std::string path = tinyStatic();
  LoadedImage img;
  std::string err;
  ASSERT_TRUE(loadElf(path, mem, img, err)) << err;
  StackInfo st;
  std::vector<std::string> argv = {"prog", "a", "bc"};
  std::vector<std::string> envp = {"X=1", "LONGER=value"};
  ASSERT_TRUE(setupStack(mem, img, riscv64LinuxAbi().auxv, argv, envp, st, err)) << err;
  EXPECT_EQ(st.sp % 16, 0u);
  auto maps = mem.mappings();
  EXPECT_EQ(maps.rbegin()->second.name, "[stack]");
  EXPECT_EQ(maps.rbegin()->second.end, mem.limit());

  uint64_t p = st.sp, v = 0;
  std::string s;
  ASSERT_TRUE(mem.read(p, &v, 8));
  EXPECT_EQ(v, 3u);
  p += 8;
  uint64_t prevStr = 0, firstStr = 0;
  for (const auto *list : {&argv, &envp}) {
    for (const std::string &want : *list) {
      ASSERT_TRUE(mem.read(p, &v, 8));
      ASSERT_TRUE(mem.readString(v, s));
      EXPECT_EQ(s, want);
      EXPECT_GT(v, prevStr); // argv[0] lowest, then upwards like Linux
      prevStr = v;
      firstStr = firstStr ? firstStr : v;
      p += 8;
    }
    ASSERT_TRUE(mem.read(p, &v, 8));
    EXPECT_EQ(v, 0u);
    p += 8;
  }
  EXPECT_EQ(p, st.auxvAddr);
  AuxvView aux;
  for (uint64_t tag = 1; tag != 0; p += 16) {
    ASSERT_TRUE(mem.read(p, &tag, 8));
    ASSERT_TRUE(mem.read(p + 8, &v, 8));
    aux.order.push_back(tag);
    aux.val[tag] = v;
  }
  EXPECT_EQ(p - st.auxvAddr, st.auxvLen);
  EXPECT_EQ(aux.val[AT_PHDR], img.phdrAddr);
  EXPECT_EQ(aux.val[AT_PHENT], 56u);
  EXPECT_EQ(aux.val[AT_PHNUM], img.phnum);
  EXPECT_EQ(aux.val[AT_PAGESZ], 4096u);
  EXPECT_EQ(aux.val[AT_ENTRY], img.progEntry);
  EXPECT_EQ(aux.val[AT_BASE], 0u);
  EXPECT_EQ(aux.val[AT_HWCAP], 0x112du); // IMAFDC
  EXPECT_EQ(aux.val[AT_CLKTCK], 100u);
  EXPECT_EQ(aux.val[AT_UID], (uint64_t)getuid());
  EXPECT_EQ(aux.val[AT_MINSIGSTKSZ], 1088u);
  EXPECT_EQ(aux.val[AT_EXECFN], st.execfnAddr);
  ASSERT_TRUE(mem.readString(st.execfnAddr, s));
  EXPECT_EQ(s, path);
  uint8_t rnd[16];
  EXPECT_TRUE(mem.read(aux.val[AT_RANDOM], rnd, 16));
  // The random bytes lie between the tables and the strings.
  EXPECT_GE(aux.val[AT_RANDOM], p);
  EXPECT_LE(aux.val[AT_RANDOM] + 16, firstStr);
  EXPECT_EQ(aux.order.back(), (uint64_t)AT_NULL);
}

} // namespace
