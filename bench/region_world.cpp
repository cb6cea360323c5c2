#include "bench/region_world.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "generator/generator.h"
#include "generator/region.h"

namespace rosterd::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::int64_t kFallbackAdmin = 990'000'001;

// Today by the machine's clock (UTC), and the first day of its academic year.
mapping::Date today_utc() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{days};
  return mapping::Date::from_ymd(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                                 static_cast<unsigned>(ymd.day()));
}

mapping::Date year_start(mapping::Date today) {
  return mapping::Date::from_ymd(today.academic_year(), 9, 1);
}

std::string school_id(int n) {
  char id[16];
  std::snprintf(id, sizeof id, "sch-%04d", n);
  return id;
}

std::int64_t int_field(const json& line, const char* key) {
  const auto it = line.find(key);
  return it != line.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string text_field(const json& line, const char* key) {
  const auto it = line.find(key);
  return it != line.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// Field n (1-based, as proc(5) numbers them) of /proc/PID/stat; the command name may hold
// spaces, so counting starts after its closing parenthesis.
std::string stat_field(pid_t pid, int n) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');
  if (close == std::string::npos) return "0";
  std::istringstream rest(all.substr(close + 2));
  std::string field;
  for (int i = 3; i <= n && (rest >> field); ++i) {
  }
  return field.empty() ? "0" : field;
}

volatile std::sig_atomic_t interrupted = 0;

void on_interruption(int) { interrupted = 1; }

}  // namespace

void catch_interruptions() {
  std::signal(SIGINT, on_interruption);
  std::signal(SIGTERM, on_interruption);
}

void throw_if_interrupted() {
  if (interrupted != 0) throw std::runtime_error("interrupted");
}

std::vector<json> LogTail::poll() {
  std::vector<json> lines;
  std::ifstream in(path_, std::ios::binary);
  if (!in) return lines;
  in.seekg(static_cast<std::streamoff>(offset_));
  std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  offset_ += chunk.size();
  partial_ += chunk;
  std::size_t start = 0;
  for (auto end = partial_.find('\n'); end != std::string::npos;
       end = partial_.find('\n', start)) {
    auto line = json::parse(partial_.substr(start, end - start), nullptr, false);
    if (line.is_object()) lines.push_back(std::move(line));
    start = end + 1;
  }
  partial_.erase(0, start);
  return lines;
}

double cpu_seconds(pid_t pid) {
  const double ticks = std::stod(stat_field(pid, 14)) + std::stod(stat_field(pid, 15));
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double status_mb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(field + ":")) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  }
  return 0;
}

RegionWorld::RegionWorld(const RegionArgs& args) : args_(args) {
  char pattern[] = "/tmp/rosterd-region-bench-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a folder in /tmp");
  dir_ = pattern;
  std::ofstream(dir_ / "journal.token") << "bench-journal-token\n";
  std::ofstream(dir_ / "platform.token") << "bench-platform-token\n";
  try {
    generate();
    pg_ = std::make_unique<test_support::PgCluster>();
    conninfo_ = pg_->create_database();
    journal_ = std::make_unique<testing::SimServer>(
        JOURNAL_SIM_BIN,
        std::vector<std::string>{"--data", (dir_ / "journal").string(), "--regional-token-file",
                                 (dir_ / "journal.token").string(), "--day", today_utc().iso(),
                                 "--seed", std::to_string(args_.seed)},
        dir_);
    platform_ = std::make_unique<testing::SimServer>(
        PLATFORM_SIM_BIN,
        std::vector<std::string>{"--token-file", (dir_ / "platform.token").string()}, dir_);
  } catch (...) {  // no destructor runs for a half-made world
    stop();
    pg_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    throw;
  }
}

RegionWorld::~RegionWorld() {
  stop();
  pg_.reset();
  if (args_.keep || std::uncaught_exceptions() > 0) {
    std::fprintf(stderr, "rosterd-region-bench: kept %s (config, logs)\n", dir_.c_str());
  } else {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

// One school at a time, so memory stays flat however many are asked for.
void RegionWorld::generate() {
  const auto start = year_start(today_utc());
  for (int n = 1; n <= args_.schools; ++n) {
    ids_.push_back(school_id(n));
    const auto roster = generator::make_school(
        ids_.back(), generator::org_seed(args_.seed, ids_.back()), start,
        {.classes = args_.classes, .students_per_class = args_.students});
    generator::write_export(roster, dir_ / "journal" / ids_.back());
  }
}

void RegionWorld::write_config(const std::vector<std::string>& schools, double client_rps) const {
  const json config = {
      {"region",
       {{"source",
         {{"type", "http"}, {"base_url", journal_->base_url()}, {"token_file", "journal.token"}}},
        {"schools", schools},
        {"fallback_admin", {{"platform_user_id", kFallbackAdmin}, {"label", "platform-admin"}}}}},
      // A transfer removes a student and their parents at once: in a school this small that
      // is a large share, which the default limits would hold for approval.
      {"defaults",
       {{"limits", {{"max_removals", 1000}, {"max_removal_share", 1.0}}}}},
      {"platform",
       {{"base_url", platform_->base_url()},
        {"token_file", "platform.token"},
        {"requests_per_second", client_rps},
        {"timeout_ms", 10000},
        {"batch_size", 25}}},
      {"store", {{"postgres", conninfo_}}},
      {"schedule",
       {{"interval_s", args_.interval_s},
        {"jitter_s", args_.jitter_s},
        {"concurrency", args_.concurrency}}},
      {"observability", {{"port", 0}}},
      {"log", {{"format", "json"}, {"level", "info"}}}};
  const auto tmp = dir_ / "rosterd.json.new";
  std::ofstream(tmp) << config.dump(2);
  fs::rename(tmp, dir_ / "rosterd.json");  // a reload never reads half a file
}

void RegionWorld::start_daemons(const std::vector<std::string>& schools, double client_rps) {
  write_config(schools, client_rps);
  for (int k = 0; k < args_.daemons; ++k) {
    const auto log = dir_ / ("daemon-" + std::to_string(k + 1) + ".log");
    daemons_.push_back(std::make_unique<testing::Process>(
        std::vector<std::string>{ROSTERD_BIN, "run", "--config", (dir_ / "rosterd.json").string(),
                                 "--log-format", "json"},
        log));
    logs_.emplace_back(log);
    reloads_.push_back(0);
  }
  for (std::size_t k = 0; k < daemons_.size(); ++k) {
    const auto log = dir_ / ("daemon-" + std::to_string(k + 1) + ".log");
    for (int i = 0; i < 300 && testing::read_file(log).find("daemon.started") == std::string::npos;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    start_rss_.push_back(status_mb(daemons_[k]->pid(), "VmRSS"));
    start_anon_.push_back(status_mb(daemons_[k]->pid(), "RssAnon"));
  }
}

void RegionWorld::restart_platform(int rps) {
  const auto state = dir_ / "platform-state.json";
  std::ofstream(state) << platform_->get("/sim/state");
  (void)platform_->stop();
  platform_ = std::make_unique<testing::SimServer>(
      PLATFORM_SIM_BIN,
      std::vector<std::string>{"--token-file", (dir_ / "platform.token").string(), "--state",
                               state.string(), "--rps", std::to_string(rps)},
      dir_);
}

void RegionWorld::reload(const std::vector<std::string>& schools, double client_rps) {
  write_config(schools, client_rps);
  for (const auto& daemon : daemons_) daemon->signal(SIGHUP);
}

std::vector<Cycle> RegionWorld::poll_cycles() {
  std::vector<Cycle> cycles;
  for (std::size_t k = 0; k < logs_.size(); ++k) {
    for (const auto& line : logs_[k].poll()) {
      const auto event = text_field(line, "event");
      if (event == "daemon.reload.finished") ++reloads_[k];
      if (event != "sync.cycle.finished") continue;
      cycles.push_back({static_cast<int>(k + 1), text_field(line, "school"),
                        text_field(line, "result"), int_field(line, "actions"),
                        int_field(line, "written"), int_field(line, "not_sent"),
                        int_field(line, "chats_read")});
    }
  }
  return cycles;
}

std::size_t RegionWorld::fewest_reloads() const {
  return reloads_.empty() ? 0 : *std::min_element(reloads_.begin(), reloads_.end());
}

json RegionWorld::journal_stats() const { return json::parse(journal_->get("/sim/stats")); }
json RegionWorld::platform_stats() const { return json::parse(platform_->get("/sim/stats")); }

double RegionWorld::daemons_cpu_seconds() const {
  double total = 0;
  for (const auto& daemon : daemons_) total += cpu_seconds(daemon->pid());
  return total;
}

std::vector<double> RegionWorld::daemons_status_mb(const std::string& field) const {
  std::vector<double> mb;
  for (const auto& daemon : daemons_) mb.push_back(status_mb(daemon->pid(), field));
  return mb;
}

double RegionWorld::database_mb() const {
  pqxx::connection connection{conninfo_};
  pqxx::nontransaction work{connection};
  const auto row = work.exec("SELECT pg_database_size(current_database())");
  return static_cast<double>(row[0][0].as<long long>()) / (1024.0 * 1024.0);
}

std::string RegionWorld::dead_daemons() {
  std::string dead;
  for (std::size_t k = 0; k < daemons_.size(); ++k) {
    if (daemons_[k]->running()) continue;
    auto log = testing::read_file(dir_ / ("daemon-" + std::to_string(k + 1) + ".log"));
    if (log.size() > 2000) log = log.substr(log.size() - 2000);
    dead += "daemon " + std::to_string(k + 1) + " exited:\n" + log + "\n";
  }
  return dead;
}

void RegionWorld::stop() {
  for (const auto& daemon : daemons_) daemon->signal(SIGTERM);
  for (const auto& daemon : daemons_) (void)daemon->wait(std::chrono::seconds(30));
  daemons_.clear();
  if (platform_) (void)platform_->stop();
  if (journal_) (void)journal_->stop();
  platform_.reset();
  journal_.reset();
}

}  // namespace rosterd::bench
