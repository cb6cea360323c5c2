// `rosterd run` as the real process against a real platform-sim: sd_notify, three schools with
// one broken journal, reloads good and bad, SIGTERM in the middle of an apply, and no personal
// data in anything it logged.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/wall_clock.h"
#include "generator/generator.h"
#include "tests/daemon/run_support.h"
#include "tests/e2e/world.h"

namespace rosterd::daemon::run_test {
namespace {

using e2e::World;

const std::string kToken = "e2e-secret-token-4242";  // what World writes to platform.token

mapping::Roster school(const std::string& id, std::uint64_t seed, int classes = 2,
                       int students = 4) {
  return generator::make_school(id, seed, local_today(),
                                {.classes = classes, .students_per_class = students});
}

e2e::PlatformView expected(const World& w, const std::vector<const mapping::Roster*>& rosters) {
  e2e::PlatformView want;
  for (const auto* r : rosters)
    want.live.merge(e2e::expected_view(w, r->org.id, local_today()).live);
  return want;
}

// Waits until the platform holds exactly the desired chats of `rosters`; "" when it does.
std::string converge(World& w, const std::vector<const mapping::Roster*>& rosters,
                     std::chrono::milliseconds timeout = 30s) {
  const auto want = expected(w, rosters);
  std::string difference;
  (void)eventually(
      [&] {
        difference = e2e::describe_difference(want, e2e::observed_view(w.state()));
        return difference.empty();
      },
      timeout);
  return difference;
}

RunConfig config_for(World& w, std::vector<std::string> schools) {
  RunConfig c;
  c.platform_url = w.sim().base_url();
  c.schools = std::move(schools);
  c.fallback_admin = e2e::kFallbackAdmin;
  return c;
}

// platform-sim answering every request this late.
e2e::WorldOptions slow_platform(const std::string& latency_ms) {
  e2e::WorldOptions o;
  o.sim_args = {"--latency-ms", latency_ms};
  return o;
}

void break_journal(const std::filesystem::path& folder) {
  std::ofstream(folder / "persons.json", std::ios::trunc) << "[{\"id\": \"p-1\", ";
}

void expect_no_personal_data(World& w, const std::vector<const mapping::Roster*>& rosters) {
  const auto output = w.all_output();
  ASSERT_FALSE(output.empty());
  EXPECT_EQ(output.find(kToken), std::string::npos) << "the token was logged";
  for (const auto* r : rosters) {
    for (const auto& p : r->persons) {
      if (!p.phone.empty()) {
        EXPECT_EQ(output.find(p.phone), std::string::npos) << p.id;
      }
      if (!p.email.empty()) {
        EXPECT_EQ(output.find(p.email), std::string::npos) << p.id;
      }
    }
  }
}

TEST(RunDaemon, TellsTheServiceManagerReadyWatchdogStatusAndStopping) {
  World w;
  const auto roster = school("sch-0001", 11);
  w.write_journal(roster);
  write_json(w.dir() / "run.json", run_config(config_for(w, {"sch-0001"})));
  NotifySocket notify(w.dir() / "notify.sock");
  Daemon daemon(w.dir() / "run.json", w.dir() / "rosterd-run.out",
                {{"NOTIFY_SOCKET", notify.path().string()}, {"WATCHDOG_USEC", "400000"}});

  ASSERT_TRUE(notify.wait_for("READY=1", 10s)) << daemon.log();
  ASSERT_TRUE(notify.wait_for("WATCHDOG=1", 2s)) << "every 200 ms, half of WATCHDOG_USEC";
  EXPECT_EQ(converge(w, {&roster}), "");
  EXPECT_TRUE(eventually(
      [&] {
        (void)notify.wait_for("-", 100ms);  // keep receiving
        for (const auto& m : notify.messages()) {
          if (m.rfind("STATUS=", 0) == 0 && m.find("1 school") != std::string::npos) return true;
        }
        return false;
      },
      5s));
  const auto watchdogs_before =
      std::count(notify.messages().begin(), notify.messages().end(), std::string("WATCHDOG=1"));
  (void)notify.wait_for("-", 1s);
  EXPECT_GT(
      std::count(notify.messages().begin(), notify.messages().end(), std::string("WATCHDOG=1")),
      watchdogs_before + 2)
      << "the scheduling loop keeps the watchdog fed while idle";

  daemon.process().signal(SIGTERM);
  EXPECT_TRUE(notify.wait_for("STOPPING=1", 5s));
  EXPECT_EQ(daemon.process().wait(10s), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("daemon.stopped"), std::string::npos);
}

TEST(RunDaemon, ThreeSchoolsOneBrokenReloadsAndStopsWithoutLeakingPersonalData) {
  World w;
  const auto a = school("sch-0001", 21);
  const auto b = school("sch-0002", 22);
  const auto broken = school("sch-0003", 23);
  const auto late = school("sch-0004", 24);
  for (const auto* r : {&a, &b, &broken, &late}) w.write_journal(*r);
  break_journal(w.dir() / "export" / "sch-0003");
  const auto config = w.dir() / "run.json";
  write_json(config, run_config(config_for(w, {"sch-0001", "sch-0002", "sch-0003"})));
  Daemon daemon(config, w.dir() / "rosterd-run.out");

  // The two good schools converge; the broken one fails, is reported and retried.
  EXPECT_EQ(converge(w, {&a, &b}), "");
  EXPECT_TRUE(eventually(
      [&] {
        return daemon.get("/metrics")
                   .second.find("rosterd_school_failing{school=\"sch-0003\"} 1") !=
               std::string::npos;
      },
      10s))
      << daemon.get("/metrics").second;
  const auto metrics = daemon.get("/metrics").second;
  EXPECT_NE(metrics.find("rosterd_school_failing{school=\"sch-0001\"} 0"), std::string::npos);
  const auto [status, page] = daemon.get("/");
  EXPECT_EQ(status, 200);
  EXPECT_NE(page.find("class=\"school failing\" data-school=\"sch-0003\""), std::string::npos)
      << page;
  // The status server may show a cycle a moment before its log line is written.
  EXPECT_NE(
      daemon.wait_for_log("sync.cycle.finished level=warning school=sch-0003 result=failed", 5s),
      std::string::npos);
  // Retried after 1 s, 1 s, then quarantined (quarantine_after 3), and reported as such.
  EXPECT_NE(daemon.wait_for_log("school.quarantined level=warning school=sch-0003 failures=3", 10s),
            std::string::npos)
      << daemon.log();
  EXPECT_TRUE(eventually(
      [&] {
        return daemon.get("/metrics").second.find("rosterd_quarantined_schools 1") !=
               std::string::npos;
      },
      5s))
      << daemon.get("/metrics").second;

  // A broken config is refused; the daemon keeps answering and syncing on the old one.
  std::ofstream(config, std::ios::trunc) << R"({"schools": [}, "schedule": {"interval_s": 0}})";
  daemon.process().signal(SIGHUP);
  const auto failed_at = daemon.wait_for_log("daemon.reload.failed", 10s);
  ASSERT_NE(failed_at, std::string::npos) << daemon.log();
  EXPECT_NE(daemon.wait_for_log("sync.cycle.finished school=sch-0001 result=ok", 10s, failed_at),
            std::string::npos)
      << "still syncing after the failed reload";
  EXPECT_EQ(daemon.get("/healthz").first, 200);
  EXPECT_TRUE(daemon.process().running());

  // A valid changed config is applied: sch-0003 goes, sch-0004 comes and converges.
  write_json(config, run_config(config_for(w, {"sch-0001", "sch-0002", "sch-0004"})));
  daemon.process().signal(SIGHUP);
  EXPECT_NE(daemon.wait_for_log("daemon.reload.finished schools=3 added=1 removed=1", 10s),
            std::string::npos)
      << daemon.log();
  EXPECT_EQ(converge(w, {&a, &b, &late}), "");
  EXPECT_TRUE(eventually(
      [&] {
        return daemon.get("/metrics").second.find("school=\"sch-0003\"") == std::string::npos;
      },
      5s))
      << "a school no longer configured is no longer reported";

  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait(10s), 0) << daemon.log();
  expect_no_personal_data(w, {&a, &b, &broken, &late});
}

TEST(RunDaemon, StopsPromptlyOnSigtermDuringAnApplyAndTheNextStartConvergesWithoutDuplicates) {
  World w(slow_platform("100"));
  const auto roster = school("sch-0001", 31, 4, 5);
  w.write_journal(roster);
  auto c = config_for(w, {"sch-0001"});
  c.batch_size = 2;  // many batches, so the SIGTERM lands between two of them
  write_json(w.dir() / "run.json", run_config(c));
  {
    Daemon daemon(w.dir() / "run.json", w.dir() / "rosterd-run-1.out");
    ASSERT_TRUE(eventually(
        [&] { return w.stats()["by_method"].value("messages.createChat", 0) >= 2; }, 20s));
    daemon.process().signal(SIGTERM);
    const auto stopped_at = std::chrono::steady_clock::now();
    EXPECT_EQ(daemon.process().wait(10s), 0) << daemon.log();
    EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, 3s)
        << "the batch in flight is recorded, the rest waits for the next start";
    EXPECT_NE(daemon.log().find("result=stopped"), std::string::npos) << daemon.log();
    EXPECT_NE(e2e::describe_difference(expected(w, {&roster}), e2e::observed_view(w.state())), "")
        << "stopped before the apply was complete";
  }
  Daemon again(w.dir() / "run.json", w.dir() / "rosterd-run-2.out");
  EXPECT_EQ(converge(w, {&roster}, 60s), "");
  const auto want = expected(w, {&roster});
  EXPECT_EQ(w.stats()["by_method"]["messages.createChat"].get<std::size_t>(), want.live.size())
      << "every chat created exactly once across the stop";
  again.process().signal(SIGTERM);
  EXPECT_EQ(again.process().wait(10s), 0);
}

TEST(RunDaemon, ExitsAtOnceOnASecondSigterm) {
  World w(slow_platform("300"));
  const auto roster = school("sch-0001", 41, 4, 5);
  w.write_journal(roster);
  auto c = config_for(w, {"sch-0001"});
  c.batch_size = 25;
  write_json(w.dir() / "run.json", run_config(c));
  Daemon daemon(w.dir() / "run.json", w.dir() / "rosterd-run.out");
  ASSERT_TRUE(
      eventually([&] { return w.stats()["by_method"].value("messages.createChat", 0) >= 1; }, 20s));
  daemon.process().signal(SIGTERM);
  ASSERT_NE(daemon.wait_for_log("daemon.stopping", 5s), std::string::npos);
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait(2s), 1) << daemon.log();
  EXPECT_NE(daemon.log().find("daemon.stopped.forced"), std::string::npos);
}

TEST(RunDaemon, LogsJsonLinesOnRequest) {
  World w;
  const auto roster = school("sch-0001", 51, 1, 2);
  w.write_journal(roster);
  write_json(w.dir() / "run.json", run_config(config_for(w, {"sch-0001"})));
  Daemon daemon(w.dir() / "run.json", w.dir() / "rosterd-run.out", {}, {"--log-format", "json"});
  ASSERT_NE(daemon.wait_for_log("\"event\":\"sync.cycle.finished\"", 20s), std::string::npos)
      << daemon.log();
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait(10s), 0);
  std::istringstream lines(daemon.log());
  for (std::string line; std::getline(lines, line);) {
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << line;
    EXPECT_TRUE(parsed.contains("event")) << line;
  }
}

// A token file every user of the machine can read is named at start, as check-config names it;
// a private one is not. Neither line holds the token.
TEST(RunDaemon, WarnsAtStartOfATokenFileEveryUserCanRead) {
  namespace fs = std::filesystem;
  for (const bool open_to_all : {true, false}) {
    SCOPED_TRACE(open_to_all ? "mode 0644" : "mode 0600");
    World w;
    w.write_journal(school("sch-0001", 51, 1, 2));
    fs::permissions(w.dir() / "platform.token",
                    open_to_all ? fs::perms::owner_read | fs::perms::owner_write |
                                      fs::perms::group_read | fs::perms::others_read
                                : fs::perms::owner_read | fs::perms::owner_write);
    write_json(w.dir() / "run.json", run_config(config_for(w, {"sch-0001"})));
    Daemon daemon(w.dir() / "run.json", w.dir() / "rosterd-run.out");
    ASSERT_NE(daemon.wait_for_log("sync.cycle.finished", 20s), std::string::npos) << daemon.log();
    daemon.process().signal(SIGTERM);
    EXPECT_EQ(daemon.process().wait(10s), 0);
    const auto log = daemon.log();
    const auto at = log.find("config.secret");
    if (open_to_all) {
      ASSERT_NE(at, std::string::npos) << log;
      const auto line = log.substr(at, log.find('\n', at) - at);
      EXPECT_NE(line.find("platform.token"), std::string::npos) << line;
      EXPECT_NE(line.find("chmod 0600"), std::string::npos) << line;
    } else {
      EXPECT_EQ(at, std::string::npos) << log;
    }
    EXPECT_EQ(log.find(kToken), std::string::npos) << "the token was logged";
  }
}

}  // namespace
}  // namespace rosterd::daemon::run_test
