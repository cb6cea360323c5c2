#pragma once
// `rosterd plan --out FILE` saves the plan it shows (daemon/saved_plan.h); `rosterd apply FILE
// --config CONFIG` applies exactly that plan, school by school under each school's lease, or
// refuses a school whose journal, store or configuration moved on since (docs/saved-plans.md).

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/planner.h"
#include "daemon/sync.h"

namespace rosterd::daemon {

// `rosterd apply`: 0 every school's plan applied (held actions stay held; a write the platform
// refused is reported as sync reports it), 1 an error (the file, a school not in the
// configuration, a school that failed or is held by another process), 3 a school refused
// because its plan is out of date and nothing else failed.
inline constexpr int exit_stale = 3;

// Writes the schools' saved plans to `file` (plan --out). Nothing is written when a school
// failed: says so on `err` and returns false.
bool save_plan_run(const PlanRun& run, const std::filesystem::path& file, std::ostream& err);

// What `sync --once` and `apply` do around each school's cycle: the journals (a OneRoster folder
// read once, its delta state kept in the store), the terminal's progress line, and a line per
// school: its result and summary, why it was not synced, or why its saved plan was refused; and a
// line for each handed-out link the cycle replaced. `cycle` runs the school's SchoolSync.
struct OneShotOutcome {
  bool failed = false;  // a school failed or another process held it
  bool stale = false;   // a saved plan was refused as out of date
};
using OneShotSettings = std::function<SyncSettings(const SchoolConfig&)>;
using OneShotCycle = std::function<SyncResult(SchoolSync&, const SchoolConfig&)>;
[[nodiscard]] OneShotOutcome run_one_shot(const Config& config,
                                          const std::vector<const SchoolConfig*>& schools,
                                          const OneShotSettings& settings_for,
                                          const OneShotCycle& cycle, std::ostream& out,
                                          std::ostream& err);

[[nodiscard]] int apply_saved_plan(const Config& config, const std::filesystem::path& file,
                                   std::ostream& out, std::ostream& err);

}  // namespace rosterd::daemon
