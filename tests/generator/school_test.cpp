// The generated organisations: size, shape and the data-quality cases the sync must report.

#include <gtest/gtest.h>

#include <algorithm>

#include "generator/generator.h"
#include "tests/generator/support.h"

namespace rosterd::generator {
namespace {

using mapping::Date;
using mapping::Roster;
using test::classes_by_student;
using test::parents_by_child;

const Date start = Date::from_ymd(2026, 9, 1);

const Roster& school() {
  static const Roster r = make_school("sch-0001", 1, start);
  return r;
}

bool is_parent_of(const Roster& r, const std::string& parent, const std::string& child) {
  const auto parents = parents_by_child(r);
  const auto it = parents.find(child);
  return it != parents.end() && it->second.contains(parent);
}

TEST(School, HasAboutThirtyClassesOfAboutTwentyFiveStudents) {
  const auto classes =
      std::count_if(school().groups.begin(), school().groups.end(),
                    [](const auto& g) { return g.kind == mapping::GroupKind::class_group; });
  EXPECT_EQ(classes, 30);
  const auto students = classes_by_student(school(), start).size();
  EXPECT_GE(students, 30u * 23u);
  EXPECT_LE(students, 30u * 27u + 10u);
  EXPECT_GE(school().persons.size(), 1500u);
  EXPECT_LE(school().persons.size(), 1900u);
}

TEST(School, NamesClassesInCyrillicByGradeAndLetter) {
  std::set<std::string> names;
  for (const auto& g : school().groups) names.insert(g.name);
  EXPECT_TRUE(names.contains("1А"));
  EXPECT_TRUE(names.contains("5Б"));
  EXPECT_TRUE(names.contains("11А"));
  EXPECT_NE(test::find_group(school(), "sch-0001:g-5b-2026"), nullptr);
}

TEST(School, HasTwinsInTheSameClass) {
  const auto parents = parents_by_child(school());
  const auto classes = classes_by_student(school(), start);
  int twins = 0;
  for (const auto& [a, a_classes] : classes) {
    for (const auto& [b, b_classes] : classes) {
      if (a >= b || a_classes != b_classes) continue;
      const auto* pa = test::find_person(school(), a);
      const auto* pb = test::find_person(school(), b);
      if (pa->birth_date == pb->birth_date && parents.at(a) == parents.at(b)) ++twins;
    }
  }
  EXPECT_GE(twins, 2);
}

TEST(School, HasSiblingsInDifferentClasses) {
  const auto classes = classes_by_student(school(), start);
  std::map<std::string, std::set<std::string>> classes_by_parent;
  for (const auto& [child, parents] : parents_by_child(school())) {
    for (const auto& parent : parents) {
      if (classes.contains(child))
        classes_by_parent[parent].insert(classes.at(child).begin(), classes.at(child).end());
    }
  }
  const auto spread = std::count_if(classes_by_parent.begin(), classes_by_parent.end(),
                                    [](const auto& entry) { return entry.second.size() >= 2; });
  EXPECT_GE(spread, 30);
}

TEST(School, HasOnePhoneUsedByTwoAdultsAndAChildOnAParentsPhone) {
  std::map<std::string, std::vector<std::string>> by_phone;
  for (const auto& p : school().persons) {
    if (!p.phone.empty()) by_phone[p.phone].push_back(p.id);
  }
  int adults_sharing = 0, child_on_parent = 0;
  for (const auto& [phone, ids] : by_phone) {
    if (ids.size() < 2) continue;
    const bool child_parent = std::any_of(ids.begin(), ids.end(), [&](const std::string& child) {
      return std::any_of(ids.begin(), ids.end(), [&](const std::string& parent) {
        return is_parent_of(school(), parent, child);
      });
    });
    child_parent ? ++child_on_parent : ++adults_sharing;
  }
  EXPECT_GE(adults_sharing, 2);
  EXPECT_GE(child_on_parent, 2);
}

TEST(School, HasAPersonWithNoContactAndPeopleWithoutAPlatformAccount) {
  const auto& persons = school().persons;
  EXPECT_TRUE(std::any_of(persons.begin(), persons.end(), [](const auto& p) {
    return p.phone.empty() && p.email.empty() && !p.platform_user_id &&
           p.has_role(mapping::role_parent);
  }));
  const auto unlinked = std::count_if(persons.begin(), persons.end(),
                                      [](const auto& p) { return !p.platform_user_id; });
  EXPECT_GT(unlinked, static_cast<long>(persons.size() / 10));
  EXPECT_LT(unlinked, static_cast<long>(persons.size() / 2));
}

TEST(School, GivesEveryClassALeaderButOne) {
  EXPECT_EQ(test::classes_without_leader(school(), start).size(), 1u);
}

TEST(School, HasStaffWhoAreParentsToo) {
  EXPECT_TRUE(std::any_of(school().persons.begin(), school().persons.end(), [](const auto& p) {
    return p.has_role(mapping::role_staff) && p.has_role(mapping::role_parent);
  }));
}

TEST(School, FollowsTheRequestedShape) {
  const Roster r =
      make_school("sch-0009", 3, start, SchoolShape{.classes = 11, .students_per_class = 10});
  EXPECT_EQ(r.groups.size(), 11u);
  EXPECT_LE(classes_by_student(r, start).size(), 11u * 12u + 4u);
  EXPECT_TRUE(test::integrity_problems(r).empty());
}

TEST(Kindergarten, HasNamedGroupsWithCarersAndChildrenWithoutContacts) {
  const Roster r = make_kindergarten("kg-0001", 1, start);
  EXPECT_EQ(r.org.kind, mapping::OrgKind::kindergarten);
  EXPECT_EQ(r.groups.front().name, "Солнышко");
  for (const auto& g : r.groups) EXPECT_EQ(g.kind, mapping::GroupKind::kindergarten_group);
  EXPECT_TRUE(test::classes_without_leader(r, start).empty());
  for (const auto& [child, groups] : classes_by_student(r, start)) {
    const auto* p = test::find_person(r, child);
    EXPECT_TRUE(p->phone.empty() && !p->platform_user_id) << child;
  }
}

TEST(Additional, HasNumberedAssociationGroupsWithLeaders) {
  const Roster r = make_additional("add-0001", 1, start);
  EXPECT_EQ(r.org.kind, mapping::OrgKind::additional);
  const bool numbered = std::any_of(r.groups.begin(), r.groups.end(), [](const auto& g) {
    return g.name.find(", гр. 2") != std::string::npos;
  });
  EXPECT_TRUE(numbered);
  std::set<std::string> led;
  for (const auto& e : r.enrolments) {
    if (e.role == mapping::EnrolmentRole::leader) led.insert(e.group_id);
  }
  EXPECT_EQ(led.size(), r.groups.size());
}

TEST(Organisations, HaveIdsUniqueAcrossOrganisations) {
  std::set<std::string> ids;
  std::size_t total = 0;
  for (const Roster& r :
       {make_school("sch-0001", 1, start), make_school("sch-0002", 1, start),
        make_kindergarten("kg-0001", 1, start), make_additional("add-0001", 1, start)}) {
    for (const auto& p : r.persons) ids.insert(p.id);
    for (const auto& g : r.groups) ids.insert(g.id);
    total += r.persons.size() + r.groups.size();
  }
  EXPECT_EQ(ids.size(), total);
}

}  // namespace
}  // namespace rosterd::generator
