#include "daemon/shared_budget.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rosterd::daemon {

namespace {

using std::chrono::microseconds;

microseconds spaced(double rps) {
  if (!(rps > 0)) throw std::invalid_argument("shared budget: requests per second must be > 0");
  const double window_us = 1e6 + static_cast<double>(microseconds(SharedBudget::window_guard).count());
  return microseconds(static_cast<std::int64_t>(std::ceil(window_us / rps)));
}

// How long an estimate of the clocks' offset is trusted before a fresh one may replace it
// although its round trip was longer (clocks drift; the store's may be stepped).
constexpr auto offset_lifetime = std::chrono::seconds(30);

}  // namespace

SharedBudget::SharedBudget(std::string token_name, double requests_per_second, Reserve reserve,
                           std::shared_ptr<Clock> clock)
    : RateLimiter(requests_per_second, std::move(clock)),
      token_(std::move(token_name)),
      reserve_(std::move(reserve)),
      interval_(spaced(requests_per_second)),
      batch_(static_cast<std::size_t>(std::clamp(std::floor(requests_per_second * 0.05), 1.0, 50.0))) {}

void SharedBudget::refill() {
  const auto before = this->clock().now();
  mapping::SendSlots got;
  try {
    got = reserve_(batch_, interval_);
  } catch (const std::exception& e) {
    throw mapping::PlatformUnavailable("the shared rate budget of platform token \"" + token_ +
                                       "\" could not be reserved: " + e.what());
  }
  const auto after = this->clock().now();
  const auto round_trip = after - before;
  const auto store_now = std::chrono::duration_cast<Clock::duration>(microseconds(got.now_us));
  // The store read its clock somewhere within the round trip: the middle is the best guess.
  const auto offset = store_now - (before + round_trip / 2).time_since_epoch();
  if (!offset_ || round_trip / 2 <= offset_uncertainty_ || after - offset_taken_ > offset_lifetime) {
    offset_ = offset;
    offset_uncertainty_ = round_trip / 2;
    offset_taken_ = after;
  }
  for (std::size_t i = 0; i < batch_; ++i) {
    const auto at = microseconds(got.first_us) + interval_ * static_cast<std::int64_t>(i);
    slots_.push_back(Clock::time_point(std::chrono::duration_cast<Clock::duration>(at) - *offset_));
  }
}

SharedBudget::Clock::time_point SharedBudget::next_slot() {
  const auto now = this->clock().now();
  while (!slots_.empty() && now - slots_.front() > stale_after) slots_.pop_front();
  if (slots_.empty()) refill();
  const auto slot = slots_.front();
  slots_.pop_front();
  return slot;
}

void SharedBudget::acquire() {
  for (;;) {
    Clock::time_point slot;
    {
      const std::lock_guard lock(mutex_);
      slot = next_slot();
    }
    const auto now = this->clock().now();
    if (slot > now) this->clock().sleep_for(slot - now);
    // Woken too late, the slot would crowd the next holder's: it is spent, take another.
    if (this->clock().now() - slot <= stale_after) return;
  }
}

}  // namespace rosterd::daemon
