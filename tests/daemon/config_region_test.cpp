// The region's keys of issue 12: named platform tokens, a school's token and time zone, and
// `region.schools: "all"` (discovery) with its exclude list and listing interval.
#include <gtest/gtest.h>

#include <algorithm>

#include "daemon/config.h"
#include "daemon/wiring.h"
#include "tests/daemon/config_fixture.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using test_support::BadConfig;
using test_support::problems_of;
const auto& base = test_support::config_base;

const std::string platform_with_tokens = R"("platform": {"base_url": "http://x",
  "token_file": "/etc/rosterd/platform.token",
  "tokens": {"north": {"token_file": "north.token", "requests_per_second": 5},
             "south": {"token_credential": "south-token"}}})";

const std::string http_region =
    R"("source": {"type": "http", "base_url": "http://journal", "token_file": "j.token"})";

std::string config_with(const std::string& school_keys, const std::string& region_keys = "") {
  std::string text = "{" + platform_with_tokens +
                     R"(, "schools": [{"id": "s1", "source": {"type": "export", "path": "x"})" +
                     school_keys + "}]";
  if (!region_keys.empty()) text += R"(, "region": {)" + http_region + region_keys + "}";
  return text + "}";
}

class RegionConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(RegionConfigErrors, NameTheKeyPathAndTheValue) {
  const auto problems = problems_of(GetParam().json);
  EXPECT_NE(std::find(problems.begin(), problems.end(), GetParam().problem), problems.end())
      << ::testing::PrintToString(problems);
}

INSTANTIATE_TEST_SUITE_P(
    Config, RegionConfigErrors,
    ::testing::Values(
        BadConfig{"token_named_default",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"}}],
                      "platform": {"base_url": "http://x", "token_file": "t",
                                   "tokens": {"default": {"token_file": "d"}}}})",
                  "platform.tokens.default: \"default\" is the name of platform.token_file's "
                  "budget; choose another name"},
        BadConfig{"token_without_file",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"}}],
                      "platform": {"base_url": "http://x", "token_file": "t",
                                   "tokens": {"north": {"requests_per_second": 3}}}})",
                  "platform.tokens.north.token_file: missing"},
        BadConfig{"token_rate_zero",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"}}],
                      "platform": {"base_url": "http://x", "token_file": "t",
                                   "tokens": {"north": {"token_file": "n", "requests_per_second": 0}}}})",
                  "platform.tokens.north.requests_per_second: must be a number above 0"},
        BadConfig{"token_inline_secret",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"}}],
                      "platform": {"base_url": "http://x", "token_file": "t",
                                   "tokens": {"north": {"token_file": "n", "token": "abc"}}}})",
                  "platform.tokens.north.token: secrets are not accepted in the config; name a "
                  "file that holds it"},
        BadConfig{"token_name_with_space",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"}}],
                      "platform": {"base_url": "http://x", "token_file": "t",
                                   "tokens": {"north west": {"token_file": "n"}}}})",
                  "platform.tokens.north west: a token's name is 1..64 letters, digits, '-', '_' "
                  "or '.'"},
        BadConfig{"school_unknown_token", config_with(R"(, "platform_token": "east")"),
                  "schools[0].platform_token: no token \"east\" in platform.tokens (it names "
                  "north, south)"},
        BadConfig{"school_token_without_tokens",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"},
                                   "platform_token": "north"}]})",
                  "schools[0].platform_token: no token \"north\" in platform.tokens (it names "
                  "none)"},
        BadConfig{"school_unknown_zone", config_with(R"(, "timezone": "Europe/Moskva")"),
                  "schools[0].timezone: unknown time zone \"Europe/Moskva\" (an IANA name such as "
                  "Europe/Moscow or Asia/Kamchatka)"},
        BadConfig{"school_zone_not_text", config_with(R"(, "timezone": 3)"),
                  "schools[0].timezone: must be a non-empty string"},
        BadConfig{"region_unknown_zone",
                  config_with("", R"(, "schools": ["s2"], "timezone": "Mars/Olympus")"),
                  "region.timezone: unknown time zone \"Mars/Olympus\" (an IANA name such as "
                  "Europe/Moscow or Asia/Kamchatka)"},
        BadConfig{"region_unknown_token",
                  config_with("", R"(, "schools": ["s2"], "platform_token": "east")"),
                  "region.platform_token: no token \"east\" in platform.tokens (it names north, "
                  "south)"},
        BadConfig{"all_from_an_export_folder",
                  R"({"region": {"source": {"type": "export", "root": "r"}, "schools": "all"}})",
                  "region.schools: \"all\" needs an http source: only the journal's API lists "
                  "organisations"},
        BadConfig{"schools_some", config_with("", R"(, "schools": "some")"),
                  "region.schools: must be a list of school ids or \"all\""},
        BadConfig{"exclude_without_all",
                  config_with("", R"(, "schools": ["s2"], "exclude": ["s3"])"),
                  "region.exclude: only with \"schools\": \"all\""},
        BadConfig{"interval_without_all",
                  config_with("", R"(, "schools": ["s2"], "list_interval_s": 600)"),
                  "region.list_interval_s: only with \"schools\": \"all\""},
        BadConfig{"interval_too_short",
                  config_with("", R"(, "schools": "all", "list_interval_s": 0)"),
                  "region.list_interval_s: must be an integer ≥ 1"},
        BadConfig{"exclude_not_ids", config_with("", R"(, "schools": "all", "exclude": [1])"),
                  "region.exclude[0]: must be a non-empty string"},
        BadConfig{"settings_file_missing",
                  config_with("", R"(, "schools": "all", "settings_file": "nowhere.csv")"),
                  "region.settings_file: /etc/rosterd/nowhere.csv: cannot read"},
        BadConfig{"settings_file_kind",
                  config_with("", R"(, "schools": "all", "settings_file": "schools.xlsx")"),
                  "region.settings_file: /etc/rosterd/schools.xlsx: must be a .csv or a .json "
                  "file"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(RegionConfig, ReadsNamedTokensWithTheirBudgetsAndPaths) {
  const auto config = parse_config(config_with(""), base, "test.json");
  ASSERT_TRUE(config.platform.has_value());
  const auto& tokens = config.platform->tokens;
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_EQ(tokens.at("north").token_file.path, std::filesystem::path{"/etc/rosterd/north.token"});
  EXPECT_EQ(tokens.at("north").token_file.key, "platform.tokens.north.token_file");
  EXPECT_DOUBLE_EQ(tokens.at("north").requests_per_second, 5);
  EXPECT_EQ(tokens.at("south").token_file.credential, "south-token");
  EXPECT_DOUBLE_EQ(tokens.at("south").requests_per_second, 3);  // the default
}

TEST(RegionConfig, GivesSchoolsTheirTokenAndZoneAndTheRegionsToItsSchools) {
  const auto config = parse_config(
      config_with(R"(, "platform_token": "north", "timezone": "Asia/Kamchatka")",
                  R"(, "schools": ["s2", "s3"], "platform_token": "south",
                     "timezone": "Europe/Kaliningrad")"),
      base, "test.json");
  ASSERT_EQ(config.schools.size(), 3U);
  EXPECT_EQ(config.schools[0].platform_token, "north");
  EXPECT_EQ(config.schools[0].timezone, "Asia/Kamchatka");
  EXPECT_EQ(config.schools[2].id, "s3");
  EXPECT_EQ(config.schools[2].platform_token, "south");
  EXPECT_EQ(config.schools[2].timezone, "Europe/Kaliningrad");
  EXPECT_FALSE(config.discovery.has_value());
}

TEST(RegionConfig, LeavesTheTokenAndZoneEmptyWhenNotGiven) {
  const auto config = parse_config(config_with(""), base, "test.json");
  EXPECT_EQ(config.schools[0].platform_token, "");
  EXPECT_EQ(config.schools[0].timezone, "");
}

TEST(RegionConfig, AllKeepsTheRegionAsATemplateUntilTheListingComes) {
  const auto config = parse_config(
      config_with("", R"(, "schools": "all", "exclude": ["s9"], "list_interval_s": 600,
                     "fallback_admin": {"platform_user_id": 5}, "limits": {"max_removals": 4},
                     "timezone": "Asia/Yakutsk")"),
      base, "test.json");
  ASSERT_EQ(config.schools.size(), 1U);  // schools[] only
  ASSERT_TRUE(config.discovery.has_value());
  EXPECT_EQ(config.discovery->exclude, std::vector<std::string>{"s9"});
  EXPECT_EQ(config.discovery->list_interval_s, 600);
  EXPECT_EQ(config.discovery->school.source.type, SourceType::http);
  EXPECT_EQ(config.discovery->school.limits.max_removals, 4);

  // The listing: unsorted, with an excluded id, a schools[] id and a repeated one.
  const auto listed = with_listed_schools(config, {"s4", "s9", "s1", "s2", "s4"});
  std::vector<std::string> ids;
  for (const auto& school : listed.schools) ids.push_back(school.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"s1", "s2", "s4"}));
  EXPECT_EQ(listed.schools[0].source.type, SourceType::export_folder);  // schools[] as it was
  EXPECT_EQ(listed.schools[1].source.base_url, "http://journal");
  EXPECT_EQ(listed.schools[1].timezone, "Asia/Yakutsk");
  EXPECT_EQ(listed.schools[2].limits.max_removals, 4);
  ASSERT_TRUE(listed.schools[2].rules.fallback_admin.has_value());
  EXPECT_EQ(listed.schools[2].rules.fallback_admin->platform_user_id, 5);
}

TEST(RegionConfig, AllDefaultsToListingHourly) {
  const auto config = parse_config(config_with("", R"(, "schools": "all")"), base, "test.json");
  ASSERT_TRUE(config.discovery.has_value());
  EXPECT_EQ(config.discovery->list_interval_s, 3600);
  EXPECT_TRUE(config.discovery->exclude.empty());
}

TEST(RegionConfig, RunChecksEveryNamedTokenAndTheRegionsJournalToken) {
  test_support::TempFolder dir;
  const auto file = dir.path() / "rosterd.json";
  test_support::write_file(dir.path() / "platform.token", "p");
  test_support::write_file(file, R"({"platform": {"base_url": "http://x",
      "token_file": "./platform.token", "tokens": {"north": {"token_file": "./north.token"}}},
      "store": {"sqlite": "state.db"},
      "region": {"source": {"type": "http", "base_url": "http://j", "token_file": "./j.token"},
                 "schools": "all"}})");
  try {
    (void)load_daemon_config(file, SecretCheck::all);
    FAIL() << "the token files are missing";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems(), (std::vector<std::string>{
                                "platform.tokens.north.token_file: cannot read " +
                                    (dir.path() / "north.token").string() + ": no such file",
                                "region.source.token_file: cannot read " +
                                    (dir.path() / "j.token").string() + ": no such file"}));
  }
}

}  // namespace
}  // namespace rosterd::daemon
