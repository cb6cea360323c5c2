#include "bench/large_school.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "mapping/sync.h"

namespace rosterd::bench {
namespace {

using Clock = std::chrono::steady_clock;
using mapping::Date;

const Date start = Date::from_ymd(2026, 9, 1);

mapping::Person person(std::string id, std::uint8_t roles, mapping::PlatformUserId uid) {
  mapping::Person p;
  p.id = std::move(id);
  p.roles = roles;
  p.platform_user_id = uid;
  p.last_name = "Synthetic";
  p.first_name = "Person";
  return p;
}

// Per class: a class teacher, two students and a parent of the first; and one director.
mapping::Roster large_school(int classes) {
  mapping::Roster r;
  r.org = {"sch-large", "Large School", "LS", mapping::OrgKind::school, "Europe/Moscow"};
  mapping::PlatformUserId uid = 1000;
  auto director = person("dir", mapping::role_staff, ++uid);
  director.positions = {"director"};
  r.persons.push_back(director);
  for (int c = 0; c < classes; ++c) {
    const std::string id = "g-" + std::to_string(c);
    mapping::Group g;
    g.id = id;
    g.name = std::to_string(1 + c % 11) + "-" + std::to_string(c / 11);
    g.grade = 1 + c % 11;
    g.academic_year = start.academic_year();
    r.groups.push_back(g);
    auto teacher = person(id + "-t", mapping::role_staff, ++uid);
    teacher.positions = {"teacher"};
    r.persons.push_back(teacher);
    r.enrolments.push_back({teacher.id, id, mapping::EnrolmentRole::leader, {}, {}, ""});
    for (int s = 1; s <= 2; ++s) {
      r.persons.push_back(person(id + "-s" + std::to_string(s), mapping::role_student, ++uid));
      r.enrolments.push_back(
          {id + "-s" + std::to_string(s), id, mapping::EnrolmentRole::student, {}, {}, ""});
    }
    r.persons.push_back(person(id + "-p", mapping::role_parent, ++uid));
    r.relations.push_back({id + "-p", id + "-s1", mapping::RelationKind::mother});
  }
  return r;
}

}  // namespace

LargeSchoolResult measure_large_school(int classes, int repeats) {
  const mapping::Roster roster = large_school(classes);
  const mapping::Rules rules = mapping::Rules::defaults();
  mapping::AppliedState empty;
  empty.org_id = roster.org.id;
  LargeSchoolResult result;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    const auto counts = mapping::count(roster);
    const auto desired = mapping::desired(roster, rules, start);
    auto plan = mapping::diff(desired, empty, mapping::Policy{}, start);
    plan = mapping::guard(std::move(plan), mapping::GuardInput{mapping::Limits{}, counts, {}, {}});
    const auto t1 = Clock::now();
    const auto applied = mapping::assume_applied(empty, plan);
    const auto t2 = Clock::now();
    result.chats = applied.chats.size();
    result.plan = r == 0 ? Duration(t1 - t0) : std::min(result.plan, Duration(t1 - t0));
    result.assume = r == 0 ? Duration(t2 - t1) : std::min(result.assume, Duration(t2 - t1));
  }
  return result;
}

}  // namespace rosterd::bench
