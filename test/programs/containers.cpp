// The C++ standard library at work: vector growth, sort with a lambda,
// map/set (tree code), unordered_map (hashing), string building, algorithms,
// std::function and smart pointers (virtual calls through vtables).
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

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

struct Shape {
  virtual ~Shape() = default;
  virtual long area() const = 0;
  virtual std::string name() const = 0;
};
struct Rect : Shape {
  long w, h;
  Rect(long w, long h) : w(w), h(h) {}
  long area() const override { return w * h; }
  std::string name() const override { return "rect"; }
};
struct Square : Rect {
  explicit Square(long s) : Rect(s, s) {}
  std::string name() const override { return "square"; }
};

int main() {
  std::vector<long> v;
  unsigned seed = 7;
  for (int i = 0; i < 50000; ++i) {
    seed = seed * 1664525u + 1013904223u;
    v.push_back(seed % 100000);
  }
  std::sort(v.begin(), v.end(), [](long a, long b) { return a > b; });
  std::printf("size=%zu first=%ld last=%ld sorted=%d sum=%ld\n", v.size(),
              v.front(), v.back(),
              std::is_sorted(v.rbegin(), v.rend()),
              std::accumulate(v.begin(), v.end(), 0L));
  v.erase(std::unique(v.begin(), v.end()), v.end());
  std::printf("unique=%zu\n", v.size());

  std::map<std::string, int> counts;
  const char *text = "the cat and the dog and the bird";
  std::string word;
  for (const char *p = text;; ++p) {
    if (*p == ' ' || *p == 0) {
      ++counts[word];
      word.clear();
      if (!*p)
        break;
    } else {
      word += *p;
    }
  }
  for (const auto &[w, n] : counts)
    std::printf("%s:%d ", w.c_str(), n);
  std::printf("\n");

  std::unordered_map<long, long> squares;
  for (long i = 0; i < 10000; ++i)
    squares[i * 7919 % 10007] = i * i;
  long check = 0;
  for (long i = 0; i < 10007; i += 13) {
    auto it = squares.find(i);
    check += it == squares.end() ? -1 : it->second % 1000;
  }
  std::printf("unordered size=%zu check=%ld\n", squares.size(), check);

  std::set<int> s{5, 1, 9, 3, 7, 3, 1};
  std::string joined;
  for (int x : s)
    joined += std::to_string(x) + (x != *s.rbegin() ? "-" : "");
  std::printf("set=%s lower_bound(4)=%d\n", joined.c_str(), *s.lower_bound(4));

  std::vector<std::unique_ptr<Shape>> shapes;
  shapes.push_back(std::make_unique<Rect>(3, 4));
  shapes.push_back(std::make_unique<Square>(5));
  shapes.push_back(std::make_unique<Rect>(1, 10));
  std::sort(shapes.begin(), shapes.end(),
            [](auto &a, auto &b) { return a->area() < b->area(); });
  for (auto &sh : shapes)
    std::printf("%s=%ld ", sh->name().c_str(), sh->area());
  std::printf("\n");

  std::vector<std::function<long(long)>> fs = {
      [](long x) { return x + 1; }, [](long x) { return x * x; },
      [k = 3L](long x) { return x - k; }};
  long x = 5;
  for (auto &f : fs)
    x = f(x);
  std::printf("composed=%ld\n", x);

  std::string str = "Hello, containers";
  std::reverse(str.begin(), str.end());
  std::transform(str.begin(), str.end(), str.begin(),
                 [](char c) { return c == 'o' ? '0' : c; });
  std::printf("%s find=%zu substr=%s\n", str.c_str(), str.find("sl"),
              str.substr(2, 5).c_str());
  return 0;
}

// CHECK:      size=50000 first={{[0-9]+}} last={{[0-9]+}} sorted=1 sum={{[0-9]+}}
// CHECK-NEXT: unique={{[0-9]+}}
// CHECK-NEXT: and:2 bird:1 cat:1 dog:1 the:3
// CHECK-NEXT: unordered size=10000 check={{-?[0-9]+}}
// CHECK-NEXT: set=1-3-5-7-9 lower_bound(4)=5
// CHECK-NEXT: rect=10 rect=12 square=25
// CHECK-NEXT: composed=33
// CHECK-NEXT: sreniatn0c ,0lleH find=18446744073709551615 substr=eniat
