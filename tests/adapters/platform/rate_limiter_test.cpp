#include "adapters/platform/rate_limiter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/adapters/platform/fake_clock.h"

namespace rosterd::adapters::platform {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

// Offers a request every 10 ms of fake time for `window` and counts those let through.
int allowed_in(RateLimiter& limiter, FakeClock& clock, std::chrono::milliseconds window) {
  int allowed = 0;
  for (auto t = 0ms; t < window; t += 10ms) {
    if (limiter.try_acquire()) ++allowed;
    clock.advance(10ms);
  }
  return allowed;
}

struct WindowCase {
  double rps;
  double burst;
  std::chrono::milliseconds window;
  int allowed;
};

TEST(RateLimiter, AllowsRequestsPerSecondTimesTheWindowPlusTheBurst) {
  const std::vector<WindowCase> cases = {
      {3, 1, 1000ms, 3},   {3, 1, 10'000ms, 30}, {20, 1, 1000ms, 20},
      {1, 1, 5000ms, 5},   {3, 3, 1000ms, 5},  // the burst of 3 at once, then 2 refilled
      {0.5, 1, 4000ms, 2},
  };
  for (const WindowCase& c : cases) {
    auto clock = std::make_shared<FakeClock>();
    RateLimiter limiter(c.rps, clock, c.burst);
    EXPECT_EQ(allowed_in(limiter, *clock, c.window), c.allowed)
        << "rps " << c.rps << " burst " << c.burst << " window " << c.window.count() << " ms";
  }
}

TEST(RateLimiter, AcquireSpacesRequestsEvenlyOnTheClock) {
  auto clock = std::make_shared<FakeClock>();
  RateLimiter limiter(4, clock);
  std::vector<std::chrono::milliseconds> at;
  for (int i = 0; i < 6; ++i) {
    limiter.acquire();
    at.push_back(clock->elapsed());
  }
  EXPECT_EQ(at, (std::vector<std::chrono::milliseconds>{0ms, 250ms, 500ms, 750ms, 1000ms, 1250ms}));
}

TEST(RateLimiter, DoesNotSaveUpTokensBeyondTheBurstWhileIdle) {
  auto clock = std::make_shared<FakeClock>();
  RateLimiter limiter(3, clock, 2);
  clock->advance(60s);
  EXPECT_TRUE(limiter.try_acquire());
  EXPECT_TRUE(limiter.try_acquire());
  EXPECT_FALSE(limiter.try_acquire());
}

TEST(RateLimiter, SharedByThreadsKeepsOneBudget) {
  // Real clock, lower bound only: 4 workers x 10 requests at 200/s cannot finish in less than
  // (40 - 1) / 200 s if they share one budget; unshared they would take a quarter of that.
  auto limiter = std::make_shared<RateLimiter>(200);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&limiter] {
      for (int i = 0; i < 10; ++i) limiter->acquire();
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 195ms);
}

TEST(RateLimiter, RefusesARateThatIsNotPositive) {
  EXPECT_THROW(RateLimiter(0), std::invalid_argument);
  EXPECT_THROW(RateLimiter(-3), std::invalid_argument);
  EXPECT_THROW(RateLimiter(3, std::make_shared<SteadyClock>(), 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace rosterd::adapters::platform
