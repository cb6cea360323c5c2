#include "sim/platform/rate_limiter.h"

namespace rosterd::sim {

bool RateLimiter::admit(const std::string& token, Clock::time_point now) {
  if (rps_ <= 0) return true;
  const std::lock_guard lock(mutex_);
  // The last rps admitted requests, older ones too: the front is the one rps places back.
  auto& window = windows_[token];
  if (window.size() == static_cast<std::size_t>(rps_)) {
    const auto span = now - window.front();
    if (span < std::chrono::seconds(1)) return false;
    if (!tightest_ || span < *tightest_) tightest_ = span;
    window.pop_front();
  }
  window.push_back(now);
  return true;
}

std::optional<RateLimiter::Clock::duration> RateLimiter::tightest_span() const {
  const std::lock_guard lock(mutex_);
  return tightest_;
}

void RateLimiter::reset() {
  const std::lock_guard lock(mutex_);
  windows_.clear();
  tightest_.reset();
}

}  // namespace rosterd::sim
