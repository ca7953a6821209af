// A dynamically linked C++ program (libstdc++.so.6, libgcc_s.so.1):
// iostream, containers and an exception unwound through shared libraries.
//
// RUN: %rv-dyncxx -O2 %s -o %t
// RUN: %qemu-riscv64 -L %rv-sysroot %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %a64-dyncxx -O2 %s -o %t.a64
// RUN: %qemu-aarch64 -L %a64-sysroot %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

static int thrower(int x) {
  if (x > 2)
    throw std::runtime_error("too big: " + std::to_string(x));
  return x;
}

int main() {
  std::map<std::string, int> m{{"one", 1}, {"two", 2}, {"three", 3}};
  // CHECK: one=1
  // CHECK-NEXT: three=3
  // CHECK-NEXT: two=2
  for (auto &[k, v] : m)
    std::cout << k << "=" << v << "\n";
  std::vector<int> sq;
  for (int i = 0; i < 5; ++i)
    sq.push_back(i * i);
  // CHECK-NEXT: sum 30
  int sum = 0;
  for (int x : sq)
    sum += x;
  std::cout << "sum " << sum << "\n";
  try {
    thrower(7);
  } catch (const std::exception &e) {
    // CHECK-NEXT: caught too big: 7
    std::cout << "caught " << e.what() << "\n";
  }
  return 0;
}
