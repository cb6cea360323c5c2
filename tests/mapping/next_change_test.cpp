// When a school's plan next changes on its own (mapping/next_change.h): table tests whose
// expected days are worked out by hand from the rules (an enrolment's `to` is its last day, a
// grace period of N days ends N days after missing_since, a link is stale ttl days after it was
// issued, the academic year turns on September 1), and a brute-force test that plans generated
// schools on every day up to the next change and finds the plan the same on each.
#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <tuple>

#include "builders.h"
#include "generator/generator.h"
#include "mapping/next_change.h"
#include "mapping/observe.h"
#include "mapping/school_plan.h"

namespace rosterd::mapping {
namespace {

using testing::D;
using testing::small_school;
using testing::synced;
using testing::test_rules;

const Date kToday = D("2026-11-10");

struct Case {
  const char* name;
  void (*edit)(testing::RosterBuilder&, AppliedState&);
  const char* expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

AppliedMember& member(AppliedState& applied, const std::string& chat, const std::string& person) {
  for (auto& c : applied.chats) {
    for (auto& m : c.members) {
      if (c.key == chat && m.person_id == person) return m;
    }
  }
  throw std::out_of_range(chat + " " + person);
}

AppliedChat& chat(AppliedState& applied, const std::string& key) {
  for (auto& c : applied.chats) {
    if (c.key == key) return c;
  }
  throw std::out_of_range(key);
}

const Case kCases[] = {
    {"NothingDatedWaitsForTheNextAcademicYear", [](auto&, auto&) {}, "2027-09-01"},
    {"AnEnrolmentStartingLaterStartsThatDay",
     [](auto& b, auto&) {
       b.person("s9", role_student, 1009).enrol("s9", "g5a", EnrolmentRole::student, "2026-11-16");
     },
     "2026-11-16"},
    {"AnEnrolmentEndingLaterChangesTheDayAfterItsLastDay",
     [](auto& b, auto&) { b.enrolment_ref("s1", "g5a").to = D("2026-11-12"); }, "2026-11-13"},
    {"AnEnrolmentEndingTodayChangesTomorrow",
     [](auto& b, auto&) { b.enrolment_ref("s1", "g5a").to = kToday; }, "2026-11-11"},
    {"AnEnrolmentThatEndedBeforeTodayChangesNothingMore",
     [](auto& b, auto&) { b.enrolment_ref("s1", "g5a").to = D("2026-11-01"); }, "2027-09-01"},
    {"StaffLeaveTheDayAfterTheirLastDay",
     [](auto& b, auto&) { b.person_ref("t1").employed_to = D("2026-11-20"); }, "2026-11-21"},
    {"StaffHiredLaterStartThatDay",
     [](auto& b, auto&) { b.person_ref("dir").employed_from = D("2026-11-25"); }, "2026-11-25"},
    {"AGroupClosingChangesTheDayAfterItsLastDay",
     [](auto& b, auto&) { b.group_ref("g5a").closed_on = D("2026-12-31"); }, "2027-01-01"},
    {"AGroupOpeningLaterOpensThatDay",
     [](auto& b, auto&) {
       b.group("g6b", "6Б");
       b.last_group().opened_on = D("2027-01-11");
     },
     "2027-01-11"},
    {"AMemberMissingWithoutADateIsRemovedWhenTheGracePeriodEnds",
     [](auto&, auto& applied) { member(applied, "class:g5a", "s2").missing_since = D("2026-11-09"); },
     "2026-11-12"},  // grace 3 days from 11-09
    {"AChatWhoseGroupIsMissingIsArchivedWhenTheGracePeriodEnds",
     [](auto&, auto& applied) { chat(applied, "parents:g5a").missing_since = kToday; },
     "2026-11-13"},
    {"AnInviteLinkIsReplacedWhenItsTtlRunsOut",
     [](auto&, auto& applied) {
       chat(applied, "parents:g5a").invites.push_back({MemberRole::member, "https://l/1",
                                                      D("2026-11-01")});
     },
     "2026-11-15"},  // ttl 14 days from 11-01
    {"TheEarliestOfSeveralDatesWins",
     [](auto& b, auto& applied) {
       b.enrolment_ref("s1", "g5a").to = D("2026-11-30");
       b.person_ref("t1").employed_to = D("2026-11-14");
       member(applied, "class:g5a", "s2").missing_since = D("2026-11-01");  // ran out already
     },
     "2026-11-15"},
};

class NextChange : public ::testing::TestWithParam<Case> {};

TEST_P(NextChange, NamesTheFirstDayThePlanCanDifferOnItsOwn) {
  auto b = small_school();
  AppliedState applied = synced(b.build(), D("2026-09-01"));
  GetParam().edit(b, applied);
  const auto day = next_change(b.build(), applied, Policy{}, kToday);
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(day->iso(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Dates, NextChange, ::testing::ValuesIn(kCases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(NextChangeYear, TheLastDayOfAnAcademicYearChangesTheNextDay) {
  const auto b = small_school();
  EXPECT_EQ(next_change(b.build(), synced(b.build(), D("2026-09-01")), {}, D("2027-08-31")),
            D("2027-09-01"));
}

// ---- audits -------------------------------------------------------------------------------

AppliedChat watched_chat(const std::string& key, ChatId id, std::optional<std::int64_t> read) {
  AppliedChat c;
  c.key = key;
  c.chat_id = id;
  c.observed_at = read;
  return c;
}

TEST(NextAudit, IsTheEarliestReadPlusThePeriodOfTheChatsItWatches) {
  AppliedState applied;
  applied.chats = {watched_chat("class:a", 1, 1000), watched_chat("class:b", 2, 500)};
  auto archived = watched_chat("class:c", 3, std::nullopt);
  archived.archived = true;
  auto unmade = watched_chat("class:d", 0, std::nullopt);
  unmade.chat_id.reset();
  auto unmanaged = watched_chat("class:e", 5, std::nullopt);
  unmanaged.managed = false;
  auto gone = watched_chat("class:f", 6, std::nullopt);
  gone.drift = ChatDrift::deleted_by_hand;
  applied.chats.insert(applied.chats.end(), {archived, unmade, unmanaged, gone});
  EXPECT_EQ(next_audit(applied, 100), 600);  // class:b, read at 500
  applied.chats.push_back(watched_chat("class:g", 7, std::nullopt));  // never read: due at once
  EXPECT_EQ(next_audit(applied, 100), 0);
  EXPECT_EQ(next_audit(AppliedState{}, 100), std::nullopt);
}

// ---- brute force --------------------------------------------------------------------------

const Limits kNoHolds{.max_removals = 1'000'000, .max_removal_share = 1.0,
                      .max_archives = 1'000'000, .max_archive_share = 1.0,
                      .max_source_drop = 1.0};
const Policy kPolicy{.grace_days = 2, .invite_ttl_days = 9};

Plan plan_on(const Roster& roster, const AppliedState& applied, Date day) {
  const Rules rules = test_rules();
  return plan_school({roster.org.id, rules, kPolicy, kNoHolds, nullptr}, roster, applied, {}, day)
      .plan;
}

// What a plan does, as the comparison sees it: type, chat, person of each action.
std::set<std::tuple<ActionType, std::string, std::string>> actions_of(const Plan& plan) {
  std::set<std::tuple<ActionType, std::string, std::string>> out;
  for (const auto& a : plan.actions) out.emplace(a.type, a.chat_key, a.person_id);
  return out;
}

// Applies the plan of `day` until nothing is left to do: the state a clean cycle leaves.
AppliedState converged(const Roster& roster, AppliedState applied, Date day) {
  for (int i = 0; i < 4; ++i) {
    const Plan plan = plan_on(roster, applied, day);
    if (plan.actions.empty() && plan.state_changes.empty()) return applied;
    applied = assume_applied(std::move(applied), plan);
  }
  ADD_FAILURE() << "no convergence on " << day.iso();
  return applied;
}

// A generated school whose journal moved for a while after it was synced (dated and
// future-dated movement, invite links of different ages), and then lost two people for good
// (their grace periods run).
struct World {
  Roster roster;
  AppliedState applied;
  Date day;
};

World generated_world(std::uint64_t seed) {
  const Date start = D("2026-09-01");
  Roster roster = generator::make_school("sch", seed, start,
                                         {.classes = 5, .students_per_class = 8});
  AppliedState applied;
  applied.org_id = "sch";
  Date day = start;
  for (int i = 1; i <= 20; ++i) {
    day = start.plus_days(i);
    roster = generator::next_day(roster, seed * 31 + static_cast<std::uint64_t>(i), day);
    if (i % 6 == 0) applied = converged(roster, std::move(applied), day);
  }
  for (int i = 0; i < 2; ++i) {
    const std::string gone = roster.persons[(seed * 7 + i * 13) % roster.persons.size()].id;
    std::erase_if(roster.persons, [&](const Person& p) { return p.id == gone; });
    std::erase_if(roster.enrolments, [&](const Enrolment& e) { return e.person_id == gone; });
    std::erase_if(roster.relations, [&](const Relation& r) {
      return r.parent_id == gone || r.child_id == gone;
    });
  }
  // Dated movement ahead: withdrawals on later last days, a teacher leaving, a student who
  // starts later, a group that closes (the generator dates most of its movement in the past).
  for (std::size_t i = 0, k = 0; i < roster.enrolments.size() && k < 3; i += 7) {
    if (roster.enrolments[i].role != EnrolmentRole::student || roster.enrolments[i].to) continue;
    roster.enrolments[i].to = day.plus_days(static_cast<int>(4 + 9 * k + seed));
    ++k;
  }
  for (auto& p : roster.persons) {
    if (p.has_role(role_staff) && !p.employed_to) {
      p.employed_to = day.plus_days(static_cast<int>(17 + seed));
      break;
    }
  }
  roster.enrolments.push_back(roster.enrolments.front());  // moves to another group later
  roster.enrolments.back().group_id = roster.groups.at(1).id;
  roster.enrolments.back().from = day.plus_days(static_cast<int>(23 + seed));
  roster.enrolments.back().to.reset();
  roster.enrolments.front().to = day.plus_days(static_cast<int>(22 + seed));
  roster.groups.back().closed_on = day.plus_days(static_cast<int>(50 + seed));
  roster.links = {};
  return {roster, converged(roster, std::move(applied), day), day};
}

TEST(NextChangeBruteForce, NoPlanDiffersFromTodaysOnAnyDayBeforeTheNextChange) {
  int changes_seen = 0;
  int steps = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    World w = generated_world(seed);
    // Walks from one change to the next for four months, converging on each change's day as a
    // full cycle would.
    const Date end = w.day.plus_days(120);
    while (w.day < end) {
      const auto next = next_change(w.roster, w.applied, kPolicy, w.day);
      ASSERT_TRUE(next.has_value());
      ASSERT_LT(w.day, *next);
      const auto today = actions_of(plan_on(w.roster, w.applied, w.day));
      for (Date d = w.day.plus_days(1); d < *next; d = d.plus_days(1)) {
        ASSERT_EQ(actions_of(plan_on(w.roster, w.applied, d)), today)
            << "seed " << seed << ": the plan changed on " << d.iso() << " but the next change "
            << "was said to be " << next->iso() << " (from " << w.day.iso() << ")";
      }
      if (actions_of(plan_on(w.roster, w.applied, *next)) != today) ++changes_seen;
      ++steps;
      w.day = *next;
      w.applied = converged(w.roster, std::move(w.applied), w.day);
    }
  }
  // The walk met real changes (a day named where nothing changes is allowed, but most are not).
  EXPECT_GT(changes_seen, steps / 2) << changes_seen << " of " << steps;
}

}  // namespace
}  // namespace rosterd::mapping
