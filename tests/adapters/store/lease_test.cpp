// Leases and fencing, against both backends: one writer per school, whatever the store.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using namespace std::chrono_literals;
using StoreLease = StoreTest;
ROSTERD_STORE_SUITE(StoreLease);

mapping::Action create_chat(const std::string& key) {
  mapping::Action a;
  a.type = mapping::ActionType::create_chat;
  a.chat_key = key;
  a.title = "5А";
  return a;
}

TEST_P(StoreLease, RefusesASecondHolderWhileTheLeaseStandsAndNamesTheHolder) {
  const auto a = target().open();
  const auto b = target().open();
  const auto first = a->acquire_lease("sch-9", "host-a:101:x", 1h);
  ASSERT_TRUE(first.acquired);
  const auto second = b->acquire_lease("sch-9", "host-b:202:y", 1h);
  EXPECT_FALSE(second.acquired);
  EXPECT_EQ(second.lease.holder, "host-a:101:x");
  EXPECT_EQ(second.lease.token, first.lease.token);
  // The refused process may not write for the school either.
  EXPECT_THROW((void)b->record_intents("sch-9", 1, std::vector{create_chat("class:g1")}, {}),
               mapping::LeaseLost);
  EXPECT_TRUE(a->unresolved("sch-9").empty());
}

TEST_P(StoreLease, LetsAnotherHolderTakeOverAnExpiredLeaseWithAGreaterToken) {
  const auto a = target().open();
  const auto b = target().open();
  const auto first = a->acquire_lease("sch-9", "host-a", 50ms);
  ASSERT_TRUE(first.acquired);
  std::this_thread::sleep_for(120ms);
  const auto second = b->acquire_lease("sch-9", "host-b", 1h);
  ASSERT_TRUE(second.acquired);
  EXPECT_GT(second.lease.token, first.lease.token);
}

TEST_P(StoreLease, FencesOffTheHolderWhoseLeaseWasTakenOver) {
  const auto a = target().open();
  const auto b = target().open();
  ASSERT_TRUE(a->acquire_lease("sch-9", "host-a", 50ms).acquired);
  const auto run = a->begin_run("sch-9", "2026-11-30T10:00:00Z");
  std::this_thread::sleep_for(120ms);  // host-a is paused past its lease ...
  ASSERT_TRUE(b->acquire_lease("sch-9", "host-b", 1h).acquired);  // ... and host-b takes over
  const auto ours = b->record_intents("sch-9", 7, std::vector{create_chat("class:g1")}, {});

  // Every write of host-a is refused now, and nothing of it is recorded.
  EXPECT_THROW((void)a->record_intents("sch-9", run, std::vector{create_chat("class:g2")}, {}),
               mapping::LeaseLost);
  EXPECT_THROW(a->save_counts("sch-9", {1, 2, 3, 4, 5}), mapping::LeaseLost);
  EXPECT_THROW(a->save_chats("sch-9", {}, {}), mapping::LeaseLost);
  EXPECT_THROW(a->save_held("sch-9", {}), mapping::LeaseLost);
  EXPECT_THROW(a->save_numbers("sch-9", {}), mapping::LeaseLost);
  EXPECT_THROW(a->finish_run({run, "sch-9", "x", "y", mapping::CycleResult::ok, ""}), mapping::LeaseLost);
  EXPECT_FALSE(a->renew_lease("sch-9", 1h));
  const auto open = b->unresolved("sch-9");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].id, ours[0]);
  EXPECT_FALSE(open[0].intended_at.empty());
  EXPECT_FALSE(b->load("sch-9").last_good_counts.has_value());
}

TEST_P(StoreLease, KeepsAnExpiredLeaseCurrentUntilSomebodyTakesItOver) {
  const auto a = target().open();
  ASSERT_TRUE(a->acquire_lease("sch-9", "host-a", 50ms).acquired);
  std::this_thread::sleep_for(120ms);
  // Nobody else wrote meanwhile, so the token still fences correctly; renewal keeps it.
  EXPECT_NO_THROW(a->save_counts("sch-9", {1, 2, 3, 4, 5}));
  EXPECT_TRUE(a->renew_lease("sch-9", 1h));
}

TEST_P(StoreLease, ReleasedLeaseIsFreeAtOnceAndNoLongerWritable) {
  const auto a = target().open();
  const auto b = target().open();
  ASSERT_TRUE(a->acquire_lease("sch-9", "host-a", 1h).acquired);
  a->release_lease("sch-9");
  EXPECT_THROW(a->save_counts("sch-9", {1, 2, 3, 4, 5}), mapping::LeaseLost);
  EXPECT_TRUE(b->acquire_lease("sch-9", "host-b", 1h).acquired);
}

TEST_P(StoreLease, TakesOverAGoneHoldersLeaseOnlyWhileItsTokenIsCurrent) {
  const auto gone = target().open();
  const auto a = target().open();
  const auto b = target().open();
  const auto dead = gone->acquire_lease("sch-9", "host:101:x", 1h);
  ASSERT_TRUE(dead.acquired);
  const auto taken = a->take_over_lease("sch-9", "host:202:y", dead.lease.token, 1h);
  ASSERT_TRUE(taken.acquired);
  EXPECT_GT(taken.lease.token, dead.lease.token);
  EXPECT_THROW(gone->save_counts("sch-9", {1, 2, 3, 4, 5}), mapping::LeaseLost);
  // A second process that saw the same gone holder is too late: the lease has a new holder.
  const auto late = b->take_over_lease("sch-9", "host:303:z", dead.lease.token, 1h);
  EXPECT_FALSE(late.acquired);
  EXPECT_EQ(late.lease.holder, "host:202:y");
  EXPECT_NO_THROW(a->save_counts("sch-9", {1, 2, 3, 4, 5}));
}

TEST_P(StoreLease, GivesEachSchoolItsOwnLeaseAndListsThem) {
  const auto a = target().open();
  const auto b = target().open();
  ASSERT_TRUE(a->acquire_lease("sch-8", "host-a", 1h).acquired);
  ASSERT_TRUE(b->acquire_lease("sch-9", "host-b", 1h).acquired);
  const auto leases = a->leases();
  ASSERT_GE(leases.size(), 2u);
  bool saw_a = false;
  bool saw_b = false;
  for (const auto& l : leases) {
    saw_a = saw_a || (l.org_id == "sch-8" && l.holder == "host-a");
    saw_b = saw_b || (l.org_id == "sch-9" && l.holder == "host-b");
  }
  EXPECT_TRUE(saw_a && saw_b);
}

TEST_P(StoreLease, ASecondStoreObjectOfTheSameHolderFencesOffTheFirst) {
  const auto a = target().open();
  const auto b = target().open();
  ASSERT_TRUE(a->acquire_lease("sch-9", "host-a:1", 1h).acquired);
  ASSERT_TRUE(b->acquire_lease("sch-9", "host-a:1", 1h).acquired);
  EXPECT_THROW(a->save_counts("sch-9", {1, 2, 3, 4, 5}), mapping::LeaseLost);
  EXPECT_NO_THROW(b->save_counts("sch-9", {1, 2, 3, 4, 5}));
}

TEST_P(StoreLease, ListsTheChatsEverySchoolIsBoundTo) {
  const auto chat = [](const char* key, std::optional<mapping::ChatId> id) {
    mapping::AppliedChat c;
    c.key = key;
    c.group_id = "g";
    c.chat_id = id;
    c.title = "5А";
    return c;
  };
  const auto one = chat("class:g1", 41);
  const auto two = chat("class:g1", 42);
  const auto unmade = chat("class:g2", std::nullopt);
  store().save_chats("sch-1", std::vector{one, unmade}, {});
  store().save_chats("sch-2", std::vector{two}, {});
  EXPECT_EQ(store().bound_chat_ids(), (std::set<mapping::ChatId>{41, 42}));
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
