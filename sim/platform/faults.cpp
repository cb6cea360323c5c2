#include "sim/platform/faults.h"

namespace rosterd::sim {

const char* name(Fault fault) noexcept {
  switch (fault) {
    case Fault::none:
      return "none";
    case Fault::error_10:
      return "error_10";
    case Fault::http_500:
      return "http_500";
    case Fault::http_503:
      return "http_503";
    case Fault::lost_response:
      return "lost_response";
  }
  return "unknown";
}

FaultInjector::FaultInjector(double fail_rate, std::uint64_t seed)
    : fail_rate_(fail_rate), seed_(seed), rng_(seed) {}

Fault FaultInjector::draw() {
  if (fail_rate_ <= 0.0) return Fault::none;
  const std::lock_guard lock(mutex_);
  // Whole-number draws only: the sequence is the same with every standard library.
  const auto roll = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
  if (roll >= fail_rate_) return Fault::none;
  switch (rng_() % 3) {
    case 0:
      return Fault::error_10;
    case 1:
      return rng_() % 2 == 0 ? Fault::http_500 : Fault::http_503;
    default:
      return Fault::lost_response;
  }
}

void FaultInjector::reset() {
  const std::lock_guard lock(mutex_);
  rng_.seed(seed_);
}

}  // namespace rosterd::sim
