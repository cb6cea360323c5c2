// A region on several daemons (docs/region.md), as deployed: real `rosterd run` processes with
// the same config on one PostgreSQL, 600 small schools over journal-sim and platform-sim.
// They share the schools; one killed with SIGKILL gives its schools to the others within about
// one lease period; a daemon started later takes its share without a restart of the others,
// and gives it back at once when stopped with SIGTERM.
// Afterwards no chat exists twice, no write was made twice, and platform-sim never refused a
// request for the token's rate (error 6): the daemons kept to one budget together.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "generator/generator.h"
#include "tests/support/pg_cluster.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const mapping::Date kStart = *mapping::Date::parse("2026-09-01");
constexpr int kLeaseSeconds = 5;
constexpr int kJitterSeconds = 1;
constexpr int kRps = 60;  // platform-sim's limit for the token, and the config's budget
const auto* const pg_environment =
    ::testing::AddGlobalTestEnvironment(new test_support::PgEnvironment);

// The region: journal-sim serving `n` tiny generated schools, platform-sim limiting the token
// to kRps, a fresh PostgreSQL database, and the daemons' config.
class Region {
 public:
  explicit Region(int n)
      : conninfo_(test_support::PgEnvironment::cluster().create_database()),
        world_({.sim_args = {"--rps", std::to_string(kRps)}, .client_rps = kRps}) {
    const auto data = world_.dir() / "journal-data";
    for (int i = 1; i <= n; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "sch-%04d", i);
      ids_.emplace_back(id);
      generator::write_export(
          generator::make_school(id, 7000 + static_cast<std::uint64_t>(i), kStart,
                                 {.classes = 1, .students_per_class = 2}),
          data / id);
    }
    std::ofstream(world_.dir() / "journal-regional.token") << "e2e-journal-token-4343\n";
    journal_ = std::make_unique<testing::SimServer>(
        JOURNAL_SIM_BIN,
        std::vector<std::string>{"--data", data.string(), "--regional-token-file",
                                 (world_.dir() / "journal-regional.token").string()},
        world_.dir());
    json schools = json::array();
    for (const auto& id : ids_) {
      schools.push_back({{"id", id},
                         {"source", {{"type", "http"},
                                     {"base_url", journal_->base_url()},
                                     {"token_file", "journal.token"}}},
                         {"fallback_admin", {{"platform_user_id", kFallbackAdmin},
                                             {"label", "platform-admin"}}}});
    }
    json config = json::parse(std::ifstream(world_.dir() / "rosterd.json"));
    config["schools"] = schools;
    config["store"] = {{"postgres", conninfo_}};
    config["schedule"] = {{"interval_s", 3600},      {"jitter_s", kJitterSeconds},
                          {"concurrency", 3},        {"retry_initial_s", 1},
                          {"lease_s", kLeaseSeconds}};
    config["observability"] = {{"port", 0}};
    std::ofstream(world_.dir() / "rosterd.json") << config.dump(2);
  }
  ~Region() { journal_->stop(); }

  [[nodiscard]] std::unique_ptr<testing::Process> start(const std::string& tag) {
    return std::make_unique<testing::Process>(
        std::vector<std::string>{ROSTERD_BIN, "run", "--config", config().string()},
        world_.dir() / ("daemon-" + tag + ".out"));
  }
  [[nodiscard]] json status() const {
    const auto run = world_.rosterd({"status", "--format", "json"});
    EXPECT_EQ(run.status, 0) << run.output;
    return json::parse(run.output, nullptr, false);
  }
  // The schools whose cycle applied their plan at least once.
  [[nodiscard]] std::size_t synced() const {
    try {
      return static_cast<std::size_t>(query_int(
          "SELECT COUNT(DISTINCT org_id) FROM runs WHERE result IN ('ok', 'partial', 'held')"));
    } catch (const pqxx::sql_error&) {
      return 0;  // the daemons have not made the schema yet
    }
  }
  [[nodiscard]] std::int64_t query_int(const std::string& sql) const {
    pqxx::connection c(conninfo_);
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
  [[nodiscard]] const std::string& conninfo() const { return conninfo_; }
  [[nodiscard]] const std::vector<std::string>& ids() const { return ids_; }
  [[nodiscard]] World& world() { return world_; }
  [[nodiscard]] std::filesystem::path config() const { return world_.dir() / "rosterd.json"; }

 private:
  std::string conninfo_;
  World world_;
  std::unique_ptr<testing::SimServer> journal_;
  std::vector<std::string> ids_;
};

bool eventually(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return done();
}

// daemon name ("host:pid:nonce") → the schools `rosterd status` says it owns.
std::map<std::string, std::vector<std::string>> owned_by(const json& status) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& d : status.at("daemons")) out[d.at("name").get<std::string>()];
  for (const auto& s : status.at("schools"))
    out[s.at("owner").get<std::string>()].push_back(s.at("id").get<std::string>());
  return out;
}

std::string name_of(const json& status, pid_t pid) {
  const std::string mark = ":" + std::to_string(pid) + ":";
  for (const auto& d : status.at("daemons")) {
    const auto name = d.at("name").get<std::string>();
    if (name.find(mark) != std::string::npos) return name;
  }
  return {};
}

// The leases of these schools: holder and when it was acquired (the store's clock, ms).
std::map<std::string, std::pair<std::string, std::int64_t>> leases(const Region& region) {
  pqxx::connection c(region.conninfo());
  pqxx::work tx(c);
  std::map<std::string, std::pair<std::string, std::int64_t>> out;
  for (const auto& r : tx.exec("SELECT org_id, holder, acquired_ms FROM leases"))
    out[r[0].as<std::string>()] = {r[1].as<std::string>(), r[2].as<std::int64_t>()};
  return out;
}

// No chat twice, no write made twice, no request refused for the rate.
void expect_each_change_once_within_the_rate(Region& region) {
  const auto state = region.world().state();
  // Generated schools' names repeat (and so their chats' titles): one chat per title per
  // organisation. And every school has its chats.
  std::map<std::pair<std::string, std::string>, int> chats;
  std::set<std::string> orgs;
  for (const auto& chat : state.at("chats")) {
    const auto org = chat.at("organisation_id").get<std::string>();
    orgs.insert(org);
    if (!chat.at("archived").get<bool>()) ++chats[{org, chat.at("title").get<std::string>()}];
  }
  for (const auto& [key, n] : chats) EXPECT_EQ(n, 1) << key.first << " «" << key.second << "»";
  EXPECT_EQ(orgs.size(), region.ids().size()) << "schools without chats";
  // Every chat made once: as many createChat calls as chats exist.
  const auto stats = region.world().stats();
  EXPECT_EQ(stats.at("by_method").value("messages.createChat", 0u), state.at("chats").size());
  EXPECT_EQ(region.query_int(
                "SELECT COUNT(*) FROM (SELECT org_id, type, chat_key, person_id, role "
                "FROM action_log WHERE status = 'done' "
                "GROUP BY org_id, type, chat_key, person_id, role HAVING COUNT(*) > 1) AS twice"),
            0)
      << "a write was made twice";
  EXPECT_EQ(stats.at("errors").value("6", 0), 0) << "platform-sim refused requests for the rate: "
                                               << stats.dump();
  std::printf("platform-sim: %s\n", stats.dump().c_str());
}

TEST(RegionFailover, ThreeDaemonsShareTheSchoolsAndTheOthersSyncAKilledOnesWithinALease) {
  Region region(600);
  std::vector<std::unique_ptr<testing::Process>> daemons;
  for (int i = 0; i < 3; ++i) daemons.push_back(region.start(std::to_string(i)));
  ASSERT_TRUE(eventually([&] { return region.synced() == 600; }, 150s))
      << region.synced() << " of 600 schools synced";

  // Each owns a share, every school has one owner among them.
  ASSERT_TRUE(eventually([&] { return region.status().at("daemons").size() == 3; }, 10s));
  const auto status = region.status();
  const auto shares = owned_by(status);
  ASSERT_EQ(shares.size(), 3u) << status.dump();
  for (const auto& [name, schools] : shares) {
    std::printf("%s owns %zu schools\n", name.c_str(), schools.size());
    EXPECT_GE(schools.size(), 100u) << name;
  }

  // Kill one; its schools must be synced by the others.
  const auto victim = name_of(status, daemons[1]->pid());
  ASSERT_FALSE(victim.empty());
  const auto orphans = shares.at(victim);
  const auto killed_at = region.query_int(
      "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)");
  daemons[1]->signal(SIGKILL);
  ASSERT_TRUE(daemons[1]->wait(10s).has_value());
  std::vector<std::int64_t> delays;
  ASSERT_TRUE(eventually(
      [&] {
        const auto now = leases(region);
        delays.clear();
        for (const auto& id : orphans) {
          const auto& [holder, acquired] = now.at(id);
          if (holder == victim || acquired < killed_at) return false;
          delays.push_back(acquired - killed_at);
        }
        return true;
      },
      90s))
      << "the killed daemon's schools were not all taken over";
  std::sort(delays.begin(), delays.end());
  std::printf("takeover of %zu schools after the kill: first %lld ms, median %lld ms, last %lld ms "
              "(lease %d s)\n",
              delays.size(), static_cast<long long>(delays.front()),
              static_cast<long long>(delays[delays.size() / 2]),
              static_cast<long long>(delays.back()), kLeaseSeconds);
  // The others count it out when its heartbeat expires (one lease) and notice at their next
  // heartbeat (a third of one); the school is then due within the jitter.
  EXPECT_LE(delays.front(), kLeaseSeconds * 1000 + kLeaseSeconds * 1000 / 3 + kJitterSeconds * 1000 +
                                2000);
  const auto after = region.status();
  EXPECT_EQ(after.at("daemons").size(), 2u);
  EXPECT_EQ(owned_by(after).count(victim), 0u);

  for (auto& d : daemons) {
    if (d->running()) d->signal(SIGTERM);
  }
  for (auto& d : daemons) EXPECT_TRUE(d->wait(30s).has_value());
  expect_each_change_once_within_the_rate(region);
}

TEST(RegionFailover, ADaemonStartedLaterTakesItsShareWithoutARestartAndLeavesAtOnceOnSigterm) {
  Region region(150);
  std::vector<std::unique_ptr<testing::Process>> daemons;
  for (int i = 0; i < 2; ++i) daemons.push_back(region.start(std::to_string(i)));
  ASSERT_TRUE(eventually([&] { return region.synced() == 150; }, 90s));
  const pid_t first = daemons[0]->pid();
  const pid_t second = daemons[1]->pid();

  daemons.push_back(region.start("late"));
  ASSERT_TRUE(eventually([&] { return region.status().at("daemons").size() == 3; }, 10s));
  const auto status = region.status();
  const auto late = name_of(status, daemons[2]->pid());
  const auto mine = owned_by(status).at(late);
  std::printf("the late daemon owns %zu of 150 schools\n", mine.size());
  EXPECT_GE(mine.size(), 25u);
  // It syncs its share itself: each of its schools' lease passes to it.
  EXPECT_TRUE(eventually(
      [&] {
        const auto now = leases(region);
        return std::all_of(mine.begin(), mine.end(),
                           [&](const std::string& id) { return now.at(id).first == late; });
      },
      60s))
      << "the late daemon did not take its share";
  // The others were not restarted, and own no school of its share any more.
  EXPECT_TRUE(daemons[0]->running());
  EXPECT_TRUE(daemons[1]->running());
  EXPECT_EQ(daemons[0]->pid(), first);
  EXPECT_EQ(daemons[1]->pid(), second);
  for (const auto& s : region.status().at("schools")) {
    const auto id = s.at("id").get<std::string>();
    if (std::find(mine.begin(), mine.end(), id) != mine.end()) {
      EXPECT_EQ(s.at("owner"), late);
    }
  }

  // Stopped with SIGTERM, it leaves the region at once: no lease period to wait out, and its
  // schools are the others' again.
  daemons[2]->signal(SIGTERM);
  ASSERT_TRUE(daemons[2]->wait(30s).has_value());
  const auto without = region.status();
  EXPECT_EQ(without.at("daemons").size(), 2u) << without.at("daemons").dump();
  EXPECT_EQ(owned_by(without).count(late), 0u);

  for (auto& d : daemons) {
    if (d->running()) d->signal(SIGTERM);
  }
  for (auto& d : daemons) EXPECT_TRUE(d->wait(30s).has_value());
  expect_each_change_once_within_the_rate(region);
}

}  // namespace
}  // namespace rosterd::e2e
