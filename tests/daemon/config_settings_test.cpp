// The region's settings file (`region.settings_file`): per school id, the fallback admin,
// policy, limits, time zone and platform token, from a CSV as a spreadsheet exports it or from
// JSON; a bad value named by file, line and column.
#include <gtest/gtest.h>

#include <algorithm>

#include "daemon/config.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

// A config file in a temp folder, a region of three schools over an http source, and a
// settings file beside it.
class SettingsFile : public ::testing::Test {
 protected:
  [[nodiscard]] Config load(const std::string& name, const std::string& settings,
                            const std::string& schools = R"(["sch-1", "sch-2", "sch-3"])") {
    test_support::write_file(dir_.path() / name, settings);
    test_support::write_file(config_file(), R"({
      "defaults": {"policy": {"grace_days": 5}},
      "platform": {"base_url": "http://x", "token_file": "t",
                   "tokens": {"north": {"token_file": "n"}}},
      "region": {"source": {"type": "http", "base_url": "http://j", "token_file": "j"},
                 "schools": )" + schools + R"(, "settings_file": ")" + name + R"(",
                 "fallback_admin": {"platform_user_id": 9, "label": "region-admin"},
                 "limits": {"max_removals": 7}}})");
    return load_config(config_file());
  }
  // The problems loading it reports (empty: it loaded).
  [[nodiscard]] std::vector<std::string> problems(const std::string& name,
                                                  const std::string& settings) {
    try {
      (void)load(name, settings);
    } catch (const ConfigError& e) {
      return e.problems();
    }
    return {};
  }
  [[nodiscard]] std::filesystem::path config_file() const { return dir_.path() / "rosterd.json"; }
  [[nodiscard]] std::string file(const std::string& name) const {
    return (dir_.path() / name).string();
  }

  test_support::TempFolder dir_;
};

const SchoolConfig& school(const Config& config, const std::string& id) {
  const auto* found = config.find_school(id);
  if (found == nullptr) throw std::logic_error("no school " + id);
  return *found;
}

TEST_F(SettingsFile, ReadsASpreadsheetsSemicolonCsvWithABomAndQuotes) {
  // As LibreOffice or Excel export it in a Russian locale: a BOM, `;`, CRLF, a decimal comma,
  // TRUE in capitals, a quoted label holding the separator and a doubled quote, cells left
  // empty (the region's value stays) and a row shorter than the header.
  const auto config = load(
      "schools.csv",
      "\xEF\xBB\xBFid;platform_user_id;label;grace_days;strict;max_removal_share;timezone;"
      "platform_token;removed_by_hand\r\n"
      "sch-1;100;\"Петрова; \"\"завуч\"\"\";2;TRUE;0,05;Asia/Kamchatka;north;report\r\n"
      "sch-2;;;;;;Europe/Kaliningrad\r\n"
      "\r\n");
  const auto& one = school(config, "sch-1");
  ASSERT_TRUE(one.rules.fallback_admin.has_value());
  EXPECT_EQ(one.rules.fallback_admin->platform_user_id, 100);
  EXPECT_EQ(one.rules.fallback_admin->person_id, "Петрова; \"завуч\"");
  EXPECT_EQ(one.policy.grace_days, 2);
  EXPECT_TRUE(one.policy.strict);
  EXPECT_FALSE(one.policy.restore_removed);
  EXPECT_DOUBLE_EQ(one.limits.max_removal_share, 0.05);
  EXPECT_EQ(one.limits.max_removals, 7);  // the region's: the row does not give it
  EXPECT_EQ(one.timezone, "Asia/Kamchatka");
  EXPECT_EQ(one.platform_token, "north");

  const auto& two = school(config, "sch-2");
  EXPECT_EQ(two.rules.fallback_admin->platform_user_id, 9);  // the region's
  EXPECT_EQ(two.policy.grace_days, 5);                       // the defaults'
  EXPECT_EQ(two.timezone, "Europe/Kaliningrad");
  EXPECT_EQ(two.platform_token, "");

  const auto& three = school(config, "sch-3");  // no row: the region's settings
  EXPECT_EQ(three.rules.fallback_admin->person_id, "region-admin");
  EXPECT_EQ(three.timezone, "");
}

TEST_F(SettingsFile, ReadsACommaCsvAndAnAdminWithoutALabel) {
  const auto config = load("schools.csv",
                           "id,platform_user_id,invite_ttl_days,max_archives,max_source_drop\n"
                           "sch-3,42,7,1,0.5\n");
  const auto& three = school(config, "sch-3");
  EXPECT_EQ(three.rules.fallback_admin->person_id, "uid:42");
  EXPECT_EQ(three.policy.invite_ttl_days, 7);
  EXPECT_EQ(three.limits.max_archives, 1);
  EXPECT_DOUBLE_EQ(three.limits.max_source_drop, 0.5);
}

TEST_F(SettingsFile, ReadsJsonAsAListOrAsAnObjectById) {
  for (const auto& text : {std::string{R"([{"id": "sch-2", "grace_days": 1, "timezone": "Asia/Omsk",
                                           "platform_user_id": 8, "label": "own-admin"}])"},
                           std::string{R"({"sch-2": {"grace_days": 1, "timezone": "Asia/Omsk",
                                           "platform_user_id": 8, "label": "own-admin"}})"}}) {
    const auto config = load("schools.json", text);
    const auto& two = school(config, "sch-2");
    EXPECT_EQ(two.policy.grace_days, 1);
    EXPECT_EQ(two.timezone, "Asia/Omsk");
    EXPECT_EQ(two.rules.fallback_admin->person_id, "own-admin");
    EXPECT_EQ(school(config, "sch-1").policy.grace_days, 5);
  }
}

TEST_F(SettingsFile, WarnsAboutARowForASchoolTheRegionDoesNotHave) {
  const auto config = load("schools.csv", "id;grace_days\nsch-1;1\nsch-77;2\n");
  EXPECT_EQ(config_warnings(config),
            (std::vector<std::string>{"region.settings_file: " + file("schools.csv") +
                                      ": a row for sch-77, which is not one of region.schools"}));
}

TEST_F(SettingsFile, GivesListedSchoolsTheirRowWhenTheRegionIsAll) {
  const auto config = load("schools.csv", "id;grace_days;platform_token\nsch-8;0;north\n",
                           R"("all")");
  EXPECT_TRUE(config.schools.empty());
  EXPECT_TRUE(config_warnings(config).empty());  // the listing may show sch-8 later
  const auto listed = with_listed_schools(config, {"sch-9", "sch-8"});
  ASSERT_EQ(listed.schools.size(), 2U);
  EXPECT_EQ(listed.schools[0].id, "sch-8");
  EXPECT_EQ(listed.schools[0].policy.grace_days, 0);
  EXPECT_EQ(listed.schools[0].platform_token, "north");
  EXPECT_EQ(listed.schools[0].limits.max_removals, 7);
  EXPECT_EQ(listed.schools[1].policy.grace_days, 5);
}

TEST_F(SettingsFile, ReReadsTheFileOnEveryLoad) {
  (void)load("schools.csv", "id;grace_days\nsch-1;1\n");
  test_support::write_file(dir_.path() / "schools.csv", "id;grace_days\nsch-1;11\n");
  EXPECT_EQ(school(load_config(config_file()), "sch-1").policy.grace_days, 11);
}

struct BadSettings {
  std::string name;
  std::string file;      // the settings file's name
  std::string settings;  // its text
  std::string problem;   // after "region.settings_file: <path>: "
};
void PrintTo(const BadSettings& bad, std::ostream* out) { *out << bad.name; }

class SettingsFileErrors : public SettingsFile,
                           public ::testing::WithParamInterface<BadSettings> {};

TEST_P(SettingsFileErrors, NameTheFileTheLineAndTheColumn) {
  const auto& bad = GetParam();
  const auto found = problems(bad.file, bad.settings);
  const auto expected = "region.settings_file: " + file(bad.file) + ": " + bad.problem;
  EXPECT_NE(std::find(found.begin(), found.end(), expected), found.end())
      << expected << "\n" << ::testing::PrintToString(found);
}

INSTANTIATE_TEST_SUITE_P(
    Config, SettingsFileErrors,
    ::testing::Values(
        BadSettings{"bad_integer_on_its_line", "s.csv",
                    "id;grace_days\nsch-1;2\nsch-2;two\n",
                    "line 3: grace_days: must be an integer ≥ 0"},
        BadSettings{"line_counts_a_quoted_line_break", "s.csv",
                    "id;label;platform_user_id\nsch-1;\"two\nlines\";4\nsch-2;x;0\n",
                    "line 4: platform_user_id: must be an integer ≥ 1"},
        BadSettings{"share_above_one", "s.csv", "id,max_removal_share\nsch-1,1.5\n",
                    "line 2: max_removal_share: must be a number from 0 to 1"},
        BadSettings{"boolean", "s.csv", "id;strict\nsch-1;maybe\n",
                    "line 2: strict: must be true or false"},
        BadSettings{"removed_by_hand", "s.csv", "id;removed_by_hand\nsch-1;keep\n",
                    "line 2: removed_by_hand: must be \"restore\" or \"report\""},
        BadSettings{"unknown_zone", "s.csv", "id;timezone\nsch-1;Europe/Moskva\n",
                    "line 2: timezone: unknown time zone \"Europe/Moskva\" (an IANA name such as "
                    "Europe/Moscow or Asia/Kamchatka)"},
        BadSettings{"unknown_token", "s.csv", "id;platform_token\nsch-1;east\n",
                    "line 2: platform_token: no token \"east\" in platform.tokens (it names "
                    "north)"},
        BadSettings{"label_without_admin", "s.csv", "id;label\nsch-1;Петрова\n",
                    "line 2: label: needs platform_user_id in the same row"},
        BadSettings{"unknown_column", "s.csv", "id;grace_dayz\nsch-1;1\n",
                    "line 1: column grace_dayz: unknown (known: id, platform_user_id, label, "
                    "grace_days, invite_ttl_days, strict, removed_by_hand, max_removals, "
                    "max_removal_share, max_archives, max_archive_share, max_source_drop, "
                    "timezone, platform_token)"},
        BadSettings{"no_id_column", "s.csv", "grace_days\n1\n", "line 1: no id column"},
        BadSettings{"too_many_values", "s.csv", "id;grace_days\nsch-1;1;2\n",
                    "line 2: 3 values, the header has 2 columns"},
        BadSettings{"id_twice", "s.csv", "id;grace_days\nsch-1;1\nsch-1;2\n",
                    "line 3: id sch-1: already given on line 2"},
        BadSettings{"id_empty", "s.csv", "id;grace_days\n;1\n", "line 2: id: missing"},
        BadSettings{"quote_not_closed", "s.csv", "id;label\nsch-1;\"open\n",
                    "line 2: a quoted value is not closed"},
        BadSettings{"empty_csv", "s.csv", "", "empty: expected a header row"},
        BadSettings{"json_bad_value", "s.json", R"({"sch-1": {"grace_days": -1}})",
                    "sch-1.grace_days: must be an integer ≥ 0"},
        BadSettings{"json_list_without_id", "s.json", R"([{"id": "sch-1"}, {"grace_days": 1}])",
                    "[1].id: missing"},
        BadSettings{"json_unknown_key", "s.json", R"([{"id": "sch-1", "policy": {}}])",
                    "[0].policy: unknown key (known: id, platform_user_id, label, grace_days, "
                    "invite_ttl_days, strict, removed_by_hand, max_removals, max_removal_share, "
                    "max_archives, max_archive_share, max_source_drop, timezone, "
                    "platform_token)"},
        BadSettings{"json_malformed", "s.json", "[{", "malformed JSON"}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rosterd::daemon
