#pragma once
// `rosterd plan --out FILE` saves the plan it shows (daemon/saved_plan.h); `rosterd apply FILE
// --config CONFIG` applies exactly that plan, school by school under each school's lease, or
// refuses a school whose journal, store or configuration moved on since (docs/saved-plans.md).

#include <filesystem>
#include <ostream>
#include <string>

#include "daemon/config.h"
#include "daemon/planner.h"

namespace rosterd::daemon {

// `rosterd apply`: 0 every school's plan applied (held actions stay held; a write the platform
// refused is reported as sync reports it), 1 an error (the file, a school not in the
// configuration, a school that failed or is held by another process), 3 a school refused
// because its plan is out of date and nothing else failed.
inline constexpr int exit_stale = 3;

// Writes the schools' saved plans to `file` (plan --out). Nothing is written when a school
// failed: says so on `err` and returns false.
bool save_plan_run(const PlanRun& run, const std::filesystem::path& file, std::ostream& err);

[[nodiscard]] int apply_saved_plan(const Config& config, const std::filesystem::path& file,
                                   std::ostream& out, std::ostream& err);

}  // namespace rosterd::daemon
