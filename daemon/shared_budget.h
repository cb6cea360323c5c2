#pragma once
// One platform token's rate budget, shared through the store by every daemon that uses the
// token (docs/region.md, "One budget per token"). The store hands out send slots spaced
// `interval()` apart on its own clock (StateStore::reserve_sends); a daemon reserves a few at a
// time and its workers send at those times, so the combined stream of all daemons is spaced
// whatever their number.
//
// The platform counts requests in a sliding one-second window. Two rules keep a late wake-up
// from putting requests_per_second + 1 of them in one window: rps + 1 slots span the window
// plus `window_guard` (the slots are spaced (1 s + window_guard) / rps apart), and a slot whose
// time passed more than `stale_after` ago is not used (its sender takes a fresh one instead).
// So two requests rps slots apart reach the platform at least window_guard - stale_after more
// than a second apart, less the difference of their ways there (docs/region.md).

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "adapters/platform/rate_limiter.h"
#include "mapping/ports.h"

namespace rosterd::daemon {

class SharedBudget final : public adapters::platform::RateLimiter {
 public:
  // Reserves `count` slots on the token's budget (a store call; may throw).
  using Reserve =
      std::function<mapping::SendSlots(std::size_t count, std::chrono::microseconds interval)>;
  using Clock = adapters::platform::Clock;

  static constexpr std::chrono::milliseconds window_guard{30};
  static constexpr std::chrono::milliseconds stale_after{5};

  // Throws std::invalid_argument unless requests_per_second > 0.
  SharedBudget(std::string token_name, double requests_per_second, Reserve reserve,
               std::shared_ptr<Clock> clock = std::make_shared<adapters::platform::SteadyClock>());

  // Blocks until this process's next slot. Throws mapping::PlatformUnavailable when the store
  // cannot reserve one: nothing is sent without the budget.
  void acquire() override;

  [[nodiscard]] std::chrono::microseconds interval() const noexcept { return interval_; }
  // Slots reserved per store call: about 50 ms of the budget, so that a daemon holds few
  // slots it may not use (those go unused by anyone).
  [[nodiscard]] std::size_t batch() const noexcept { return batch_; }

 private:
  [[nodiscard]] Clock::time_point next_slot();  // holds mutex_
  void refill();                                // holds mutex_

  std::string token_;
  Reserve reserve_;
  std::chrono::microseconds interval_;
  std::size_t batch_;
  std::mutex mutex_;
  std::deque<Clock::time_point> slots_;  // reserved, on the local clock, earliest first
  // The store's clock minus the local one, from the reservation with the shortest round trip
  // seen lately (its uncertainty is half that round trip).
  std::optional<Clock::duration> offset_;
  Clock::duration offset_uncertainty_{};
  Clock::time_point offset_taken_{};
};

}  // namespace rosterd::daemon
