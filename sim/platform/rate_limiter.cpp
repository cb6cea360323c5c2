#include "sim/platform/rate_limiter.h"

namespace rosterd::sim {

bool RateLimiter::admit(const std::string& token, Clock::time_point now) {
  if (rps_ <= 0) return true;
  const std::lock_guard lock(mutex_);
  auto& window = windows_[token];
  while (!window.empty() && now - window.front() >= std::chrono::seconds(1)) window.pop_front();
  if (window.size() >= static_cast<std::size_t>(rps_)) return false;
  window.push_back(now);
  return true;
}

void RateLimiter::reset() {
  const std::lock_guard lock(mutex_);
  windows_.clear();
}

}  // namespace rosterd::sim
