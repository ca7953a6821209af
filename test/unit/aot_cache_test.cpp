// The translation cache's file format, its refusal of damaged files, its
// content check of entries, and publishing by rename (aot/cache.h); the
// code object format it stores (jit/code_object.h).
#include "aot/cache.h"
#include "jit/code_object.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

namespace {

using namespace xlat;

// Guest code at chosen addresses, as a CodeReader.
class FakeCode : public CodeReader {
public:
  std::map<uint64_t, uint8_t> bytes;
  void put(uint64_t at, const std::vector<uint8_t> &b) {
    for (size_t i = 0; i < b.size(); i++)
      bytes[at + i] = b[i];
  }
  bool read(uint64_t addr, void *dst, size_t n) override {
    for (size_t i = 0; i < n; i++) {
      auto it = bytes.find(addr + i);
      if (it == bytes.end())
        return false;
      static_cast<uint8_t *>(dst)[i] = it->second;
    }
    return true;
  }
};

jit::CodeObject sampleObject() {
  jit::CodeObject o;
  o.image = {0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xc3, 0x90, 1, 2, 3, 4};
  o.codeSize = 12;
  o.coldStart = 11;
  o.entry = 0;
  o.relocs.push_back({2, jit::CodeObject::Type::Abs64,
                      jit::CodeObject::Target::Cell, 0, 0});
  o.cells = {0x10080};
  o.externals = {"xlat_mem_fault_at"};
  o.relocs.push_back({12, jit::CodeObject::Type::Pc32,
                      jit::CodeObject::Target::External, 0, -4});
  // Spills: two general-purpose registers and xmm2 (16 + 2).
  o.pcmap = {{10, 0x10004, 0x5, {{{40, 3}, {88, 13}, {336, 18}}}}};
  return o;
}

class CacheDir : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/xlat-cache-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
    program = dir + "/prog";
    std::ofstream(program) << "a guest program's bytes";
    opts.dir = dir + "/cache";
  }
  void TearDown() override {
    std::string cmd = "chmod -R u+w '" + dir + "' && rm -rf '" + dir + "'";
    ASSERT_EQ(system(cmd.c_str()), 0);
  }

  std::unique_ptr<aot::TranslationCache> open(std::string *warningOut = nullptr) {
    std::string warning;
    auto c = aot::TranslationCache::open(opts, program, GuestIsa::Riscv64, "test", warning);
    if (warningOut)
      *warningOut = warning;
    else
      EXPECT_EQ(warning, "");
    return c;
  }

  // Records one translation of the code at 0x10000..0x10008 (two blocks).
  void recordSample(aot::TranslationCache &c, uint64_t pc = 0x10000) {
    jit::CodeObject obj = sampleObject();
    jit::CompiledTranslation t;
    t.pc = pc;
    t.ranges = {{pc, 4}, {pc + 4, 4}};
    t.guestBytes = {1, 2, 3, 4, 5, 6, 7, 8};
    t.object = &obj;
    c.record(t);
  }

  std::vector<uint8_t> fileBytes(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
  }
  void writeBytes(const std::string &path, const std::vector<uint8_t> &b) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char *>(b.data()), b.size());
  }

  std::string dir, program;
  aot::CacheOptions opts;
};

TEST(CodeObject, RoundTripsAndRefusesDamage) {
  jit::CodeObject o = sampleObject();
  std::vector<uint8_t> bytes = o.serialize();
  jit::CodeObject back;
  std::string err;
  ASSERT_TRUE(jit::CodeObject::parse(bytes.data(), bytes.size(), back, err)) << err;
  EXPECT_EQ(back.image, o.image);
  EXPECT_EQ(back.codeSize, o.codeSize);
  EXPECT_EQ(back.coldStart, o.coldStart);
  EXPECT_EQ(back.cells, o.cells);
  EXPECT_EQ(back.externals, o.externals);
  EXPECT_EQ(back.pcmap, o.pcmap);
  ASSERT_EQ(back.relocs.size(), 2u);
  EXPECT_EQ(back.relocs[1].addend, -4);
  // A spill from the stack pointer or beyond xmm15, or a register named
  // with no field, is refused.
  for (jit::RegSpill bad : {jit::RegSpill{40, 4}, jit::RegSpill{0, 3}, jit::RegSpill{41, 3},
                            jit::RegSpill{336, 32}}) {
    jit::CodeObject o2 = sampleObject();
    o2.pcmap[0].spills[1] = bad;
    std::vector<uint8_t> b2 = o2.serialize();
    err.clear();
    EXPECT_FALSE(jit::CodeObject::parse(b2.data(), b2.size(), back, err));
    EXPECT_EQ(err, "bad pc map in code object");
  }
  // Every truncation is refused, with a reason.
  for (size_t n = 0; n < bytes.size(); n++) {
    err.clear();
    EXPECT_FALSE(jit::CodeObject::parse(bytes.data(), n, back, err)) << n;
    EXPECT_NE(err, "") << n;
  }
}

TEST_F(CacheDir, SecondRunFindsWhatTheFirstSaved) {
  {
    auto c = open();
    ASSERT_TRUE(c);
    recordSample(*c);
    std::string warning;
    ASSERT_TRUE(c->save(warning)) << warning;
    EXPECT_EQ(c->stats().entriesWritten, 1u);
  }
  struct stat st;
  ASSERT_EQ(stat(opts.dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  auto c = open();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->stats().fileEntries, 1u);
  FakeCode code;
  code.put(0x10000, {1, 2, 3, 4, 5, 6, 7, 8});
  jit::CodeObject obj;
  ASSERT_TRUE(c->lookup(0x10000, 0, code, obj));
  EXPECT_EQ(obj.image, sampleObject().image);
  EXPECT_FALSE(c->lookup(0x10004, 0, code, obj)); // not an entry
  EXPECT_EQ(c->stats().hits, 1u);
}

TEST_F(CacheDir, ModuleCodeIsFoundWhereverTheModuleIsMapped) {
  {
    // Compiled for the module at base 0x10000: kept at offset 0x2000.
    auto c = open();
    jit::CodeObject obj = sampleObject();
    jit::CompiledTranslation t;
    t.pc = 0x12000;
    t.moduleBase = 0x10000;
    t.ranges = {{0x12000, 4}, {0x12004, 4}};
    t.guestBytes = {1, 2, 3, 4, 5, 6, 7, 8};
    t.object = &obj;
    c->record(t);
    std::string warning;
    ASSERT_TRUE(c->save(warning)) << warning;
  }
  auto c = open();
  FakeCode code;
  code.put(0x7f0002000, {1, 2, 3, 4, 5, 6, 7, 8});
  jit::CodeObject obj;
  std::vector<std::pair<uint64_t, uint32_t>> ranges;
  ASSERT_TRUE(c->lookup(0x7f0002000, 0x7f0000000, code, obj, &ranges));
  EXPECT_EQ(ranges, (std::vector<std::pair<uint64_t, uint32_t>>{{0x7f0002000, 4},
                                                                {0x7f0002004, 4}}));
  // The same offset from another base, where the bytes are not the same.
  code.put(0x5002000, {1, 2, 3, 4, 5, 6, 7, 0});
  EXPECT_FALSE(c->lookup(0x5002000, 0x5000000, code, obj));
  EXPECT_FALSE(c->lookup(0x12000, 0, code, obj)); // not at this base
  EXPECT_EQ(c->stats().hits, 1u);
}

TEST_F(CacheDir, EntriesAreUsedOnlyForTheSameGuestBytes) {
  auto c = open();
  recordSample(*c);
  std::string warning;
  ASSERT_TRUE(c->save(warning));
  c = open();
  FakeCode changed;
  changed.put(0x10000, {1, 2, 3, 4, 5, 6, 7, 9}); // the second block differs
  jit::CodeObject obj;
  EXPECT_FALSE(c->lookup(0x10000, 0, changed, obj));
  FakeCode missing;
  missing.put(0x10000, {1, 2, 3, 4}); // the second block is not mapped
  EXPECT_FALSE(c->lookup(0x10000, 0, missing, obj));
  EXPECT_EQ(c->stats().stale, 2u);
  EXPECT_EQ(c->stats().hits, 0u);
}

TEST_F(CacheDir, DamagedFilesAreRefusedInOneLineAndRewritten) {
  {
    auto c = open();
    recordSample(*c);
    recordSample(*c, 0x20000);
    std::string warning;
    ASSERT_TRUE(c->save(warning));
  }
  std::string path = open()->path();
  std::vector<uint8_t> good = fileBytes(path);
  ASSERT_GT(good.size(), 72u + 2 * 48);
  // Damage in the header or the index: the file is refused at open.
  std::vector<std::vector<uint8_t>> bad;
  for (size_t at : {size_t(0), size_t(8), size_t(12), size_t(20), size_t(32),
                    size_t(40), size_t(56), size_t(64), size_t(72), size_t(100),
                    size_t(72 + 2 * 48 - 1)}) {
    std::vector<uint8_t> b = good;
    b[at] ^= 0x40;
    bad.push_back(b);
  }
  for (size_t n : {size_t(0), size_t(10), size_t(72), size_t(72 + 48),
                   good.size() - 1})
    bad.push_back(std::vector<uint8_t>(good.begin(), good.begin() + n));
  std::vector<uint8_t> version = good;
  version[8] = 99; // a future format version, with valid checksums
  aot::TranslationCache::sealFile(version);
  bad.push_back(version);
  std::vector<uint8_t> isa = good;
  isa[12] = 183; // EM_AARCH64
  aot::TranslationCache::sealFile(isa);
  bad.push_back(isa);
  for (size_t i = 0; i < bad.size(); i++) {
    writeBytes(path, bad[i]);
    std::string warning;
    auto c = open(&warning);
    ASSERT_TRUE(c) << i;
    EXPECT_NE(warning, "") << i;
    EXPECT_EQ(warning.find('\n'), std::string::npos) << i;
    if (i == bad.size() - 2)
      EXPECT_NE(warning.find("format version 99"), std::string::npos) << warning;
    if (i == bad.size() - 1)
      EXPECT_NE(warning.find("another guest ISA"), std::string::npos) << warning;
    EXPECT_EQ(c->stats().fileEntries, 0u) << i;
    // The run's own translations replace the damaged file.
    recordSample(*c);
    ASSERT_TRUE(c->save(warning)) << warning;
    EXPECT_EQ(open()->stats().fileEntries, 1u) << i;
  }
}

TEST_F(CacheDir, TheIndexIsSortedByPcAndRefusedOtherwise) {
  {
    auto c = open();
    for (uint64_t pc : {0x30000, 0x10000, 0x20000, 0x10000})
      recordSample(*c, pc); // 0x10000 twice: same pc and bytes, kept once
    std::string warning;
    ASSERT_TRUE(c->save(warning));
  }
  std::string path = open()->path();
  std::vector<uint8_t> file = fileBytes(path);
  std::vector<aot::TranslationCache::Entry> entries;
  std::string err;
  uint8_t key[16];
  memcpy(key, file.data() + 16, 16);
  ASSERT_TRUE(aot::TranslationCache::parseFile(file, key, entries, err)) << err;
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].pc, 0x10000u);
  EXPECT_EQ(entries[1].pc, 0x20000u);
  EXPECT_EQ(entries[2].pc, 0x30000u);
  FakeCode code;
  for (uint64_t pc : {0x10000, 0x20000, 0x30000})
    code.put(pc, {1, 2, 3, 4, 5, 6, 7, 8});
  jit::CodeObject obj;
  auto c = open();
  for (uint64_t pc : {0x10000, 0x20000, 0x30000})
    EXPECT_TRUE(c->lookup(pc, 0, code, obj)) << pc;
  EXPECT_FALSE(c->lookup(0x18000, 0, code, obj));
  EXPECT_FALSE(c->lookup(0x40000, 0, code, obj));
  // The first two index entries swapped (the index at byte 72, 48 bytes an
  // entry), checksums made right: refused as a whole.
  std::swap_ranges(file.begin() + 72, file.begin() + 120, file.begin() + 120);
  aot::TranslationCache::sealFile(file);
  EXPECT_FALSE(aot::TranslationCache::parseFile(file, key, entries, err));
  EXPECT_EQ(err, "index not sorted by pc");
  writeBytes(path, file);
  std::string warning;
  c = open(&warning);
  EXPECT_NE(warning.find("index not sorted by pc"), std::string::npos) << warning;
  EXPECT_EQ(c->stats().fileEntries, 0u);
}

TEST_F(CacheDir, ADamagedEntryIsRefusedWhenUsedAndDroppedAtSave) {
  {
    auto c = open();
    recordSample(*c);
    recordSample(*c, 0x20000);
    std::string warning;
    ASSERT_TRUE(c->save(warning));
  }
  std::string path = open()->path();
  std::vector<uint8_t> file = fileBytes(path);
  file[file.size() - 3] ^= 0x40; // in the second entry's body
  writeBytes(path, file);
  std::string warning;
  auto c = open(&warning);
  EXPECT_EQ(warning, ""); // only the index is read at open
  EXPECT_EQ(c->stats().fileEntries, 2u);
  FakeCode code;
  code.put(0x10000, {1, 2, 3, 4, 5, 6, 7, 8});
  code.put(0x20000, {1, 2, 3, 4, 5, 6, 7, 8});
  jit::CodeObject obj;
  EXPECT_TRUE(c->lookup(0x10000, 0, code, obj));
  EXPECT_EQ(c->takeRejection(), "");
  EXPECT_FALSE(c->lookup(0x20000, 0, code, obj));
  std::string why = c->takeRejection();
  EXPECT_NE(why.find("the entry at 0x20000 refused"), std::string::npos) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos);
  EXPECT_EQ(c->stats().rejected, 1u);
  // Saving keeps the good entry, drops the damaged one, adds the new one.
  recordSample(*c, 0x30000);
  ASSERT_TRUE(c->save(warning)) << warning;
  c = open();
  EXPECT_EQ(c->stats().fileEntries, 2u);
  code.put(0x30000, {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_TRUE(c->lookup(0x10000, 0, code, obj));
  EXPECT_TRUE(c->lookup(0x30000, 0, code, obj));
  EXPECT_FALSE(c->lookup(0x20000, 0, code, obj));
}

TEST_F(CacheDir, ConcurrentWritersLeaveOneValidFile) {
  for (int round = 0; round < 3; round++) {
    std::vector<pid_t> kids;
    for (int k = 0; k < 4; k++) {
      pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        std::string warning;
        auto c = aot::TranslationCache::open(opts, program, GuestIsa::Riscv64, "test", warning);
        for (int i = 0; i < 50; i++)
          recordSample(*c, 0x10000 + 0x100 * (k * 50 + i));
        _exit(c && c->save(warning) ? 0 : 1);
      }
      kids.push_back(pid);
    }
    for (pid_t pid : kids) {
      int status;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    std::string warning;
    auto c = open(&warning);
    EXPECT_EQ(warning, "");
    EXPECT_GE(c->stats().fileEntries, 50u);
    EXPECT_LE(c->stats().fileEntries, 200u);
  }
}

TEST_F(CacheDir, ADirectoryThatCannotBeMadeCostsOneWarning) {
  opts.dir = program + "/cache"; // under a regular file
  std::string warning;
  EXPECT_FALSE(open(&warning));
  EXPECT_NE(warning, "");
  EXPECT_EQ(warning.find('\n'), std::string::npos);
}

TEST_F(CacheDir, DirectoriesOthersCanWriteAreRefused) {
  ASSERT_EQ(mkdir(opts.dir.c_str(), 0777), 0);
  ASSERT_EQ(chmod(opts.dir.c_str(), 0777), 0);
  std::string warning;
  EXPECT_FALSE(open(&warning));
  EXPECT_NE(warning.find("writable by other users"), std::string::npos);
}

TEST_F(CacheDir, ADirectoryGoneAtSaveCostsOneWarning) {
  auto c = open();
  ASSERT_TRUE(c);
  // Replaced by a file: no one, root included, can write in it.
  ASSERT_EQ(rmdir(opts.dir.c_str()), 0);
  std::ofstream(opts.dir) << "not a directory";
  recordSample(*c);
  std::string warning;
  EXPECT_FALSE(c->save(warning));
  EXPECT_NE(warning, "");
  EXPECT_EQ(warning.find('\n'), std::string::npos);
}

TEST_F(CacheDir, TheSizeBoundEvictsLeastRecentlyUsedFiles) {
  std::vector<std::string> paths;
  for (int p = 0; p < 3; p++) {
    program = dir + "/prog" + std::to_string(p);
    std::ofstream(program) << "program " << p;
    auto c = open();
    for (int i = 0; i < 20; i++)
      recordSample(*c, 0x10000 + 0x100 * i);
    std::string warning;
    ASSERT_TRUE(c->save(warning));
    paths.push_back(c->path());
    sleep(1); // distinct modification times
  }
  // Use the first again: the second is now the least recently used.
  program = dir + "/prog0";
  open();
  size_t one = fileBytes(paths[0]).size();
  opts.maxBytes = 2 * one + one / 2;
  program = dir + "/prog3";
  std::ofstream(program) << "program 3";
  auto c = open();
  recordSample(*c);
  std::string warning;
  ASSERT_TRUE(c->save(warning));
  EXPECT_TRUE(access(paths[0].c_str(), F_OK) == 0);
  EXPECT_FALSE(access(paths[1].c_str(), F_OK) == 0);
  EXPECT_TRUE(access(c->path().c_str(), F_OK) == 0);
}

} // namespace

// A file names its guest ISA (ELF machine number, bytes 12-15), and a
// reader of another ISA refuses it by name.
TEST(CacheFile, NamesItsGuestIsa) {
  uint8_t key[16] = {1, 2, 3};
  std::vector<aot::TranslationCache::Entry> entries;
  std::string err;
  std::vector<uint8_t> a64 = aot::TranslationCache::formatFile({}, key, GuestIsa::Aarch64);
  uint32_t machine;
  memcpy(&machine, a64.data() + 12, 4);
  EXPECT_EQ(machine, 183u); // EM_AARCH64
  EXPECT_TRUE(aot::TranslationCache::parseFile(a64, key, entries, err, GuestIsa::Aarch64))
      << err;
  EXPECT_FALSE(aot::TranslationCache::parseFile(a64, key, entries, err, GuestIsa::Riscv64));
  EXPECT_EQ(err, "for another guest ISA");
  std::vector<uint8_t> rv = aot::TranslationCache::formatFile({}, key, GuestIsa::Riscv64);
  memcpy(&machine, rv.data() + 12, 4);
  EXPECT_EQ(machine, 243u); // EM_RISCV
  EXPECT_FALSE(aot::TranslationCache::parseFile(rv, key, entries, err, GuestIsa::Aarch64));
}
