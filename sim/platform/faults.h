#pragma once
// Seeded fault injection: with probability fail_rate a request gets one of three faults, chosen
// evenly: error 10, an HTTP 5xx (500 or 503, evenly), or a lost response.

#include <cstdint>
#include <mutex>
#include <random>

namespace rosterd::sim {

enum class Fault : std::uint8_t {
  none,
  error_10,       // VK error 10, nothing changed
  http_500,       // non-JSON body, nothing changed
  http_503,       // non-JSON body, nothing changed
  lost_response,  // the change is made, the answer comes after --lost-ms
};

[[nodiscard]] const char* name(Fault fault) noexcept;

class FaultInjector {
 public:
  FaultInjector(double fail_rate, std::uint64_t seed);

  // The fault for the next request; the sequence depends only on the seed.
  [[nodiscard]] Fault draw();
  void reset();

 private:
  const double fail_rate_;
  const std::uint64_t seed_;
  std::mutex mutex_;
  std::mt19937_64 rng_;
};

}  // namespace rosterd::sim
