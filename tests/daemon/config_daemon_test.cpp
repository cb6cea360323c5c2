// The config sections `rosterd run` adds: schedule, observability, log, region, credentials.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "daemon/config.h"
#include "daemon/wiring.h"
#include "tests/daemon/config_fixture.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using test_support::BadConfig;
using test_support::problems_of;
const auto& base = test_support::config_base;

const std::string one_school =
    R"("schools": [{"id": "s", "source": {"type": "export", "path": "x"}}])";

class DaemonConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(DaemonConfigErrors, NameTheKeyPath) {
  const auto problems = problems_of(GetParam().json);
  EXPECT_NE(std::find(problems.begin(), problems.end(), GetParam().problem), problems.end())
      << ::testing::PrintToString(problems);
}

std::string with(const std::string& section) {
  return "{" + one_school + ", " + section + "}";
}

INSTANTIATE_TEST_SUITE_P(
    Config, DaemonConfigErrors,
    ::testing::Values(
        BadConfig{"zero_interval", with(R"("schedule": {"interval_s": 0})"),
                  "schedule.interval_s: must be an integer ≥ 1"},
        BadConfig{"jitter_above_interval",
                  with(R"("schedule": {"interval_s": 10, "jitter_s": 11})"),
                  "schedule.jitter_s: must be at most interval_s (10)"},
        BadConfig{"no_workers", with(R"("schedule": {"concurrency": 0})"),
                  "schedule.concurrency: must be an integer ≥ 1"},
        BadConfig{"schedule_typo", with(R"("schedule": {"intervall_s": 5})"),
                  "schedule.intervall_s: unknown key"},
        BadConfig{"quarantine_text", with(R"("schedule": {"quarantine_after": "5"})"),
                  "schedule.quarantine_after: must be an integer ≥ 1"},
        BadConfig{"port_too_high", with(R"("observability": {"port": 70000})"),
                  "observability.port: must be at most 65535"},
        BadConfig{"address_not_ip", with(R"("observability": {"address": "localhost"})"),
                  "observability.address: must be an IPv4 or IPv6 address (127.0.0.1 keeps it on "
                  "this machine)"},
        BadConfig{"log_format", with(R"("log": {"format": "xml"})"),
                  "log.format: must be \"text\" or \"json\""},
        BadConfig{"log_level", with(R"("log": {"level": "loud"})"),
                  "log.level: must be one of trace, debug, info, warn, error"},
        BadConfig{
            "both_token_kinds",
            with(
                R"("platform": {"base_url": "http://x", "token_file": "t", "token_credential": "t"})"),
            "platform: give token_file or token_credential, not both"},
        BadConfig{"no_token", with(R"("platform": {"base_url": "http://x"})"),
                  "platform.token_file: missing"},
        BadConfig{
            "inline_platform_token",
            with(R"("platform": {"base_url": "http://x", "token_file": "t", "token": "abc"})"),
            "platform.token: secrets are not accepted in the config; name a file that holds it"},
        BadConfig{"credential_path",
                  with(R"("platform": {"base_url": "http://x", "token_credential": "../etc/t"})"),
                  "platform.token_credential: must be a credential's name (LoadCredential=NAME:…), "
                  "a file name without '/'"},
        BadConfig{"region_without_root",
                  R"({"region": {"source": {"type": "export"}, "schools": ["a"]}})",
                  "region.source.root: missing"},
        BadConfig{
            "region_path_not_root",
            R"({"region": {"source": {"type": "export", "root": "r", "path": "p"}, "schools": ["a"]}})",
            "region.source.path: unknown key"},
        BadConfig{"region_empty",
                  R"({"region": {"source": {"type": "export", "root": "r"}, "schools": []}})",
                  "region.schools: must list at least one school"},
        BadConfig{"region_duplicate",
                  R"({"schools": [{"id": "a", "source": {"type": "export", "path": "x"}}],
                      "region": {"source": {"type": "export", "root": "r"}, "schools": ["b", "a"]}})",
                  "region.schools[1]: duplicate school id a"},
        BadConfig{"region_id_with_slash",
                  R"({"region": {"source": {"type": "export", "root": "r"}, "schools": ["../a"]}})",
                  "region.schools[0]: a school id must not contain '/'"},
        BadConfig{"neither_schools_nor_region", R"({})", "schools: missing"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(DaemonConfig, FillsTheRunDefaults) {
  const auto config = parse_config("{" + one_school + "}", base, "test.json");
  EXPECT_EQ(config.schedule.interval_s, 900);
  EXPECT_EQ(config.schedule.concurrency, 2);
  EXPECT_EQ(config.schedule.quarantine_after, 5);
  EXPECT_EQ(config.schedule.quarantine_retry_s, 6 * 3600);
  EXPECT_EQ(config.observability.address, "127.0.0.1");
  EXPECT_EQ(config.observability.port, 9464);
  EXPECT_EQ(config.log.format, LogFormat::text);
  EXPECT_EQ(config.log.level, "info");
}

TEST(DaemonConfig, ARegionGivesEachSchoolItsFolderUnderTheRoot) {
  const auto config = parse_config(R"({
    "defaults": {"policy": {"grace_days": 9}},
    "region": {"source": {"type": "export", "root": "../exports"}, "schools": ["sch-1", "sch-2"],
               "fallback_admin": {"platform_user_id": 77}, "limits": {"max_removals": 4}},
    "schedule": {"interval_s": 60, "jitter_s": 5, "concurrency": 3},
    "observability": {"port": 0},
    "log": {"format": "json", "level": "debug"}
  })",
                                   base, "test.json");
  ASSERT_EQ(config.schools.size(), 2U);
  EXPECT_EQ(config.schools[1].id, "sch-2");
  EXPECT_EQ(config.schools[1].source.path, std::filesystem::path{"/etc/exports/sch-2"});
  EXPECT_EQ(config.schools[0].policy.grace_days, 9);
  EXPECT_EQ(config.schools[0].limits.max_removals, 4);
  ASSERT_TRUE(config.schools[0].rules.fallback_admin.has_value());
  EXPECT_EQ(config.schools[0].rules.fallback_admin->platform_user_id, 77);
  EXPECT_EQ(config.schedule.concurrency, 3);
  EXPECT_EQ(config.observability.port, 0);
  EXPECT_EQ(config.log.format, LogFormat::json);
}

TEST(DaemonConfig, ReadsATokenFromTheServiceCredentialsDirectory) {
  test_support::TempFolder dir;
  test_support::write_file(dir.path() / "creds" / "platform-token", "  tok-from-creds\n");
  const auto config = parse_config(
      with(R"("platform": {"base_url": "http://x", "token_credential": "platform-token"})"), base,
      "test.json");
  ASSERT_TRUE(config.platform.has_value());
  EXPECT_EQ(config.platform->token_file.credential, "platform-token");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  try {
    (void)read_secret(config.platform->token_file);
    FAIL() << "no $CREDENTIALS_DIRECTORY";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("$CREDENTIALS_DIRECTORY is not set"), std::string::npos);
  }
  ::setenv("CREDENTIALS_DIRECTORY", (dir.path() / "creds").c_str(), 1);
  EXPECT_EQ(read_secret(config.platform->token_file), "tok-from-creds");
  ::unsetenv("CREDENTIALS_DIRECTORY");
}

TEST(DaemonConfig, RunNeedsAPlatformAStoreAndReadableTokens) {
  test_support::TempFolder dir;
  const auto file = dir.path() / "rosterd.json";
  test_support::write_file(file, "{" + one_school + R"(, "platform": {"base_url": "http://x",
                                   "token_file": "missing.token"}})");
  try {
    (void)load_daemon_config(file, SecretCheck::all);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems(),
              (std::vector<std::string>{"store: missing (rosterd run needs it)",
                                        "platform.token_file: cannot read the file it names "
                                        "(not shown: the value does not look like a path; "
                                        "write it as /… or ./… to see it here): no such file"}));
  }
}

}  // namespace
}  // namespace rosterd::daemon
