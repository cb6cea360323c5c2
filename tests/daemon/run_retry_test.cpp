// A quarantined school tried again without waiting out its quarantine, against the real
// daemon and platform-sim: `rosterd retry` asks the running daemon through its status server,
// and a reload that changed the school's configuration retries it; a reload that changed
// nothing does not. The page and the command speak the config's language.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "daemon/wall_clock.h"
#include "generator/generator.h"
#include "tests/daemon/run_support.h"
#include "tests/e2e/world.h"

namespace rosterd::daemon::run_test {
namespace {

using e2e::World;

mapping::Roster school(const std::string& id, std::uint64_t seed) {
  return generator::make_school(id, seed, local_today(), {.classes = 2, .students_per_class = 4});
}

void break_journal(const std::filesystem::path& folder) {
  std::ofstream(folder / "persons.json", std::ios::trunc) << "[{\"id\": \"p-1\", ";
}

RunConfig config_for(World& w) {
  RunConfig c;
  c.platform_url = w.sim().base_url();
  c.schools = {"sch-0001", "sch-0003"};
  c.fallback_admin = e2e::kFallbackAdmin;
  return c;
}

// Starts the daemon on `config` with sch-0003's journal broken and waits until it is
// quarantined (3 failures, retried after 1 s each; then not before an hour).
class QuarantinedSchool : public ::testing::Test {
 protected:
  void start(const nlohmann::json& config) {
    w_.write_journal(good_);
    w_.write_journal(broken_);
    break_journal(w_.dir() / "export" / "sch-0003");
    write_json(config_file_, config);
    daemon_ = std::make_unique<Daemon>(config_file_, w_.dir() / "rosterd-run.out");
    ASSERT_NE(daemon_->wait_for_log("school.quarantined level=warning school=sch-0003", 20s),
              std::string::npos)
        << daemon_->log();
    ASSERT_TRUE(eventually([&] { return metric_quarantined() == 1; }, 5s));
  }

  // rosterd_school_quarantined{school="sch-0003"}: 0, 1, or -1 when absent.
  int metric_quarantined() {
    const auto metrics = daemon_->get("/metrics").second;
    const std::string series = "rosterd_school_quarantined{school=\"sch-0003\"} ";
    const auto at = metrics.find(series);
    return at == std::string::npos ? -1 : metrics[at + series.size()] - '0';
  }

  testing::RunResult retry(const std::string& school) {
    return testing::run({ROSTERD_BIN, "retry", "--config", config_file_.string(), "--school",
                         school, "--port", std::to_string(daemon_->port())},
                        w_.dir());
  }

  World w_;
  mapping::Roster good_ = school("sch-0001", 41);
  mapping::Roster broken_ = school("sch-0003", 43);
  std::filesystem::path config_file_ = w_.dir() / "run.json";
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(QuarantinedSchool, RunsAgainAtOnceWhenAnAdministratorAsksForIt) {
  auto config = run_config(config_for(w_));
  config["language"] = "en";
  start(config);
  EXPECT_NE(daemon_->get("/").second.find("<td>Synchronized<td>"), std::string::npos)
      << "the page speaks the config's language";

  w_.write_journal(broken_);  // the school's journal is mended; the quarantine lasts an hour
  const auto asked_at = daemon_->log().size();
  const auto answer = retry("sch-0003");
  EXPECT_EQ(answer.status, 0) << answer.output;
  EXPECT_EQ(answer.output, "School sch-0003 runs again now.\n");
  EXPECT_NE(daemon_->wait_for_log("school.retry school=sch-0003 reason=asked quarantined=true",
                                  10s, asked_at),
            std::string::npos)
      << daemon_->log();
  EXPECT_NE(daemon_->wait_for_log("school.recovered school=sch-0003", 20s, asked_at),
            std::string::npos)
      << daemon_->log();
  EXPECT_TRUE(eventually([&] { return metric_quarantined() == 0; }, 5s));

  const auto unknown = retry("sch-9999");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.output.find("sch-9999"), std::string::npos) << unknown.output;
}

TEST_F(QuarantinedSchool, IsRetriedByAReloadThatChangedItsConfigurationAndOnlyThen) {
  auto config = run_config(config_for(w_));
  start(config);
  w_.write_journal(broken_);  // mended, but the quarantine lasts an hour

  // A reload that changed nothing leaves the quarantine alone.
  const auto before_same = daemon_->log().size();
  daemon_->process().signal(SIGHUP);
  const auto same = daemon_->wait_for_log("daemon.reload.finished", 10s, before_same);
  ASSERT_NE(same, std::string::npos) << daemon_->log();
  EXPECT_EQ(daemon_->log().find("school.retry", before_same), std::string::npos);
  EXPECT_EQ(metric_quarantined(), 1);

  // A changed policy is a changed configuration of the school: it runs at once.
  config["region"]["policy"] = {{"grace_days", 5}};
  config["language"] = "en";
  write_json(config_file_, config);
  const auto before_change = daemon_->log().size();
  daemon_->process().signal(SIGHUP);
  EXPECT_NE(daemon_->wait_for_log("school.retry school=sch-0003 reason=config_changed", 10s,
                                  before_change),
            std::string::npos)
      << daemon_->log();
  EXPECT_EQ(daemon_->log().find("school.retry school=sch-0001", before_change), std::string::npos)
      << "a healthy school keeps its schedule";
  EXPECT_NE(daemon_->wait_for_log("school.recovered school=sch-0003", 20s, before_change),
            std::string::npos)
      << daemon_->log();
  EXPECT_TRUE(eventually([&] { return metric_quarantined() == 0; }, 5s));
  EXPECT_NE(daemon_->get("/").second.find("<html lang=\"en\">"), std::string::npos)
      << "the reload's language";
}

}  // namespace
}  // namespace rosterd::daemon::run_test
