// A revoked platform token while the journal has no change: `rosterd run` (a real process,
// stopped by SIGTERM) against platform-sim. A cycle with nothing to write still makes an
// authenticated call, so the cycle after the revocation fails with the platform's refusal,
// and the status page and /metrics say so.
#include <gtest/gtest.h>
#include <signal.h>


#include "generator/generator.h"
#include "tests/daemon/run_support.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;
using namespace std::chrono_literals;
namespace run_test = daemon::run_test;

// The value of a metric's sample with exactly these labels, or -1 when there is none.
double sample(const std::string& metrics, const std::string& name_and_labels) {
  const auto at = metrics.find("\n" + name_and_labels + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + name_and_labels.size() + 2));
}

TEST(RevokedToken, TheNextCycleFailsWithThePlatformsRefusalOnTheStatusPageAndInMetrics) {
  WorldOptions options;
  options.extra_config = {{"schedule", {{"interval_s", 1}, {"jitter_s", 0}, {"retry_initial_s", 1}}},
                          {"observability", {{"address", "127.0.0.1"}, {"port", 0}}}};
  World w(options);
  w.write_journal(generator::make_school("sch-0001", 61, *Date::parse("2026-09-01"),
                                         {.classes = 3, .students_per_class = 5}));
  run_test::Daemon daemon(w.dir() / "rosterd.json", w.dir() / "daemon.out");
  const std::string ok = R"(rosterd_cycles_total{school="sch-0001",result="ok"})";
  const std::string failed = R"(rosterd_cycles_total{school="sch-0001",result="failed"})";

  // One good cycle, then one with nothing to do: the journal does not change from here on.
  ASSERT_TRUE(run_test::eventually([&] { return sample(daemon.get("/metrics").second, ok) >= 2; },
                                   30s))
      << daemon.log();
  const auto writes = w.stats()["writes"];
  (void)w.sim().post("/sim/revoke", json{{"token", "e2e-secret-token-4242"}}.dump());

  std::string metrics;
  ASSERT_TRUE(run_test::eventually(
      [&] {
        metrics = daemon.get("/metrics").second;
        return sample(metrics, failed) >= 1;
      },
      30s))
      << daemon.log();
  EXPECT_EQ(sample(metrics, R"(rosterd_school_failing{school="sch-0001"})"), 1) << metrics;
  EXPECT_GE(sample(metrics, R"(rosterd_platform_errors_total{code="5"})"), 1) << metrics;
  const auto [status, page] = daemon.get("/");
  EXPECT_EQ(status, 200);
  EXPECT_NE(page.find("platform refused the token"), std::string::npos) << page;
  EXPECT_NE(daemon.log().find("platform refused the token"), std::string::npos);
  EXPECT_EQ(w.stats()["writes"], writes) << "nothing was written meanwhile";
  EXPECT_EQ(w.stats()["errors"].value("5", 0) > 0, true) << w.stats();

  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait(20s), 0) << daemon.log();
  EXPECT_EQ(daemon.log().find("e2e-secret-token-4242"), std::string::npos)
      << "the token is never logged";
}

}  // namespace
}  // namespace rosterd::e2e
