// libFuzzer target: the ELF loader on arbitrary files. Each input is loaded
// as a program (loadElf) and as a program interpreter (loadInterpreter);
// when the load succeeds, the initial stack is built with an argv and envp
// taken from the input's tail. A failure must come with a one-line reason;
// nothing may crash.
//
// The input goes to a memfd (the loader opens a path: /proc/self/fd/N), and
// one small GuestMemory is reused, emptied with a munmap of everything.
#include "runtime/elf_interp.h"
#include "runtime/elf_loader.h"
#include "runtime/linux/syscalls.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace xlat;

struct LoaderEnv {
  GuestMemory mem;
  int fd = -1;
  std::string path;

  LoaderEnv() {
    std::string err;
    fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
    if (fd < 0 || !mem.init(1ull << 32, err)) {
      fprintf(stderr, "fuzz-elf-loader: setup failed: %s\n", err.c_str());
      abort();
    }
    path = "/proc/self/fd/" + std::to_string(fd);
  }

  void setFile(const uint8_t *data, size_t size) {
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
      perror("fuzz-elf-loader: memfd");
      abort();
    }
  }

  void reset() {
    if (mem.munmap(0, mem.limit()) != 0 || !mem.mappings().empty()) {
      fprintf(stderr, "fuzz-elf-loader: cannot empty guest memory\n");
      abort();
    }
  }
};

void checkReason(const std::string &err, const char *what) {
  if (err.empty() || err.find('\n') != std::string::npos) {
    fprintf(stderr, "fuzz-elf-loader: %s failed with a bad reason '%s'\n",
            what, err.c_str());
    abort();
  }
}

// Strings split at NUL from the last 512 bytes: the first three are argv,
// the rest envp. The top bits of the last byte repeat argv[0], to reach the
// argument-size limit now and then.
void splitArgs(const uint8_t *data, size_t size, std::vector<std::string> &argv,
               std::vector<std::string> &envp) {
  size_t from = size > 512 ? size - 512 : 0;
  std::string cur;
  for (size_t i = from; i < size; ++i) {
    if (data[i]) {
      cur += (char)data[i];
      continue;
    }
    (argv.size() < 3 ? argv : envp).push_back(cur);
    cur.clear();
  }
  if (!argv.empty() && size && (data[size - 1] & 0xc0) == 0xc0)
    argv.resize(argv.size() + 2000 * (1 + (data[size - 1] & 0x3f)), argv[0]);
}

void buildStack(LoaderEnv &env, const LoadedImage &img, const uint8_t *data,
                size_t size) {
  std::vector<std::string> argv, envp;
  splitArgs(data, size, argv, envp);
  StackInfo st;
  std::string err;
  if (!setupStack(env.mem, img, riscv64LinuxAbi().auxv, argv, envp, st, err)) {
    checkReason(err, "setupStack");
    return;
  }
  uint64_t argc = ~0ull;
  if (st.sp % 16 || !env.mem.read(st.sp, &argc, 8) || argc != argv.size()) {
    fprintf(stderr, "fuzz-elf-loader: bad initial stack\n");
    abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static LoaderEnv env;
  env.setFile(data, size);

  LoadedImage img;
  std::string err;
  if (loadElf(env.path, env.mem, img, err))
    buildStack(env, img, data, size);
  else
    checkReason(err, "loadElf");
  env.reset();

  LoadedImage interp;
  err.clear();
  if (!loadInterpreter(env.path, env.mem, interp, err))
    checkReason(err, "loadInterpreter");
  env.reset();
  return 0;
}
