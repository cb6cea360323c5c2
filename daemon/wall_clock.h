#pragma once
// The controller's readings of the wall clock: the school's day and the run log's timestamps.
// Scheduling never uses these (it runs on std::chrono::steady_clock); the work gets the day
// and the time as parameters.

#include <chrono>
#include <cstdint>
#include <string>

#include "mapping/date.h"

namespace rosterd::daemon {

// Today in the machine's local time.
[[nodiscard]] mapping::Date local_today();
// "2026-11-26T03:32:27Z"
[[nodiscard]] std::string utc_iso(std::chrono::system_clock::time_point when);
[[nodiscard]] std::string utc_now_iso();
// The wall clock as Unix seconds (when a chat was seen on the platform).
[[nodiscard]] std::int64_t unix_now();

}  // namespace rosterd::daemon
