#include "mapping/school_plan.h"

#include "mapping/text.h"

#include <algorithm>

namespace rosterd::mapping {

int latest_academic_year(const Roster& roster) noexcept {
  int latest = 0;
  for (const auto& g : roster.groups) latest = std::max(latest, g.academic_year);
  return latest;
}

SchoolPlanning plan_school(const SchoolSettings& school, const Roster& roster,
                           const AppliedState& applied, std::set<std::string> approved,
                           Date today) {
  SchoolPlanning out;
  if (roster.org.id != school.school_id) {
    out.refusal = "the journal's answer holds organisation " + quote_id(roster.org.id) +
                  ", not the configured school " + std::string(school.school_id) +
                  "; nothing is planned";
    out.plan.org_id = std::string(school.school_id);
    out.plan.today = today;
    return out;
  }
  out.desired = desired(roster, school.rules, today);
  GuardInput guarding{school.limits, count(roster), applied.last_good_counts, std::move(approved),
                      latest_academic_year(roster)};
  out.plan = guard(diff(out.desired, applied, school.policy, today), guarding);
  return out;
}

}  // namespace rosterd::mapping
