// The reason a plan gives for each kind of membership: what an administrator reads.
#include <gtest/gtest.h>

#include "mapping/message.h"
#include "builders.h"

namespace rosterd::mapping {
namespace {

using testing::D;

struct ReasonCase {
  const char* name;
  Why why;
  GroupKind group_kind;
  bool with_person;  // the fallback admin has no person
  bool with_since;
  const char* expected;
};

class MemberReasonTest : public ::testing::TestWithParam<ReasonCase> {};

TEST_P(MemberReasonTest, SaysWhyThePersonBelongs) {
  const ReasonCase& c = GetParam();
  Person anna, petr, director;
  anna.last_name = "Иванова";
  anna.first_name = "Анна";
  petr.last_name = "Иванов";  // no first name: the last name alone
  director.positions = {"director", "teacher"};
  DesiredChat chat;
  chat.group_kind = c.group_kind;
  chat.group_name = "5А";
  chat.children = {&anna, &petr};
  DesiredMember m{"p1", std::nullopt, MemberRole::member, c.why,
                  c.with_person ? &director : nullptr, std::nullopt, 0, 2};
  if (c.with_since) m.since = D("2026-09-01");
  EXPECT_EQ(english(member_reason(chat, m)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindOfMember, MemberReasonTest,
    ::testing::Values(
        ReasonCase{"Student", Why::student, GroupKind::class_group, true, true,
                   "student of 5А since 2026-09-01"},
        ReasonCase{"StudentWithoutAStartDate", Why::student, GroupKind::class_group, true, false,
                   "student of 5А"},
        ReasonCase{"ClassTeacher", Why::leader, GroupKind::class_group, true, true,
                   "class teacher of 5А since 2026-09-01"},
        ReasonCase{"Carer", Why::leader, GroupKind::kindergarten_group, true, false,
                   "carer of 5А"},
        ReasonCase{"Teacher", Why::teacher, GroupKind::class_group, true, true,
                   "teaches 5А since 2026-09-01"},
        ReasonCase{"ParentOfTwins", Why::parent, GroupKind::class_group, true, true,
                   "parent of Иванова Анна, Иванов (5А)"},
        ReasonCase{"StaffWithPositions", Why::staff, GroupKind::class_group, true, true,
                   "staff (director, teacher) since 2026-09-01"},
        ReasonCase{"StaffWithoutPerson", Why::staff, GroupKind::class_group, false, false,
                   "staff"},
        ReasonCase{"StandInWithoutALeader", Why::fallback_no_leader, GroupKind::association,
                   false, false, "no leader in 5А: the platform administrator stands in"},
        ReasonCase{"StandInForAnUnlinkedLeader", Why::fallback_unlinked,
                   GroupKind::class_group, false, false,
                   "no linked class teacher in 5А: the platform administrator stands in"},
        ReasonCase{"StandInWithoutADirector", Why::fallback_no_director, GroupKind::class_group,
                   false, false, "no director on staff: the platform administrator stands in"}),
    [](const ::testing::TestParamInfo<ReasonCase>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace rosterd::mapping
