// rosterd-sync-bench: the initial sync of one generated school against a real platform-sim
// with a rate limit. Prints wall time, HTTP requests, platform writes and the minimal number
// of changes (the plan's actions, each one write), with the targets beside them.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/platform/vk_platform.h"
#include "adapters/store/store.h"
#include "daemon/sync.h"
#include "generator/generator.h"
#include "tests/support/process.h"

namespace {

using namespace rosterd;

class FolderJournal final : public mapping::JournalSource {
 public:
  explicit FolderJournal(mapping::Roster roster)
      : roster_(std::make_shared<const mapping::Roster>(std::move(roster))) {}
  mapping::JournalAnswer fetch() override { return {roster_, false}; }

 private:
  std::shared_ptr<const mapping::Roster> roster_;
};

struct Args {
  int classes = 26;  // 26 classes of 25: about 1,500 persons
  int students = 25;
  int rps = 20;
  std::uint64_t seed = 1;
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  CLI::App app{"rosterd-sync-bench: initial sync of one school against platform-sim"};
  app.add_option("--classes", args.classes);
  app.add_option("--students-per-class", args.students);
  app.add_option("--rps", args.rps, "platform-sim's rate limit, requests/s");
  app.add_option("--seed", args.seed);
  CLI11_PARSE(app, argc, argv);

  char pattern[] = "/tmp/rosterd-sync-bench-XXXXXX";
  const std::filesystem::path dir = mkdtemp(pattern);
  std::ofstream(dir / "token") << "bench-token\n";
  testing::SimServer sim(PLATFORM_SIM_BIN,
                           {"--rps", std::to_string(args.rps), "--token-file",
                            (dir / "token").string()},
                           dir);
  const auto start_day = *mapping::Date::parse("2026-09-01");
  auto roster = generator::make_school("sch-0001", args.seed, start_day,
                                       {.classes = args.classes, .students_per_class = args.students});
  const auto persons = roster.persons.size();
  FolderJournal journal(std::move(roster));
  adapters::platform::PlatformOptions options;
  options.base_url = sim.base_url();
  options.token = "bench-token";
  // A hair under the simulator's limit: its window is strict, the client's bucket smooth.
  options.requests_per_second = args.rps * 0.95;
  adapters::platform::VkPlatform platform(options, std::shared_ptr<adapters::platform::RateLimiter>());
  auto store = adapters::store::open_sqlite_store(dir / "state.db");
  daemon::SyncSettings settings;
  settings.org_id = "sch-0001";
  settings.holder = "rosterd-sync-bench";
  settings.rules = mapping::Rules::defaults();
  settings.rules.fallback_admin = mapping::FallbackAdmin{"platform-admin", 990000001};
  settings.limits.max_removals = 1'000'000;

  daemon::SchoolSync sync(settings, journal, platform, *store);
  const auto t0 = std::chrono::steady_clock::now();
  const auto result = sync.run_once(start_day, "2026-09-01T06:00:00Z");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const auto stats = nlohmann::json::parse(sim.get("/sim/stats"));
  const auto requests = stats["requests"].get<double>();
  const auto writes = stats["writes"].get<double>();
  const auto minimal = static_cast<double>(mapping::summarize(result.plan).total());
  const double ideal = requests / static_cast<double>(args.rps);
  std::printf("rosterd-sync-bench: initial sync of a %zu-person school against platform-sim --rps %d\n",
              persons, args.rps);
  std::printf("  result                 %s (%s)\n", std::string(mapping::name(result.result)).c_str(),
              daemon::summary_line(result).c_str());
  std::printf("  minimal changes        %8.0f (the plan's actions)\n", minimal);
  std::printf("  write actions          %8.0f (platform-sim's changes)   ratio %.2f (target 1.00)\n",
              writes, writes / minimal);
  std::printf("  HTTP requests          %8.0f   %.3f per write (target <= 0.10)\n", requests,
              requests / writes);
  std::printf("  wall time              %8.2f s  = %.2fx requests/rps of %.2f s (target <= 1.5x)\n",
              wall, wall / ideal, ideal);
  sim.stop();
  std::filesystem::remove_all(dir);
  return result.failed() ? 1 : 0;
}
