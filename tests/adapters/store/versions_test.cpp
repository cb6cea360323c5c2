// Store versions (migration 9): a school's counter that every change recorded for it moves, so
// that a saved plan is applied only to the state it was made from (docs/saved-plans.md).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "mapping/plan.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using namespace std::chrono_literals;

using VersionsStore = StoreTest;
ROSTERD_STORE_SUITE(VersionsStore);

TEST_P(VersionsStore, IsZeroForASchoolWithNothingRecorded) {
  EXPECT_EQ(store().version("sch-unknown"), 0);
}

TEST_P(VersionsStore, EveryRecordedChangeMovesOnlyItsSchoolsVersion) {
  std::int64_t last = store().version("sch-1");
  const auto moved = [&](const char* what) {
    const auto now = store().version("sch-1");
    EXPECT_GT(now, last) << what;
    last = now;
  };
  store().save_counts("sch-1", {5, 6, 7, 8, 9});
  moved("save_counts");
  store().save_held("sch-1", std::vector{held_removal()});
  moved("save_held");
  const auto run = store().begin_run("sch-1", "2026-12-01T10:00:00Z");
  moved("begin_run");
  (void)store().record_intents("sch-1", run, std::vector{held_removal()}, {});
  moved("record_intents");
  const auto admin = target().open();  // `rosterd approve`, without a lease
  EXPECT_EQ(admin->approve_actions("sch-1", std::vector{mapping::action_id(held_removal())}), 1u);
  moved("approve_actions");
  EXPECT_EQ(store().version("sch-2"), 0);  // another school's is its own
  close_store();
  EXPECT_EQ(store().version("sch-1"), last);  // kept in the database
}

TEST_P(VersionsStore, ReadsAndRefusedWritesLeaveItAlone) {
  store().save_counts("sch-1", {1, 2, 3, 4, 5});
  const auto before = store().version("sch-1");
  (void)store().load("sch-1");
  (void)store().held("sch-1");
  (void)store().approved("sch-1");
  EXPECT_EQ(store().approve_actions("sch-1", std::vector<std::string>{"no-such-action"}), 0u);
  const auto other = target().open();  // holds no lease: its write is refused
  EXPECT_THROW(other->save_counts("sch-1", {9, 9, 9, 9, 9}), mapping::LeaseLost);
  EXPECT_EQ(store().version("sch-1"), before);
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
