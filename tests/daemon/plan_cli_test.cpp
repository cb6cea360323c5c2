// `rosterd plan` run as the real process on a school export the test writes itself.

#include <gtest/gtest.h>

#include <algorithm>
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
  // A heading per chat, its actions indented below it, each with " — <reason>".
  std::vector<std::string> headings;
  std::size_t actions = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (line.rfind("  ", 0) != 0 && line.find("  [") != std::string::npos) {
      headings.push_back(line.substr(line.find("  [") + 2));
      ASSERT_LT(i + 1, lines.size());
      EXPECT_EQ(lines[i + 1].rfind("  create_chat", 0), 0U) << "first action of " << line;
    } else if (line.rfind("  add_member", 0) == 0 || line.rfind("  create_chat", 0) == 0) {
      ++actions;
      EXPECT_NE(line.find(" — "), std::string::npos) << "no reason: " << line;
    }
  }
  std::sort(headings.begin(), headings.end());
  EXPECT_EQ(headings,
            (std::vector<std::string>{"[class:g-5a]", "[parents:g-5a]", "[staff:sch-t]"}));
  EXPECT_GE(actions, 3U);
  EXPECT_NE(result.out.find("Иванова Анна (p-s1)"), std::string::npos) << "names the person";
  EXPECT_NE(lines.back().find("sch-t: 3 create_chat"), std::string::npos) << lines.back();
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
