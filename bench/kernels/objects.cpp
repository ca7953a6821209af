// Calls and objects: virtual calls through a class hierarchy, small
// functions, std::map insertion/lookup/erase, std::sort with a comparator
// and std::string building. Integer results only, so that both builds print
// the same bytes.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

uint32_t rng = 12345;
uint32_t next() {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

struct Shape {
  virtual ~Shape() = default;
  virtual int64_t area() const = 0;
  virtual int64_t perimeter() const = 0;
  virtual void grow(int64_t by) = 0;
};

struct Rect : Shape {
  int64_t w, h;
  Rect(int64_t w, int64_t h) : w(w), h(h) {}
  int64_t area() const override { return w * h; }
  int64_t perimeter() const override { return 2 * (w + h); }
  void grow(int64_t by) override { w += by; h += by / 2; }
};

struct Square : Rect {
  explicit Square(int64_t s) : Rect(s, s) {}
  void grow(int64_t by) override { w += by; h = w; }
};

struct Tri : Shape {
  int64_t a, b, c;
  Tri(int64_t a, int64_t b, int64_t c) : a(a), b(b), c(c) {}
  int64_t area() const override { return (a * b) / 2; }
  int64_t perimeter() const override { return a + b + c; }
  void grow(int64_t by) override { a += by; c += by; }
};

std::unique_ptr<Shape> make(uint32_t r) {
  switch (r % 3) {
  case 0: return std::make_unique<Rect>(1 + r % 17, 1 + (r >> 8) % 13);
  case 1: return std::make_unique<Square>(1 + r % 11);
  default: return std::make_unique<Tri>(1 + r % 7, 1 + (r >> 4) % 9, 2 + r % 5);
  }
}

int64_t shapes(int rounds) {
  std::vector<std::unique_ptr<Shape>> v;
  for (int i = 0; i < 2000; i++)
    v.push_back(make(next()));
  int64_t sum = 0;
  for (int r = 0; r < rounds; r++) {
    for (auto &s : v) {
      sum += s->area() - s->perimeter();
      if ((s->area() & 7) == 0)
        s->grow(1 + (r & 3));
    }
    std::sort(v.begin(), v.end(), [](const auto &x, const auto &y) {
      return x->perimeter() < y->perimeter() ||
             (x->perimeter() == y->perimeter() && x->area() < y->area());
    });
    v[next() % v.size()] = make(next());
  }
  return sum;
}

uint64_t maps(int rounds) {
  std::map<uint32_t, uint32_t> m;
  uint64_t h = 0;
  for (int r = 0; r < rounds; r++) {
    uint32_t k = next() % 50000;
    auto it = m.find(k);
    if (it == m.end())
      m.emplace(k, r);
    else if (it->second & 1)
      m.erase(it);
    else
      it->second += 3;
    if ((r & 1023) == 0)
      for (auto &[key, val] : m)
        h = h * 31 + key + val;
  }
  return h + m.size();
}

uint64_t strings(int rounds) {
  uint64_t h = 0;
  for (int r = 0; r < rounds; r++) {
    std::string s = "item-" + std::to_string(next() % 100000);
    s += ':';
    s += std::to_string(r);
    for (char c : s)
      h = h * 131 + (unsigned char)c;
  }
  return h;
}

} // namespace

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  long long a = shapes(10 * scale);
  unsigned long long b = maps(20000 * scale);
  unsigned long long c = strings(10000 * scale);
  printf("shapes %lld maps %llu strings %llu\n", a, b, c);
  return 0;
}
