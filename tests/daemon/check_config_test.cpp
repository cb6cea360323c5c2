// `rosterd check-config FILE`: the same loader as `run`, exit 0 or 1 with every problem.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

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

}  // namespace
}  // namespace rosterd::daemon
