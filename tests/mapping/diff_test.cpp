// The sync semantics (docs/sync-core.md), one test each, against the pure core.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mapping/message.h"
#include "builders.h"

namespace rosterd::mapping {
namespace {

using namespace testing;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const Date kDay0 = D("2026-11-02");

TEST(Diff, DoesNothingWhenInSync) {
  const auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1));
  EXPECT_TRUE(plan.empty()) << ::testing::PrintToString(writes(plan));
}

TEST(Diff, CreatesClassParentsAndStaffChatsForANewSchool) {
  const auto school = small_school();
  const Plan plan = plan_for(school.build(), {}, kDay0);
  EXPECT_THAT(writes(plan),
              ElementsAre("create_chat class:g5a", "add_member class:g5a s1",
                          "add_member class:g5a s2", "add_member class:g5a t1",
                          "set_admin class:g5a t1", "create_chat parents:g5a",
                          "add_member parents:g5a m1", "add_member parents:g5a m2",
                          "add_member parents:g5a t1", "set_admin parents:g5a t1",
                          "create_chat staff:org1", "add_member staff:org1 dir",
                          "add_member staff:org1 t1", "set_admin staff:org1 dir"));
  EXPECT_EQ(find_action(plan, ActionType::create_chat, "class:g5a")->title, "5А · Школа 1");
  EXPECT_EQ(find_action(plan, ActionType::create_chat, "parents:g5a")->title,
            "5А · родители · Школа 1");
  EXPECT_THAT(english(find_action(plan, ActionType::set_admin, "class:g5a", "t1")->reason),
              HasSubstr("class teacher of 5А since 2026-09-01"));
}

TEST(Diff, GivesEachOrganisationKindItsChats) {
  struct Case {
    OrgKind org;
    GroupKind group;
    std::vector<std::string> chats;
  };
  const std::vector<Case> cases = {
      {OrgKind::school, GroupKind::class_group, {"class:g", "parents:g", "staff:org1"}},
      {OrgKind::kindergarten, GroupKind::kindergarten_group, {"parents:g", "staff:org1"}},
      {OrgKind::additional, GroupKind::association,
       {"association:g", "parents:g", "staff:org1"}},
  };
  for (const auto& c : cases) {
    RosterBuilder b(c.org);
    b.group("g", "Солнышко", c.group).leader("t", "g", 1).student("s", "g", 2).parent("p", "s", 3);
    std::vector<std::string> keys;
    for (const auto& chat : desired(b.build(), test_rules(), kDay0).chats) keys.push_back(chat.key);
    EXPECT_EQ(keys, c.chats) << name(c.org);
  }
}

TEST(Diff, KeepsAParentWhileAnyOfTheirChildrenIsInTheGroup) {
  auto school = small_school();
  school.student("s3", "g5a", 1003).parent("m1", "s3", 2001);  // m1 has two children in 5А
  const AppliedState applied = synced(school.build(), kDay0);
  school.enrolment_ref("s1", "g5a").to = kDay0;
  school.enrolment_ref("s1", "g5a").reason = "withdrawn";
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1));
  EXPECT_THAT(writes(plan), ElementsAre("remove_member class:g5a s1"));
}

TEST(Diff, GivesTwinsParentsOneMembership) {
  auto school = small_school();
  school.student("twin", "g5a", 1003).parent("m1", "twin", 2001);
  const DesiredState d = desired(school.build(), test_rules(), kDay0);
  const auto& parents = d.chats[1];
  ASSERT_EQ(parents.key, "parents:g5a");
  const auto m1 = std::count_if(parents.members.begin(), parents.members.end(),
                                [](const DesiredMember& m) { return m.person_id == "m1"; });
  EXPECT_EQ(m1, 1);
  const Plan plan = plan_for(school.build(), {}, kDay0);
  EXPECT_THAT(english(find_action(plan, ActionType::add_member, "parents:g5a", "m1")->reason),
              HasSubstr("parent of Фамилия-s1 Имя, Фамилия-twin Имя (5А)"));
}

TEST(Diff, MovesAStudentTransferredBetweenClassesInOneRun) {
  auto school = small_school();
  school.group("g5b", "5Б").leader("t2", "g5b", 9002);
  const AppliedState applied = synced(school.build(), kDay0);
  const Date monday = kDay0.plus_days(7);
  school.enrolment_ref("s1", "g5a").to = monday.plus_days(-1);
  school.enrolment_ref("s1", "g5a").reason = "transfer";
  school.enrol("s1", "g5b", EnrolmentRole::student, "2026-11-09");

  EXPECT_TRUE(plan_for(school.build(), applied, monday.plus_days(-1)).empty())
      << "a transfer dated next Monday waits for Monday";
  const Plan plan = plan_for(school.build(), applied, monday);
  EXPECT_THAT(writes(plan), ElementsAre("remove_member class:g5a s1", "add_member class:g5b s1",
                                        "remove_member parents:g5a m1",
                                        "add_member parents:g5b m1"));
  EXPECT_THAT(english(find_action(plan, ActionType::remove_member, "class:g5a", "s1")->reason),
              HasSubstr("moved to «5Б · Школа 1»: enrolment ended, last day 2026-11-08 (transfer)"));
}

}  // namespace
}  // namespace rosterd::mapping

namespace rosterd::mapping {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(Diff, TreatsAStudentWhoReappearsInAnotherClassAsAMoveEvenWithoutADatedRecord) {
  auto school = small_school();
  school.group("g5b", "5Б").leader("t2", "g5b", 9002);
  const AppliedState applied = synced(school.build(), kDay0);
  school.enrolment_ref("s1", "g5a").group_id = "g5b";  // the journal just shows 5Б now
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1));
  EXPECT_THAT(writes(plan), ElementsAre("remove_member class:g5a s1", "add_member class:g5b s1",
                                        "remove_member parents:g5a m1",
                                        "add_member parents:g5b m1"));
}

TEST(Diff, KeepsAParentWhoseOtherChildIsInAnotherClassUntilTheGracePeriodEnds) {
  auto school = small_school();
  school.group("g7a", "7А").leader("t7", "g7a", 9007).student("sib", "g7a", 1007).parent(
      "m1", "sib", 2001);
  const AppliedState applied = synced(school.build(), kDay0);
  school.remove_person("s1");  // vanished without a dated record: maybe a journal glitch
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1));
  EXPECT_THAT(writes(plan), IsEmpty());
  EXPECT_EQ(plan.state_changes.size(), 2u) << "s1 and m1 start their grace period";
}

TEST(Diff, WaitsTheGracePeriodBeforeRemovingSomebodyWithoutADatedWithdrawal) {
  auto school = small_school();
  AppliedState applied = synced(school.build(), kDay0);
  school.remove_person("s2");
  const Policy policy{.grace_days = 3};
  for (int day = 1; day <= 3; ++day) {
    const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(day), policy);
    EXPECT_THAT(writes(plan), IsEmpty()) << "day " << day;
    applied = assume_applied(applied, plan);
  }
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(4), policy);
  EXPECT_THAT(writes(plan), ElementsAre("remove_member class:g5a s2",
                                        "remove_member parents:g5a m2"));
  EXPECT_THAT(english(plan.actions[0].reason),
              HasSubstr("missing from the journal since 2026-11-03 (grace 3 days)"));
}

TEST(Diff, LeavesSomebodyWhoReappearsWithinTheGracePeriodUntouched) {
  auto school = small_school();
  AppliedState applied = synced(school.build(), kDay0);
  auto glitch = school;
  glitch.remove_person("s2");
  applied = assume_applied(applied, plan_for(glitch.build(), applied, kDay0.plus_days(1)));
  const Plan back = plan_for(school.build(), applied, kDay0.plus_days(2));
  EXPECT_THAT(writes(back), IsEmpty());
  ASSERT_EQ(back.state_changes.size(), 2u);
  EXPECT_EQ(back.state_changes[0].type, StateChangeType::clear_missing);
  applied = assume_applied(applied, back);
  EXPECT_TRUE(plan_for(school.build(), applied, kDay0.plus_days(30)).empty());
}

TEST(Diff, RemovesAtOnceOnADatedWithdrawal) {
  auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  school.enrolment_ref("s2", "g5a").to = D("2026-11-20");
  school.enrolment_ref("s2", "g5a").reason = "withdrawn";
  EXPECT_TRUE(plan_for(school.build(), applied, D("2026-11-20")).empty())
      << "the last day is still a day of membership";
  const Plan plan = plan_for(school.build(), applied, D("2026-11-21"));
  EXPECT_THAT(writes(plan), ElementsAre("remove_member class:g5a s2",
                                        "remove_member parents:g5a m2"));
  EXPECT_EQ(english(plan.actions[0].reason), "enrolment ended, last day 2026-11-20 (withdrawn)");
  EXPECT_THAT(english(plan.actions[1].reason), HasSubstr("no child left in 5А"));
}

TEST(Diff, AddsAFutureDatedEnrolmentOnItsDateNotBefore) {
  auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  school.person("new", role_student, 1009).enrol("new", "g5a", EnrolmentRole::student,
                                                  "2026-12-01");
  EXPECT_TRUE(plan_for(school.build(), applied, D("2026-11-30")).empty());
  EXPECT_THAT(writes(plan_for(school.build(), applied, D("2026-12-01"))),
              ElementsAre("add_member class:g5a new"));
}

// Next academic year: 5А (2026) continues as 6А (2027); 11А graduates.
RosterBuilder rollover(const RosterBuilder& last_year) {
  RosterBuilder next = last_year;
  next.group_ref("g5a").closed_on = D("2027-08-31");
  next.group("g6a", "6А").last_group().previous_group_id = "g5a";
  next.last_group().academic_year = 2027;
  next.last_group().opened_on = D("2027-09-01");
  for (const std::string id : {"s1", "s2", "t1"}) {
    auto& e = next.enrolment_ref(id, "g5a");
    e.to = D("2027-08-31");
    e.reason = "promoted";
    next.enrol(id, "g6a", e.role, "2027-09-01");
  }
  return next;
}

TEST(Diff, RenamesAClassChatOnANewAcademicYearThroughPreviousGroupId) {
  const auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  const auto next = rollover(school);
  const Date sept1 = D("2027-09-01");
  const Plan plan = plan_for(next.build(), applied, sept1);
  EXPECT_THAT(writes(plan), ElementsAre("rename_chat class:g6a", "rename_chat parents:g6a"));
  EXPECT_EQ(plan.actions[0].title, "6А · Школа 1");
  ASSERT_EQ(plan.state_changes.size(), 2u);
  EXPECT_EQ(plan.state_changes[0].type, StateChangeType::rebind_chat);
  EXPECT_EQ(plan.state_changes[0].chat_key, "class:g5a");
  EXPECT_EQ(plan.state_changes[0].new_key, "class:g6a");
  EXPECT_TRUE(plan_for(next.build(), assume_applied(applied, plan), sept1).empty());
}

TEST(Diff, RemovesLastYearsClassTeacherWhoDoesNotGoOnWithTheClassAtOnce) {
  const auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  auto next = rollover(school);
  std::erase_if(next.roster().enrolments, [](const Enrolment& e) {
    return e.person_id == "t1" && e.group_id == "g6a";
  });
  next.teacher("t9", 9009).enrol("t9", "g6a", EnrolmentRole::leader, "2027-09-01");
  const Plan plan = plan_for(next.build(), applied, D("2027-09-01"));
  const Action* removal = find_action(plan, ActionType::remove_member, "class:g6a", "t1");
  ASSERT_NE(removal, nullptr) << ::testing::PrintToString(writes(plan));
  EXPECT_EQ(english(removal->reason), "no longer class teacher of 5А, last day 2027-08-31");
  EXPECT_NE(find_action(plan, ActionType::set_admin, "class:g6a", "t9"), nullptr);
}

TEST(Diff, ArchivesTheChatsOfAGraduatedClassWithoutDeletingThem) {
  RosterBuilder school;
  school.group("g11a", "11А").leader("t1", "g11a", 9001).student("s1", "g11a", 1001);
  const AppliedState applied = synced(school.build(), kDay0);
  school.group_ref("g11a").closed_on = D("2027-06-30");
  school.enrolment_ref("s1", "g11a").to = D("2027-06-30");
  school.enrolment_ref("s1", "g11a").reason = "graduated";
  const Plan plan = plan_for(school.build(), applied, D("2027-07-01"));
  EXPECT_THAT(writes(plan), ElementsAre("archive_chat class:g11a", "archive_chat parents:g11a"));
  EXPECT_EQ(english(plan.actions[0].reason), "graduated, last day 2027-06-30");
  const AppliedState after = assume_applied(applied, plan);
  EXPECT_TRUE(after.chats[0].archived);
  EXPECT_EQ(after.chats[0].members.size(), applied.chats[0].members.size()) << "history kept";
  EXPECT_TRUE(plan_for(school.build(), after, D("2027-07-02")).empty());
}

TEST(Diff, ArchivesAGroupThatVanishedOnlyAfterTheGracePeriod) {
  auto school = small_school();
  AppliedState applied = synced(school.build(), kDay0);
  school.roster().groups.clear();
  school.roster().enrolments.erase(
      std::remove_if(school.roster().enrolments.begin(), school.roster().enrolments.end(),
                     [](const Enrolment& e) { return e.group_id == "g5a"; }),
      school.roster().enrolments.end());
  const Policy policy{.grace_days = 2};
  Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1), policy);
  EXPECT_THAT(writes(plan), IsEmpty());
  applied = assume_applied(applied, plan);
  EXPECT_THAT(writes(plan_for(school.build(), applied, kDay0.plus_days(2), policy)), IsEmpty());
  plan = plan_for(school.build(), applied, kDay0.plus_days(3), policy);
  EXPECT_THAT(writes(plan), ElementsAre("archive_chat class:g5a", "archive_chat parents:g5a"));
}

}  // namespace
}  // namespace rosterd::mapping
