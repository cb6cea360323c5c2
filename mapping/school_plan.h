#pragma once
// One school's planning: the one place `plan`, `sync` and `run` pass, whatever the source type.
// It refuses an answer that holds another organisation, then runs desired → diff → guard, and
// the guard holds every write of an answer it does not trust.

#include <set>
#include <string>
#include <string_view>

#include "mapping/sync.h"

namespace rosterd::mapping {

struct SchoolPlanning {
  DesiredState desired;  // views the roster and rules it was computed from
  Plan plan;             // as guarded
  // Not empty: the answer is not this school's ("… holds organisation X, not Y"); nothing was
  // planned and nothing may be written. Data, not an exception: the caller decides how to fail.
  std::string refusal;
  [[nodiscard]] bool refused() const noexcept { return !refusal.empty(); }
};

struct SchoolSettings {
  std::string_view school_id;  // the configured organisation
  const Rules& rules;
  const Policy& policy;
  const Limits& limits;
};

[[nodiscard]] SchoolPlanning plan_school(const SchoolSettings& school, const Roster& roster,
                                         const AppliedState& applied,
                                         std::set<std::string> approved, Date today);

// The latest academic year of the answer's groups; 0 when it has none.
[[nodiscard]] int latest_academic_year(const Roster& roster) noexcept;

}  // namespace rosterd::mapping
