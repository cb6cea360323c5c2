// next_year: successors by previous_group_id, promotion, graduation, new first grades.

#include <gtest/gtest.h>

#include <algorithm>

#include "generator/generator.h"
#include "tests/generator/support.h"

namespace rosterd::generator {
namespace {

using mapping::Date;
using mapping::EnrolmentRole;
using mapping::Group;
using mapping::Roster;

const Date start = Date::from_ymd(2026, 9, 1);
const Date next_start = Date::from_ymd(2027, 9, 1);
const Date last_day = next_start.plus_days(-1);

const Roster& before() {
  static const Roster r = make_school("sch-0001", 9, start);
  return r;
}
const Roster& after() {
  static const Roster r = next_year(before(), 9, next_start);
  return r;
}

const Group* successor_of(const Roster& r, const std::string& id) {
  for (const auto& g : r.groups) {
    if (g.previous_group_id == id) return &g;
  }
  return nullptr;
}

std::set<std::string> students_of(const Roster& r, const std::string& group, mapping::Date day) {
  std::set<std::string> out;
  for (const auto& e : r.enrolments) {
    if (e.group_id == group && e.role == EnrolmentRole::student && e.active_on(day))
      out.insert(e.person_id);
  }
  return out;
}

TEST(NextYear, LinksEachClassBelowElevenToASuccessorOneGradeUp) {
  for (const auto& old : before().groups) {
    if (*old.grade == 11) continue;
    const Group* next = successor_of(after(), old.id);
    ASSERT_NE(next, nullptr) << old.id;
    EXPECT_EQ(next->grade, *old.grade + 1);
    EXPECT_EQ(next->name.substr(0, next->name.size() - 2), std::to_string(*old.grade + 1));
    EXPECT_EQ(next->name.substr(next->name.size() - 2),
              old.name.substr(old.name.size() - 2));  // the letter
    EXPECT_EQ(next->academic_year, 2027);
    EXPECT_EQ(next->opened_on, next_start);
    EXPECT_NE(next->id, old.id);
    EXPECT_EQ(test::find_group(after(), old.id)->closed_on, last_day);
  }
  EXPECT_NE(test::find_group(after(), "sch-0001:g-6a-2027"), nullptr);
}

TEST(NextYear, PromotesStudentsIntoTheSuccessor) {
  const std::string old = "sch-0001:g-5a-2026";
  const auto promoted = students_of(before(), old, last_day);
  EXPECT_EQ(students_of(after(), successor_of(after(), old)->id, next_start), promoted);
  for (const auto& e : after().enrolments) {
    if (e.group_id == old && e.role == EnrolmentRole::student) {
      EXPECT_EQ(e.to, last_day);
      EXPECT_EQ(e.reason, "promoted");
    }
  }
}

TEST(NextYear, GraduatesGradeElevenWithoutASuccessor) {
  int graduated = 0;
  for (const auto& old : before().groups) {
    if (*old.grade != 11) continue;
    EXPECT_EQ(successor_of(after(), old.id), nullptr);
    EXPECT_EQ(test::find_group(after(), old.id)->closed_on, last_day);
    for (const auto& e : after().enrolments) {
      if (e.group_id != old.id || e.role != EnrolmentRole::student) continue;
      EXPECT_EQ(e.reason, "graduated");
      EXPECT_EQ(e.to, last_day);
      ++graduated;
    }
  }
  EXPECT_GT(graduated, 0);
}

TEST(NextYear, OpensNewFirstGradesWithNewStudentsAndALeader) {
  const Group* first = test::find_group(after(), "sch-0001:g-1a-2027");
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(first->previous_group_id);
  const auto pupils = students_of(after(), first->id, next_start);
  EXPECT_GE(pupils.size(), 20u);
  for (const auto& id : pupils) EXPECT_EQ(test::find_person(before(), id), nullptr);
  const auto leaderless = test::classes_without_leader(after(), next_start);
  for (const auto& g : after().groups) {
    if (g.grade == 1 && g.academic_year == 2027) {
      EXPECT_EQ(std::count(leaderless.begin(), leaderless.end(), g.id), 0) << g.id;
    }
  }
  EXPECT_LE(leaderless.size(), 1u);
}

TEST(NextYear, CarriesKindergartenAndAssociationGroupsOverUnderTheirNames) {
  for (const Roster& r :
       {make_kindergarten("kg-0001", 9, start), make_additional("add-0001", 9, start)}) {
    const Roster next = next_year(r, 9, next_start);
    for (const auto& old : r.groups) {
      const Group* successor = successor_of(next, old.id);
      ASSERT_NE(successor, nullptr) << old.id;
      EXPECT_EQ(successor->name, old.name);
      EXPECT_FALSE(students_of(next, successor->id, next_start).empty()) << successor->id;
    }
  }
}

TEST(NextYear, SendsKindergartenChildrenOfSchoolAgeToSchool) {
  const Roster kg = make_kindergarten("kg-0001", 9, start);
  const Roster next = next_year(kg, 9, next_start);
  const auto graduated = std::count_if(next.enrolments.begin(), next.enrolments.end(),
                                       [](const auto& e) { return e.reason == "graduated"; });
  EXPECT_GT(graduated, 10);
}

}  // namespace
}  // namespace rosterd::generator
