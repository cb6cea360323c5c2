#pragma once
// A client-side token bucket: requests per second per platform token. Several clients (workers)
// that use one token share one limiter, so the platform sees one budget per token.

#include <chrono>
#include <memory>
#include <mutex>

namespace rosterd::adapters::platform {

// The client's sense of time: monotonic, and injectable so tests can count requests in a
// window without sleeping.
class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;
  virtual ~Clock() = default;
  [[nodiscard]] virtual time_point now() const = 0;
  virtual void sleep_for(duration d) = 0;
};

class SteadyClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override;
  void sleep_for(duration d) override;
};

// Thread-safe. A request takes one token; tokens refill at `requests_per_second` up to `burst`.
// The default burst of 1 spaces requests evenly, which also keeps a server's sliding one-second
// window (the simulator's) from ever seeing more than `requests_per_second`.
//
// A daemon of a region replaces acquire() with one that takes send slots from a budget shared
// through the store (daemon/shared_budget.h); the client calls acquire() either way.
class RateLimiter {
 public:
  // Throws std::invalid_argument unless requests_per_second > 0 and burst >= 1.
  explicit RateLimiter(double requests_per_second,
                       std::shared_ptr<Clock> clock = std::make_shared<SteadyClock>(),
                       double burst = 1);
  virtual ~RateLimiter() = default;
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Blocks (on the clock) until a request may go. Waiters queue in the order they came.
  virtual void acquire();
  // Takes a token if one is there now; never blocks.
  [[nodiscard]] bool try_acquire();

  [[nodiscard]] double requests_per_second() const noexcept { return rate_; }
  [[nodiscard]] Clock& clock() const noexcept { return *clock_; }

 private:
  void refill(Clock::time_point now);  // holds mutex_

  const double rate_;
  const double burst_;
  std::shared_ptr<Clock> clock_;
  std::mutex mutex_;
  double tokens_;  // below zero: reserved by waiters that are sleeping
  Clock::time_point last_;
};

}  // namespace rosterd::adapters::platform
