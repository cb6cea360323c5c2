// The cycle's product rules as tables: write order, result, approvals, baseline, refusals.
#include "mapping/message.h"
#include "mapping/cycle_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rosterd::mapping {
namespace {

using AT = ActionType;

Action act(AT type, std::string chat, std::string person = {}) {
  Action a;
  a.type = type;
  a.chat_key = std::move(chat);
  a.person_id = std::move(person);
  return a;
}

std::size_t phase_of(AT type) {
  const auto& phases = write_phases();
  for (std::size_t i = 0; i < phases.size(); ++i) {
    for (const AT t : phases[i]) {
      if (t == type) return i;
    }
  }
  return SIZE_MAX;
}

TEST(CycleRules, SendsEveryActionTypeInExactlyOnePhase) {
  std::size_t listed = 0;
  for (const auto& phase : write_phases()) listed += phase.size();
  EXPECT_EQ(listed, action_type_count);
  for (std::size_t i = 0; i < action_type_count; ++i) {
    EXPECT_NE(phase_of(static_cast<AT>(i)), SIZE_MAX) << name(static_cast<AT>(i));
  }
}

struct OrderCase {
  AT first;
  AT then;
  const char* why;
};

class WriteOrder : public ::testing::TestWithParam<OrderCase> {};

TEST_P(WriteOrder, SendsWhatAWriteNeedsInAnEarlierPhase) {
  const auto& c = GetParam();
  EXPECT_LT(phase_of(c.first), phase_of(c.then)) << c.why;
}

INSTANTIATE_TEST_SUITE_P(
    CycleRules, WriteOrder,
    ::testing::Values(OrderCase{AT::create_chat, AT::add_member, "members need their chat"},
                      OrderCase{AT::create_chat, AT::issue_invite, "links need their chat"},
                      OrderCase{AT::add_member, AT::set_admin, "admins need their membership"},
                      OrderCase{AT::set_admin, AT::unset_admin, "never zero admins"},
                      OrderCase{AT::set_admin, AT::remove_member, "never zero admins"},
                      OrderCase{AT::remove_member, AT::archive_chat, "archives come last"},
                      OrderCase{AT::annul_invite, AT::archive_chat, "archives come last"}));

WriteCounts counts(std::initializer_list<std::pair<AT, WriteStatus>> writes) {
  WriteCounts c;
  for (const auto& [type, status] : writes) c.add(type, status);
  return c;
}

struct ResultCase {
  const char* name;
  CycleFacts facts;
  CycleResult result;
  bool saves_baseline;
};

class Result : public ::testing::TestWithParam<ResultCase> {};

TEST_P(Result, FollowsFromTheCyclesFacts) {
  const auto& c = GetParam();
  EXPECT_EQ(cycle_result(c.facts), c.result) << name(cycle_result(c.facts));
  EXPECT_EQ(saves_baseline(c.facts), c.saves_baseline);
}

const auto done = WriteStatus::done;
const auto rejected = WriteStatus::rejected;
const auto not_sent = WriteStatus::not_sent;
const auto unknown = WriteStatus::unknown;

INSTANTIATE_TEST_SUITE_P(
    CycleRules, Result,
    ::testing::Values(
        ResultCase{"nothing_to_do", {}, CycleResult::ok, true},
        ResultCase{"all_done", {false, false, false, counts({{AT::add_member, done}})},
                   CycleResult::ok, true},
        ResultCase{"held", {false, false, true, counts({{AT::add_member, done}})},
                   CycleResult::held, true},
        ResultCase{"one_not_sent",
                   {false, false, false, counts({{AT::add_member, done}, {AT::add_member, not_sent}})},
                   CycleResult::partial, true},
        ResultCase{"one_rejected", {false, false, false, counts({{AT::set_admin, rejected}})},
                   CycleResult::partial, true},
        ResultCase{"one_unknown", {false, false, false, counts({{AT::create_chat, unknown}})},
                   CycleResult::partial, true},
        ResultCase{"partial_before_held", {false, false, true, counts({{AT::add_member, not_sent}})},
                   CycleResult::partial, true},
        ResultCase{"source_failure", {false, true, true, {}}, CycleResult::source_failure, false},
        ResultCase{"stopped", {true, false, false, counts({{AT::add_member, not_sent}})},
                   CycleResult::stopped, false}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CycleRules, CountsWritesByTypeAndInTotal) {
  const auto c = counts({{AT::add_member, done},
                         {AT::add_member, done},
                         {AT::add_member, rejected},
                         {AT::create_chat, unknown},
                         {AT::set_admin, not_sent}});
  EXPECT_EQ(c.of(AT::add_member), (WriteTally{2, 1, 0, 0}));
  EXPECT_EQ(c.of(AT::create_chat), (WriteTally{0, 0, 1, 0}));
  EXPECT_EQ(c.of(AT::set_admin), (WriteTally{0, 0, 0, 1}));
  EXPECT_EQ(c.total(), (WriteTally{2, 1, 1, 1}));
}

TEST(CycleRules, ConsumesOnlyTheApprovalsOfActionsDone) {
  const std::vector<Action> applied = {act(AT::remove_member, "class:g1", "p1"),
                                       act(AT::add_member, "class:g1", "p2")};
  const std::set<std::string> approved = {"remove_member class:g1 p1",
                                          "remove_member class:g1 p3",  // not sent this cycle
                                          "archive_chat class:g9"};     // stopped before it
  EXPECT_EQ(consumed_approvals(applied, approved),
            (std::vector<std::string>{"remove_member class:g1 p1"}));
  EXPECT_TRUE(consumed_approvals({}, approved).empty());
}

Rejection refused(Action a, int code, std::size_t times) {
  return {std::move(a), ChatId{700}, code, "no access", times};
}

struct RefusalCase {
  const char* name;
  std::vector<Rejection> rejections;
  std::set<std::string> approved;
  bool held;
};

class RepeatedRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(RepeatedRefusal, HoldsTheWriteAndNamesItOnlyWhenRefusedTwiceInARowAndNotApproved) {
  const auto& c = GetParam();
  Plan plan;
  plan.actions = {act(AT::add_member, "class:g1", "p1"), act(AT::add_member, "class:g1", "p2")};
  const std::size_t n = hold_repeated_rejections(plan, c.rejections, c.approved);
  EXPECT_EQ(n, c.held ? 1u : 0u);
  EXPECT_EQ(plan.actions[0].held, c.held);
  EXPECT_FALSE(plan.actions[1].held);
  if (c.held) {
    ASSERT_EQ(plan.findings.size(), 1u);
    EXPECT_EQ(plan.findings[0].code, FindingCode::rejected_write);
    EXPECT_EQ(plan.findings[0].subject_ids,
              (std::vector<std::string>{"class:g1", "chat_id:700", "p1"}));
    EXPECT_NE(english(plan.findings[0].message).find("917"), std::string::npos);
    EXPECT_NE(english(plan.actions[0].held_reason).find("917"), std::string::npos);
  } else {
    EXPECT_TRUE(plan.findings.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    CycleRules, RepeatedRefusal,
    ::testing::Values(
        RefusalCase{"never_refused", {}, {}, false},
        RefusalCase{"refused_once", {refused(act(AT::add_member, "class:g1", "p1"), 917, 1)}, {}, false},
        RefusalCase{"refused_twice", {refused(act(AT::add_member, "class:g1", "p1"), 917, 2)}, {}, true},
        RefusalCase{"refused_five_times", {refused(act(AT::add_member, "class:g1", "p1"), 917, 5)}, {}, true},
        RefusalCase{"approved_once_more",
                    {refused(act(AT::add_member, "class:g1", "p1"), 917, 2)},
                    {"add_member class:g1 p1"},
                    false},
        RefusalCase{"another_write_refused",
                    {refused(act(AT::remove_member, "class:g1", "p1"), 917, 2)}, {}, false},
        RefusalCase{"another_chat_refused",
                    {refused(act(AT::add_member, "parents:g1", "p1"), 917, 2)}, {}, false}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rosterd::mapping
