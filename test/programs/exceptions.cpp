// C++ exceptions: the unwinder walks .eh_frame through guest frames, runs
// destructors, matches catch clauses by type, rethrows, and reports what().
//
// RUN: %rv-cxx -O0 %s -o %t.O0
// RUN: %rv-cxx -O2 %s -o %t.O2
// RUN: %qemu-riscv64 %t.O0 > %t.O0.ref
// RUN: %qemu-riscv64 %t.O2 > %t.O2.ref
// RUN: %xlat-run --tier=interp %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=block  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=template  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=interp %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=block  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=template  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// The same program for AArch64 in its tiers (%{a64-tiers}), against qemu-aarch64:
// RUN: %a64-gxx -O2 %s -o %t.a64
// RUN: %qemu-aarch64 %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

static int live = 0;

struct Guard {
  const char *name;
  explicit Guard(const char *n) : name(n) { ++live; }
  ~Guard() {
    --live;
    std::printf("~Guard(%s)\n", name);
  }
};

struct MyError : std::runtime_error {
  int code;
  MyError(const std::string &msg, int c) : std::runtime_error(msg), code(c) {}
};

struct ThrowsInCtor {
  Guard member{"member"};
  explicit ThrowsInCtor(int v) {
    if (v < 0)
      throw std::invalid_argument("negative " + std::to_string(v));
  }
};

__attribute__((noinline)) static void level3(int kind) {
  Guard g("level3");
  switch (kind) {
  case 0: throw 42;
  case 1: throw std::runtime_error("runtime failure");
  case 2: throw MyError("mine", 7);
  case 3: throw std::string("a string");
  case 4: std::vector<int>(3).at(5); break;
  case 5: ThrowsInCtor t(-3); break;
  }
}

__attribute__((noinline)) static void level2(int kind) {
  Guard g("level2");
  level3(kind);
}

__attribute__((noinline)) static void level1(int kind) {
  try {
    level2(kind);
  } catch (const MyError &e) {
    std::printf("level1 rethrows MyError code=%d\n", e.code);
    throw;
  }
}

int main() {
  for (int kind = 0; kind <= 5; ++kind) {
    try {
      level1(kind);
    } catch (int v) {
      std::printf("caught int %d\n", v);
    } catch (const MyError &e) {
      std::printf("caught MyError %s %d\n", e.what(), e.code);
    } catch (const std::out_of_range &e) {
      std::printf("caught out_of_range\n");
    } catch (const std::exception &e) {
      std::printf("caught exception: %s\n", e.what());
    } catch (...) {
      std::printf("caught something else\n");
    }
    std::printf("kind %d done, live=%d\n", kind, live);
  }
  // Nested: an exception thrown and caught inside a catch handler.
  try {
    try {
      throw std::logic_error("outer");
    } catch (const std::exception &outer) {
      try {
        throw std::runtime_error("inner");
      } catch (const std::exception &inner) {
        std::printf("inner %s while handling %s\n", inner.what(), outer.what());
      }
      throw std::runtime_error(std::string("from handler of ") + outer.what());
    }
  } catch (const std::runtime_error &e) {
    std::printf("%s\n", e.what());
  }
  return 0;
}

// CHECK:      ~Guard(level3)
// CHECK-NEXT: ~Guard(level2)
// CHECK-NEXT: caught int 42
// CHECK-NEXT: kind 0 done, live=0
// CHECK:      caught exception: runtime failure
// CHECK-NEXT: kind 1 done, live=0
// CHECK:      ~Guard(level2)
// CHECK-NEXT: level1 rethrows MyError code=7
// CHECK-NEXT: caught MyError mine 7
// CHECK:      caught something else
// CHECK:      caught out_of_range
// CHECK-NEXT: kind 4 done, live=0
// CHECK:      ~Guard(member)
// CHECK-NEXT: ~Guard(level3)
// CHECK-NEXT: ~Guard(level2)
// CHECK-NEXT: caught exception: negative -3
// CHECK-NEXT: kind 5 done, live=0
// CHECK-NEXT: inner inner while handling outer
// CHECK-NEXT: from handler of outer
