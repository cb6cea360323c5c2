#pragma once
// The controller's readings of the wall clock: the school's day and the run log's timestamps.
// Scheduling never uses these (it runs on std::chrono::steady_clock); the work gets the day
// and the time as parameters.
//
// A test hook: with ROSTERD_TEST_NOW=2026-03-10T12:30:00Z in the environment, the wall clock
// starts at that instant when the process starts and runs on with real time (docs/daemon.md,
// "Test hooks"). End-to-end tests use it to put the process at a chosen instant (a school's
// midnight); production sets no such variable.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "mapping/date.h"

namespace rosterd::daemon {

// The wall clock now (the test instant, moved on by real time, under ROSTERD_TEST_NOW).
// Throws naming the variable when it is set but no instant "YYYY-MM-DDTHH:MM:SSZ".
[[nodiscard]] std::chrono::system_clock::time_point wall_now();
// Today in the machine's local time.
[[nodiscard]] mapping::Date local_today();
// Today in the IANA zone `zone`; nullopt for a zone this machine does not know.
[[nodiscard]] std::optional<mapping::Date> today_in_zone(const std::string& zone);
// "2026-11-26T03:32:27Z"
[[nodiscard]] std::string utc_iso(std::chrono::system_clock::time_point when);
[[nodiscard]] std::string utc_now_iso();
// The wall clock as Unix seconds (when a chat was seen on the platform).
[[nodiscard]] std::int64_t unix_now();

}  // namespace rosterd::daemon
