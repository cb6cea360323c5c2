#include "adapters/platform/rate_limiter.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace rosterd::adapters::platform {

Clock::time_point SteadyClock::now() const {
  return std::chrono::steady_clock::now();
}

void SteadyClock::sleep_for(duration d) {
  std::this_thread::sleep_for(d);
}

RateLimiter::RateLimiter(double requests_per_second, std::shared_ptr<Clock> clock, double burst)
    : rate_(requests_per_second), burst_(burst), clock_(std::move(clock)), tokens_(burst) {
  if (!(rate_ > 0)) throw std::invalid_argument("rate limiter: requests per second must be > 0");
  if (!(burst_ >= 1)) throw std::invalid_argument("rate limiter: burst must be >= 1");
  if (!clock_) throw std::invalid_argument("rate limiter: no clock");
  last_ = clock_->now();
}

void RateLimiter::refill(Clock::time_point now) {
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  last_ = now;
}

void RateLimiter::acquire() {
  double wait_seconds = 0;
  {
    // Reserve under the lock, sleep outside it: the debt (tokens below zero) orders the waiters.
    std::lock_guard lock(mutex_);
    refill(clock_->now());
    tokens_ -= 1;
    if (tokens_ < 0) wait_seconds = -tokens_ / rate_;
  }
  if (wait_seconds > 0) {
    clock_->sleep_for(
        std::chrono::ceil<Clock::duration>(std::chrono::duration<double>(wait_seconds)));
  }
}

bool RateLimiter::try_acquire() {
  std::lock_guard lock(mutex_);
  refill(clock_->now());
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace rosterd::adapters::platform
