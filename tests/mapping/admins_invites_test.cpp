// Admins (class teachers, fallback, never zero), invite links, and ownership.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mapping/message.h"
#include "builders.h"

namespace rosterd::mapping {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const Date kDay0 = D("2026-11-02");

TEST(Admins, PromotesANewClassTeacherAndRemovesTheOldOne) {
  auto school = small_school();
  school.teacher("t2", 9002);
  const AppliedState applied = synced(school.build(), kDay0);
  school.enrolment_ref("t1", "g5a").to = D("2026-11-15");
  school.enrolment_ref("t1", "g5a").reason = "class teacher changed";
  school.enrol("t2", "g5a", EnrolmentRole::leader, "2026-11-16");
  const Plan plan = plan_for(school.build(), applied, D("2026-11-16"));
  EXPECT_THAT(writes(plan), ElementsAre("add_member class:g5a t2", "set_admin class:g5a t2",
                                        "remove_member class:g5a t1", "add_member parents:g5a t2",
                                        "set_admin parents:g5a t2",
                                        "remove_member parents:g5a t1"));
  EXPECT_THAT(english(find_action(plan, ActionType::set_admin, "class:g5a", "t2")->reason),
              HasSubstr("class teacher of 5А since 2026-11-16"));
  EXPECT_EQ(english(find_action(plan, ActionType::remove_member, "class:g5a", "t1")->reason),
            "no longer class teacher of 5А, last day 2026-11-15");
}

TEST(Admins, DemotesAnOldClassTeacherWhoStillTeachesTheGroup) {
  Rules rules = test_rules();
  rules.school.class_chats[0].include_teachers = true;
  auto school = small_school();
  school.teacher("t2", 9002).enrol("t2", "g5a", EnrolmentRole::leader, "2026-11-16");
  school.enrolment_ref("t2", "g5a").from = D("2026-11-16");
  school.enrol("t1", "g5a", EnrolmentRole::teacher, "2026-11-16");
  school.enrolment_ref("t1", "g5a").to = D("2026-11-15");  // the leader enrolment
  const AppliedState applied = synced(school.build(), kDay0, rules);
  const Plan plan = plan_for(school.build(), applied, D("2026-11-16"), {}, rules);
  const Action* demote = find_action(plan, ActionType::unset_admin, "class:g5a", "t1");
  ASSERT_NE(demote, nullptr) << ::testing::PrintToString(writes(plan));
  EXPECT_THAT(english(demote->reason), HasSubstr("stays as teaches 5А"));
  EXPECT_EQ(find_action(plan, ActionType::remove_member, "class:g5a", "t1"), nullptr);
  EXPECT_NE(find_action(plan, ActionType::remove_member, "parents:g5a", "t1"), nullptr);
}

TEST(Admins, LetsThePlatformAdministratorStandInWhenAClassHasNoTeacher) {
  RosterBuilder school;
  school.group("g5a", "5А").student("s1", "g5a", 1001);
  const Plan plan = plan_for(school.build(), {}, kDay0);
  const Action* stand_in = find_action(plan, ActionType::set_admin, "class:g5a", "platform-admin");
  ASSERT_NE(stand_in, nullptr);
  EXPECT_EQ(stand_in->platform_user_id, 7777);
  EXPECT_THAT(english(stand_in->reason), HasSubstr("no class teacher in 5А"));
  const auto& findings = plan.findings;
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return f.code == FindingCode::group_without_leader && f.subject_ids == std::vector<std::string>{"g5a"};
  }));
}

TEST(Admins, LetsThePlatformAdministratorStandInWhileTheClassTeacherHasNoAccount) {
  auto school = small_school();
  school.person_ref("t1").platform_user_id.reset();
  const Plan plan = plan_for(school.build(), {}, kDay0);
  const Action* stand_in = find_action(plan, ActionType::set_admin, "class:g5a", "platform-admin");
  ASSERT_NE(stand_in, nullptr);
  EXPECT_THAT(english(stand_in->reason), HasSubstr("no linked class teacher in 5А"));
  EXPECT_NE(find_action(plan, ActionType::issue_invite, "class:g5a"), nullptr);
}

TEST(Admins, LetsTheStandInStepBackAsSoonAsALinkedClassTeacherIsThere) {
  RosterBuilder school;
  school.group("g5a", "5А").student("s1", "g5a", 1001).teacher("t2", 9002);
  const AppliedState applied = synced(school.build(), kDay0);
  school.enrol("t2", "g5a", EnrolmentRole::leader, "2026-11-03");
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1));
  const Action* removal = find_action(plan, ActionType::remove_member, "class:g5a", "platform-admin");
  ASSERT_NE(removal, nullptr) << ::testing::PrintToString(writes(plan));
  EXPECT_THAT(english(removal->reason), HasSubstr("the stand-in steps back"));
  EXPECT_NE(find_action(plan, ActionType::set_admin, "class:g5a", "t2"), nullptr);
}

TEST(Admins, NeverLeavesAChatWithoutAnAdminWhenNoFallbackIsConfigured) {
  Rules rules = Rules::defaults();  // no fallback admin
  auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0, rules);
  school.enrolment_ref("t1", "g5a").to = D("2026-11-15");
  school.enrolment_ref("t1", "g5a").reason = "left";
  const Plan plan = plan_for(school.build(), applied, D("2026-11-16"), {}, rules);
  EXPECT_EQ(find_action(plan, ActionType::remove_member, "class:g5a", "t1"), nullptr);
  EXPECT_EQ(find_action(plan, ActionType::remove_member, "parents:g5a", "t1"), nullptr);
  const auto n = std::count_if(plan.findings.begin(), plan.findings.end(),
                               [](const Finding& f) { return f.code == FindingCode::chat_without_admin; });
  EXPECT_EQ(n, 2);
}

TEST(Admins, HandsOverToTheFallbackAdminWhenTheClassTeacherLeaves) {
  auto school = small_school();
  const AppliedState applied = synced(school.build(), kDay0);
  school.enrolment_ref("t1", "g5a").to = D("2026-11-15");
  school.person_ref("t1").employed_to = D("2026-11-15");
  const Plan plan = plan_for(school.build(), applied, D("2026-11-16"));
  EXPECT_THAT(writes(plan),
              ElementsAre("add_member class:g5a platform-admin", "set_admin class:g5a platform-admin",
                          "remove_member class:g5a t1", "add_member parents:g5a platform-admin",
                          "set_admin parents:g5a platform-admin", "remove_member parents:g5a t1",
                          "remove_member staff:org1 t1"));
  EXPECT_EQ(english(find_action(plan, ActionType::remove_member, "staff:org1", "t1")->reason),
            "left Школа 1, last day 2026-11-15");
}

TEST(Invites, IssuesOneLinkPerChatAndRoleForPeopleWithoutAnAccount) {
  auto school = small_school();
  school.person_ref("m1").platform_user_id.reset();
  school.person_ref("m2").platform_user_id.reset();
  school.person_ref("s2").platform_user_id.reset();
  const Plan plan = plan_for(school.build(), {}, kDay0);
  EXPECT_NE(find_action(plan, ActionType::issue_invite, "class:g5a"), nullptr);
  EXPECT_EQ(find_action(plan, ActionType::add_member, "parents:g5a", "m1"), nullptr);
  const Action* parents = find_action(plan, ActionType::issue_invite, "parents:g5a");
  ASSERT_NE(parents, nullptr);
  EXPECT_EQ(parents->role, MemberRole::member);
  EXPECT_EQ(english(parents->reason), "2 parents without a platform account");
  ASSERT_EQ(plan.invites.size(), 2u);
  EXPECT_EQ(plan.invites[1].person_ids, (IdList{"m1", "m2"}));
}

TEST(Invites, ReplacesALinkOlderThanItsTimeToLive) {
  auto school = small_school();
  school.person_ref("m1").platform_user_id.reset();
  const AppliedState applied = synced(school.build(), kDay0);
  const Policy policy{.invite_ttl_days = 14};
  EXPECT_TRUE(plan_for(school.build(), applied, kDay0.plus_days(13), policy).empty());
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(14), policy);
  EXPECT_THAT(writes(plan), ElementsAre("issue_invite parents:g5a member"));
  EXPECT_THAT(english(plan.actions[0].reason), HasSubstr("older than 14 days: replaced"));
}

TEST(Invites, AnnulsALinkWhenNobodyIsLeftToInvite) {
  struct Case {
    const char* what;
    void (*change)(RosterBuilder&);
  };
  const std::vector<Case> cases = {
      {"the person linked their account",
       [](RosterBuilder& b) { b.person_ref("m1").platform_user_id = 2001; }},
      {"the person left", [](RosterBuilder& b) {
         b.enrolment_ref("s1", "g5a").to = D("2026-11-02");
         b.enrolment_ref("s1", "g5a").reason = "withdrawn";
       }}};
  for (const auto& c : cases) {
    auto school = small_school();
    school.person_ref("m1").platform_user_id.reset();
    const AppliedState applied = synced(school.build(), kDay0);
    c.change(school);
    const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1));
    EXPECT_NE(find_action(plan, ActionType::annul_invite, "parents:g5a"), nullptr) << c.what;
  }
}

TEST(Invites, AnnulsTheLinksOfAnArchivedChat) {
  RosterBuilder school;
  school.group("g11a", "11А").leader("t1", "g11a", 9001).student("s1", "g11a", std::nullopt);
  const AppliedState applied = synced(school.build(), kDay0);
  school.group_ref("g11a").closed_on = D("2027-06-30");
  const Plan plan = plan_for(school.build(), applied, D("2027-07-01"));
  EXPECT_THAT(writes(plan), ElementsAre("annul_invite class:g11a member", "archive_chat class:g11a",
                                        "archive_chat parents:g11a"));
}

TEST(Ownership, NeverTouchesAChatRosterdDoesNotManage) {
  const auto school = small_school();
  AppliedState applied = synced(school.build(), kDay0);
  AppliedChat hand_made;
  hand_made.key = "hand:1";
  hand_made.title = "Чат 5А (создан вручную)";
  hand_made.managed = false;
  hand_made.members = {{"x", 5, MemberRole::member, MemberOrigin::observed, std::nullopt}};
  applied.chats.insert(applied.chats.begin(), hand_made);
  const Plan plan = plan_for(school.build(), applied, kDay0.plus_days(1));
  EXPECT_THAT(writes(plan), IsEmpty());
  ASSERT_FALSE(plan.findings.empty());
  EXPECT_EQ(plan.findings[0].code, FindingCode::unmanaged_chat);
}

TEST(Ownership, KeepsPeopleAddedByHandUnlessThePolicyIsStrict) {
  const auto school = small_school();
  AppliedState applied = synced(school.build(), kDay0);
  applied.chats[0].members.push_back(
      {"uid:555", 555, MemberRole::member, MemberOrigin::observed, std::nullopt});
  EXPECT_TRUE(plan_for(school.build(), applied, kDay0.plus_days(1)).empty());
  const Plan strict = plan_for(school.build(), applied, kDay0.plus_days(1), {.strict = true});
  EXPECT_THAT(writes(strict), ElementsAre("remove_member class:g5a uid:555"));
}

}  // namespace
}  // namespace rosterd::mapping
