#pragma once
// A clock that moves only when someone sleeps on it: the rate limiter and the client's backoff
// run on it without real waiting. Thread-safe, so a server thread can read it.

#include <atomic>
#include <chrono>

#include "adapters/platform/rate_limiter.h"

namespace rosterd::adapters::platform::testing {

class FakeClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override { return time_point(duration(ticks_.load())); }
  void sleep_for(duration d) override { ticks_ += d.count(); }
  void advance(duration d) { ticks_ += d.count(); }
  [[nodiscard]] std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(duration(ticks_.load()));
  }

 private:
  std::atomic<duration::rep> ticks_{0};
};

}  // namespace rosterd::adapters::platform::testing
