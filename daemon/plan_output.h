#pragma once
// How a plan is shown: text for an administrator, JSON for programs (docs/plan-format.md).
// Names appear (the plan is for the administrator); contacts never do.

#include <ostream>

#include "daemon/planner.h"

namespace rosterd::daemon {

void write_plan_text(std::ostream& out, const PlanRun& run);
void write_plan_json(std::ostream& out, const PlanRun& run);

}  // namespace rosterd::daemon
