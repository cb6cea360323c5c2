#pragma once
// Deterministic randomness: std::mt19937_64 is specified bit for bit by the standard, the
// std distributions are not, so every draw goes through these helpers and a seed gives the
// same output with any standard library.

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

namespace rosterd::generator {

// SplitMix64's finaliser: mixes a seed with a salt into an independent-looking seed.
[[nodiscard]] constexpr std::uint64_t mix(std::uint64_t seed, std::uint64_t salt) noexcept {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (salt + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a: a stable hash of an id, for seeds and platform user ids.
[[nodiscard]] constexpr std::uint64_t hash_id(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n); n > 0. Rejection sampling keeps it unbiased.
  [[nodiscard]] std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % n;
  }
  // Uniform in [lo, hi], inclusive.
  [[nodiscard]] int between(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // True with probability `percent` / 100.
  [[nodiscard]] bool chance(double percent) {
    return static_cast<double>(below(1'000'000)) < percent * 10'000.0;
  }
  [[nodiscard]] std::size_t index(std::size_t size) {
    return static_cast<std::size_t>(below(size));
  }
  template <typename T>
  [[nodiscard]] const T& pick(std::span<const T> items) {
    return items[index(items.size())];
  }
  template <typename T>
  [[nodiscard]] const T& pick(const std::vector<T>& items) {
    return items[index(items.size())];
  }
  // Fisher-Yates with our own draws.
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[index(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace rosterd::generator
