// xlat-lockstep: differential testing of xlat's tiers against the reference
// interpreter on random RV64GC or A64 instruction streams. See
// docs/testing.md.
#include "utils/lockstep/driver.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

using namespace xlat::lockstep;

namespace {

void usage(FILE *out) {
  fputs("usage: xlat-lockstep [options]\n"
        "  --isa I         guest ISA: riscv64 (default) or aarch64\n"
        "  --seed N        seed of the random streams and states (default 1)\n"
        "  --count N       blocks to generate (default 100)\n"
        "  --insns N       instructions per block (default 20)\n"
        "  --states N      initial states each block runs from (default 4)\n"
        "  --first N       index of the first block (rerun one block)\n"
        "  --tier T        tier compared with the interpreter: block, template, region\n"
        "  --only-ext L    riscv64: extensions to draw from, e.g. I,M,C (default IMAFDC)\n"
        "  --only-group G  aarch64: encoding groups to draw from, of\n"
        "                  dpimm,branch,ldst,dpreg,fpsimd (default all)\n"
        "  --verbose       list every block and the encodings never drawn\n",
        out);
}

bool parseNumber(const char *s, uint64_t &out) {
  char *end;
  errno = 0;
  out = strtoull(s, &end, 0);
  return *s && !*end && errno == 0;
}

// Returns -1 to go on, else an exit status.
int parseArgs(int argc, char **argv, Options &o) {
  std::string_view onlyOption;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> const char * {
      return i + 1 < argc ? argv[++i] : nullptr;
    };
    auto number = [&](uint64_t &out) {
      const char *v = value();
      if (v && parseNumber(v, out))
        return true;
      fprintf(stderr, "xlat-lockstep: %.*s needs a number\n", int(a.size()),
              a.data());
      return false;
    };
    uint64_t n;
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else if (a == "--seed") {
      if (!number(o.seed))
        return 1;
    } else if (a == "--first") {
      if (!number(o.first))
        return 1;
    } else if (a == "--count") {
      if (!number(o.count))
        return 1;
    } else if (a == "--insns" || a == "--states") {
      if (!number(n) || n == 0 || n > 4096) {
        fprintf(stderr, "xlat-lockstep: %s needs a number in 1..4096\n", argv[i - 1]);
        return 1;
      }
      (a == "--insns" ? o.insns : o.states) = unsigned(n);
    } else if (a == "--tier") {
      const char *v = value();
      if (!v) {
        fprintf(stderr, "xlat-lockstep: --tier needs a name\n");
        return 1;
      }
      o.tier = v;
    } else if (a == "--isa") {
      const char *v = value();
      std::string_view isa = v ? v : "";
      if (isa == "riscv64" || isa == "rv64") {
        o.isa = xlat::GuestIsa::Riscv64;
      } else if (isa == "aarch64" || isa == "arm64") {
        o.isa = xlat::GuestIsa::Aarch64;
      } else {
        fprintf(stderr, "xlat-lockstep: --isa takes riscv64 or aarch64\n");
        return 1;
      }
    } else if (a == "--only-ext" || a == "--only-group") {
      const char *v = value();
      if (!v) {
        fprintf(stderr, "xlat-lockstep: %s needs a list\n", argv[i - 1]);
        return 1;
      }
      onlyOption = a;
      o.only = v;
    } else if (a == "--verbose" || a == "-v") {
      o.verbose = true;
    } else if (a == "--inject-bug") {
      o.injectBug = true;
    } else {
      fprintf(stderr, "xlat-lockstep: unknown option '%s'\n", argv[i]);
      usage(stderr);
      return 1;
    }
  }
  std::string_view ownOnly = o.isa == xlat::GuestIsa::Aarch64 ? "--only-group" : "--only-ext";
  if (!onlyOption.empty() && onlyOption != ownOnly) {
    fprintf(stderr, "xlat-lockstep: %.*s is not for this ISA: it narrows with %.*s\n",
            int(onlyOption.size()), onlyOption.data(), int(ownOnly.size()), ownOnly.data());
    return 1;
  }
  return -1;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  int status = parseArgs(argc, argv, o);
  if (status >= 0)
    return status;
  setvbuf(stdout, nullptr, _IOLBF, 0);
  return runLockstep(o);
}
