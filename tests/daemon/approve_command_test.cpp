// `rosterd approve`: the list an administrator reads, the question, one action approved or
// rejected. The command's work against the in-memory store, and the real binary against a
// SQLite store the test fills with held actions.
#include "daemon/approve_command.h"
#include "daemon/i18n.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/store/store.h"
#include "mapping/plan.h"
#include "tests/daemon/fakes.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using mapping::Action;
using mapping::ActionType;
using testing::FakeDatabase;
using testing::FakeStore;

Action held_removal(const std::string& person, const std::string& chat = "class:g-5a") {
  Action a;
  a.type = ActionType::remove_member;
  a.chat_key = chat;
  a.person_id = person;
  a.platform_user_id = 1001;
  a.reason = "withdrawn, last day 2026-11-20";
  a.held = true;
  a.held_reason = "2 removals exceed the limit of 1";
  return a;
}

ApproveRequest request(std::vector<std::string> approve, std::vector<std::string> reject = {},
                       bool yes = false) {
  return {"", std::move(approve), std::move(reject), yes};
}

const std::string first_id = "remove_member class:g-5a p-s1";
const std::string second_id = "remove_member class:g-5a p-s2";

class ApproveCommand : public ::testing::Test {
 protected:
  ApproveCommand() {
    db_.schools["sch-1"].held = {held_removal("p-s1"), held_removal("p-s2")};
    names_.people = {{"p-s1", "Иванова Анна Сергеевна"}, {"p-s2", "Петров Борис"}};
    names_.chats = {{"class:g-5a", "5А · Школа 1"}};
  }
  int approve(ApproveRequest request, bool terminal, const std::string& answer = "") {
    request.org_id = "sch-1";
    std::istringstream in(answer);
    Console console{in, terminal, out_, err_};
    return approve_held_actions(request, store_, names_, console);
  }
  FakeDatabase::School& school() { return db_.schools["sch-1"]; }

  FakeDatabase db_;
  FakeStore store_{db_};
  HeldNames names_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ApproveCommand, ListsWhoWhichChatWhatWhyAndWhyHeldThenAsks) {
  EXPECT_EQ(approve({}, true, "y\n"), 0) << err_.str();
  const auto text = out_.str();
  const std::vector<std::string> shown = {first_id, second_id, "Иванова Анна Сергеевна (p-s1)",
        "Петров Борис (p-s2)",
        "удалить — Чат класса «5А · Школа 1» [class:g-5a]", "причина: withdrawn, last day 2026-11-20",
        "удержано: 2 removals exceed the limit of 1", "Одобрить 2 действия? [y/N]",
        "одобрено 2 действия"};
  for (const auto& expected : shown) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(school().approved, (std::set<std::string>{first_id, second_id}));
  EXPECT_TRUE(school().held.empty());
}

TEST_F(ApproveCommand, ApprovesNothingUnlessTheAnswerIsYes) {
  const std::vector<std::string> not_yes = {"", "\n", "n\n", "нет\n", "yes please\n"};
  for (const auto& answer : not_yes) {
    EXPECT_EQ(approve({}, true, answer), 1) << answer;
    EXPECT_TRUE(school().approved.empty()) << answer;
    EXPECT_EQ(school().held.size(), 2u) << answer;
  }
  for (const std::string answer : {"Y\n", "да\n"}) {
    db_.schools["sch-1"].held = {held_removal("p-s1")};
    school().approved.clear();
    EXPECT_EQ(approve({}, true, answer), 0) << answer;
    EXPECT_EQ(school().approved, std::set<std::string>{first_id}) << answer;
  }
}

TEST_F(ApproveCommand, ListsButDecidesNothingWithoutATerminalOrYes) {
  EXPECT_EQ(approve({}, false, "y\n"), 1);
  EXPECT_NE(out_.str().find(first_id), std::string::npos) << out_.str();
  EXPECT_NE(err_.str().find("--yes"), std::string::npos) << err_.str();
  EXPECT_TRUE(school().approved.empty());
  EXPECT_EQ(school().held.size(), 2u);

  EXPECT_EQ(approve(request({}, {}, true), false), 0) << err_.str();
  EXPECT_EQ(school().approved, (std::set<std::string>{first_id, second_id}));
}

TEST_F(ApproveCommand, ApprovesOneActionAndLeavesTheOtherHeld) {
  EXPECT_EQ(approve(request({second_id}, {}, true), false), 0) << err_.str();
  EXPECT_EQ(school().approved, std::set<std::string>{second_id});
  EXPECT_EQ(school().held, std::vector{held_removal("p-s1")});
  EXPECT_EQ(out_.str().find(first_id), std::string::npos) << "only the chosen one is listed";
  EXPECT_NE(out_.str().find("одобрено 1 действие"), std::string::npos) << out_.str();
}

TEST_F(ApproveCommand, RejectsOneActionSoThePersonStays) {
  EXPECT_EQ(approve(request({}, {first_id}), true, "y\n"), 0) << err_.str();
  EXPECT_NE(out_.str().find("Отклонить 1 действие? [y/N]"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("отклонено 1 действие"), std::string::npos) << out_.str();
  EXPECT_EQ(school().rejected, std::set<std::string>{first_id});
  EXPECT_TRUE(school().approved.empty());
  EXPECT_EQ(school().held, std::vector{held_removal("p-s2")});
}

TEST_F(ApproveCommand, NamesAnUnknownIdAndDecidesNothing) {
  const std::string unknown = "remove_member class:g-5a p-zz";
  EXPECT_EQ(approve(request({second_id}, {unknown}, true), false), 1);
  EXPECT_NE(err_.str().find("--reject «" + unknown + "»"), std::string::npos) << err_.str();
  EXPECT_TRUE(school().approved.empty());
  EXPECT_TRUE(school().rejected.empty());
  EXPECT_EQ(school().held.size(), 2u);
}

TEST_F(ApproveCommand, SaysSoWhenNothingIsHeld) {
  school().held.clear();
  EXPECT_EQ(approve({}, false), 0);
  EXPECT_NE(out_.str().find("удержанных действий нет"), std::string::npos) << out_.str();
}

TEST(ApproveText, CountsActionsWithTheRussianPluralForms) {
  const std::vector<std::pair<std::size_t, std::string>> table = {
      {0, "0 действий"},    {1, "1 действие"},    {2, "2 действия"},   {4, "4 действия"},
      {5, "5 действий"},    {11, "11 действий"},  {12, "12 действий"}, {14, "14 действий"},
      {21, "21 действие"},  {22, "22 действия"},  {25, "25 действий"}, {101, "101 действие"},
      {111, "111 действий"}, {112, "112 действий"}, {1003, "1003 действия"}};
  for (const auto& [n, text] : table) EXPECT_EQ(count_actions(n), text) << n;
}

// With --lang en the administrator reads the same list and question in English.
TEST_F(ApproveCommand, ListsAndAsksInEnglishWithLangEn) {
  set_language(Language::en);
  const auto code = approve({}, true, "y\n");
  set_language(Language::ru);
  EXPECT_EQ(code, 0) << err_.str();
  const auto text = out_.str();
  for (const std::string expected :
       {"sch-1: to be approved (2 actions):", "remove — Class chat «5А · Школа 1» [class:g-5a]",
        "reason: withdrawn, last day 2026-11-20", "held: 2 removals exceed the limit of 1",
        "Approve 2 actions? [y/N]", "sch-1: 2 actions approved; they run at the next sync"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(text.find("одобр"), std::string::npos) << text;
}

// The real binary, with the school export of school_fixture (its names) and a SQLite store.
class ApproveCli : public ::testing::Test {
 protected:
  void SetUp() override {
    test_support::write_school_export(dir_.path() / "exports" / "sch-t");
    config_ = (dir_.path() / "rosterd.json").string();
    test_support::write_file(config_, R"({"schools": [{"id": "sch-t", "source": {"type":
        "export", "path": "exports/sch-t"}}], "store": {"sqlite": "state.db"}})");
    auto store = adapters::store::open_sqlite_store(dir_.path() / "state.db");
    ASSERT_TRUE(store->acquire_lease("sch-t", "sync", std::chrono::minutes(1)).acquired);
    store->save_held("sch-t", std::vector{held_removal("p-s1"), held_removal("p-s2")});
    store->release_lease("sch-t");
  }
  test_support::ProcessResult approve(std::vector<std::string> args) {
    args.insert(args.begin(), {"approve", "--config", config_, "--school", "sch-t"});
    auto result = test_support::run_rosterd(args, "y\n");
    for (const auto& contact : test_support::contact_values()) {
      EXPECT_EQ(result.out.find(contact), std::string::npos) << result.out;
      EXPECT_EQ(result.err.find(contact), std::string::npos) << result.err;
    }
    return result;
  }
  [[nodiscard]] std::set<std::string> decided(bool approved) const {
    auto store = adapters::store::open_sqlite_store(dir_.path() / "state.db");
    return approved ? store->approved("sch-t") : store->rejected("sch-t");
  }

  test_support::TempFolder dir_;
  std::string config_;
};

const std::string cli_first = "remove_member class:g-5a p-s1";

TEST_F(ApproveCli, ListsWithTheJournalsNamesButApprovesNothingWithoutYes) {
  const auto result = approve({});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("Иванова Анна (p-s1)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Петров Борис (p-s2)"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("--yes"), std::string::npos) << result.err;
  EXPECT_TRUE(decided(true).empty());
}

TEST_F(ApproveCli, ApprovesEverythingWithYes) {
  const auto result = approve({"--yes"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("одобрено 2 действия"), std::string::npos) << result.out;
  EXPECT_EQ(decided(true).size(), 2u);
}

TEST_F(ApproveCli, ApprovesOneOrRejectsOneByItsId) {
  const auto one = approve({"--action", cli_first, "--yes"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(decided(true), std::set<std::string>{cli_first});
  const auto other = approve({"--reject", "remove_member class:g-5a p-s2", "--yes"});
  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(other.out.find("отклонено 1 действие"), std::string::npos) << other.out;
  EXPECT_EQ(decided(false), std::set<std::string>{"remove_member class:g-5a p-s2"});
}

TEST_F(ApproveCli, ShowsIdsWhenTheJournalDoesNotAnswerAndStillApproves) {
  std::filesystem::remove_all(dir_.path() / "exports" / "sch-t");
  const auto result = approve({"--yes"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("журнал не ответил"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("    p-s1: удалить — "), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("Иванова"), std::string::npos) << result.out;
  EXPECT_EQ(decided(true).size(), 2u);
}

TEST_F(ApproveCli, RefusesAnUnknownIdNamingIt) {
  const auto result = approve({"--action", "remove_member class:g-5a p-nobody", "--yes"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("p-nobody"), std::string::npos) << result.err;
  EXPECT_TRUE(decided(true).empty());
  EXPECT_TRUE(decided(false).empty());
}

}  // namespace
}  // namespace rosterd::daemon
