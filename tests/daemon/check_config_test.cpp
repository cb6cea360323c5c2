// `rosterd check-config FILE`: the same loader as `run`, exit 0 or 1 with every problem.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

using test_support::ProcessResult;
using test_support::run_rosterd;
using test_support::TempFolder;
using test_support::write_file;

const std::string valid = R"({
  // a region of two schools
  "region": {"source": {"type": "export", "root": "exports"}, "schools": ["sch-1", "sch-2"]},
  "platform": {"base_url": "https://api.example.invalid", "token_credential": "platform-token"},
  "store": {"sqlite": "state.db"},
  "schedule": {"interval_s": 600, "concurrency": 4}
})";

TEST(CheckConfig, ExitsZeroForAValidConfig) {
  TempFolder dir;
  write_file(dir.path() / "rosterd.json", valid);
  const auto r = run_rosterd({"check-config", (dir.path() / "rosterd.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok, 2 school(s)"), std::string::npos) << r.out;
}

// The service's credential cannot be read outside it: the region is not listed here, which is
// a warning, not an error (the daemon lists at start).
TEST(CheckConfig, SaysARegionOfAllCouldNotBeListedAndStillExitsZero) {
  TempFolder dir;
  write_file(dir.path() / "rosterd.json", R"({
    "region": {"source": {"type": "http", "base_url": "http://127.0.0.1:1",
                          "token_credential": "journal-token"}, "schools": "all"},
    "platform": {"base_url": "https://api.example.invalid", "token_credential": "platform-token"},
    "store": {"sqlite": "state.db"}
  })");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  const auto r = run_rosterd({"check-config", (dir.path() / "rosterd.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("warning: " + (dir.path() / "rosterd.json").string() +
                       R"(: region.schools: "all": the journal's organisations could not be )"
                       "listed: region.source.token_credential: $CREDENTIALS_DIRECTORY is not set"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"(ok, 0 school(s) and the region's (region.schools: "all": listed by )"
                       "the daemon)"),
            std::string::npos)
      << r.out;
}

TEST(CheckConfig, ExitsOneNamingEveryProblemByKeyPath) {
  TempFolder dir;
  const auto file = dir.path() / "rosterd.json";
  write_file(file, R"({
    "schools": [{"id": "s", "source": {"type": "export", "path": "x"}}],
    "platform": {"base_url": "https://x", "token_file": "t", "token": "abc-inline-secret"},
    "schedule": {"interval_s": 0, "concurrency": 0},
    "log": {"format": "xml"}
  })");
  const auto r = run_rosterd({"check-config", file.string()});
  EXPECT_EQ(r.exit_code, 1);
  for (const std::string problem :
       {"platform.token: secrets are not accepted in the config; name a file that holds it",
        "schedule.interval_s: must be an integer ≥ 1",
        "schedule.concurrency: must be an integer ≥ 1",
        "log.format: must be \"text\" or \"json\""}) {
    EXPECT_NE(r.err.find(file.string() + ": " + problem), std::string::npos) << r.err;
  }
  EXPECT_EQ(r.err.find("abc-inline-secret"), std::string::npos) << "never repeats a secret";
}

TEST(CheckConfig, ExitsOneWhenRunWouldMissThePlatformOrTheStore) {
  TempFolder dir;
  write_file(dir.path() / "rosterd.json",
             R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"}}]})");
  const auto r = run_rosterd({"check-config", (dir.path() / "rosterd.json").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("platform: missing (rosterd run needs it)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("store: missing (rosterd run needs it)"), std::string::npos) << r.err;
}

TEST(CheckConfig, RunRefusesAnInvalidConfigWithTheSameErrors) {
  TempFolder dir;
  write_file(dir.path() / "rosterd.json", R"({"schools": [], "store": {"sqlite": "s.db"}})");
  const auto r = run_rosterd({"run", "--config", (dir.path() / "rosterd.json").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("schools: must list at least one school"), std::string::npos) << r.err;
}

// Secrets, as the service will see them: every token file read, every credential read from
// --credentials-dir. The token's text never comes back.
constexpr const char* token_text = "tok-5512-never-shown";

std::string with_platform_secret(const std::string& secret) {
  return R"({"schools": [{"id": "s", "source": {"type": "export", "path": "x"}}],
    "platform": {"base_url": "https://api.example.invalid", )" +
         secret + R"(}, "store": {"sqlite": "state.db"}})";
}

ProcessResult check_token_file(const TempFolder& dir) {
  write_file(dir.path() / "rosterd.json",
             with_platform_secret(R"("token_file": "./platform.token")"));
  return run_rosterd({"check-config", (dir.path() / "rosterd.json").string()});
}

TEST(CheckConfigSecrets, AMissingTokenFileIsAnErrorNamingTheKeyAndThePath) {
  TempFolder dir;
  const auto r = check_token_file(dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("platform.token_file: cannot read " +
                       (dir.path() / "platform.token").string() + ": no such file"),
            std::string::npos)
      << r.err;
}

TEST(CheckConfigSecrets, ATokenFileThatIsAFolderIsAnError) {
  TempFolder dir;
  std::filesystem::create_directory(dir.path() / "platform.token");
  const auto r = check_token_file(dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("platform.token_file: cannot read " +
                       (dir.path() / "platform.token").string() + ": not a regular file"),
            std::string::npos)
      << r.err;
}

TEST(CheckConfigSecrets, AnEmptyTokenFileIsAnError) {
  TempFolder dir;
  write_file(dir.path() / "platform.token", " \n");
  const auto r = check_token_file(dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("platform.token_file: empty: " + (dir.path() / "platform.token").string()),
            std::string::npos)
      << r.err;
}

TEST(CheckConfigSecrets, ATokenFileEveryUserCanReadIsAWarningAndAPrivateOneIsNot) {
  TempFolder dir;
  write_file(dir.path() / "platform.token", std::string(token_text) + "\n");
  ::chmod((dir.path() / "platform.token").c_str(), 0644);
  auto r = check_token_file(dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("warning: platform.token_file: " + (dir.path() / "platform.token").string() +
                       " is readable by every user of this machine (mode 0644)"),
            std::string::npos)
      << r.out;
  ::chmod((dir.path() / "platform.token").c_str(), 0600);
  r = check_token_file(dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("warning"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find(token_text), std::string::npos);
}

// The credential's name is what a token pasted in the wrong key would be: it is not repeated.
TEST(CheckConfigSecrets, ACredentialIsReadFromTheCredentialsDir) {
  TempFolder dir;
  const auto file = (dir.path() / "rosterd.json").string();
  write_file(file, with_platform_secret(R"("token_credential": "cred-7781")"));
  std::filesystem::create_directory(dir.path() / "creds");
  const auto creds = (dir.path() / "creds").string();

  auto r = run_rosterd({"check-config", "--credentials-dir", creds, file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("platform.token_credential: cannot read the credential's file in " + creds +
                       ": no such file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("cred-7781"), std::string::npos) << r.err;

  write_file(dir.path() / "creds" / "cred-7781", token_text);
  ::chmod((dir.path() / "creds" / "cred-7781").c_str(), 0600);
  r = run_rosterd({"check-config", "--credentials-dir", creds, file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, file + ": ok, 1 school(s)\n");
  EXPECT_EQ((r.out + r.err).find(token_text), std::string::npos);
}

TEST(CheckConfigSecrets, WithoutACredentialsFolderACredentialIsNamedAsNotChecked) {
  TempFolder dir;
  const auto file = (dir.path() / "rosterd.json").string();
  write_file(file, with_platform_secret(R"("token_credential": "cred-7781")"));
  ::unsetenv("CREDENTIALS_DIRECTORY");
  const auto r = run_rosterd({"check-config", file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(file + ": warning: platform.token_credential: not checked: "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("check it with --credentials-dir DIR"), std::string::npos) << r.out;
}

TEST(CheckConfigSecrets, ANonexistentCredentialsFolderIsAUsageError) {
  TempFolder dir;
  const auto file = (dir.path() / "rosterd.json").string();
  write_file(file, with_platform_secret(R"("token_credential": "cred-7781")"));
  const auto r =
      run_rosterd({"check-config", "--credentials-dir", (dir.path() / "no").string(), file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--credentials-dir"), std::string::npos) << r.err;
}

// The example config passes once the two credentials it names are where the unit loads them
// from; without the journal's token it fails naming that key (what `run` would fail on).
TEST(CheckConfigSecrets, TheExampleConfigPassesWithItsCredentials) {
  TempFolder dir;
  const auto creds = dir.path().string();
  write_file(dir.path() / "platform-token", "platform-tok\n");
  ::chmod((dir.path() / "platform-token").c_str(), 0600);
  auto r = run_rosterd({"check-config", "--credentials-dir", creds, ROSTERD_EXAMPLE_CONFIG});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("schools[1].source.token_credential: cannot read the credential's file in " +
                       creds + ": no such file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("platform.token_credential"), std::string::npos) << r.err;

  write_file(dir.path() / "journal-token", "journal-tok\n");
  ::chmod((dir.path() / "journal-token").c_str(), 0600);
  r = run_rosterd({"check-config", "--credentials-dir", creds, ROSTERD_EXAMPLE_CONFIG});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(ROSTERD_EXAMPLE_CONFIG) + ": ok, 2 school(s)\n");
}

}  // namespace
}  // namespace rosterd::daemon
