#pragma once
// Scenario events for /sim/advance: dated movement a test names exactly (enrol, withdraw,
// transfer, class_teacher, teacher_leaves, link_account).

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "mapping/date.h"
#include "mapping/model.h"

namespace rosterd::sim::journal {

// Applies `events` (a JSON array) in order and returns copies of the rosters they touched,
// changed; `rosters` itself is left alone. Dates an event leaves out default to `today`
// (a first day) or the day before (a last day). Throws DataError naming the event's index.
[[nodiscard]] std::map<std::string, mapping::Roster> apply_events(
    const nlohmann::json& events, const std::map<std::string, mapping::Roster>& rosters,
    mapping::Date today);

}  // namespace rosterd::sim::journal
