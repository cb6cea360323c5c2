// One writer per school, as deployed: several rosterd processes on one store and the same
// schools, killed with SIGKILL at random points. Three `sync --once` on one SQLite file, and
// three `rosterd run` daemons on one PostgreSQL (restarted after each kill). Afterwards every
// chat exists once, every write was made once, and a school whose holder died was taken over
// within one lease period (read from the store's own lease rows).
#include <gtest/gtest.h>
#include <signal.h>

#include <pqxx/pqxx>
#include <ctime>
#include <random>
#include <thread>

#include "generator/generator.h"
#include "tests/support/pg_cluster.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;
using namespace std::chrono_literals;

const Date kStart = *Date::parse("2026-09-01");
constexpr int kLeaseSeconds = 2;
const auto* const pg_environment =
    ::testing::AddGlobalTestEnvironment(new test_support::PgEnvironment);

struct Region {
  std::vector<mapping::Roster> schools;
  PlatformView want;  // the union of the schools' chats: their titles name the school
};

const std::vector<std::string> kSchools = {"sch-0001", "sch-0002", "sch-0003"};

Region make_region(World& w, Date today) {
  Region region;
  for (int i = 0; i < 3; ++i) {
    const std::string& id = kSchools[static_cast<std::size_t>(i)];
    region.schools.push_back(generator::make_school(id, 40 + i, kStart,
                                                    {.classes = 5, .students_per_class = 9}));
    w.write_journal(region.schools.back());
    for (auto& [title, members] : expected_view(w, id, today).live)
      region.want.live[title] = members;
  }
  return region;
}

// Merged into the World's config: the three schools, the store, the schedule.
json region_config(const json& store, const json& schedule) {
  return {{"schools", export_schools(kSchools)}, {"store", store}, {"schedule", schedule},
          {"observability", {{"port", 0}}}};
}

// The daemon's "today": the machine's local date.
Date local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Date::from_ymd(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                        static_cast<unsigned>(local.tm_mday));
}

// Every school's line of a `sync --once` says it had nothing to do.
bool quiet(const std::string& output) {
  for (const auto& id : kSchools) {
    if (output.find(id + ": ok: no changes; 0 held; 0 written") == std::string::npos) return false;
  }
  return true;
}

std::size_t memberships(const PlatformView& view, bool admins_only) {
  std::size_t n = 0;
  for (const auto& [_, members] : view.live) {
    for (const auto& [uid, admin] : members) n += !admins_only || admin;
  }
  return n;
}

// Every chat once, every write once: the platform ran exactly the calls the region needs.
void expect_each_change_made_once(World& w, const PlatformView& want) {
  const auto got = observed_view(w.state());
  EXPECT_EQ(describe_difference(want, got), "");
  EXPECT_TRUE(got.duplicate_titles.empty()) << got.duplicate_titles.size() << " duplicated";
  const auto calls = w.stats()["by_method"];
  EXPECT_EQ(calls.value("messages.createChat", 0u), want.live.size());
  EXPECT_EQ(calls.value("messages.addChatUser", 0u), memberships(want, false));
  EXPECT_EQ(calls.value("messages.setMemberRole", 0u), memberships(want, true));
}

TEST(LeaseChaos, ThreeSyncsOnOneSqliteStoreKilledAtRandomMakeEveryChatOnce) {
  World w({.sim_args = {"--latency-ms", "40"},
           .client_rps = 1000,
           .batch_size = 3,
           .extra_config = region_config({{"sqlite", "state/rosterd.db"}}, {{"lease_s", 1}})});
  const Region region = make_region(w, kStart);
  std::mt19937_64 rng(909);
  int kills = 0;
  // Three syncs of the same schools start together; at a random point every one still running
  // is killed, so the kills land while they compete for the schools and apply them.
  for (int round = 0; round < 40 && kills < 15; ++round) {
    std::vector<std::unique_ptr<testing::Process>> syncs;
    for (int i = 0; i < 3; ++i) {
      syncs.push_back(std::make_unique<testing::Process>(
          w.sync_argv(kStart), w.dir() / ("sync-" + std::to_string(i) + ".out")));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + rng() % 170));
    for (auto& s : syncs) {
      if (!s->running()) continue;
      s->signal(SIGKILL);
      ++kills;
    }
    for (auto& s : syncs) ASSERT_TRUE(s->wait(60s).has_value()) << "a sync hung";
    // No wait: the killed holders are gone processes of this machine, taken over at once.
  }
  ASSERT_GE(kills, 15) << "the syncs finished before 15 kills";

  // Three at once again, to the end: they share the schools, none is synced twice at once.
  std::vector<std::unique_ptr<testing::Process>> syncs;
  for (int i = 0; i < 3; ++i) {
    syncs.push_back(std::make_unique<testing::Process>(
        w.sync_argv(kStart), w.dir() / ("final-" + std::to_string(i) + ".out")));
  }
  for (auto& s : syncs) ASSERT_TRUE(s->wait(120s).has_value()) << "a sync hung";
  bool converged = false;
  for (int cycle = 0; cycle < 4 && !converged; ++cycle) {
    const auto run = w.sync(kStart);
    ASSERT_EQ(run.status, 0) << run.output;
    converged = quiet(run.output);
  }
  EXPECT_TRUE(converged);
  expect_each_change_made_once(w, region.want);
}

struct LeaseRow {
  std::string holder;
  std::int64_t token = 0;
  std::int64_t acquired_ms = 0;
  std::int64_t expires_ms = 0;
};

std::map<std::string, LeaseRow> read_leases(const std::string& conninfo) {
  pqxx::connection c(conninfo);
  pqxx::work tx(c);
  std::map<std::string, LeaseRow> rows;
  for (const auto& r : tx.exec("SELECT org_id, holder, token, acquired_ms, expires_ms FROM leases")) {
    rows[r[0].as<std::string>()] = {r[1].as<std::string>(), r[2].as<std::int64_t>(),
                                    r[3].as<std::int64_t>(), r[4].as<std::int64_t>()};
  }
  return rows;
}

std::int64_t db_now_ms(const std::string& conninfo) {
  pqxx::connection c(conninfo);
  pqxx::work tx(c);
  return tx.exec1("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")[0]
      .as<std::int64_t>();
}

TEST(LeaseChaos, ThreeDaemonsOnOnePostgresShareTheSchoolsAndTakeOverADeadOnesSchools) {
  const std::string conninfo = test_support::PgEnvironment::cluster().create_database();
  World w({.sim_args = {"--latency-ms", "15"},
           .client_rps = 1000,
           .batch_size = 3,
           .extra_config = region_config({{"sqlite", nullptr}, {"postgres", conninfo}},
                                         {{"interval_s", 3600},
                                          {"jitter_s", 1},
                                          {"concurrency", 2},
                                          {"retry_initial_s", 1},
                                          {"lease_s", kLeaseSeconds}})});
  const Region region = make_region(w, local_today());
  const auto start = [&](int i, int generation) {
    return std::make_unique<testing::Process>(
        std::vector<std::string>{ROSTERD_BIN, "run", "--config", (w.dir() / "rosterd.json").string()},
        w.dir() / ("daemon-" + std::to_string(i) + "-" + std::to_string(generation) + ".out"));
  };
  std::vector<std::unique_ptr<testing::Process>> daemons;
  for (int i = 0; i < 3; ++i) daemons.push_back(start(i, 0));

  std::mt19937_64 rng(4242);
  int kills = 0;
  // After the dead holder's lease ran out (negative: before it, a gone process of this
  // machine being taken over at once), and after the kill.
  std::vector<std::pair<std::int64_t, std::int64_t>> takeovers_ms;
  for (int generation = 1; kills < 15; ++generation) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng() % 600));
    const auto victim = rng() % daemons.size();
    const pid_t pid = daemons[victim]->pid();
    daemons[victim]->signal(SIGKILL);
    ASSERT_TRUE(daemons[victim]->wait(10s).has_value());
    ++kills;
    // The schools the dead process held when it died: another must take each over.
    const auto killed_at = db_now_ms(conninfo);
    const std::string mark = ":" + std::to_string(pid) + ":";
    std::map<std::string, LeaseRow> orphaned;
    for (const auto& [org, row] : read_leases(conninfo)) {
      if (row.holder.find(mark) != std::string::npos && row.expires_ms > killed_at)
        orphaned[org] = row;
    }
    daemons[victim] = start(static_cast<int>(victim), generation);
    for (const auto& [org, dead] : orphaned) {
      LeaseRow now;
      for (int i = 0; i < 300; ++i) {
        now = read_leases(conninfo)[org];
        if (now.token > dead.token) break;
        std::this_thread::sleep_for(50ms);
      }
      ASSERT_GT(now.token, dead.token) << org << " was never taken over";
      EXPECT_EQ(now.holder.find(mark), std::string::npos);
      takeovers_ms.emplace_back(now.acquired_ms - dead.expires_ms, now.acquired_ms - killed_at);
    }
  }
  ASSERT_FALSE(takeovers_ms.empty()) << "no kill landed while a daemon held a school";
  for (const auto& [after_expiry, after_kill] : takeovers_ms) {
    std::printf("lease takeover: %lld ms after the kill (%lld ms from the lease's end)\n",
                static_cast<long long>(after_kill), static_cast<long long>(after_expiry));
    EXPECT_LT(after_expiry, kLeaseSeconds * 1000) << "taken over later than one lease period";
  }

  // The survivors finish the region; then every chat exists once and no write was repeated.
  PlatformView got;
  for (int i = 0; i < 600; ++i) {
    got = observed_view(w.state());
    if (describe_difference(region.want, got).empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  for (auto& d : daemons) d->signal(SIGTERM);
  for (auto& d : daemons) EXPECT_TRUE(d->wait(30s).has_value());
  expect_each_change_made_once(w, region.want);
}

}  // namespace
}  // namespace rosterd::e2e
