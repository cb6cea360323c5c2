// A reader's links (RosterLinks) only spare the core lookups: whatever they say, correct,
// missing, stale after an edit or plain wrong, the plan is the one the ids alone give.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "builders.h"
#include "generator/generator.h"

namespace rosterd::mapping {
namespace {

using testing::D;
using testing::test_rules;

const Date kStart = D("2026-09-01");

// The links a reader that checked every reference would keep.
RosterLinks links_of(const Roster& r) {
  std::map<std::string, std::uint32_t> persons, groups;
  for (std::uint32_t i = 0; i < r.persons.size(); ++i) persons.emplace(r.persons[i].id, i);
  for (std::uint32_t i = 0; i < r.groups.size(); ++i) groups.emplace(r.groups[i].id, i);
  const auto at = [](const auto& index, const std::string& id) {
    const auto it = index.find(id);
    return it == index.end() ? RosterLinks::unknown : it->second;
  };
  RosterLinks links;
  for (const auto& e : r.enrolments) {
    links.enrolment_person.push_back(at(persons, e.person_id));
    links.enrolment_group.push_back(at(groups, e.group_id));
  }
  for (const auto& rel : r.relations) {
    links.relation_parent.push_back(at(persons, rel.parent_id));
    links.relation_child.push_back(at(persons, rel.child_id));
  }
  return links;
}

// A school on its second day (so some people left and moved), with one dangling enrolment
// and relation, planned against the state its first day left.
struct Day {
  Roster roster;
  AppliedState applied;
};

Day second_day() {
  const Roster first = generator::make_school("sch-0001", 5, kStart);
  Day day{generator::next_day(first, 5, kStart.plus_days(1)), testing::synced(first, kStart)};
  day.roster.enrolments.push_back({"nobody", day.roster.groups.front().id,
                                   EnrolmentRole::student, kStart, std::nullopt, "enrolled"});
  day.roster.relations.push_back({"nobody", day.roster.persons.back().id, RelationKind::mother});
  return day;
}

Plan plan(const Day& day) {
  return testing::plan_for(day.roster, day.applied, kStart.plus_days(1));
}

struct LinksCase {
  const char* name;
  std::function<void(Roster&)> make;  // sets the links (and may edit the roster after)
};

class RosterLinksTest : public ::testing::TestWithParam<LinksCase> {};

TEST_P(RosterLinksTest, GiveThePlanTheIdsAloneGive) {
  Day with = second_day();
  GetParam().make(with.roster);
  Day without = with;
  without.roster.links = {};

  const Plan expected = plan(without), got = plan(with);
  ASSERT_FALSE(expected.actions.empty());
  EXPECT_EQ(got.actions, expected.actions);
  EXPECT_EQ(got.state_changes, expected.state_changes);
  EXPECT_EQ(got.findings, expected.findings);
}

void swap_two_students(Roster& r) {
  std::vector<Enrolment*> students;
  for (auto& e : r.enrolments) {
    if (e.role == EnrolmentRole::student) students.push_back(&e);
  }
  std::swap(students.front()->group_id, students.back()->group_id);
}

INSTANTIATE_TEST_SUITE_P(
    Links, RosterLinksTest,
    ::testing::Values(
        LinksCase{"Correct", [](Roster& r) { r.links = links_of(r); }},
        LinksCase{"StaleAfterStudentsSwappedClasses",
                  [](Roster& r) {
                    r.links = links_of(r);
                    swap_two_students(r);
                  }},
        LinksCase{"StaleAfterPersonsWereRemoved",
                  [](Roster& r) {
                    r.links = links_of(r);
                    r.persons.erase(r.persons.begin(), r.persons.begin() + 40);
                  }},
        LinksCase{"AllPointingAtTheFirstRecord",
                  [](Roster& r) {
                    r.links = links_of(r);
                    for (auto* v : {&r.links.enrolment_person, &r.links.enrolment_group,
                                    &r.links.relation_parent, &r.links.relation_child})
                      std::fill(v->begin(), v->end(), 0);
                  }},
        LinksCase{"PastTheEnd",
                  [](Roster& r) {
                    r.links = links_of(r);
                    for (auto* v : {&r.links.enrolment_person, &r.links.relation_child})
                      std::fill(v->begin(), v->end(), r.persons.size() + 3);
                  }},
        LinksCase{"AllUnknown",
                  [](Roster& r) {
                    r.links = links_of(r);
                    for (auto* v : {&r.links.enrolment_person, &r.links.enrolment_group,
                                    &r.links.relation_parent, &r.links.relation_child})
                      std::fill(v->begin(), v->end(), RosterLinks::unknown);
                  }},
        LinksCase{"CoveringOnlyHalfTheRecords",
                  [](Roster& r) {
                    r.links = links_of(r);
                    r.links.enrolment_person.resize(r.enrolments.size() / 2);
                    r.links.relation_parent.resize(r.relations.size() / 2);
                  }}),
    [](const ::testing::TestParamInfo<LinksCase>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace rosterd::mapping
