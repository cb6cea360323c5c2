// A small school's plan as its readers see it: the reasons and findings the core makes, worded
// by daemon::text() in Russian (the default) and in English (`--lang en`, and the logs).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "daemon/i18n.h"
#include "mapping/message.h"
#include "tests/mapping/builders.h"

namespace rosterd::daemon {
namespace {

using mapping::Action;
using mapping::ActionType;
using mapping::AppliedMember;
using mapping::AppliedState;
using mapping::FindingCode;
using mapping::MemberOrigin;
using mapping::MemberPresence;
using mapping::Plan;
using mapping::PlatformUserId;
using namespace mapping::testing;
using ::testing::HasSubstr;

const mapping::Date today = D("2026-11-16");

class PlanLanguage : public ::testing::Test {
 protected:
  void TearDown() override { set_language(Language::ru); }

  static std::string reason(const Plan& plan, ActionType type, const std::string& chat,
                            const std::string& person = {}) {
    const Action* a = find_action(plan, type, chat, person);
    return a ? text(a->reason) : "<no " + std::string(name(type)) + " " + chat + ">";
  }
  static std::string finding(const Plan& plan, FindingCode code) {
    for (const auto& f : plan.findings) {
      if (f.code == code) return text(f.message);
    }
    return "<no " + std::string(name(code)) + ">";
  }
};

// A first plan: m2 has no platform account, so the parents' chat needs a link for one parent.
Plan first_plan() {
  auto school = small_school();
  school.person_ref("m2").platform_user_id.reset();
  return plan_for(school.build(), {}, today);
}

TEST_F(PlanLanguage, AFirstPlansReasonsReadInRussian) {
  set_language(Language::ru);
  const Plan plan = first_plan();
  EXPECT_EQ(reason(plan, ActionType::create_chat, "class:g5a"), "для 5А ещё нет чата класса");
  EXPECT_EQ(reason(plan, ActionType::create_chat, "parents:g5a"),
            "для 5А ещё нет чата родителей");
  EXPECT_EQ(reason(plan, ActionType::add_member, "class:g5a", "s1"), "ученик 5А с 2026-09-01");
  EXPECT_EQ(reason(plan, ActionType::set_admin, "class:g5a", "t1"),
            "классный руководитель 5А с 2026-09-01");
  EXPECT_EQ(reason(plan, ActionType::add_member, "parents:g5a", "m1"),
            "родитель: Фамилия-s1 Имя (5А)");
  EXPECT_EQ(reason(plan, ActionType::add_member, "staff:org1", "dir"),
            "сотрудник (директор) с 2020-09-01");
  EXPECT_EQ(reason(plan, ActionType::issue_invite, "parents:g5a"),
            "1 родитель без аккаунта на платформе");
}

TEST_F(PlanLanguage, AFirstPlansReasonsReadInEnglishAsBefore) {
  set_language(Language::en);
  const Plan plan = first_plan();
  EXPECT_EQ(reason(plan, ActionType::create_chat, "parents:g5a"), "no parents chat for 5А yet");
  EXPECT_EQ(reason(plan, ActionType::add_member, "class:g5a", "s1"),
            "student of 5А since 2026-09-01");
  EXPECT_EQ(reason(plan, ActionType::set_admin, "class:g5a", "t1"),
            "class teacher of 5А since 2026-09-01");
  EXPECT_EQ(reason(plan, ActionType::add_member, "parents:g5a", "m1"),
            "parent of Фамилия-s1 Имя (5А)");
  EXPECT_EQ(reason(plan, ActionType::issue_invite, "parents:g5a"),
            "1 parent without a platform account");
  // The logs' English is the English the language switch gives.
  for (const auto& a : plan.actions) EXPECT_EQ(text(a.reason), mapping::english(a.reason));
}

TEST_F(PlanLanguage, CountsTakeTheRussianFormOfTheirNumber) {
  set_language(Language::ru);
  for (const auto& [without_account, expected] :
       std::vector<std::pair<int, std::string>>{{1, "1 ученик без аккаунта на платформе"},
                                                {2, "2 ученика без аккаунта на платформе"}}) {
    auto school = small_school();
    const char* students[] = {"s1", "s2"};
    for (int i = 0; i < without_account; ++i)
      school.person_ref(students[i]).platform_user_id.reset();
    const Plan plan = plan_for(school.build(), {}, today);
    EXPECT_EQ(reason(plan, ActionType::issue_invite, "class:g5a"), expected);
  }
}

// The school a week after its first plan: s1 was removed from the class chat by somebody, a
// stranger came in by link (the platform showed their profile name), and another whose profile
// was not read.
Plan a_week_later(mapping::Policy policy) {
  const auto school = small_school();
  AppliedState applied = synced(school.build(), D("2026-11-09"));
  for (auto& chat : applied.chats) {
    if (chat.key != "class:g5a") continue;
    for (auto& m : chat.members) {
      if (m.person_id == "s1") {
        m.presence = MemberPresence::removed;
        m.presence_since = D("2026-11-12");
      }
    }
    chat.members.push_back({"uid:555", PlatformUserId{555}, mapping::MemberRole::member,
                            MemberOrigin::joined});
    chat.members.push_back({"uid:556", PlatformUserId{556}, mapping::MemberRole::member,
                            MemberOrigin::joined});
    std::ranges::sort(chat.members, {}, &AppliedMember::person_id);
  }
  applied.profile_names.emplace_back(555, "Петров Пётр");
  return plan_for(school.build(), applied, today, policy);
}

TEST_F(PlanLanguage, FindingsNamePeopleInRussian) {
  set_language(Language::ru);
  const Plan plan = a_week_later({.restore_removed = false});
  EXPECT_EQ(finding(plan, FindingCode::removed_by_hand),
            "«5А · Школа 1»: Фамилия-s1 Имя (ученик 5А) — удалён из чата на платформе "
            "2026-11-12; обратно не добавляется (правило: только сообщать)");
  EXPECT_EQ(finding(plan, FindingCode::unrecognised_joiner),
            "«5А · Школа 1»: 2 участника вошли по ссылке, и их не удалось найти в журнале: "
            "остаются (Петров Пётр (профиль на платформе), uid:556)");
}

TEST_F(PlanLanguage, FindingsNamePeopleInEnglish) {
  set_language(Language::en);
  const Plan plan = a_week_later({.restore_removed = false});
  EXPECT_EQ(finding(plan, FindingCode::removed_by_hand),
            "«5А · Школа 1»: Фамилия-s1 Имя (student of 5А) was removed on the platform on "
            "2026-11-12; not added back (policy: report)");
  EXPECT_EQ(finding(plan, FindingCode::unrecognised_joiner),
            "«5А · Школа 1»: 2 joined by link and could not be told from the journal: kept "
            "(Петров Пётр (platform profile), uid:556)");
}

TEST_F(PlanLanguage, AMemberAddedBackSaysWhyInRussian) {
  set_language(Language::ru);
  const Plan plan = a_week_later({});
  EXPECT_EQ(reason(plan, ActionType::add_member, "class:g5a", "s1"),
            "удалён из чата на платформе 2026-11-12; добавляется снова: ученик 5А с 2026-09-01");
}

// Every reason, state change and finding of these plans has a Russian wording: none reads the
// same in both languages (a message missing from the catalog would show its English).
TEST_F(PlanLanguage, NothingTheCoreSaysIsLeftInEnglish) {
  std::vector<std::string> texts;
  for (const Plan& plan : {first_plan(), a_week_later({}), a_week_later({.restore_removed = false})}) {
    for (const auto& a : plan.actions) texts.push_back(a.reason);
    for (const auto& c : plan.state_changes) texts.push_back(c.reason);
    for (const auto& f : plan.findings) texts.push_back(f.message);
  }
  ASSERT_GT(texts.size(), 15U);
  for (const auto& t : texts) {
    set_language(Language::ru);
    const std::string ru = text(t);
    set_language(Language::en);
    EXPECT_NE(ru, text(t)) << mapping::message_code(t);
  }
}

}  // namespace
}  // namespace rosterd::daemon
