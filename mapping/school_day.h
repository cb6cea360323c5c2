#pragma once
// A school's day in its own time zone (Russia spans eleven): which zone decides the day, and
// what an administrator is told when none can. Reading a date in a zone needs the time zone
// database, which the core does not link: the caller hands in `today_in`.

#include <functional>
#include <optional>
#include <string>

#include "mapping/date.h"
#include "mapping/state.h"

namespace rosterd::mapping {

// A zone's date today, nullopt for a zone this machine does not know.
using TodayIn = std::function<std::optional<Date>(const std::string& zone)>;

struct SchoolDay {
  Date today;
  std::string zone;                // the zone `today` is of; empty: the machine's day
  std::optional<Finding> finding;  // no_timezone or unknown_timezone
};

// The school's day: in the configured zone when there is one (it wins over the journal's),
// else in the journal organisation's. No zone at all, or one `today_in` does not know:
// `machine_day`, with a finding naming the school (and the zone). Without `today_in` the day
// was given (`--today`, tests): `machine_day` as it is, no finding.
[[nodiscard]] SchoolDay school_day(const std::string& org_id, const std::string& configured_zone,
                                   const std::string& journal_zone, Date machine_day,
                                   const TodayIn& today_in);

}  // namespace rosterd::mapping
