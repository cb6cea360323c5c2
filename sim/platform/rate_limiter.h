#pragma once
// Requests per second per token, over a sliding one-second window. Refused requests do not
// count, so a client that backs off gets through again within a second.

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace rosterd::sim {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(int requests_per_second) : rps_(requests_per_second) {}

  // True and counted when the token is within its limit at `now`; a limit of 0 admits all.
  [[nodiscard]] bool admit(const std::string& token, Clock::time_point now = Clock::now());
  void reset();
  // How close the clients came to the limit: the shortest time, over every admitted request,
  // since the admitted request `rps` places before it of the same token (never under 1 s: a
  // request inside it is refused). Nothing before any token had rps + 1 admitted requests.
  [[nodiscard]] std::optional<Clock::duration> tightest_span() const;

 private:
  const int rps_;
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> windows_;  // the last `rps` admitted
  std::optional<Clock::duration> tightest_;
};

}  // namespace rosterd::sim
