// The region's daemons and the tokens' shared send budgets, against both backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using namespace std::chrono_literals;
using StoreMembership = StoreTest;
ROSTERD_STORE_SUITE(StoreMembership);

std::vector<std::string> names(const std::vector<mapping::DaemonMember>& members) {
  std::vector<std::string> out;
  for (const auto& m : members) out.push_back(m.name);
  return out;
}

TEST_P(StoreMembership, ListsEveryDaemonThatRenewsItsHeartbeatItselfIncluded) {
  const auto a = target().open();
  const auto b = target().open();
  EXPECT_EQ(names(a->heartbeat("host-a:1:x", 1h)), std::vector<std::string>{"host-a:1:x"});
  EXPECT_EQ(names(b->heartbeat("host-b:2:y", 1h)),
            (std::vector<std::string>{"host-a:1:x", "host-b:2:y"}));
  const auto seen = a->daemons();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_FALSE(seen[0].since.empty());
  EXPECT_LT(seen[0].heartbeat_at, seen[0].expires_at);
}

TEST_P(StoreMembership, CountsOutADaemonWhoseHeartbeatExpired) {
  const auto a = target().open();
  const auto b = target().open();
  (void)a->heartbeat("host-a", 50ms);
  (void)b->heartbeat("host-b", 1h);
  std::this_thread::sleep_for(120ms);  // host-a died: it renews no more
  EXPECT_EQ(names(b->heartbeat("host-b", 1h)), std::vector<std::string>{"host-b"});
  // Coming back (a pause, not a death), it is a member again.
  const auto back = a->heartbeat("host-a", 1h);
  EXPECT_EQ(names(back), (std::vector<std::string>{"host-a", "host-b"}));
}

TEST_P(StoreMembership, ForgetsADaemonThatLeavesAtOnce) {
  const auto a = target().open();
  const auto b = target().open();
  (void)a->heartbeat("host-a", 1h);
  (void)b->heartbeat("host-b", 1h);
  a->leave("host-a");
  EXPECT_EQ(names(b->daemons()), std::vector<std::string>{"host-b"});
}

// Whoever reserves, slots never overlap: each reservation starts where the last one ended, or
// at the store's now when the budget was idle.
TEST_P(StoreMembership, HandsOutEachSendSlotOnceAcrossConnections) {
  const auto a = target().open();
  const auto b = target().open();
  constexpr auto interval = 100'000us;  // far apart: the calls below take much less
  const auto first = a->reserve_sends("default", 3, interval);
  EXPECT_GE(first.first_us, first.now_us - 1000);  // starts now (the clock's resolution aside)
  const auto second = b->reserve_sends("default", 2, interval);
  EXPECT_EQ(second.first_us, first.first_us + 3 * interval.count());
  const auto third = a->reserve_sends("default", 1, interval);
  EXPECT_EQ(third.first_us, second.first_us + 2 * interval.count());
  // Another token has a budget of its own.
  const auto other = b->reserve_sends("school-77", 1, interval);
  EXPECT_LT(other.first_us, third.first_us);
}

TEST_P(StoreMembership, StartsAnIdleBudgetAtTheStoresNowNotInThePast) {
  const auto a = target().open();
  const auto early = a->reserve_sends("default", 1, 1000us);
  std::this_thread::sleep_for(50ms);
  const auto later = a->reserve_sends("default", 1, 1000us);
  EXPECT_GE(later.first_us, early.first_us + 40'000);
  EXPECT_GE(later.first_us, later.now_us - 1000);
}

// Many threads, each with its own connection, reserve at once: every slot is handed out once.
TEST_P(StoreMembership, GivesConcurrentReservationsSlotsThatNeverOverlap) {
  constexpr int threads = 4;
  constexpr int each = 25;
  constexpr auto interval = 1000us;
  std::vector<std::vector<std::int64_t>> got(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const auto store = target().open();
      for (int i = 0; i < each; ++i)
        got[static_cast<std::size_t>(t)].push_back(
            store->reserve_sends("default", 2, interval).first_us);
    });
  }
  for (auto& w : workers) w.join();
  std::vector<std::int64_t> all;
  for (const auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  for (std::size_t i = 1; i < all.size(); ++i)
    EXPECT_GE(all[i] - all[i - 1], 2 * interval.count()) << "reservations " << i - 1 << ", " << i;
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
