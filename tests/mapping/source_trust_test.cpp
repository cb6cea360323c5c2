// A journal answer rosterd cannot trust makes no write at all: school planning (the one place
// every command passes) refuses another organisation's answer, and the guard holds every action
// and drops every state change of an answer that is emptied, cut, or about past years.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "mapping/message.h"
#include "builders.h"
#include "mapping/school_plan.h"

namespace rosterd::mapping {
namespace {

using namespace testing;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const Date kDay0 = D("2026-11-02");

// Two classes of ten students with their mothers; one class teacher has no platform account
// yet and a few students and parents neither, so the synced school has live invite links and
// a stand-in admin would be needed if a leader went missing.
RosterBuilder two_classes() {
  RosterBuilder b;
  b.teacher("dir", 9000, {"director"});
  for (const std::string g : {"g5a", "g5b"}) {
    b.group(g, g == "g5a" ? "5А" : "5Б");
    b.leader("t-" + g, g, g == "g5a" ? std::optional<PlatformUserId>{9001} : std::nullopt);
    for (int i = 0; i < 10; ++i) {
      const std::string s = g + "-s" + std::to_string(i);
      const auto uid = i % 4 == 0 ? std::nullopt : std::optional<PlatformUserId>{1000 + i};
      b.student(s, g, uid).parent(g + "-m" + std::to_string(i), s, uid ? *uid + 1000 : uid);
    }
  }
  return b;
}

Action an_add_member() {
  Action a;
  a.type = ActionType::add_member;
  a.chat_key = "class:g5a";
  a.person_id = "g5a-s1";
  return a;
}

struct SchoolCase {
  const char* what;
  std::function<void(Roster&)> break_answer;
  const char* message;  // what the finding or refusal must name
};

void keep_every_tenth(std::vector<Enrolment>& list) {
  std::vector<Enrolment> kept;
  for (std::size_t i = 0; i < list.size(); i += 10) kept.push_back(list[i]);
  list = std::move(kept);
}

const std::vector<SchoolCase>& broken_answers() {
  static const std::vector<SchoolCase> cases = {
      {"enrolments emptied", [](Roster& r) { r.enrolments.clear(); }, "enrolments 0 instead of"},
      {"enrolments cut to 10 %", [](Roster& r) { keep_every_tenth(r.enrolments); },
       "enrolments 3 instead of 22"},
      {"relations emptied", [](Roster& r) { r.relations.clear(); }, "relations 0 instead of 20"},
      {"leaders gone",
       [](Roster& r) {
         std::erase_if(r.enrolments,
                       [](const Enrolment& e) { return e.role == EnrolmentRole::leader; });
       },
       "leader assignments 0 instead of 2"},
      {"stale export",
       [](Roster& r) {
         for (auto& g : r.groups) g.academic_year = 2024;
       },
       "stale export: the latest academic year in the answer is 2024/2025"},
      {"wrong organisation", [](Roster& r) { r.org.id = "org2"; },
       "holds organisation org2, not the configured school org1"},
  };
  return cases;
}

TEST(SchoolPlanning, WritesNothingAtAllFromAnAnswerItCannotTrust) {
  const Rules rules = test_rules();
  const Policy policy{};
  const Limits limits{};
  const SchoolSettings school{"org1", rules, policy, limits};
  const Roster good = two_classes().build();
  AppliedState applied = synced(good, kDay0);
  applied.last_good_counts = count(good);
  const Date today = kDay0.plus_days(40);  // past the grace period and the invites' life

  for (const auto& c : broken_answers()) {
    Roster answer = good;
    c.break_answer(answer);
    // Without the guard this answer would write: the test is about holding real writes.
    const Plan unguarded = diff(desired(answer, rules, today), applied, policy, today);
    if (std::string(c.what) != "wrong organisation") {
      EXPECT_FALSE(unguarded.actions.empty()) << c.what;
    }
    std::set<std::string> approved;  // an admin approved everything: it must not matter
    for (const auto& a : unguarded.actions) approved.insert(action_id(a));

    const SchoolPlanning planned = plan_school(school, answer, applied, approved, today);
    for (const auto& a : planned.plan.actions) {
      EXPECT_TRUE(a.held) << c.what << ": " << action_id(a) << " is not held";
    }
    EXPECT_THAT(planned.plan.state_changes, IsEmpty()) << c.what;
    const bool failure_found =
        std::any_of(planned.plan.findings.begin(), planned.plan.findings.end(), [&](auto& f) {
          return f.code == FindingCode::source_failure &&
                 english(f.message).find(c.message) != std::string::npos;
        });
    EXPECT_TRUE(failure_found || english(planned.refusal).find(c.message) != std::string::npos)
        << c.what << ": neither a source_failure finding nor a refusal names \"" << c.message
        << "\"; refusal: " << english(planned.refusal);
  }
}

TEST(SchoolPlanning, RefusesAnotherOrganisationsAnswerAndPlansNothing) {
  const Rules rules = test_rules();
  const SchoolSettings school{"org1", rules, Policy{}, Limits{}};
  Roster answer = two_classes().build();
  answer.org.id = "org2";
  AppliedState empty;
  empty.org_id = "org1";
  const SchoolPlanning planned = plan_school(school, answer, empty, {}, kDay0);
  EXPECT_TRUE(planned.refused());
  EXPECT_THAT(english(planned.refusal), AllOf(HasSubstr("org2"), HasSubstr("org1")));
  EXPECT_TRUE(planned.plan.empty());
  EXPECT_THAT(planned.desired.chats, IsEmpty());
}

TEST(SchoolPlanning, PlansTheSchoolsOwnHealthyAnswerAsBefore) {
  const Rules rules = test_rules();
  const SchoolSettings school{"org1", rules, Policy{}, Limits{}};
  const Roster answer = two_classes().build();
  AppliedState empty;
  empty.org_id = "org1";
  const SchoolPlanning planned = plan_school(school, answer, empty, {}, kDay0);
  EXPECT_FALSE(planned.refused());
  EXPECT_GT(summarize(planned.plan).actions[static_cast<int>(ActionType::create_chat)], 0u);
  EXPECT_EQ(summarize(planned.plan).total_held(), 0u);
}

// An academic year Y runs from Y-09-01 to (Y+1)-08-31; an answer is stale when its latest one
// ended before today.
TEST(Guard, TakesAnAnswerWhoseAcademicYearsAllEndedForAStaleExport) {
  struct Case {
    int latest_year;
    const char* today;
    bool stale;
  };
  const std::vector<Case> cases = {
      {2025, "2026-08-31", false}, {2025, "2026-09-01", true}, {2026, "2026-09-01", false},
      {2026, "2027-08-31", false}, {2024, "2026-11-02", true}, {2027, "2026-11-02", false},
  };
  const Roster answer = two_classes().build();
  for (const auto& c : cases) {
    Plan plan;
    plan.org_id = "org1";
    plan.today = D(c.today);
    plan.actions.push_back(an_add_member());
    const Plan guarded = guard(plan, {Limits{}, count(answer), count(answer), {}, c.latest_year});
    EXPECT_EQ(guarded.actions.front().held, c.stale) << c.latest_year << " on " << c.today;
  }
}

TEST(Guard, TakesAnEmptiedListForASourceFailureWhateverTheAllowedDrop) {
  const Roster answer = two_classes().build();
  SourceCounts now = count(answer);
  now.relations = 0;
  Plan plan;
  plan.today = kDay0;
  plan.actions.push_back(an_add_member());
  const Plan guarded = guard(plan, {Limits{.max_source_drop = 1.0}, now, count(answer), {}, 2026});
  EXPECT_TRUE(guarded.actions.front().held);
  EXPECT_THAT(english(guarded.findings.back().message), HasSubstr("relations 0 instead of 20"));
}

TEST(Guard, LetsASmallDropInAnyListThrough) {
  const Roster answer = two_classes().build();
  const SourceCounts last = count(answer);
  SourceCounts now = last;
  now.relations -= 2;  // 10 % of 20, under the 25 % allowed
  now.enrolments -= 4;
  Plan plan;
  plan.today = kDay0;
  plan.actions.push_back(an_add_member());
  const Plan guarded = guard(plan, {Limits{}, now, last, {}, 2026});
  EXPECT_FALSE(guarded.actions.front().held);
  EXPECT_THAT(guarded.findings, IsEmpty());
}

}  // namespace
}  // namespace rosterd::mapping
