#include "daemon/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/daemon/config_fixture.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using test_support::BadConfig;
using test_support::problems_of;
using test_support::school_with;
const auto& base = test_support::config_base;

std::string defaults_with(const std::string& defaults) {
  return R"({"defaults": )" + defaults +
         R"(, "schools": [{"id": "s", "source": {"type": "export", "path": "x"}}]})";
}

class ConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(ConfigErrors, NameTheKeyPath) {
  const auto problems = problems_of(GetParam().json);
  EXPECT_NE(std::find(problems.begin(), problems.end(), GetParam().problem), problems.end())
      << ::testing::PrintToString(problems);
}

INSTANTIATE_TEST_SUITE_P(
    Config, ConfigErrors,
    ::testing::Values(
        BadConfig{"no_schools", R"({})", "schools: missing"},
        BadConfig{"empty_schools", R"({"schools": []})", "schools: must list at least one school"},
        BadConfig{"no_path", R"({"schools": [{"id": "s", "source": {"type": "export"}}]})",
                  "schools[0].source.path: missing"},
        BadConfig{"no_id", R"({"schools": [{"source": {"type": "export", "path": "x"}}]})",
                  "schools[0].id: missing"},
        BadConfig{"other_source",
                  R"({"schools": [{"id": "s", "source": {"type": "api", "path": "x"}}]})",
                  "schools[0].source.type: must be \"export\", \"http\" or \"oneroster\""},
        BadConfig{"typo_in_key", school_with(R"(, "polcy": {})"), "schools[0].polcy: unknown key"},
        BadConfig{"oneroster_org_kind",
                  R"({"schools": [{"id": "s", "source": {"type": "oneroster", "path": "x", "org_kinds": {"k-1": "nursery"}}}]})",
                  "schools[0].source.org_kinds.k-1: must be \"school\", \"kindergarten\" or "
                  "\"additional\""},
        BadConfig{"oneroster_org_kinds_list",
                  R"({"schools": [{"id": "s", "source": {"type": "oneroster", "path": "x", "org_kinds": ["k-1"]}}]})",
                  "schools[0].source.org_kinds: must be an object"},
        BadConfig{"oneroster_homerooms_text",
                  R"({"schools": [{"id": "s", "source": {"type": "oneroster", "path": "x", "homerooms_only": "yes"}}]})",
                  "schools[0].source.homerooms_only: must be true or false"},
        BadConfig{"oneroster_unknown_key",
                  R"({"schools": [{"id": "s", "source": {"type": "oneroster", "path": "x", "homeroom_only": true}}]})",
                  "schools[0].source.homeroom_only: unknown key"},
        BadConfig{"export_has_no_timezone",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x", "timezone": "Europe/Moscow"}}]})",
                  "schools[0].source.timezone: unknown key"},
        BadConfig{
            "inline_token",
            R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x", "token": "abc"}}]})",
            "schools[0].source.token: secrets are not accepted in the config; name a file that "
            "holds it"},
        BadConfig{"negative_grace", defaults_with(R"({"policy": {"grace_days": -1}})"),
                  "defaults.policy.grace_days: must be an integer ≥ 0"},
        BadConfig{"fractional_grace", defaults_with(R"({"policy": {"grace_days": 1.5}})"),
                  "defaults.policy.grace_days: must be an integer ≥ 0"},
        BadConfig{"zero_ttl", school_with(R"(, "policy": {"invite_ttl_days": 0})"),
                  "schools[0].policy.invite_ttl_days: must be an integer ≥ 1"},
        BadConfig{"strict_text", school_with(R"(, "policy": {"strict": "yes"})"),
                  "schools[0].policy.strict: must be true or false"},
        BadConfig{"share_above_one", defaults_with(R"({"limits": {"max_removal_share": 1.5}})"),
                  "defaults.limits.max_removal_share: must be a number from 0 to 1"},
        BadConfig{"archives_text", school_with(R"(, "limits": {"max_archives": "3"})"),
                  "schools[0].limits.max_archives: must be an integer ≥ 0"},
        BadConfig{
            "bad_chat_kind",
            defaults_with(
                R"({"rules": {"school": {"class": [{"kind": "class", "title": "{group.name}"}, {"kind": "club", "title": "t"}]}}})"),
            "defaults.rules.school.class[1].kind: must be one of class, parents, association"},
        BadConfig{
            "placeholder_typo",
            defaults_with(
                R"({"rules": {"kindergarten": {"kindergarten_group": [{"kind": "parents", "title": "{group.nmae}"}]}}})"),
            "defaults.rules.kindergarten.kindergarten_group[0].title: unknown placeholder "
            "{group.nmae} (known: {group.name}, {org.short_name}, {org.name}, {year})"},
        BadConfig{
            "staff_title_with_group",
            defaults_with(R"({"rules": {"school": {"staff_chat": {"title": "{group.name}"}}}})"),
            "defaults.rules.school.staff_chat.title: the staff chat has no group, so "
            "{group.name} cannot be filled"},
        BadConfig{"unknown_org_kind", defaults_with(R"({"rules": {"college": {}}})"),
                  "defaults.rules.college: unknown key"},
        BadConfig{"admin_without_uid", school_with(R"(, "fallback_admin": {"label": "admin"})"),
                  "schools[0].fallback_admin.platform_user_id: missing"},
        BadConfig{"admin_uid_zero", school_with(R"(, "fallback_admin": {"platform_user_id": 0})"),
                  "schools[0].fallback_admin.platform_user_id: must be an integer ≥ 1"},
        BadConfig{"duplicate_id",
                  R"({"schools": [{"id": "s", "source": {"type": "export", "path": "a"}},
                                  {"id": "s", "source": {"type": "export", "path": "b"}}]})",
                  "schools[1].id: duplicate school id s"},
        BadConfig{"malformed", "{\n  \"schools\": [\n  ,]}", "malformed JSON at line 3, column 3"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Config, CollectsEveryProblemNotJustTheFirst) {
  const auto problems = problems_of(R"({
    "defaults": {"policy": {"grace_days": -1}},
    "schools": [{"id": "s", "source": {"type": "export"}, "limts": {}}]
  })");
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "defaults.policy.grace_days: must be an integer ≥ 0",
                          "schools[0].limts: unknown key", "schools[0].source.path: missing"}));
}

TEST(Config, ErrorMessageNamesTheFileOnEveryLine) {
  try {
    (void)parse_config(R"({"schools": [{"id": "s"}], "x": 1})", base, "rosterd.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string{e.what()},
              "rosterd.json: x: unknown key\nrosterd.json: schools[0].source: missing");
  }
}

TEST(Config, LoadsWithCommentsAndFillsEveryDefault) {
  const auto config = parse_config(R"({
    // one school; everything else as built in
    "schools": [ /* the demo */ {"id": "sch-1", "source": {"type": "export", "path": "../var/sch-1"}} ]
  })",
                                   base, "test.json");
  ASSERT_EQ(config.schools.size(), 1U);
  const auto& school = config.schools[0];
  const auto builtin = mapping::Rules::defaults();
  EXPECT_EQ(school.source.path, std::filesystem::path{"/etc/var/sch-1"});
  EXPECT_EQ(school.policy.grace_days, mapping::Policy{}.grace_days);
  EXPECT_EQ(school.policy.invite_ttl_days, mapping::Policy{}.invite_ttl_days);
  EXPECT_EQ(school.limits.max_removals, mapping::Limits{}.max_removals);
  EXPECT_EQ(school.limits.max_source_drop, mapping::Limits{}.max_source_drop);
  ASSERT_EQ(school.rules.school.class_chats.size(), builtin.school.class_chats.size());
  EXPECT_EQ(school.rules.school.class_chats[0].title, builtin.school.class_chats[0].title);
  EXPECT_EQ(school.rules.school.staff_admin_positions, builtin.school.staff_admin_positions);
  EXPECT_FALSE(school.rules.fallback_admin.has_value());
}

TEST(Config, SchoolSettingsOverrideDefaultsKeyByKey) {
  const auto config = parse_config(R"({
    "defaults": {
      "policy": {"grace_days": 7, "strict": true},
      "limits": {"max_removals": 5},
      "rules": {"school": {"class": [{"kind": "class", "title": "{group.name}", "include_teachers": true}],
                           "staff_chat": null}}
    },
    "schools": [
      {"id": "a", "source": {"type": "export", "path": "/data/a"}, "policy": {"grace_days": 1},
       "fallback_admin": {"platform_user_id": 501, "label": "Администратор"}},
      {"id": "b", "source": {"type": "export", "path": "/data/b"}}
    ]
  })",
                                   base, "test.json");
  const auto& a = config.schools.at(0);
  const auto& b = config.schools.at(1);
  EXPECT_EQ(a.policy.grace_days, 1);
  EXPECT_TRUE(a.policy.strict);
  EXPECT_EQ(b.policy.grace_days, 7);
  EXPECT_EQ(b.limits.max_removals, 5);
  EXPECT_EQ(b.limits.max_archives, mapping::Limits{}.max_archives);
  ASSERT_EQ(b.rules.school.class_chats.size(), 1U);
  EXPECT_TRUE(b.rules.school.class_chats[0].include_teachers);
  EXPECT_FALSE(b.rules.school.staff_chat.has_value());
  EXPECT_EQ(b.rules.kindergarten.kindergarten_group_chats.size(),
            mapping::Rules::defaults().kindergarten.kindergarten_group_chats.size());
  ASSERT_TRUE(a.rules.fallback_admin.has_value());
  EXPECT_EQ(a.rules.fallback_admin->platform_user_id, 501);
  EXPECT_EQ(a.rules.fallback_admin->person_id, "Администратор");
  EXPECT_FALSE(b.rules.fallback_admin.has_value());
}

TEST(Config, ResolvesPathsAgainstTheConfigFilesFolder) {
  test_support::TempFolder dir;
  const auto file = dir.path() / "etc" / "rosterd.json";
  std::filesystem::create_directories(file.parent_path());
  test_support::write_file(
      file, R"({"schools": [{"id": "s", "source": {"type": "export", "path": "../exports/s"}}]})");
  const auto config = load_config(file);
  EXPECT_EQ(config.schools.at(0).source.path, (dir.path() / "exports" / "s").lexically_normal());
}

TEST(Config, ReadsEveryKeyOfAOneRosterSource) {
  const auto config = parse_config(
      R"({"schools": [{"id": "hs-1", "source": {"type": "oneroster", "path": "sis",
          "platform_id_type": "sferum", "timezone": "Asia/Yekaterinburg",
          "org_kinds": {"k-1": "kindergarten", "art-1": "additional", "hs-1": "school"},
          "homerooms_only": true}}]})",
      test_support::config_base, "test.json");
  const auto& source = config.schools.at(0).source;
  EXPECT_EQ(source.type, SourceType::oneroster);
  EXPECT_EQ(source.platform_id_type, "sferum");
  EXPECT_EQ(source.timezone, "Asia/Yekaterinburg");
  EXPECT_EQ(source.org_kinds, (std::map<std::string, mapping::OrgKind>{
                                  {"art-1", mapping::OrgKind::additional},
                                  {"hs-1", mapping::OrgKind::school},
                                  {"k-1", mapping::OrgKind::kindergarten}}));
  EXPECT_TRUE(source.homerooms_only);
  const auto plain = parse_config(
      R"({"schools": [{"id": "s", "source": {"type": "oneroster", "path": "sis"}}]})",
      test_support::config_base, "test.json");
  EXPECT_TRUE(plain.schools.at(0).source.org_kinds.empty());
  EXPECT_FALSE(plain.schools.at(0).source.homerooms_only);
  EXPECT_EQ(plain.schools.at(0).source.timezone, "");
}

// docs/oneroster.md's example config ("Config") loads as it is written there.
TEST(Config, TheOneRosterDocsExampleLoads) {
  const auto doc = test_support::read_file(std::filesystem::path(ROSTERD_DOCS) / "oneroster.md");
  const auto section = doc.find("\n## Config");
  ASSERT_NE(section, std::string::npos);
  const auto open = doc.find("```json\n", section);
  ASSERT_NE(open, std::string::npos);
  const auto close = doc.find("\n```", open + 8);
  const auto example = doc.substr(open + 8, close - (open + 8));
  const auto config = parse_config(example, test_support::config_base, "oneroster.md");
  ASSERT_EQ(config.schools.size(), 2u);
  const auto& source = config.schools.at(0).source;
  EXPECT_EQ(source.type, SourceType::oneroster);
  EXPECT_EQ(source.timezone, "Europe/Moscow");
  EXPECT_EQ(source.org_kinds.at("ds-7"), mapping::OrgKind::kindergarten);
  EXPECT_TRUE(source.homerooms_only);
  EXPECT_EQ(config.schools.at(1).source, source) << "two schools of one folder";
}

TEST(Config, ThatIsMissingIsAnErrorNamingTheFile) {
  try {
    (void)load_config("/nonexistent/rosterd.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string{e.what()}, "/nonexistent/rosterd.json: cannot open");
  }
}

}  // namespace
}  // namespace rosterd::daemon
