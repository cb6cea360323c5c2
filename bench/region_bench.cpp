// rosterd-region-bench: a region of small generated schools served by journal-sim, synced by
// two `rosterd run` daemons sharing one PostgreSQL, against platform-sim. Three phases:
//   1. the initial sync of `--initial` schools at platform-sim's `--rps`, timed against the
//      floor writes / 25 / rps (the other schools were synced before, without a rate limit);
//   2. the steady state: journal and platform requests, CPU per school cycle, memory, database;
//   3. change-to-chat latency: students transferred in random schools of the journal, timed
//      until platform-sim shows them moved.
// Prints one line per figure with its target; asserts nothing (exit 1 only when it could not
// run: PostgreSQL missing, a daemon that died, a phase that did not finish in time).

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench/region_latency.h"
#include "bench/region_world.h"

namespace {

using namespace rosterd::bench;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

const Clock::time_point kStarted = Clock::now();

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string minutes(double m) {
  char text[32];
  std::snprintf(text, sizeof text, "%g min", m);
  return text;
}

void progress(const std::string& what) {
  std::fprintf(stderr, "[region-bench %7.1f s] %s\n", since(kStarted), what.c_str());
}

// Which schools have finished a cycle with everything applied, from the daemons' logs.
class Tracker {
 public:
  explicit Tracker(RegionWorld& world) : world_(world) {}

  // Reads the logs; counts the cycles (not `leased`) and leased answers since the last reset.
  void poll() {
    throw_if_interrupted();
    if (const auto dead = world_.dead_daemons(); !dead.empty()) throw std::runtime_error(dead);
    for (const auto& c : world_.poll_cycles()) {
      if (c.result == "leased") {
        ++leased_;
        continue;
      }
      ++cycles_;
      if (c.result == "ok" && c.not_sent == 0) synced_.insert(c.school);
    }
  }
  // Polls until every school of `schools` is synced; false at the deadline.
  bool wait_synced(const std::vector<std::string>& schools, double timeout_s) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
    while (Clock::now() < deadline) {
      poll();
      if (std::ranges::all_of(schools, [&](const auto& s) { return synced_.contains(s); }))
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  // Polls for `seconds`, keeping the tails read.
  void idle(double seconds) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < until) {
      poll();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    poll();
  }
  void reset_counts() { cycles_ = leased_ = 0; }
  [[nodiscard]] std::int64_t cycles() const { return cycles_; }
  [[nodiscard]] std::int64_t leased() const { return leased_; }

 private:
  RegionWorld& world_;
  std::set<std::string> synced_;
  std::int64_t cycles_ = 0;
  std::int64_t leased_ = 0;
};

struct InitialSync {
  double wall_s = 0;
  double writes = 0;
  double requests = 0;
  double refused = 0;  // answered 6: over the platform's rate, sent again later
  double calls = 0;    // API calls, the execute's own call not counted
  double floor_s = 0;
  // The timeline, in seconds after the reload that starts it (from platform-sim's stats).
  double reloaded_s = 0;  // both daemons logged daemon.reload.finished (read every 20 ms)
  double first_request_s = 0;
  double last_write_s = 0;
  double tightest_span_s = 0;  // the shortest time rps + 1 admitted requests took
  bool finished = false;
};

struct SteadyState {
  double window_s = 0;
  double cycles = 0;
  double leased = 0;
  double journal_requests = 0;
  double platform_requests = 0;
  double platform_writes = 0;
  double cpu_s = 0;
  std::vector<double> rss_mb;
  std::vector<double> start_rss_mb;
  std::vector<double> anon_mb;
  std::vector<double> start_anon_mb;
  double database_mb = 0;
};

double number(const json& stats, const char* key) { return stats.at(key).get<double>(); }

InitialSync initial_sync(RegionWorld& world, Tracker& tracker, const RegionArgs& args,
                         const std::vector<std::string>& measured, double timeout_s) {
  progress("initial sync of " + std::to_string(measured.size()) + " schools at platform-sim --rps " +
           std::to_string(args.rps));
  world.restart_platform(args.rps);
  const auto t0 = Clock::now();
  // The simulator's limit itself: the daemons' shared budget keeps its own margin.
  world.reload(world.ids(), args.rps);
  InitialSync result;
  // When both daemons logged the reload done (read every 20 ms, the logs are short meanwhile).
  const auto reloads = world.fewest_reloads();
  while (world.fewest_reloads() == reloads && since(t0) < timeout_s) {
    tracker.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result.reloaded_s = since(t0);
  result.finished = tracker.wait_synced(measured, timeout_s);
  result.wall_s = since(t0);
  const auto stats = world.platform_stats();
  // The simulator counts from its start, a moment before t0: its clock is placed on ours by
  // the moment of this read (a few ms off at most).
  const double sim_to_t0 = since(t0) - number(stats, "now_s");
  const auto at = [&](const char* key) {
    return stats.at(key).is_null() ? 0.0 : stats.at(key).get<double>() + sim_to_t0;
  };
  result.first_request_s = at("first_request_s");
  result.last_write_s = at("last_write_s");
  result.tightest_span_s = stats.value("tightest_span_s", json()).is_null()
                               ? 0.0
                               : stats.at("tightest_span_s").get<double>();
  result.writes = number(stats, "writes");
  result.requests = number(stats, "requests");
  result.refused = stats.at("errors").value("6", 0.0);
  progress("initial sync: platform-sim ran " + stats.at("by_method").dump());
  for (const auto& [method, count] : stats.at("by_method").items()) {
    if (method != "execute") result.calls += count.get<double>();
  }
  result.floor_s = result.writes / 25.0 / args.rps;
  return result;
}

SteadyState steady_state(RegionWorld& world, Tracker& tracker, const RegionArgs& args) {
  progress("settling for one interval, then the steady state for " + minutes(args.minutes));
  tracker.idle(args.interval_s + args.jitter_s + 5);
  const auto journal0 = world.journal_stats();
  const auto platform0 = world.platform_stats();
  const double cpu0 = world.daemons_cpu_seconds();
  tracker.reset_counts();
  const auto t0 = Clock::now();
  tracker.idle(args.minutes * 60);
  SteadyState s;
  s.window_s = since(t0);
  s.cpu_s = world.daemons_cpu_seconds() - cpu0;
  const auto journal1 = world.journal_stats();
  const auto platform1 = world.platform_stats();
  s.cycles = static_cast<double>(tracker.cycles());
  s.leased = static_cast<double>(tracker.leased());
  s.journal_requests = number(journal1, "requests") - number(journal0, "requests");
  s.platform_requests = number(platform1, "requests") - number(platform0, "requests");
  s.platform_writes = number(platform1, "writes") - number(platform0, "writes");
  s.rss_mb = world.daemons_status_mb("VmRSS");
  s.start_rss_mb = world.start_rss_mb();
  s.anon_mb = world.daemons_status_mb("RssAnon");
  s.start_anon_mb = world.start_anon_mb();
  s.database_mb = world.database_mb();
  return s;
}

void line(const char* what, const std::string& value, const std::string& target) {
  std::printf("%-44s %14s   %s\n", what, value.c_str(), target.c_str());
}

std::string fmt(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

void print_initial(const RegionArgs& args, const InitialSync& init, int initial) {
  line("initial sync: schools", std::to_string(initial), init.finished ? "" : "NOT FINISHED");
  line("initial sync: platform writes", fmt("%.0f", init.writes), "");
  line("initial sync: platform requests", fmt("%.0f", init.requests), "");
  line("initial sync: wall time (s)", fmt("%.1f", init.wall_s), "");
  line("initial sync: both daemons reloaded at (s)", fmt("%.2f", init.reloaded_s), "");
  line("initial sync: first request at (s)", fmt("%.2f", init.first_request_s), "");
  line("initial sync: last write at (s)", fmt("%.1f", init.last_write_s), "");
  line("initial sync: calls per request", fmt("%.1f", init.requests > 0 ? init.calls / init.requests : 0),
       "25 at most");
  line("initial sync: requests refused (6)", fmt("%.0f", init.refused), "0");
  line("initial sync: tightest rps+1 requests (s)", fmt("%.3f", init.tightest_span_s),
       "> 1 (the limit's window)");
  line("initial sync: requests / rps (s)", fmt("%.1f", init.requests / args.rps), "");
  line("initial sync: floor writes/25/rps (s)", fmt("%.1f", init.floor_s),
       "rps " + std::to_string(args.rps));
  line("initial sync: wall / floor", fmt("%.2fx", init.floor_s > 0 ? init.wall_s / init.floor_s : 0),
       "<= 1.1x");
}

void print_steady(const RegionArgs& args, const SteadyState& s) {
  const double per_cycle = s.cycles > 0 ? 1.0 / s.cycles : 0;
  // A school's cycles come interval_s + jitter_s/2 apart on average (plus the cycle itself).
  const double mean_interval = args.interval_s + args.jitter_s / 2.0;
  const double region_cycles = args.schools * s.window_s / mean_interval;
  // Each daemon's figure, and the largest growth since its start.
  const auto per_daemon = [](const std::vector<double>& now, const std::vector<double>& start,
                             double& growth) {
    std::string text;
    for (std::size_t k = 0; k < now.size(); ++k) {
      text += (text.empty() ? "" : ", ") + std::to_string(static_cast<int>(now[k] + 0.5));
      growth = std::max(growth, now[k] - start.at(k));
    }
    return text;
  };
  double rss_growth = 0;
  double anon_growth = 0;
  const std::string rss = per_daemon(s.rss_mb, s.start_rss_mb, rss_growth);
  const std::string anon = per_daemon(s.anon_mb, s.start_anon_mb, anon_growth);
  // A daemon syncs its share of the schools and keeps an entry for each of the region's.
  const double synced_per_daemon = static_cast<double>(args.schools) / args.daemons;
  line("steady: window (s)", fmt("%.0f", s.window_s), "");
  line("steady: school cycles (not leased)", fmt("%.0f", s.cycles),
       fmt("~%.0f (one per school per interval)", region_cycles));
  line("steady: leased answers", fmt("%.0f", s.leased), "");
  line("steady: journal requests / school cycle", fmt("%.3f", s.journal_requests * per_cycle),
       "<= 1.05");
  line("steady: journal requests / school / interval",
       fmt("%.3f", region_cycles > 0 ? s.journal_requests / region_cycles : 0), "<= 1.05");
  // One batched member read per school per audit_period_s (86,400 s), for schools this small.
  line("steady: platform requests / school cycle", fmt("%.4f", s.platform_requests * per_cycle),
       fmt("audit reads only (~%.4f)", mean_interval / 86400.0));
  line("steady: platform writes", fmt("%.0f", s.platform_writes), "0");
  line("steady: CPU ms / school cycle (all daemons)", fmt("%.2f", s.cpu_s * 1000 * per_cycle), "");
  line("steady: RSS per daemon (MB)", rss, "<= 300 at 2,000 schools");
  line("steady: RSS growth per school (KB)", fmt("%.1f", rss_growth * 1024 / synced_per_daemon),
       "largest daemon, since its start, per school it syncs");
  line("steady: anonymous RSS per daemon (MB)", anon, "heap and stacks: RssAnon");
  line("steady: anonymous growth per school (KB)",
       fmt("%.1f", anon_growth * 1024 / synced_per_daemon),
       "a few KB (largest daemon, since its start, per school it syncs)");
  line("steady: PostgreSQL database (MB)", fmt("%.1f", s.database_mb), "");
}

void print_latency(const LatencyResult& lat) {
  line("latency: changes injected / shown",
       std::to_string(lat.injected) + " / " + std::to_string(lat.seconds.size()),
       lat.unseen ? std::to_string(lat.unseen) + " not shown" : "");
  line("latency: change to chat p50 (s)", fmt("%.1f", percentile(lat.seconds, 50)), "");
  line("latency: change to chat p95 (s)", fmt("%.1f", percentile(lat.seconds, 95)), "<= 120");
  line("latency: change to chat max (s)", fmt("%.1f", percentile(lat.seconds, 100)), "");
}

void print_table(const RegionArgs& args, const InitialSync& init, int initial,
                 const SteadyState& s, const LatencyResult& lat) {
  std::printf("\nrosterd-region-bench: %d schools (%d classes of %d), %d daemons x %d workers, "
              "interval %d s (+0..%d s)\n",
              args.schools, args.classes, args.students, args.daemons, args.concurrency,
              args.interval_s, args.jitter_s);
  std::printf("%-44s %14s   %s\n", "figure", "measured", "target");
  print_initial(args, init, initial);
  print_steady(args, s);
  print_latency(lat);
}

int run(RegionArgs args, double timeout_min) {
  const int initial = std::min(args.initial, args.schools / 2);
  progress("generating " + std::to_string(args.schools) + " schools, starting PostgreSQL, "
           "journal-sim and platform-sim");
  RegionWorld world(args);
  Tracker tracker(world);
  const std::vector<std::string> measured(world.ids().begin(), world.ids().begin() + initial);
  const std::vector<std::string> others(world.ids().begin() + initial, world.ids().end());
  progress("warm-up: " + std::to_string(others.size()) +
           " schools synced without a platform rate limit (folder " + world.dir().string() + ")");
  world.start_daemons(others, 1000);
  if (!tracker.wait_synced(others, timeout_min * 60)) {
    throw std::runtime_error("the warm-up did not finish in " + minutes(timeout_min));
  }
  // A school's cycle after its first reads the chats it made (never read yet): those reads
  // belong to the warm-up, not to the timed initial sync, so they are let happen first.
  progress("warm-up: one more interval, for the reads of the chats just made");
  tracker.idle(args.interval_s + args.jitter_s + 5);
  const auto init = initial_sync(world, tracker, args, measured, timeout_min * 60);
  if (!init.finished) progress("the initial sync did not finish; measuring on");
  const auto steady = steady_state(world, tracker, args);
  progress("latency: " + std::to_string(args.changes) + " transfers over " +
           minutes(args.minutes));
  std::mt19937_64 rng(args.seed);
  const auto latency = measure_latency(world, args, rng);
  world.stop();
  print_table(args, init, initial, steady, latency);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  RegionArgs args;
  double timeout_min = 60;
  CLI::App app{"rosterd-region-bench: a region over journal-sim, platform-sim, PostgreSQL and "
               "two rosterd daemons"};
  app.add_option("--schools", args.schools, "generated schools")->check(CLI::Range(2, 100000))
      ->capture_default_str();
  app.add_option("--initial", args.initial, "schools whose initial sync is timed (at most half)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--minutes", args.minutes, "steady-state window, and the latency window")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--changes", args.changes, "transfers injected for the latency")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--interval", args.interval_s, "schedule.interval_s")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--jitter", args.jitter_s, "schedule.jitter_s")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--rps", args.rps, "platform-sim's limit for the timed initial sync")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--daemons", args.daemons, "rosterd run processes")
      ->check(CLI::Range(1, 16))->capture_default_str();
  app.add_option("--concurrency", args.concurrency, "schedule.concurrency (workers per daemon)")
      ->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--classes", args.classes, "classes per school")->check(CLI::Range(2, 33))
      ->capture_default_str();
  app.add_option("--students", args.students, "students per class")->check(CLI::Range(1, 40))
      ->capture_default_str();
  app.add_option("--seed", args.seed)->capture_default_str();
  app.add_option("--timeout", timeout_min, "minutes the warm-up and the initial sync may take")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_flag("--keep", args.keep, "keep the folder (config, logs) afterwards");
  CLI11_PARSE(app, argc, argv);
  catch_interruptions();
  try {
    return run(args, timeout_min);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rosterd-region-bench: %s\n", e.what());
    return 1;
  }
}
