// An administrator's decisions on single held actions: approve one, reject one (kept until the
// sync forgets it), and nothing decided for an id that is not held.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "mapping/plan.h"
#include "mapping/ports.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using mapping::Action;
using mapping::ActionType;

using DecisionStore = StoreTest;
ROSTERD_STORE_SUITE(DecisionStore);

Action held_removal(const std::string& person) {
  Action a;
  a.type = ActionType::remove_member;
  a.chat_key = "class:g-5a";
  a.person_id = person;
  a.platform_user_id = 42;
  a.reason = "withdrawn, last day 2026-11-20";
  a.held = true;
  a.held_reason = "3 removals exceed the limit of 2";
  return a;
}

std::vector<std::string> ids(std::initializer_list<Action> actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(mapping::action_id(a));
  return out;
}

TEST_P(DecisionStore, ApprovesOneHeldActionAndKeepsTheOthersHeldInOrder) {
  const auto a = held_removal("p-1");
  const auto b = held_removal("p-2");
  const auto c = held_removal("p-3");
  store().save_held("sch-1", std::vector{a, b, c});

  EXPECT_EQ(store().approve_actions("sch-1", ids({b})), 1u);
  EXPECT_EQ(store().held("sch-1"), (std::vector{a, c}));
  EXPECT_EQ(store().approved("sch-1"), std::set<std::string>{mapping::action_id(b)});
  EXPECT_TRUE(store().rejected("sch-1").empty());
  EXPECT_TRUE(store().approved("sch-2").empty());
}

TEST_P(DecisionStore, KeepsARejectionUntilTheSyncForgetsIt) {
  const auto a = held_removal("p-1");
  const auto b = held_removal("p-2");
  store().save_held("sch-1", std::vector{a, b});

  EXPECT_EQ(store().reject_actions("sch-1", ids({a})), 1u);
  EXPECT_EQ(store().held("sch-1"), std::vector{b});
  EXPECT_EQ(store().rejected("sch-1"), std::set<std::string>{mapping::action_id(a)});
  EXPECT_TRUE(store().approved("sch-1").empty());
  EXPECT_TRUE(store().rejected("sch-2").empty());

  store().save_held("sch-1", std::vector{b});  // a new cycle's held list leaves it be
  EXPECT_EQ(store().rejected("sch-1").size(), 1u);
  store().forget_rejections("sch-1", ids({a}));
  EXPECT_TRUE(store().rejected("sch-1").empty());
}

TEST_P(DecisionStore, DecidesNothingForAnIdThatIsNotHeld) {
  const auto a = held_removal("p-1");
  store().save_held("sch-1", std::vector{a});
  const auto stranger = ids({held_removal("p-9")});

  EXPECT_EQ(store().approve_actions("sch-1", stranger), 0u);
  EXPECT_EQ(store().reject_actions("sch-1", stranger), 0u);
  EXPECT_EQ(store().approve_actions("sch-2", ids({a})), 0u);  // another school's list
  EXPECT_EQ(store().held("sch-1"), std::vector{a});
  EXPECT_TRUE(store().approved("sch-1").empty());
  EXPECT_TRUE(store().rejected("sch-1").empty());
}

// `rosterd approve` runs beside the daemon, which holds the school's lease.
TEST_P(DecisionStore, TakesAnAdministratorsDecisionWithoutTheSchoolsLease) {
  const auto a = held_removal("p-1");
  const auto b = held_removal("p-2");
  store().save_held("sch-1", std::vector{a, b});
  const auto admin = target().open();

  EXPECT_EQ(admin->approve_actions("sch-1", ids({a})), 1u);
  EXPECT_EQ(admin->reject_actions("sch-1", ids({b})), 1u);
  EXPECT_TRUE(store().held("sch-1").empty());
  EXPECT_EQ(store().approved("sch-1"), std::set<std::string>{mapping::action_id(a)});
  EXPECT_EQ(store().rejected("sch-1"), std::set<std::string>{mapping::action_id(b)});
  EXPECT_THROW(admin->forget_rejections("sch-1", ids({b})), mapping::LeaseLost);
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
