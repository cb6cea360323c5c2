// The plan as an administrator reads it, from a plan made by hand: Russian by default and
// English with --lang en, classes in natural order, a held reason once per chat and kind of
// action, findings naming people, the invitees counted (not listed), and the totals.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/support/russian_plural.h"
#include "daemon/i18n.h"
#include "daemon/plan_output.h"

namespace rosterd::daemon {
namespace {

using rosterd::testing::russian_form;

using mapping::Action;
using mapping::ActionType;
using mapping::ChatKind;
using mapping::MemberRole;

constexpr const char* held_reason = "47 remove_member actions exceed the limit of 30";

Action action(ActionType type, const std::string& key, const std::string& person = "") {
  Action a;
  a.type = type;
  a.chat_key = key;
  a.chat_kind = *mapping::parse_chat_kind(key.substr(0, key.find(':')));
  a.person_id = person;
  a.title = "title of " + key;
  a.reason = "reason of " + key;
  return a;
}

void add_class(SchoolPlan& school, const std::string& id, const std::string& name) {
  school.chat_groups["class:" + id] = {name, mapping::GroupKind::class_group};
  school.chat_groups["parents:" + id] = {name, mapping::GroupKind::class_group};
  school.chat_titles["class:" + id] = name + " · ШТ";
  school.chat_titles["parents:" + id] = "Родители " + name + " · ШТ";
}

// Classes given out of order (10А, staff, 2А, 1Б, 1А, 11А); 47 removals held in 2А for one
// reason; a finding about a student and a parent; three people waiting for a link (one of
// them in two chats).
SchoolPlan made_school() {
  SchoolPlan school;
  school.school_id = "sch-t";
  school.org_name = "Школа тестовая";
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"g-10a", "10А"}, {"g-2a", "2А"}, {"g-1b", "1Б"}, {"g-1a", "1А"}, {"g-11a", "11А"}})
    add_class(school, id, name);
  school.chat_titles["staff:sch-t"] = "Сотрудники ШТ";
  school.people["p-s1"] = {"Иванова Анна", {"1А"}, mapping::role_student, false};
  school.people["p-m1"] = {"Иванова Мария", {"1А"}, mapping::role_parent, false};
  school.people["p-t1"] = {"Сидорова Ольга", {"1А"}, mapping::role_staff, true};
  mapping::Plan plan;
  plan.today = *mapping::Date::parse("2026-09-01");  // the school's day: the header shows it
  plan.actions.push_back(action(ActionType::create_chat, "class:g-10a"));
  plan.actions.push_back(action(ActionType::add_member, "staff:sch-t", "p-t1"));
  plan.actions.push_back(action(ActionType::add_member, "parents:g-1a", "p-m1"));
  for (int i = 0; i < 47; ++i) {
    auto removal = action(ActionType::remove_member, "class:g-2a", "p-x" + std::to_string(i));
    removal.held = true;
    removal.held_reason = held_reason;
    plan.actions.push_back(removal);
  }
  plan.actions.push_back(action(ActionType::create_chat, "class:g-1b"));
  plan.actions.push_back(action(ActionType::add_member, "class:g-1a", "p-s1"));
  plan.actions.push_back(action(ActionType::set_admin, "class:g-1a", "p-t1"));
  plan.actions.push_back(action(ActionType::issue_invite, "class:g-1a"));
  plan.actions.push_back(action(ActionType::create_chat, "class:g-11a"));
  plan.findings.push_back({mapping::FindingCode::shared_phone, {"p-s1", "p-m1"}, "share a phone"});
  plan.invites.push_back({"class:g-1a", MemberRole::member, {"p-w1", "p-w2"}});
  plan.invites.push_back({"parents:g-1a", MemberRole::member, {"p-w2", "p-w3"}});
  school.plan = std::move(plan);
  return school;
}

PlanRun made_run() {
  PlanRun run;
  run.today = *mapping::Date::parse("2026-09-01");
  run.config_file = "/etc/rosterd.json";
  run.schools.push_back(made_school());
  return run;
}

class PlanText : public ::testing::Test {
 protected:
  void TearDown() override { set_language(Language::ru); }

  static std::string full(const PlanRun& run) {
    std::ostringstream out;
    write_plan_text(out, run);
    return out.str();
  }
  static std::string summary(const PlanRun& run) {
    std::ostringstream out;
    write_plan_summary_text(out, run);
    return out.str();
  }
};

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Each part found after the one before it.
void expect_in_order(const std::string& text, const std::vector<std::string>& parts) {
  std::size_t at = 0;
  for (const auto& part : parts) {
    const auto found = text.find(part, at);
    ASSERT_NE(found, std::string::npos) << "«" << part << "» not after the previous part in\n"
                                        << text;
    at = found + part.size();
  }
}

TEST_F(PlanText, GroupsChatsByClassInNaturalOrderWithTheStaffChatLast) {
  expect_in_order(full(made_run()),
                  {"\nКласс 1А\n", "  Чат класса «1А · ШТ» [class:g-1a]\n",
                   "  Чат родителей «Родители 1А · ШТ» [parents:g-1a]\n", "\nКласс 1Б\n",
                   "\nКласс 2А\n", "\nКласс 10А\n", "\nКласс 11А\n", "\nСотрудники\n",
                   "  Чат сотрудников «Сотрудники ШТ» [staff:sch-t]\n"});
}

TEST_F(PlanText, ReadsInRussianByDefault) {
  const auto text = full(made_run());
  for (const std::string expected :
       {"=== sch-t — Школа тестовая — план на 2026-09-01", "    создать чат «title of class:g-10a»",
        "    добавить Иванова Анна (p-s1), участник — reason of class:g-1a",
        "    назначить администратором Сидорова Ольга (p-t1)",
        "    выпустить ссылку-приглашение для участников", "1 замечание",
        "Итого по школе sch-t: 3 новых чата, +3 участника, −47 участников, +1 администратор, "
        "1 новая ссылка, 47 действий удержано, 1 замечание, 3 человека ждут ссылку",
        "Итого по региону (1 школа): "}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST_F(PlanText, ReadsInEnglishWithLangEn) {
  set_language(Language::en);
  const auto text = full(made_run());
  for (const std::string& expected : std::vector<std::string>{
           "plan for 2026-09-01", "\nClass 1А\n", "  Class chat «1А · ШТ» [class:g-1a]",
           "    create chat «title of class:g-10a»", "    add Иванова Анна (p-s1), member",
           "    make admin Сидорова Ольга (p-t1)", "HELD (47 actions): " + std::string{held_reason},
           "Shared phone number (1)", "Total for sch-t: 3 new chats, +3 members, -47 members",
           "Region total (1 school): "}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(text.find("Класс"), std::string::npos) << text;
}

TEST_F(PlanText, PrintsAHeldReasonOncePerChatAndKindOfAction) {
  const auto text = full(made_run());
  EXPECT_EQ(occurrences(text, held_reason), 1U) << text;
  EXPECT_NE(text.find("    УДЕРЖАНО (47 действий): " + std::string{held_reason} + "\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(occurrences(text, "\n      удалить p-x"), 47U) << text;
}

TEST_F(PlanText, NamesThePeopleOfAFindingWithClassAndRole) {
  const auto text = full(made_run());
  EXPECT_NE(text.find("  Один телефон у нескольких людей (1)\n"
                      "    Иванова Анна (1А, ученик, p-s1); Иванова Мария (1А, родитель, p-m1) — "
                      "share a phone\n"),
            std::string::npos)
      << text;
}

TEST_F(PlanText, CountsThoseWaitingForALinkAndNamesTheReportThatListsThem) {
  const auto text = full(made_run());
  EXPECT_EQ(text.find("p-w1"), std::string::npos) << "invitees are the invites report's";
  EXPECT_NE(text.find("3 человека без аккаунта на платформе ждут ссылку-приглашение; список: "
                      "`rosterd report invites --config /etc/rosterd.json --school sch-t`"),
            std::string::npos)
      << text;
}

// The figures of each line, counted here from the actions the test made.
TEST_F(PlanText, SummarisesEachChatThenTheSchoolThenTheRegion) {
  auto run = made_run();
  auto second = made_school();
  second.school_id = "sch-u";
  run.schools.push_back(second);
  SchoolPlan failed;
  failed.school_id = "sch-b";
  failed.error = "persons.json: malformed JSON";
  run.schools.push_back(failed);
  const auto text = summary(run);
  expect_in_order(
      text,
      {"=== sch-t — Школа тестовая — сводка плана на 2026-09-01\n",
       "  Класс 1А, «1А · ШТ» [class:g-1a]: +1 участник, +1 администратор, 1 новая ссылка\n",
       "  Класс 1А, «Родители 1А · ШТ» [parents:g-1a]: +1 участник\n",
       "  Класс 1Б, «1Б · ШТ» [class:g-1b]: 1 новый чат\n",
       "  Класс 2А, «2А · ШТ» [class:g-2a]: −47 участников, 47 действий удержано\n",
       "  Класс 10А, «10А · ШТ» [class:g-10a]: 1 новый чат\n",
       "  Класс 11А, «11А · ШТ» [class:g-11a]: 1 новый чат\n",
       "  Сотрудники, «Сотрудники ШТ» [staff:sch-t]: +1 участник\n", "=== sch-u", "=== sch-b",
       "ОШИБКА: persons.json: malformed JSON\n",
       "Итого по школе sch-t: 3 новых чата, +3 участника, −47 участников, +1 администратор, "
       "1 новая ссылка, 47 действий удержано, 1 замечание, 3 человека ждут ссылку\n",
       "Итого по школе sch-u: ", "Итого по школе sch-b: ОШИБКА\n",
       "Итого по региону (3 школы; 1 с ошибкой): 6 новых чатов, +6 участников, −94 участника, "
       "+2 администратора, 2 новые ссылки, 94 действия удержаны, 2 замечания, "
       "6 человек ждут ссылку\n"});
}

TEST_F(PlanText, SummaryLinesUseTheRightPluralForm) {
  for (const long long n : {1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1000}) {
    const auto count = static_cast<std::size_t>(n);
    PlanTally tally;
    tally.members_added = count;
    tally.chats_created = count;
    tally.links_issued = count;
    tally.waiting_for_link = count;
    const auto s = std::to_string(n);
    EXPECT_EQ(
        tally_words(tally),
        s + " " + russian_form(n, "новый чат", "новых чата", "новых чатов") + ", +" + s + " " +
            russian_form(n, "участник", "участника", "участников") + ", " + s + " " +
            russian_form(n, "новая ссылка", "новые ссылки", "новых ссылок") + ", " + s + " " +
            russian_form(n, "человек ждёт ссылку", "человека ждут ссылку", "человек ждут ссылку"))
        << n;
  }
  EXPECT_EQ(tally_words(PlanTally{}), "без изменений");
}

}  // namespace
}  // namespace rosterd::daemon
