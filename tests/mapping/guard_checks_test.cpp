// The guard (held removals, source failures), data checks and title templates.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mapping/message.h"
#include "builders.h"
#include "mapping/checks.h"

namespace rosterd::mapping {
namespace {

using namespace testing;
using ::testing::HasSubstr;
using ::testing::Not;

const Date kDay0 = D("2026-11-02");

// A class of `n` students who all withdraw on day 1: `n` class-chat and `n` parents-chat removals.
struct MassWithdrawal {
  RosterBuilder school;
  AppliedState applied;
  Plan plan;
};

MassWithdrawal withdraw_all_but_some(int students, int withdrawn) {
  MassWithdrawal w;
  w.school.group("g5a", "5А").leader("t1", "g5a", 9001).teacher("dir", 9000, {"director"});
  for (int i = 0; i < students; ++i) {
    const std::string id = "s" + std::to_string(i);
    w.school.student(id, "g5a", 1000 + i).parent("m" + std::to_string(i), id, 2000 + i);
  }
  w.applied = synced(w.school.build(), kDay0);
  for (int i = 0; i < withdrawn; ++i) {
    auto& e = w.school.enrolment_ref("s" + std::to_string(i), "g5a");
    e.to = kDay0;
    e.reason = "withdrawn";
  }
  w.school.person("new", role_student, 4242).enrol("new", "g5a");
  w.plan = plan_for(w.school.build(), w.applied, kDay0.plus_days(1));
  return w;
}

GuardInput input_for(const Roster& roster, Limits limits = {}) {
  return GuardInput{limits, count(roster), count(roster), {}};
}

TEST(Guard, LetsAnOrdinaryDayThrough) {
  const auto w = withdraw_all_but_some(40, 2);
  const Plan guarded = guard(w.plan, input_for(w.school.build()));
  EXPECT_EQ(summarize(guarded).total_held(), 0u);
}

TEST(Guard, HoldsRemovalsBeyondTheCountOrShareLimitAndLetsTheRestThrough) {
  struct Case {
    const char* what;
    Limits limits;
    bool held;
  };
  const std::vector<Case> cases = {
      {"count over the limit", {.max_removals = 5, .max_removal_share = 1.0}, true},
      {"share over the limit", {.max_removals = 1000, .max_removal_share = 0.05}, true},
      {"within both", {.max_removals = 1000, .max_removal_share = 0.5}, false},
  };
  const auto w = withdraw_all_but_some(20, 6);  // 12 removals of ~83 memberships
  for (const auto& c : cases) {
    const Plan guarded = guard(w.plan, input_for(w.school.build(), c.limits));
    const Summary s = summarize(guarded);
    EXPECT_EQ(s.held[static_cast<int>(ActionType::remove_member)], c.held ? 12u : 0u) << c.what;
    EXPECT_EQ(s.held[static_cast<int>(ActionType::add_member)], 0u) << c.what;
    EXPECT_EQ(s.actions[static_cast<int>(ActionType::add_member)], 1u) << c.what;
  }
}

TEST(Guard, ReleasesHeldRemovalsAnAdminApproved) {
  const auto w = withdraw_all_but_some(20, 6);
  GuardInput in = input_for(w.school.build(), {.max_removals = 5});
  for (const auto& a : w.plan.actions) {
    if (a.type == ActionType::remove_member) in.approved.insert(action_id(a));
  }
  EXPECT_EQ(summarize(guard(w.plan, in)).total_held(), 0u);
  const auto held = guard(w.plan, input_for(w.school.build(), {.max_removals = 5}));
  EXPECT_THAT(english(held.actions.back().held_reason), HasSubstr("rosterd approve"));
}

TEST(Guard, TreatsAMuchSmallerJournalAnswerAsASourceFailureNotAMassWithdrawal) {
  auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  const SourceCounts last_good = count(school.build());
  school.remove_person("s1").remove_person("s2").remove_person("m1");
  school.student("s9", "g5a", 1009);
  Plan plan = plan_for(school.build(), applied, kDay0.plus_days(10));
  ASSERT_FALSE(plan.state_changes.empty());
  plan = guard(plan, {Limits{}, count(school.build()), last_good, {}});
  for (const auto& a : plan.actions) EXPECT_TRUE(a.held) << action_id(a);
  EXPECT_NE(find_action(plan, ActionType::add_member, "class:g5a", "s9"), nullptr);
  EXPECT_TRUE(plan.state_changes.empty()) << "no grace period starts on a broken answer";
  EXPECT_EQ(plan.findings.back().code, FindingCode::source_failure);
}

TEST(Guard, TreatsAnEmptyJournalAnswerAsASourceFailure) {
  const auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  Roster empty;
  empty.org = school.build().org;
  Plan plan = plan_for(empty, applied, kDay0.plus_days(30));
  plan = guard(plan, {Limits{}, count(empty), std::nullopt, {}});
  EXPECT_GT(plan.actions.size(), 0u);
  for (const auto& a : plan.actions) EXPECT_TRUE(a.held) << action_id(a);
}

bool has_finding(const std::vector<Finding>& findings, FindingCode code,
                 std::vector<std::string> subjects) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.code == code && f.subject_ids == subjects; });
}

TEST(DataChecks, ReportsSharedPhonesChildrenOnParentsPhonesAndPeopleWithoutContact) {
  auto school = small_school();
  school.person_ref("m1").phone = "+7 (900) 555-01-01";
  school.person_ref("s1").phone = "8 900 555 01 01";  // the same number, spelled otherwise
  school.person_ref("m2").phone = "+79005550202";
  school.person("gm", role_parent, 3003, "+7 900 555-02-02").parent("gm", "s1", 3003);
  school.person_ref("s2").platform_user_id.reset();  // reachable through m2's phone
  school.student("s3", "g5a", std::nullopt).parent("m3", "s3", std::nullopt);
  const DesiredState d = desired(school.build(), test_rules(), kDay0);
  EXPECT_TRUE(has_finding(d.findings, FindingCode::child_on_parent_phone, {"s1", "m1"}));
  EXPECT_TRUE(has_finding(d.findings, FindingCode::shared_phone, {"m2", "gm"}));
  EXPECT_TRUE(has_finding(d.findings, FindingCode::no_contact, {"s3"}));
  EXPECT_TRUE(has_finding(d.findings, FindingCode::no_contact, {"m3"}));
  EXPECT_FALSE(has_finding(d.findings, FindingCode::no_contact, {"s2"}));
  for (const auto& f : d.findings) {
    EXPECT_THAT(english(f.message), Not(HasSubstr("555"))) << "a finding must not quote a phone number";
  }
}

TEST(DataChecks, ReportsRecordsThatPointAtUnknownIdsAndLeavesThemOut) {
  auto school = small_school();
  school.enrol("ghost", "g5a").parent("m1", "nobody", 2001);
  const DesiredState d = desired(school.build(), test_rules(), kDay0);
  EXPECT_TRUE(has_finding(d.findings, FindingCode::skipped_record, {"ghost", "g5a"}));
  EXPECT_TRUE(has_finding(d.findings, FindingCode::skipped_record, {"m1", "nobody"}));
}

TEST(Rules, RendersTitleTemplatesAndKeepsUnknownPlaceholdersVisible) {
  const Organisation org{"o", "Средняя школа № 5", "СШ 5", OrgKind::school, ""};
  Group g;
  g.name = "5А";
  struct Case {
    const char* tmpl;
    const char* title;
  };
  for (const auto& c : std::vector<Case>{
           {"{group.name} · {org.short_name}", "5А · СШ 5"},
           {"{org.name}: {group.name} ({year})", "Средняя школа № 5: 5А (2026/27)"},
           {"{group.nmae}", "{group.nmae}"},
           {"{unclosed", "{unclosed"},
       }) {
    EXPECT_EQ(render_title(c.tmpl, org, &g, 2026), c.title) << c.tmpl;
  }
  EXPECT_EQ(render_title("{year}", org, nullptr, 2099), "2099/00");
}

}  // namespace
}  // namespace rosterd::mapping

namespace rosterd::mapping {
namespace {

struct PhoneCase {
  const char* written;
  std::uint64_t number;
};

class NormalizePhoneTest : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(NormalizePhoneTest, GivesOneNumberForEveryWayOfWritingIt) {
  EXPECT_EQ(normalize_phone(GetParam().written), GetParam().number) << GetParam().written;
}

INSTANTIATE_TEST_SUITE_P(
    Phones, NormalizePhoneTest,
    ::testing::Values(PhoneCase{"+7 (900) 000-00-01", 9000000001ULL},
                      PhoneCase{"8 900 000 00 01", 9000000001ULL},
                      PhoneCase{"79000000001", 9000000001ULL},
                      PhoneCase{"900-000-00-01", 9000000001ULL},
                      PhoneCase{"+44 20 7946 0000", 442079460000ULL},  // not national: as is
                      PhoneCase{"", 0}, PhoneCase{"нет", 0},
                      PhoneCase{"+123 456 789 012 345", 123456789012345ULL},  // E.164's most
                      PhoneCase{"1234567890123456", 0},  // 16 digits: not a phone number
                      PhoneCase{"12345678901234567890123", 0}));

}  // namespace
}  // namespace rosterd::mapping
