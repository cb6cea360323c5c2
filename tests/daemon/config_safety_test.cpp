// Config mistakes that used to pass without a word or leak a secret: a password in a base_url,
// a token pasted where its file's path belongs, a key given twice, a status server open to
// the network.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>

#include "daemon/config.h"
#include "daemon/wiring.h"
#include "tests/daemon/config_fixture.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using test_support::BadConfig;
using test_support::problems_of;

const std::string one_school =
    R"("schools": [{"id": "s", "source": {"type": "export", "path": "x"}}])";

std::string with(const std::string& section) {
  return "{" + one_school + ", " + section + "}";
}

// Every problem's text together, to look for what must not be in it.
std::string all_of(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

class SafetyErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(SafetyErrors, NameTheKeyPath) {
  const auto problems = problems_of(GetParam().json);
  EXPECT_NE(std::find(problems.begin(), problems.end(), GetParam().problem), problems.end())
      << ::testing::PrintToString(problems);
}

const std::string no_password =
    "must not carry a user name or password (…@host): give the token in token_file";

INSTANTIATE_TEST_SUITE_P(
    Config, SafetyErrors,
    ::testing::Values(
        BadConfig{"platform_url_with_password",
                  with(R"("platform": {"base_url": "https://rosterd:pw-7781@api.example.invalid",
                                       "token_file": "/t"})"),
                  "platform.base_url: " + no_password},
        BadConfig{"platform_url_with_user",
                  with(R"("platform": {"base_url": "https://tok-7781@api.example.invalid",
                                       "token_file": "/t"})"),
                  "platform.base_url: " + no_password},
        BadConfig{"journal_url_with_password",
                  R"({"schools": [{"id": "s", "source": {"type": "http", "token_file": "/t",
                      "base_url": "https://rosterd:pw-7781@journal.example.invalid/api"}}]})",
                  "schools[0].source.base_url: " + no_password},
        BadConfig{"journal_url_without_scheme",
                  R"({"schools": [{"id": "s", "source": {"type": "http", "token_file": "/t",
                      "base_url": "journal.example.invalid"}}]})",
                  "schools[0].source.base_url: must start with http:// or https://"},
        BadConfig{"duplicate_top_level_key",
                  "{" + one_school + R"(, "schedule": {}, /* again */ "schedule": {}})",
                  "schedule: duplicate key"},
        BadConfig{"duplicate_nested_key", with(R"("schedule": {"interval_s": 60, // a comment
                                       "interval_s": 6000})"),
                  "schedule.interval_s: duplicate key"},
        BadConfig{"duplicate_key_in_a_list",
                  R"({"schools": [{"id": "a", "source": {"type": "export", "path": "x"}},
                                  {"id": "b", "source": {"type": "export", "path": "y",
                                                         "path": "z"}}]})",
                  "schools[1].source.path: duplicate key"},
        BadConfig{"duplicate_key_after_a_nested_list",
                  R"({"defaults": {"rules": {"school": {"class": [{"kind": "class", "title": "t"}],
                                                        "staff_chat": null, "staff_chat": null}}},
                      "schools": [{"id": "a", "source": {"type": "export", "path": "x"}}]})",
                  "defaults.rules.school.staff_chat: duplicate key"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(ConfigSafety, NeverQuotesTheUserOrPasswordOfABaseUrl) {
  const auto problems =
      problems_of(with(R"("platform": {"base_url": "https://rosterd:pw-7781@api.example.invalid",
                                       "token_file": "/t"})"));
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(all_of(problems).find("pw-7781"), std::string::npos) << all_of(problems);
  EXPECT_EQ(all_of(problems).find("rosterd:"), std::string::npos) << all_of(problems);
}

TEST(ConfigSafety, AcceptsTheSameKeyInDifferentObjects) {
  EXPECT_EQ(problems_of(R"({"schools": [{"id": "a", "source": {"type": "export", "path": "x"}},
                                        {"id": "b", "source": {"type": "export", "path": "y"}}]})"),
            std::vector<std::string>{});
}

// The errors `rosterd run` gives for the platform token file written as `value`.
std::vector<std::string> token_problems(const std::string& value) {
  test_support::TempFolder dir;
  const auto file = dir.path() / "rosterd.json";
  test_support::write_file(file, "{" + one_school + R"(, "store": {"sqlite": "s.db"},
      "platform": {"base_url": "http://x", "token_file": ")" +
                                     value + R"("}})");
  try {
    (void)load_daemon_config(file, SecretCheck::all);
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

TEST(ConfigSafety, ATokenPastedAsTheTokenFileIsNotEchoed) {
  const std::string tokens[] = {"vk1.a.Zx81Qm3Rt7Lp0Ws5Nd2Kf6Hj9Bv4Cy1Gu8Ei3Ao7Tb5Xm0Pq",
                                "4f9c2a7e1b6d8035c2e9f4a1b7d6c3e8", "tok 7781 pasted",
                                "/tok 7781 with a space"};
  for (const auto& token : tokens) {
    const auto problems = token_problems(token);
    ASSERT_EQ(problems.size(), 1U) << token;
    EXPECT_EQ(problems[0].find(token), std::string::npos) << problems[0];
    EXPECT_EQ(problems[0].rfind("platform.token_file: cannot read the file it names (not shown", 0),
              0U)
        << problems[0];
  }
}

TEST(ConfigSafety, ATokenFileWrittenAsAPathIsNamedWithItsKey) {
  const auto problems = token_problems("./missing.token");
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].rfind("platform.token_file: cannot read /", 0), 0U) << problems[0];
  EXPECT_NE(problems[0].find("/missing.token"), std::string::npos) << problems[0];
}

TEST(ConfigSafety, ACredentialNameIsNotEchoed) {
  const auto config = parse_config(
      with(R"("platform": {"base_url": "http://x", "token_credential": "tok-7781-pasted"})"),
      test_support::config_base, "test.json");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  try {
    (void)read_secret(config.platform->token_file);
    FAIL() << "no $CREDENTIALS_DIRECTORY";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string{e.what()},
              "platform.token_credential: $CREDENTIALS_DIRECTORY is not set (LoadCredential= in "
              "the unit; by hand: --credentials-dir DIR)");
  }
}

struct Address {
  std::string address;
  bool warns;
};

void PrintTo(const Address& a, std::ostream* out) { *out << a.address; }

class ObservabilityAddress : public ::testing::TestWithParam<Address> {};

TEST_P(ObservabilityAddress, WarnsWhenTheStatusServerIsReachableFromOtherMachines) {
  const auto config =
      parse_config(with(R"("observability": {"address": ")" + GetParam().address + R"("})"),
                   test_support::config_base, "test.json");
  const auto warnings = config_warnings(config);
  if (GetParam().warns) {
    ASSERT_EQ(warnings.size(), 1U);
    EXPECT_EQ(warnings[0].rfind(
                  "observability.address: " + GetParam().address + " is not a loopback address", 0),
              0U)
        << warnings[0];
  } else {
    EXPECT_EQ(warnings, std::vector<std::string>{});
  }
}

INSTANTIATE_TEST_SUITE_P(
    Config, ObservabilityAddress,
    ::testing::Values(Address{"127.0.0.1", false}, Address{"127.8.9.1", false},
                      Address{"::1", false}, Address{"::ffff:127.0.0.1", false},
                      Address{"0.0.0.0", true}, Address{"::", true}, Address{"10.1.2.3", true},
                      Address{"::ffff:10.1.2.3", true}, Address{"fe80::1", true}));

TEST(ConfigSafety, CheckConfigPrintsTheWarningAndStillSucceeds) {
  test_support::TempFolder dir;
  const auto file = dir.path() / "rosterd.json";
  test_support::write_file(dir.path() / "t", "token");  // check-config reads it
  test_support::write_file(file, with(R"("platform": {"base_url": "http://x", "token_file": "t"},
      "store": {"sqlite": "s.db"}, "observability": {"address": "0.0.0.0"})"));
  const auto r = test_support::run_rosterd({"check-config", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(file.string() +
                       ": warning: observability.address: 0.0.0.0 is not a loopback address"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace rosterd::daemon
