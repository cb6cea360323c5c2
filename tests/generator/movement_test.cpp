// next_day: the dated movement the sync has to follow.

#include <gtest/gtest.h>

#include <algorithm>

#include "generator/generator.h"
#include "tests/generator/support.h"

namespace rosterd::generator {
namespace {

using mapping::Date;
using mapping::Enrolment;
using mapping::EnrolmentRole;
using mapping::Roster;

const Date start = Date::from_ymd(2026, 9, 1);
const Date day = Date::from_ymd(2026, 9, 15);

const Roster& before() {
  static const Roster r = make_school("sch-0001", 5, start);
  return r;
}
const Roster& after() {
  static const Roster r = next_day(before(), 5, day);
  return r;
}

std::vector<Enrolment> matching(const Roster& r,
                                const std::function<bool(const Enrolment&)>& pred) {
  std::vector<Enrolment> out;
  std::copy_if(r.enrolments.begin(), r.enrolments.end(), std::back_inserter(out), pred);
  return out;
}

TEST(NextDay, WithdrawsStudentsWithTheirLastDayYesterday) {
  const auto withdrawn = matching(after(), [](const Enrolment& e) {
    return e.role == EnrolmentRole::student && e.reason == "withdrawn" && e.to == day.plus_days(-1);
  });
  EXPECT_GE(withdrawn.size(), 1u);
}

TEST(NextDay, EnrolsNewStudentsFromToday) {
  const auto enrolled = matching(after(), [](const Enrolment& e) {
    return e.role == EnrolmentRole::student && e.reason == "enrolled" && e.from == day;
  });
  ASSERT_GE(enrolled.size(), 1u);
  EXPECT_EQ(test::find_person(before(), enrolled.front().person_id), nullptr);
}

// Each transfer is a closed enrolment plus a new one from the day after, in the same grade.
std::vector<std::pair<Enrolment, Enrolment>> transfers(const Roster& r) {
  std::vector<std::pair<Enrolment, Enrolment>> out;
  for (const auto& closed : r.enrolments) {
    if (closed.reason != "transfer" || !closed.to) continue;
    for (const auto& opened : r.enrolments) {
      if (opened.person_id == closed.person_id && opened.reason == "transfer" &&
          opened.from == closed.to->plus_days(1)) {
        out.emplace_back(closed, opened);
      }
    }
  }
  return out;
}

TEST(NextDay, TransfersStudentsBetweenClassesOfTheSameGradeFromToday) {
  const auto moves = transfers(after());
  const auto today =
      std::count_if(moves.begin(), moves.end(), [](const auto& m) { return m.second.from == day; });
  EXPECT_GE(today, 1);
  for (const auto& [closed, opened] : moves) {
    EXPECT_NE(closed.group_id, opened.group_id);
    EXPECT_EQ(test::find_group(after(), closed.group_id)->grade,
              test::find_group(after(), opened.group_id)->grade);
  }
}

TEST(NextDay, DatesOneTransferAFewDaysAhead) {
  const auto moves = transfers(after());
  const auto ahead = std::count_if(moves.begin(), moves.end(), [](const auto& m) {
    return *m.second.from >= day.plus_days(3) && *m.second.from <= day.plus_days(6);
  });
  EXPECT_EQ(ahead, 1);
}

TEST(NextDay, ReplacesAClassTeacher) {
  const auto ended = matching(after(), [](const Enrolment& e) {
    return e.role == EnrolmentRole::leader && e.reason == "replaced" && e.to == day.plus_days(-1);
  });
  ASSERT_EQ(ended.size(), 1u);
  const auto successor = matching(after(), [&](const Enrolment& e) {
    return e.role == EnrolmentRole::leader && e.group_id == ended.front().group_id && e.from == day;
  });
  ASSERT_EQ(successor.size(), 1u);
  EXPECT_NE(successor.front().person_id, ended.front().person_id);
}

TEST(NextDay, LetsATeacherLeaveAndEndsAllTheirEnrolments) {
  const auto& persons = after().persons;
  const auto leaver = std::find_if(persons.begin(), persons.end(), [](const auto& p) {
    return p.employed_to == day.plus_days(-1);
  });
  ASSERT_NE(leaver, persons.end());
  for (const auto& e : after().enrolments) {
    if (e.person_id == leaver->id) {
      EXPECT_TRUE(e.to && *e.to < day) << e.group_id;
    }
  }
  const auto hired = std::count_if(persons.begin(), persons.end(),
                                   [](const auto& p) { return p.employed_from == day; });
  EXPECT_GE(hired, 1);
}

TEST(NextDay, LinksSomePlatformAccounts) {
  int linked = 0;
  for (const auto& p : after().persons) {
    const auto* old = test::find_person(before(), p.id);
    if (old != nullptr && !old->platform_user_id && p.platform_user_id) ++linked;
  }
  EXPECT_GE(linked, 1);
}

TEST(NextDay, MovesAboutOnePercentOfPeople) {
  std::set<std::string> moved;
  for (const auto& p : after().persons) {
    const auto* old = test::find_person(before(), p.id);
    if (old == nullptr || old->platform_user_id != p.platform_user_id ||
        old->employed_to != p.employed_to)
      moved.insert(p.id);
  }
  const auto old_enrolments = before().enrolments;
  for (const auto& e : after().enrolments) {
    const bool unchanged =
        std::any_of(old_enrolments.begin(), old_enrolments.end(), [&](const Enrolment& o) {
          return o.person_id == e.person_id && o.group_id == e.group_id && o.from == e.from &&
                 o.to == e.to;
        });
    if (!unchanged) moved.insert(e.person_id);
  }
  const double share =
      static_cast<double>(moved.size()) / static_cast<double>(before().persons.size());
  EXPECT_GE(share, 0.003);
  EXPECT_LE(share, 0.015);
}

TEST(NextDay, KeepsEveryClassLedForAMonthExceptTheOneWithoutALeader) {
  Roster r = before();
  for (int d = 1; d <= 30; ++d) {
    r = next_day(r, 5, start.plus_days(d));
    EXPECT_LE(test::classes_without_leader(r, start.plus_days(d)).size(), 1u) << "day " << d;
  }
}

}  // namespace
}  // namespace rosterd::generator
