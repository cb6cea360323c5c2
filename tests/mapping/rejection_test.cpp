// Actions an administrator rejected (`rosterd approve --reject`) are left out of the school's
// plan before the guard counts anything, and the planning says which rejections it still met.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "builders.h"
#include "mapping/school_plan.h"

namespace rosterd::mapping {
namespace {

using namespace testing;

const Date kDay = D("2026-11-02");

// One class of six students with accounts; the school synced once (its plan taken as applied).
RosterBuilder one_class() {
  RosterBuilder b;
  b.group("g5a", "5А").leader("t1", "g5a", 9001);
  for (int i = 0; i < 6; ++i) b.student("s" + std::to_string(i), "g5a", 1000 + i);
  return b;
}

struct Planned {
  SchoolPlanning planning;
  std::vector<std::string> removals;  // action ids of the plan's remove_member actions
  std::size_t held = 0;
};

Planned plan_with(const std::set<std::string>& rejected, const Limits& limits) {
  const Rules rules = test_rules();
  const Policy policy;
  const Limits open_limits{.max_removals = 1000, .max_removal_share = 1.0};
  const auto synced = plan_school({"org1", rules, policy, open_limits}, one_class().build(), {},
                                  {}, kDay);
  auto applied = assume_applied({}, synced.plan);
  applied.org_id = "org1";
  auto left = one_class();
  for (const std::string s : {"s1", "s2", "s3"}) {  // withdrawn on a known day: removed now
    auto& e = left.enrolment_ref(s, "g5a");
    e.to = D("2026-10-30");
    e.reason = "withdrawn";
  }
  Planned out;
  out.planning =
      plan_school({"org1", rules, policy, limits, &rejected}, left.build(), applied, {}, kDay);
  for (const auto& a : out.planning.plan.actions) {
    if (a.type != ActionType::remove_member) continue;
    out.removals.push_back(action_id(a));
    out.held += a.held ? 1 : 0;
  }
  return out;
}

const std::string s1_removal = "remove_member class:g5a s1";

TEST(Rejection, LeavesTheRejectedActionOutAndSaysItWasStillProposed) {
  const Limits open{.max_removals = 1000, .max_removal_share = 1.0};
  const auto without = plan_with({}, open);
  ASSERT_NE(std::ranges::find(without.removals, s1_removal), without.removals.end());
  const auto with = plan_with({s1_removal}, open);
  EXPECT_EQ(with.removals.size(), without.removals.size() - 1);
  EXPECT_EQ(std::ranges::find(with.removals, s1_removal), with.removals.end());
  EXPECT_EQ(with.planning.still_rejected, std::set<std::string>{s1_removal});
}

TEST(Rejection, ForgetsNothingItWasNotAskedAndReportsNoRejectionThePlanNoLongerHas) {
  const Limits open{.max_removals = 1000, .max_removal_share = 1.0};
  const std::string gone = "remove_member class:g5a s5";  // s5 is still in the class
  const auto with = plan_with({gone}, open);
  EXPECT_EQ(with.removals, plan_with({}, open).removals);
  EXPECT_TRUE(with.planning.still_rejected.empty());
}

TEST(Rejection, IsLeftOutBeforeTheGuardCountsRemovals) {
  const auto counted = plan_with({}, {}).removals.size();
  ASSERT_GE(counted, 3u) << "three students withdrawn";
  const Limits one_less{.max_removals = static_cast<int>(counted) - 1, .max_removal_share = 1.0};
  EXPECT_EQ(plan_with({}, one_less).held, counted) << "one removal too many: all held";
  EXPECT_EQ(plan_with({s1_removal}, one_less).held, 0u) << "the rejected one no longer counts";
}

}  // namespace
}  // namespace rosterd::mapping
