// Several daemons of a region: which schools each one owns (rendezvous hashing over the live
// members), and one token's send budget shared by all of them, on a fake clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/membership.h"
#include "daemon/shared_budget.h"

namespace rosterd::daemon {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> schools(int n) {
  std::vector<std::string> ids;
  for (int i = 1; i <= n; ++i) ids.push_back("sch-" + std::to_string(10000 + i));
  return ids;
}

const std::vector<std::string> kThree = {"host-a:101:aa11", "host-b:202:bb22", "host-c:303:cc33"};

RegionView view_of(const std::string& self, const std::vector<std::string>& members) {
  RegionView view;
  view.self = self;
  view.known = true;
  for (const auto& m : members) view.members.push_back({m, "", "", ""});
  return view;
}

TEST(Region, GivesEachSchoolToExactlyOneLiveDaemonAndEachDaemonAFairShare) {
  const auto ids = schools(600);
  std::map<std::string, std::size_t> share;
  std::set<std::string> seen;
  for (const auto& self : kThree) {
    for (const auto& id : own_schools(ids, view_of(self, kThree))) {
      EXPECT_TRUE(seen.insert(id).second) << id << " owned twice";
      ++share[self];
    }
  }
  EXPECT_EQ(seen.size(), ids.size()) << "a school nobody owns";
  // 200 each on average; a fair hash keeps every share well inside ±25%.
  for (const auto& [self, n] : share) {
    EXPECT_GE(n, 150u) << self;
    EXPECT_LE(n, 250u) << self;
  }
}

TEST(Region, MovesOnlyTheSchoolsOfTheDaemonThatWent) {
  const auto ids = schools(600);
  const auto before = owners(ids, kThree);
  const std::vector<std::string> survivors = {kThree[0], kThree[2]};
  const auto after = owners(ids, survivors);
  std::size_t moved = 0;
  for (const auto& id : ids) {
    if (before.at(id) == kThree[1]) {
      EXPECT_NE(after.at(id), kThree[1]);
      ++moved;
    } else {
      EXPECT_EQ(after.at(id), before.at(id)) << id << " moved although its daemon stayed";
    }
  }
  EXPECT_GT(moved, 0u);
}

TEST(Region, GivesADaemonAddedLaterOnlySchoolsFromTheOthersAndItsShare) {
  const auto ids = schools(600);
  const std::vector<std::string> two = {kThree[0], kThree[1]};
  const auto before = owners(ids, two);
  const auto after = owners(ids, kThree);
  std::size_t taken = 0;
  for (const auto& id : ids) {
    if (after.at(id) != before.at(id)) {
      EXPECT_EQ(after.at(id), kThree[2]) << id << " moved between the daemons that stayed";
      ++taken;
    }
  }
  EXPECT_GE(taken, 150u);
  EXPECT_LE(taken, 250u);
}

TEST(Region, OwnsEverySchoolUntilTheStoreHasAnswered) {
  const auto ids = schools(10);
  RegionView unknown;
  unknown.self = kThree[0];
  EXPECT_EQ(own_schools(ids, unknown), ids);
  EXPECT_EQ(own_schools(ids, view_of(kThree[0], {kThree[0]})), ids);
}

// ---- The shared budget --------------------------------------------------------------------

// One clock for every "daemon" of the test; a wake-up may come late by `late()`.
class FakeClock final : public adapters::platform::Clock {
 public:
  [[nodiscard]] time_point now() const override { return now_; }
  void sleep_for(duration d) override { now_ += d + late(); }
  std::function<duration()> late = [] { return duration::zero(); };

 private:
  time_point now_{std::chrono::hours(1)};
};

// The store's budget row: a model of StateStore::reserve_sends on the same time line (the
// store's clock is the fake one plus a fixed offset, as another machine's would be).
struct Budget {
  std::shared_ptr<FakeClock> clock;
  std::int64_t next_us = 0;
  static constexpr std::int64_t offset_us = 1'764'000'000'000'000;
  SharedBudget::Reserve reserve() {
    return [this](std::size_t count, std::chrono::microseconds interval) {
      const auto now_us =
          std::chrono::duration_cast<std::chrono::microseconds>(clock->now().time_since_epoch())
              .count() +
          offset_us;
      const auto first = std::max(next_us, now_us);
      next_us = first + static_cast<std::int64_t>(count) * interval.count();
      return mapping::SendSlots{first, now_us};
    };
  }
};

// The most requests of `sends` in any window of one second, as platform-sim counts them.
std::size_t busiest_second(const std::vector<adapters::platform::Clock::time_point>& sends) {
  std::deque<adapters::platform::Clock::time_point> window;
  std::size_t most = 0;
  for (const auto t : sends) {
    while (!window.empty() && t - window.front() >= 1s) window.pop_front();
    window.push_back(t);
    most = std::max(most, window.size());
  }
  return most;
}

// Three daemons take turns sending on one token of `rps` requests per second.
std::vector<adapters::platform::Clock::time_point> send_from_three(
    const std::shared_ptr<FakeClock>& clock, Budget& budget, std::size_t total, double rps) {
  std::vector<std::unique_ptr<SharedBudget>> daemons;
  for (int i = 0; i < 3; ++i)
    daemons.push_back(std::make_unique<SharedBudget>("default", rps, budget.reserve(), clock));
  std::vector<adapters::platform::Clock::time_point> sends;
  std::mt19937 pick(7);
  while (sends.size() < total) {
    daemons[pick() % 3]->acquire();
    sends.push_back(clock->now());
  }
  return sends;
}

TEST(SharedBudget, KeepsThreeDaemonsOnOneTokenWithinItsLimitInEverySecond) {
  auto clock = std::make_shared<FakeClock>();
  Budget budget{clock};
  const auto sends = send_from_three(clock, budget, 400, 20);
  EXPECT_LE(busiest_second(sends), 20u);
  // And close to it: the window's guard (30 ms a second) costs 3% of the budget, 19.4/s.
  const double seconds = std::chrono::duration<double>(sends.back() - sends.front()).count();
  EXPECT_GE(static_cast<double>(sends.size() - 1) / seconds, 19.3);
}

// At 60 requests a second a daemon reserves 3 slots at a time, 17.5 ms apart. Woken 60 ms late,
// it would send on its late slot and on the two reserved after it at once (while the other
// daemons send on time: 61 in one second); the slots it is too late for are given up instead.
TEST(SharedBudget, NeverSendsTwiceAtOnceOnSlotsItWokeUpTooLateFor) {
  auto clock = std::make_shared<FakeClock>();
  int sleeps = 0;
  clock->late = [&] {
    return ++sleeps == 1 ? std::chrono::duration_cast<FakeClock::duration>(60ms)
                         : FakeClock::duration::zero();
  };
  Budget budget{clock};
  SharedBudget daemon("default", 60, budget.reserve(), clock);
  // Another daemon holds the budget's next 100 ms: this one sleeps, and wakes late.
  budget.next_us = budget.reserve()(0, {}).now_us + 100'000;
  daemon.acquire();
  const auto first = clock->now();
  daemon.acquire();
  const auto second = clock->now();
  EXPECT_GE(second - first, daemon.interval());
}

// Many late wake-ups, at random: still no second holds more than the limit.
TEST(SharedBudget, KeepsEverySecondWithinTheLimitWhenWakeUpsAreLate) {
  auto clock = std::make_shared<FakeClock>();
  std::mt19937 random(11);
  clock->late = [&] {
    return random() % 4 == 0 ? std::chrono::duration_cast<FakeClock::duration>(60ms)
                             : FakeClock::duration::zero();
  };
  Budget budget{clock};
  EXPECT_LE(busiest_second(send_from_three(clock, budget, 1000, 60)), 60u);
}

// Every wake-up late by up to stale_after (the most a used slot can be late): rps + 1 sends
// still span more than a second, at a user token's rate and at a high one.
TEST(SharedBudget, SlotsLateByLessThanStaleAfterStillSpanMoreThanTheWindow) {
  for (const double rps : {3.0, 20.0, 60.0}) {
    auto clock = std::make_shared<FakeClock>();
    std::mt19937 random(5);
    clock->late = [&] {
      return std::chrono::duration_cast<FakeClock::duration>(SharedBudget::stale_after) *
             static_cast<int>(random() % 101) / 100;
    };
    Budget budget{clock};
    const auto sends = send_from_three(clock, budget, 600, rps);
    EXPECT_LE(busiest_second(sends), static_cast<std::size_t>(rps)) << rps << " per second";
  }
}

TEST(SharedBudget, SendsNothingWhenTheStoreCannotReserveASlot) {
  auto clock = std::make_shared<FakeClock>();
  SharedBudget budget(
      "school-77", 3,
      [](std::size_t, std::chrono::microseconds) -> mapping::SendSlots {
        throw std::runtime_error("state store PostgreSQL host=db1: connection refused");
      },
      clock);
  try {
    budget.acquire();
    ADD_FAILURE() << "acquired without the store";
  } catch (const mapping::PlatformUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("\"school-77\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rosterd::daemon
