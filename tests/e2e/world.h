#pragma once
// An end-to-end world: a temp folder, a generated journal export, a real platform-sim, and the
// real rosterd binary run against them with a config written here.

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "mapping/date.h"
#include "mapping/model.h"
#include "tests/e2e/model.h"
#include "tests/support/process.h"

namespace rosterd::e2e {

inline constexpr mapping::PlatformUserId kFallbackAdmin = 990'000'001;
inline constexpr mapping::PlatformUserId kOwner = 100;  // platform-sim's token user

struct WorldOptions {
  std::vector<std::string> sim_args{};  // e.g. {"--rps", "20"}
  double client_rps = 200;
  int timeout_ms = 5000;
  int batch_size = 25;
  int max_removals = 30;
  // The journal: an export folder written by write_journal, or a journal-sim at this URL.
  std::string journal_url{};
  nlohmann::json extra_config = nlohmann::json::object();  // merged into the config (schedule…)
};

// The config's `schools` list for these schools, each read from its export folder
// (write_journal) with this world's fallback admin: for worlds of several schools.
[[nodiscard]] nlohmann::json export_schools(const std::vector<std::string>& ids);

// journal-sim over one generated school (sch-0001), its token in a file beside it.
class JournalSim {
 public:
  JournalSim(const std::filesystem::path& dir, const mapping::Roster& school);
  [[nodiscard]] std::string url() const { return server_->base_url(); }
  [[nodiscard]] nlohmann::json roster() const;  // GET /sim/state/sch-0001
  [[nodiscard]] nlohmann::json stats() const;   // GET /sim/stats
  void advance();                               // POST /sim/advance {"days": 1}
  void fault(const std::string& mode);          // POST /sim/faults

 private:
  std::unique_ptr<testing::SimServer> server_;
};

class World {
 public:
  explicit World(const WorldOptions& options = {});
  ~World();

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] testing::SimServer& sim() { return *sim_; }
  void write_journal(const mapping::Roster& roster);
  // `rosterd sync --once --today DAY` to completion.
  [[nodiscard]] testing::RunResult sync(mapping::Date today) const;
  [[nodiscard]] testing::RunResult rosterd(const std::vector<std::string>& args) const;
  [[nodiscard]] std::vector<std::string> sync_argv(mapping::Date today) const;
  [[nodiscard]] nlohmann::json state() const;
  [[nodiscard]] nlohmann::json stats() const;
  // Every line every process of this world printed, for the personal-data check.
  [[nodiscard]] std::string all_output() const;

 private:
  void write_config(const WorldOptions& options);
  std::filesystem::path dir_;
  std::unique_ptr<testing::SimServer> sim_;
};

// The platform as the journal wants it on `today`: the test's own model (model.h) over the
// export folder rosterd reads for `org_id`, with this world's fallback admin.
[[nodiscard]] PlatformView expected_view(const World& world, const std::string& org_id,
                                         mapping::Date today);
// The platform as platform-sim holds it; the token's own user (the owner) is left out.
[[nodiscard]] PlatformView observed_view(const nlohmann::json& state);
// Live chats only, for worlds where archives are compared apart.
[[nodiscard]] std::string describe_difference(const PlatformView& want, const PlatformView& got);

}  // namespace rosterd::e2e
