// `rosterd report history` after a real sync against platform-sim: what rosterd did for a school,
// a person or a chat, with the chats' titles, the people's names from the journal, and the
// reasons worded in the reader's language.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "adapters/store/store.h"
#include "generator/generator.h"
#include "mapping/message.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");
const Date kMonday = *Date::parse("2026-09-07");

struct Synced {
  World w;
  mapping::Roster roster =
      generator::make_school("sch-0001", 61, kStart, {.classes = 2, .students_per_class = 4});
  Synced() {
    w.write_journal(roster);
    const auto run = w.sync(kMonday);
    EXPECT_EQ(run.status, 0) << run.output;
  }
  json history(std::vector<std::string> args) const {
    args.insert(args.begin(), {"report", "history", "--format", "json"});
    const auto run = w.rosterd(args);
    EXPECT_EQ(run.status, 0) << run.output;
    return json::parse(run.output);
  }
  // A student with an account and the class they are in.
  std::pair<const mapping::Person*, const mapping::Group*> linked_student() const {
    for (const auto& e : roster.enrolments) {
      if (e.role != mapping::EnrolmentRole::student) continue;
      for (const auto& p : roster.persons) {
        if (p.id != e.person_id || !p.platform_user_id) continue;
        for (const auto& g : roster.groups) {
          if (g.id == e.group_id) return {&p, &g};
        }
      }
    }
    return {nullptr, nullptr};
  }
};

TEST(HistoryReport, TellsWhatWasDoneForOnePersonWithNamesAndTitles) {
  Synced s;
  const auto [student, group] = s.linked_student();
  ASSERT_NE(student, nullptr);
  const auto title = group->name + " · " + s.roster.org.short_name;
  const auto run =
      s.w.rosterd({"report", "history", "--school", "sch-0001", "--person", student->id});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("Что rosterd сделал для sch-0001 — 1 действие"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("добавлен в чат  «" + title + "»  " + student->display_name()),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("— выполнено"), std::string::npos) << run.output;

  // Without --school: every school is looked at, only the one that had to do with them shown.
  const json all = s.history({"--person", student->id});
  ASSERT_EQ(all.at("schools").size(), 1U);
  const json& action = all.at("schools")[0].at("actions")[0];
  EXPECT_EQ(action.at("type"), "add_member");
  EXPECT_EQ(action.at("chat"), title);
  EXPECT_EQ(action.at("person"), student->display_name());
  EXPECT_EQ(action.at("status"), "done");
  EXPECT_EQ(action.at("at").get<std::string>().substr(10, 1), "T") << action.at("at");
}

// Disabled: the chat found in /sim/state by title holds no member; not yet understood.
TEST(HistoryReport, TellsWhatWasDoneInOneChatAsThePlatformShowsIt) {
  Synced s;
  const auto [student, group] = s.linked_student();
  ASSERT_NE(student, nullptr);
  const json got = s.history({"--school", "sch-0001", "--chat", "class:" + group->id});
  const auto& actions = got.at("schools")[0].at("actions");
  ASSERT_FALSE(actions.empty());
  // The chat is named by its title, the one it has on the platform; every line is about it.
  const std::string title = actions[0].at("chat");
  EXPECT_NE(title.find(group->name), std::string::npos) << title;
  std::size_t added = 0;
  for (const auto& a : actions) {
    EXPECT_EQ(a.at("chat"), title);
    added += a.at("type") == "add_member" && a.at("status") == "done";
  }
  // Everybody in the chat on the platform but rosterd's own user was added by rosterd.
  std::size_t members = 0;
  std::size_t same_title = 0;
  const json state = s.w.state();  // kept: a loop over a temporary's member would dangle
  for (const auto& chat : state.at("chats")) {
    if (chat.at("title") != title) continue;
    members = chat.at("members").size() - 1;
    ++same_title;
  }
  EXPECT_EQ(same_title, 1U) << title;
  EXPECT_GT(members, 0U) << title;
  EXPECT_EQ(added, members);
}

TEST(HistoryReport, ListsTheSchoolsWholeLogInCsv) {
  Synced s;
  const json all = s.history({"--school", "sch-0001"});
  const auto count = all.at("schools")[0].at("actions").size();
  EXPECT_GT(count, 10U);
  const auto csv = s.w.rosterd({"report", "history", "--school", "sch-0001", "--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.output;
  EXPECT_EQ(csv.output.rfind("\xEF\xBB\xBF"
                             "Код школы;Дата;Действие;Чат;Человек;Причина;Результат\r\n",
                             0),
            0U);
  std::size_t rows = 0;
  for (auto at = csv.output.find("\r\nsch-0001;"); at != std::string::npos;
       at = csv.output.find("\r\nsch-0001;", at + 1))
    ++rows;
  EXPECT_EQ(rows, count);
}

// A reason kept as a message (mapping/message.h) is worded when shown: in Russian, or in English
// with --lang en. Any message of the catalog shows it; this one counts students.
TEST(HistoryReport, WordsAReasonInTheReadersLanguage) {
  Synced s;
  {
    const auto store = adapters::store::open_sqlite_store(s.w.dir() / "state" / "rosterd.db");
    ASSERT_TRUE(store->acquire_lease("sch-0001", "test", std::chrono::minutes(1)).acquired);
    mapping::Action a;
    a.type = mapping::ActionType::archive_chat;
    a.chat_key = "class:g-test";
    a.title = "Тестовый чат";
    a.reason = mapping::msg_n("common.students", "{n} student", "{n} students", 3);
    const auto ids = store->record_intents("sch-0001", 99, std::vector{a}, {});
    mapping::ActionRecord done;
    done.id = ids.at(0);
    done.status = mapping::ActionStatus::done;
    store->record_outcomes("sch-0001", std::vector{done}, {}, {});
    store->release_lease("sch-0001");
  }
  const auto ru = s.w.rosterd({"report", "history", "--chat", "class:g-test"});
  EXPECT_NE(ru.output.find("чат отправлен в архив  «Тестовый чат» — 3 ученика — выполнено"),
            std::string::npos)
      << ru.output;
  const auto en = s.w.rosterd({"report", "history", "--chat", "class:g-test", "--lang", "en"});
  EXPECT_NE(en.output.find("chat archived  «Тестовый чат» — 3 students — done"), std::string::npos)
      << en.output;
  const json j = s.history({"--chat", "class:g-test"});
  EXPECT_EQ(j.at("schools")[0].at("actions")[0].at("reason_code"), "common.students");
}

}  // namespace
}  // namespace rosterd::e2e
