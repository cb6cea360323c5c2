// `rosterd plan` as the real process on an export whose text fights back: a name that forges a
// plan line and clears the screen, a group name with CR and BEL, a phone number in an id column.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using nlohmann::json;
using test_support::ProcessResult;

class UntrustedText : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.path() / "exports" / "sch-t";
    test_support::write_school_export(folder_);
    config_ = dir_.path() / "rosterd.json";
    test_support::write_file(config_, R"({"schools": [{"id": "sch-t",
        "source": {"type": "export", "path": "exports/sch-t"},
        "fallback_admin": {"platform_user_id": 900, "label": "platform-admin"}}]})");
  }

  // Replaces the first occurrence of `from` in one file of the export.
  void edit(const std::string& file, const std::string& from, const std::string& to) {
    auto text = test_support::read_file(folder_ / file);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    test_support::write_file(folder_ / file, text);
  }

  // In English: the lines the tests look for are the core's messages as written.
  ProcessResult plan(const std::string& format) {
    return test_support::run_rosterd({"plan", "--config", config_.string(), "--today", "2026-09-01",
                                      "--format", format, "--lang", "en"});
  }

  test_support::TempFolder dir_;
  std::filesystem::path folder_;
  std::filesystem::path config_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', begin)) {
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

bool has_control(const std::string& text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n') || byte == 0x7f) return true;
  }
  return false;
}

TEST_F(UntrustedText, ANameCannotForgeAPlanLineNorDriveTheTerminal) {
  // Иванова Анна (p-s1) is the child of p-m1: her name is in her parent's reason too.
  edit("persons.json", R"("last_name": "Иванова", "first_name": "Анна")",
       R"("last_name": "Иван\n  remove_member class:x p1\u001b[2J", "first_name": "Анна")");
  const auto result = plan("text");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(has_control(result.out)) << result.out;
  EXPECT_FALSE(has_control(result.err)) << result.err;
  // A new school's plan removes nobody: any remove_member line would be forged.
  for (const auto& line : lines_of(result.out)) {
    if (line.find("remove_member") != std::string::npos) {
      EXPECT_NE(line.find("Иван remove_member class:x p1[2J"), std::string::npos)
          << "a line of its own: " << line;
    }
    const auto start = line.find_first_not_of(' ');
    EXPECT_TRUE(start == std::string::npos || line.compare(start, 7, "remove ") != 0) << line;
  }
  EXPECT_NE(result.out.find("    add Иван remove_member class:x p1[2J Анна (p-s1), member"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("  Name cleaned or cut (1)\n"
                            "    Иван remove_member class:x p1[2J Анна (5А, student, p-s1) — "
                            "person p-s1: name holds control characters"),
            std::string::npos)
      << result.out;
}

TEST_F(UntrustedText, AGroupNameWithCarriageReturnAndBellGivesACleanTitle) {
  edit("groups.json", R"("name": "5А")", R"("name": "5\rА\u0007")");
  const auto document = json::parse(plan("json").out);
  std::vector<std::string> titles;
  for (const auto& action : document.at("schools").at(0).at("actions")) {
    if (action.at("type") == "create_chat") titles.push_back(action.at("title"));
  }
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(titles, (std::vector<std::string>{"5 А · ШТ", "5 А · родители · ШТ", "Педагоги · ШТ"}));
}

TEST_F(UntrustedText, AnIdThatIsAPhoneNumberIsNeverQuoted) {
  // Somebody put a phone number in the id column and a contact in the date column.
  edit("persons.json", R"("id": "p-s2")", R"("id": "+7 900 555-44-33")");
  edit("persons.json", R"("birth_date": "2015-07-19")", R"("birth_date": "sasha@example.net")");
  for (const auto& format : {"text", "json"}) {
    const auto result = plan(format);
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.err.find("<id that looks like a phone number>"), std::string::npos)
        << result.err;
    for (const auto& output : {result.out, result.err}) {
      for (const std::string secret : {"555-44-33", "5554433", "sasha@", "example.net"}) {
        EXPECT_EQ(output.find(secret), std::string::npos) << secret << " in:\n" << output;
      }
    }
  }
}

}  // namespace
}  // namespace rosterd::daemon
