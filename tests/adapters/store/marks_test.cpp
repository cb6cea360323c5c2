// Journal marks (migration 7): what a school's last clean cycle leaves so the next can skip
// planning. Saved whole and fenced, cleared by anyone, cleared by an administrator's decision,
// and never saved over a clear that happened after the cycle read the mark.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "mapping/plan.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using namespace std::chrono_literals;
using mapping::JournalMark;

using MarksStore = StoreTest;
ROSTERD_STORE_SUITE(MarksStore);

JournalMark a_mark() {
  return {"\"v-42\"", mapping::Date::from_ymd(2026, 11, 13), "Asia/Kamchatka",
          std::int64_t{1'790'086'400}, "settings-7f3a", 0};
}

TEST_P(MarksStore, HasNoMarkForASchoolNeverMarked) {
  const auto mark = store().mark("sch-unknown");
  EXPECT_FALSE(mark.set());
  EXPECT_EQ(mark, JournalMark{});
}

TEST_P(MarksStore, RoundTripsEveryField) {
  ASSERT_TRUE(store().save_mark("sch-1", a_mark()));
  EXPECT_EQ(store().mark("sch-1"), a_mark());
  close_store();
  EXPECT_EQ(store().mark("sch-1"), a_mark());
  EXPECT_FALSE(store().mark("sch-2").set());  // another school's is its own
}

TEST_P(MarksStore, KeepsAMarkWithoutANextChangeOrAnAuditDue) {
  JournalMark mark{"e1", std::nullopt, "", std::nullopt, "s", 0};
  ASSERT_TRUE(store().save_mark("sch-1", mark));
  EXPECT_EQ(store().mark("sch-1"), mark);
}

TEST_P(MarksStore, ClearingRemovesTheMarkAndCountsTheClear) {
  ASSERT_TRUE(store().save_mark("sch-1", a_mark()));
  store().clear_mark("sch-1");
  const auto mark = store().mark("sch-1");
  EXPECT_FALSE(mark.set());
  EXPECT_EQ(mark.version, 1);
  store().clear_mark("sch-2");  // a school never marked: cleared all the same
  EXPECT_EQ(store().mark("sch-2").version, 1);
}

TEST_P(MarksStore, DoesNotSaveOverAClearMadeAfterTheMarkWasRead) {
  const auto read = store().mark("sch-1");  // a cycle starts
  const auto admin = target().open();       // `rosterd approve` meanwhile, without a lease
  admin->clear_mark("sch-1");
  JournalMark mark = a_mark();
  mark.version = read.version;
  EXPECT_FALSE(store().save_mark("sch-1", mark));
  EXPECT_FALSE(store().mark("sch-1").set());
  mark.version = store().mark("sch-1").version;  // the next cycle read it after the clear
  EXPECT_TRUE(store().save_mark("sch-1", mark));
  EXPECT_EQ(store().mark("sch-1"), mark);
}

TEST_P(MarksStore, AnApprovalOrARejectionClearsTheMark) {
  const auto action = held_removal();
  const std::vector<std::string> ids{mapping::action_id(action)};
  for (const bool approve : {true, false}) {
    store().save_held("sch-1", std::vector{action});
    JournalMark mark = a_mark();
    mark.version = store().mark("sch-1").version;
    ASSERT_TRUE(store().save_mark("sch-1", mark));
    const auto admin = target().open();
    EXPECT_EQ(approve ? admin->approve_actions("sch-1", ids) : admin->reject_actions("sch-1", ids),
              1u);
    EXPECT_FALSE(store().mark("sch-1").set()) << (approve ? "approve" : "reject");
  }
}

TEST_P(MarksStore, ADecisionOnNothingHeldLeavesTheMark) {
  ASSERT_TRUE(store().save_mark("sch-1", a_mark()));
  EXPECT_EQ(store().approve_actions("sch-1", std::vector<std::string>{"no-such-action"}), 0u);
  EXPECT_EQ(store().mark("sch-1"), a_mark());
}

TEST_P(MarksStore, SavesNothingWithoutTheLease) {
  const auto a = target().open();
  EXPECT_THROW(a->save_mark("sch-9", a_mark()), mapping::LeaseLost);
  EXPECT_FALSE(a->mark("sch-9").set());
  const auto first = a->acquire_lease("sch-9", "host-a", 1h);
  ASSERT_TRUE(first.acquired);
  const auto b = target().open();
  ASSERT_TRUE(b->take_over_lease("sch-9", "host-b", first.lease.token, 1h).acquired);
  EXPECT_THROW(a->save_mark("sch-9", a_mark()), mapping::LeaseLost);
  EXPECT_FALSE(b->mark("sch-9").set());
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
