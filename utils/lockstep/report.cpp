#include "utils/lockstep/report.h"

#include <cinttypes>

namespace xlat::lockstep {

void diffHeader(FILE *out, const char *nameA, const char *nameB) {
  fprintf(out, "    %-12s %-18s  %s\n", "", nameA, nameB);
}

void diffLine(FILE *out, const char *name, uint64_t a, uint64_t b) {
  if (a != b)
    fprintf(out, "    %-12s 0x%016" PRIx64 "  0x%016" PRIx64 "\n", name, a, b);
}

void diffText(FILE *out, const char *name, const char *a, const char *b) {
  fprintf(out, "    %-12s %-18s  %s\n", name, a, b);
}

void diffRegisters(FILE *out, const char *prefix, const uint64_t *a, const uint64_t *b,
                   unsigned n) {
  char name[32];
  for (unsigned r = 0; r < n; ++r) {
    snprintf(name, sizeof name, "%s%u", prefix, r);
    diffLine(out, name, a[r], b[r]);
  }
}

void diffMemory(FILE *out, const std::vector<uint8_t> &a, const std::vector<uint8_t> &b) {
  char name[32];
  unsigned shown = 0;
  for (size_t i = 0; i < a.size() && i < b.size() && shown < 16; ++i)
    if (a[i] != b[i]) {
      snprintf(name, sizeof name, "mem[0x%zx]", i);
      diffLine(out, name, a[i], b[i]);
      ++shown;
    }
}

void Columns::item(const char *reg, unsigned n, uint64_t v) {
  fprintf(out_, "%s%s%-2u=%016" PRIx64, col_ == 0 ? "    " : "  ", reg, n, v);
  next();
}

void Columns::item(const char *reg, unsigned n, uint64_t hi, uint64_t lo) {
  fprintf(out_, "%s%s%-2u=%016" PRIx64 ":%016" PRIx64, col_ == 0 ? "    " : "  ", reg, n,
          hi, lo);
  next();
}

void Columns::next() {
  if (++col_ == perLine_) {
    fputc('\n', out_);
    col_ = 0;
  }
}

void Columns::end() {
  if (col_)
    fputc('\n', out_);
  col_ = 0;
}

} // namespace xlat::lockstep
