// A small, fast, seedable generator (xoshiro256**), so that a seed names the
// same streams and states on every host and standard library.
#pragma once

#include <cstdint>
#include <vector>

namespace xlat::lockstep {

// SplitMix64 step: turns structured seeds (seed, block index) into
// well-spread ones.
inline uint64_t mixSeed(uint64_t a, uint64_t b = 0) {
  uint64_t z = a + 0x9e3779b97f4a7c15ull * (b + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Rng {
public:
  explicit Rng(uint64_t seed) {
    for (int i = 0; i < 4; ++i)
      s_[i] = mixSeed(seed, i);
  }
  uint64_t next() {
    uint64_t r = rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }
  // Uniform in [0, n); n > 0. The modulo bias is irrelevant here.
  uint64_t below(uint64_t n) { return next() % n; }
  bool chance(unsigned num, unsigned den) { return below(den) < num; }
  template <class T> const T &pick(const std::vector<T> &v) {
    return v[below(v.size())];
  }

private:
  static uint64_t rotl(uint64_t x, int k) { return x << k | x >> (64 - k); }
  uint64_t s_[4];
};

} // namespace xlat::lockstep
