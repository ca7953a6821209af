// libFuzzer target: translation cache files (aot/cache.h). Each input is
// read twice: as it is (the header checks must refuse it in one line), and
// with its checksums made right (sealFile), so that mutations reach the
// index, the entry bodies and the code objects inside (each entry's
// object is parsed as installing it would). Nothing may crash, and
// whatever parses must format back to a file that parses the same.
#include "aot/cache.h"
#include "jit/code_object.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

const uint8_t kKey[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

void check(const std::vector<uint8_t> &file) {
  using xlat::aot::TranslationCache;
  std::vector<TranslationCache::Entry> entries;
  std::string err;
  if (!TranslationCache::parseFile(file, kKey, entries, err)) {
    if (err.empty() || err.find('\n') != std::string::npos)
      abort(); // a refusal says why, in one line
    return;
  }
  for (const TranslationCache::Entry &e : entries) {
    xlat::jit::CodeObject obj;
    if (xlat::jit::CodeObject::parse(e.object.data(), e.object.size(), obj, err) &&
        obj.serialize() != e.object)
      abort();
  }
  std::vector<TranslationCache::Entry> again;
  if (!TranslationCache::parseFile(TranslationCache::formatFile(entries, kKey),
                                   kKey, again, err) ||
      again.size() != entries.size())
    abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<uint8_t> input(data, data + size);
  check(input);
  xlat::aot::TranslationCache::sealFile(input);
  check(input);
  return 0;
}
