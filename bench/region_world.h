#pragma once
// The region benchmark's world: small generated schools served by a real journal-sim, a real
// platform-sim, a throwaway PostgreSQL (tests/support/pg_cluster.h) and N real `rosterd run`
// daemons sharing one config and one database. The daemons log JSON lines, which the world
// reads as they are written; their CPU time and memory come from /proc.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/pg_cluster.h"
#include "tests/support/process.h"

namespace rosterd::bench {

struct RegionArgs {
  int schools = 2000;
  int initial = 200;         // schools whose initial sync is timed (phase 2)
  double minutes = 10;       // the steady-state window, and the window changes are injected in
  int changes = 100;         // transfers injected for the latency figure
  int interval_s = 60;
  int jitter_s = 10;
  int rps = 20;              // platform-sim's limit during the timed initial sync
  int daemons = 2;
  int concurrency = 8;       // workers per daemon (docs/region.md: enough to fill requests)
  int classes = 3;           // per school: small, so 2,000 fit in memory and sync quickly
  int students = 5;          // per class
  std::uint64_t seed = 1;
  bool keep = false;         // keep the folder (logs, config) for a look afterwards
};

// One `sync.cycle.finished` line of a daemon's log.
struct Cycle {
  int daemon = 0;
  std::string school;
  std::string result;  // ok, partial, held, source_failure, failed, stopped, leased
  std::int64_t actions = 0;
  std::int64_t written = 0;
  std::int64_t not_sent = 0;
  std::int64_t chats_read = 0;
};

// A file another process appends lines to: the complete JSON lines added since the last poll
// (lines that are not JSON, such as a crash message, are skipped).
class LogTail {
 public:
  explicit LogTail(std::filesystem::path path) : path_(std::move(path)) {}
  [[nodiscard]] std::vector<nlohmann::json> poll();

 private:
  std::filesystem::path path_;
  std::uintmax_t offset_ = 0;
  std::string partial_;
};

// SIGINT and SIGTERM set a flag instead of killing the benchmark, so that its daemons,
// simulators and PostgreSQL are stopped and its folder removed: the waits call
// throw_if_interrupted() at least twice a second.
void catch_interruptions();
void throw_if_interrupted();

// A process's CPU time (utime + stime) in seconds, from /proc/PID/stat; 0 when it is gone.
[[nodiscard]] double cpu_seconds(pid_t pid);
// A field of /proc/PID/status in MB ("VmRSS": resident memory; "RssAnon": its anonymous
// part, the heap and the stacks, without the program's and libraries' mapped files); 0 when
// the process is gone.
[[nodiscard]] double status_mb(pid_t pid, const std::string& field);

class RegionWorld {
 public:
  // Generates the schools, starts PostgreSQL, journal-sim and platform-sim (no rate limit).
  explicit RegionWorld(const RegionArgs& args);
  ~RegionWorld();
  RegionWorld(const RegionWorld&) = delete;
  RegionWorld& operator=(const RegionWorld&) = delete;

  [[nodiscard]] const std::vector<std::string>& ids() const noexcept { return ids_; }
  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }
  [[nodiscard]] testing::SimServer& journal() { return *journal_; }
  [[nodiscard]] testing::SimServer& platform() { return *platform_; }

  // Writes the config for `schools` at the client rate `client_rps` and starts the daemons.
  void start_daemons(const std::vector<std::string>& schools, double client_rps);
  // Restarts platform-sim from its own state (chats, members, links) with `--rps rps`:
  // its statistics start from zero. The daemons keep the old address until reload().
  void restart_platform(int rps);
  // Rewrites the config and sends SIGHUP to every daemon.
  void reload(const std::vector<std::string>& schools, double client_rps);
  // The daemons' cycles logged since the last call.
  [[nodiscard]] std::vector<Cycle> poll_cycles();
  // How many reloads each daemon has logged as finished, as far as poll_cycles has read.
  [[nodiscard]] std::size_t fewest_reloads() const;

  [[nodiscard]] nlohmann::json journal_stats() const;
  [[nodiscard]] nlohmann::json platform_stats() const;
  [[nodiscard]] double daemons_cpu_seconds() const;
  // Each daemon's /proc/PID/status field (status_mb).
  [[nodiscard]] std::vector<double> daemons_status_mb(const std::string& field) const;
  // Each daemon's VmRSS and RssAnon just after it logged daemon.started, before its first
  // cycle's work.
  [[nodiscard]] const std::vector<double>& start_rss_mb() const noexcept { return start_rss_; }
  [[nodiscard]] const std::vector<double>& start_anon_mb() const noexcept { return start_anon_; }
  [[nodiscard]] double database_mb() const;
  // The daemons that exited (a crash, a refused config), with their log's tail, or "".
  [[nodiscard]] std::string dead_daemons();
  // SIGTERM to the daemons, then the simulators; PostgreSQL and the folder go with the world.
  void stop();

 private:
  void generate();
  void write_config(const std::vector<std::string>& schools, double client_rps) const;

  RegionArgs args_;
  std::filesystem::path dir_;
  std::vector<std::string> ids_;
  std::unique_ptr<test_support::PgCluster> pg_;
  std::string conninfo_;
  std::unique_ptr<testing::SimServer> journal_;
  std::unique_ptr<testing::SimServer> platform_;
  std::vector<std::unique_ptr<testing::Process>> daemons_;
  std::vector<LogTail> logs_;
  std::vector<std::size_t> reloads_;  // per daemon
  std::vector<double> start_rss_;
  std::vector<double> start_anon_;
};

}  // namespace rosterd::bench
