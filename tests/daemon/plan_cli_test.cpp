// `rosterd plan` run as the real process on a school export the test writes itself.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mapping/plan.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using nlohmann::json;
using test_support::ProcessResult;

class PlanCli : public ::testing::Test {
 protected:
  void SetUp() override {
    test_support::write_school_export(dir_.path() / "exports" / "sch-t");
    config_ = dir_.path() / "rosterd.json";
    write_config(R"([{"id": "sch-t", "source": {"type": "export", "path": "exports/sch-t"},
                      "fallback_admin": {"platform_user_id": 900, "label": "platform-admin"}}])");
  }

  // Every output of every run is checked for contact values once the test is over.
  void TearDown() override {
    for (const auto& text : seen_) {
      for (const auto& contact : test_support::contact_values()) {
        EXPECT_EQ(text.find(contact), std::string::npos) << "contact value in output:\n" << text;
      }
    }
  }

  void write_config(const std::string& schools) {
    test_support::write_file(config_, "// test config\n{\"schools\": " + schools + "}");
  }

  ProcessResult plan(std::vector<std::string> args) {
    args.insert(args.begin(), {"plan", "--config", config_.string(), "--today", "2026-09-01"});
    auto result = test_support::run_rosterd(args);
    seen_.push_back(result.out);
    seen_.push_back(result.err);
    return result;
  }

  json plan_json(std::vector<std::string> args, int expected_exit) {
    args.insert(args.end(), {"--format", "json"});
    const auto result = plan(args);
    EXPECT_EQ(result.exit_code, expected_exit) << result.err;
    return json::parse(result.out);
  }

  test_support::TempFolder dir_;
  std::filesystem::path config_;
  std::vector<std::string> seen_;
};

std::vector<std::string> created_chat_kinds(const json& school) {
  std::vector<std::string> kinds;
  for (const auto& action : school.at("actions")) {
    if (action.at("type") == "create_chat") kinds.push_back(action.at("chat_kind"));
  }
  std::sort(kinds.begin(), kinds.end());
  return kinds;
}

TEST_F(PlanCli, CreatesTheClassParentsAndStaffChatsOfANewSchool) {
  const auto document = plan_json({"--detailed-exitcode"}, 2);
  EXPECT_EQ(document.at("format"), "rosterd-plan/1");
  EXPECT_EQ(document.at("today"), "2026-09-01");
  ASSERT_EQ(document.at("schools").size(), 1U);
  const auto& school = document.at("schools").at(0);
  EXPECT_EQ(school.at("school"), "sch-t");
  EXPECT_EQ(school.at("summary").at("create_chat"), 3);
  EXPECT_EQ(created_chat_kinds(school), (std::vector<std::string>{"class", "parents", "staff"}));
  EXPECT_GT(school.at("summary").at("add_member"), 0);
  EXPECT_EQ(school.at("held").at("remove_member"), 0);
  for (const auto& action : school.at("actions")) {
    EXPECT_FALSE(action.at("reason").get<std::string>().empty()) << action.dump();
  }
}

TEST_F(PlanCli, SummaryCountsEveryActionTypeFromTheActionList) {
  const auto document = plan_json({}, 0);
  const auto& school = document.at("schools").at(0);
  std::size_t listed = 0;
  std::size_t counted = 0;
  for (const auto& [type, n] : school.at("summary").items()) {
    counted += n.get<std::size_t>();
    listed += static_cast<std::size_t>(
        std::count_if(school.at("actions").begin(), school.at("actions").end(),
                      [&type = type](const json& a) { return a.at("type") == type; }));
  }
  EXPECT_EQ(school.at("summary").size(), rosterd::mapping::action_type_count);
  EXPECT_EQ(listed, school.at("actions").size());
  EXPECT_EQ(counted, listed);
}

TEST_F(PlanCli, DoesNothingWhenPlannedAgainFromTheAssumedSnapshot) {
  const auto applied = dir_.path() / "state" / "day0.json";
  const auto first = plan({"--assume-applied", applied.string(), "--detailed-exitcode"});
  ASSERT_EQ(first.exit_code, 2) << first.err;
  seen_.push_back(test_support::read_file(applied));

  const auto document = plan_json({"--applied", applied.string(), "--detailed-exitcode"}, 0);
  const auto& school = document.at("schools").at(0);
  EXPECT_TRUE(school.at("actions").empty()) << school.at("actions").dump(2);
  EXPECT_TRUE(school.at("state_changes").empty());
}

TEST_F(PlanCli, PlansOnlyTheChosenSchoolAndKeepsTheOthersInTheSnapshot) {
  test_support::write_school_export(dir_.path() / "exports" / "sch-u", "sch-u");
  write_config(R"([{"id": "sch-t", "source": {"type": "export", "path": "exports/sch-t"}},
                   {"id": "sch-u", "source": {"type": "export", "path": "exports/sch-u"}}])");
  const auto both = dir_.path() / "both.json";
  ASSERT_EQ(plan({"--assume-applied", both.string()}).exit_code, 0);

  const auto after = dir_.path() / "after.json";
  const auto document = plan_json({"--school", "sch-u", "--applied", both.string(),
                                   "--assume-applied", after.string(), "--detailed-exitcode"},
                                  0);
  ASSERT_EQ(document.at("schools").size(), 1U);
  EXPECT_EQ(document.at("schools").at(0).at("school"), "sch-u");
  const auto snapshot = json::parse(test_support::read_file(after));
  EXPECT_TRUE(snapshot.at("schools").contains("sch-t"));
  EXPECT_EQ(snapshot.at("schools"), json::parse(test_support::read_file(both)).at("schools"));
}

TEST_F(PlanCli, ExitsWithErrorWithoutAConfig) {
  const auto result = test_support::run_rosterd({"plan"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("--config"), std::string::npos) << result.err;
}

TEST_F(PlanCli, ExitsWithErrorNamingAnUnknownSchool) {
  const auto result = plan({"--school", "sch-nope"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("sch-nope"), std::string::npos) << result.err;
}

TEST_F(PlanCli, ReportsABrokenExportAndStillPlansTheOtherSchools) {
  test_support::write_school_export(dir_.path() / "exports" / "sch-b", "sch-b");
  test_support::write_file(dir_.path() / "exports" / "sch-b" / "persons.json", "[{\"id\": ");
  write_config(R"([{"id": "sch-b", "source": {"type": "export", "path": "exports/sch-b"}},
                   {"id": "sch-t", "source": {"type": "export", "path": "exports/sch-t"}}])");

  const auto result = plan({"--format", "json", "--detailed-exitcode"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("sch-b"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("persons.json"), std::string::npos) << result.err;
  const auto document = json::parse(result.out);
  const auto& broken = document.at("schools").at(0);
  EXPECT_EQ(broken.at("school"), "sch-b");
  EXPECT_NE(broken.at("error").get<std::string>().find("persons.json"), std::string::npos);
  EXPECT_EQ(document.at("schools").at(1).at("summary").at("create_chat"), 3);
}

TEST_F(PlanCli, ExitsWithErrorNamingABrokenSnapshot) {
  const auto applied = dir_.path() / "applied.json";
  test_support::write_file(
      applied, R"({"format": "rosterd-applied/1", "schools": {"sch-t": {"chats": [{"key": 5}]}}})");
  const auto result = plan({"--applied", applied.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(applied.string() + ": schools.sch-t.chats[0].key: must be a string"),
            std::string::npos)
      << result.err;
}

TEST_F(PlanCli, ExitsWithErrorNamingTheKeyOfABadConfig) {
  write_config(R"([{"id": "sch-t", "source": {"type": "export"}}])");
  const auto result = plan({});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("schools[0].source.path: missing"), std::string::npos) << result.err;
}

TEST_F(PlanCli, RefusesADayThatIsNotADate) {
  const auto result =
      test_support::run_rosterd({"plan", "--config", config_.string(), "--today", "1.9.2026"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("--today"), std::string::npos) << result.err;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  return lines;
}

TEST_F(PlanCli, TextGroupsActionsByChatAndGivesEachItsReason) {
  const auto result = plan({"--detailed-exitcode"});
  ASSERT_EQ(result.exit_code, 2) << result.err;
  const auto lines = lines_of(result.out);
  // A line per chat ("  Чат класса «…» [key]"), its actions below it, each with " — <reason>".
  std::vector<std::string> keys;
  std::size_t actions = 0;
  bool in_chat = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (line.rfind("  Чат ", 0) == 0) {
      in_chat = true;
      keys.push_back(line.substr(line.rfind('[')));
      ASSERT_LT(i + 1, lines.size());
      EXPECT_EQ(lines[i + 1].rfind("    создать чат «", 0), 0U) << "first action of " << line;
    } else if (line.rfind("    ", 0) != 0) {
      in_chat = false;
    } else if (in_chat) {
      ++actions;
      EXPECT_NE(line.find(" — "), std::string::npos) << "no reason: " << line;
    }
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"[class:g-5a]", "[parents:g-5a]", "[staff:sch-t]"}));
  EXPECT_GE(actions, 3U);
  EXPECT_NE(result.out.find("добавить Иванова Анна (p-s1), участник"), std::string::npos);
  EXPECT_NE(lines.back().find("Итого по региону (1 школа): 3 новых чата"), std::string::npos)
      << lines.back();
}

// The school's first plan as its administrator reads it, and with --lang en as English.
TEST_F(PlanCli, ReadsTheSchoolsPlanInRussianOrWithLangEnInEnglish) {
  const auto ru = plan({});
  ASSERT_EQ(ru.exit_code, 0) << ru.err;
  for (const std::string expected :
       {"=== sch-t — Школа тестовая — план на 2026-09-01\n", "\nКласс 5А\n",
        "  Чат класса «5А · ШТ» [class:g-5a]\n", "    создать чат «5А · ШТ» — ",
        "    назначить администратором Сидорова Ольга (p-t1) — ", "\nСотрудники\n",
        "2 человека без аккаунта на платформе ждут ссылку-приглашение",
        "  Один телефон у нескольких людей (1)\n"
        "    Иванова Мария (5А, родитель, p-m1); Петров Глеб (5А, родитель, p-f2) — ",
        "Итого по школе sch-t: 3 новых чата"}) {
    EXPECT_NE(ru.out.find(expected), std::string::npos) << expected << "\n" << ru.out;
  }
  const auto en = plan({"--lang", "en"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  for (const std::string expected :
       {"plan for 2026-09-01\n", "\nClass 5А\n", "  Class chat «5А · ШТ» [class:g-5a]\n",
        "    create chat «5А · ШТ» — ", "    make admin Сидорова Ольга (p-t1) — ", "\nStaff\n",
        "2 people without a platform account wait for an invite link",
        "    Иванова Мария (5А, parent, p-m1); Петров Глеб (5А, parent, p-f2) — ",
        "Total for sch-t: 3 new chats", "Region total (1 school): 3 new chats"}) {
    EXPECT_NE(en.out.find(expected), std::string::npos) << expected << "\n" << en.out;
  }
  EXPECT_EQ(en.out.find("Класс"), std::string::npos) << en.out;
}

// Who waits for a link is `rosterd report invites`'s to list: the plan only counts them.
TEST_F(PlanCli, CountsTheInviteesWithoutListingThem) {
  const auto text = plan({});
  EXPECT_EQ(text.out.find("Петров Борис"), std::string::npos) << text.out;
  EXPECT_NE(
      text.out.find("rosterd report invites --config " + config_.string() + " --school sch-t"),
      std::string::npos)
      << text.out;
  const auto school = plan_json({}, 0).at("schools").at(0);
  EXPECT_EQ(school.at("waiting_for_link"), 2);
  for (const auto& list : school.at("invites")) {
    EXPECT_FALSE(list.contains("persons")) << list.dump();
    EXPECT_EQ(list.at("waiting"), 1) << list.dump();
  }
}

// Every reason carries its code beside its text in the reader's language.
TEST_F(PlanCli, JsonCarriesEachReasonsCodeBesideItsText) {
  const auto school = plan_json({}, 0).at("schools").at(0);
  for (const auto& action : school.at("actions")) {
    EXPECT_TRUE(action.at("reason").is_string()) << action.dump();
    EXPECT_TRUE(action.at("reason_code").is_string()) << action.dump();
  }
  for (const auto& finding : school.at("findings")) {
    EXPECT_TRUE(finding.at("message_code").is_string()) << finding.dump();
    EXPECT_FALSE(finding.at("title").get<std::string>().empty()) << finding.dump();
  }
}

struct ChatCount {
  int created = 0, added = 0, removed = 0, admins = 0, links = 0;
  friend bool operator==(const ChatCount&, const ChatCount&) = default;
};
void PrintTo(const ChatCount& c, std::ostream* out) {
  *out << "{created " << c.created << ", added " << c.added << ", removed " << c.removed
       << ", admins " << c.admins << ", links " << c.links << "}";
}

// --summary's figures, per chat and for the school, against a count of the full plan's actions.
TEST_F(PlanCli, SummaryFiguresMatchACountOfThePlansActions) {
  std::map<std::string, ChatCount> counted;
  ChatCount school_count;
  const auto full = plan_json({}, 0);
  for (const auto& a : full.at("schools").at(0).at("actions")) {
    auto& c = counted[a.at("chat").get<std::string>()];
    const auto type = a.at("type").get<std::string>();
    for (auto* n : {&c, &school_count}) {
      n->created += type == "create_chat";
      n->added += type == "add_member";
      n->removed += type == "remove_member";
      n->admins += type == "set_admin";
      n->links += type == "issue_invite";
    }
  }
  const auto read = [](const json& t) {
    return ChatCount{t.at("chats_created").get<int>(), t.at("members_added").get<int>(),
                     t.at("members_removed").get<int>(), t.at("admins_set").get<int>(),
                     t.at("links_issued").get<int>()};
  };
  const auto summary = plan_json({"--summary"}, 0);
  EXPECT_EQ(summary.at("format"), "rosterd-plan-summary/1");
  const auto& school = summary.at("summary").at("schools").at(0);
  std::map<std::string, ChatCount> summarised;
  for (const auto& chat : school.at("chats"))
    summarised[chat.at("chat").get<std::string>()] = read(chat);
  EXPECT_EQ(summarised, counted);
  EXPECT_EQ(read(school.at("total")), school_count);
  EXPECT_EQ(read(summary.at("summary").at("region")), school_count);
  EXPECT_EQ(summary.at("summary").at("region").at("schools"), 1);

  const auto text = plan({"--summary", "--lang", "en"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const auto lines = lines_of(text.out);
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.rfind("  ", 0) == 0; }),
            static_cast<std::ptrdiff_t>(counted.size()))
      << "one line per chat:\n"
      << text.out;
  EXPECT_NE(text.out.find("Class 5А, «5А · ШТ» [class:g-5a]: 1 new chat, +" +
                          std::to_string(counted["class:g-5a"].added) + " member"),
            std::string::npos)
      << text.out;
  EXPECT_NE(lines.back().find("Region total (1 school): " + std::to_string(school_count.created) +
                              " new chats"),
            std::string::npos)
      << lines.back();
}

TEST_F(PlanCli, NeverPrintsAContactValueInAnyFormat) {
  const auto applied = dir_.path() / "applied.json";
  (void)plan({"--assume-applied", applied.string()});
  (void)plan({"--format", "json"});
  (void)plan({"--applied", applied.string()});
  seen_.push_back(test_support::read_file(applied));
  ASSERT_FALSE(seen_.back().empty());
  // TearDown checks every output, the snapshot included.
}

}  // namespace
}  // namespace rosterd::daemon
