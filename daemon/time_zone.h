#pragma once
// A school's day in its own time zone: Russia spans eleven zones, and a withdrawal dated today
// in Kamchatka must not wait for Moscow's midnight.

#include <chrono>
#include <optional>
#include <string>

#include "mapping/date.h"

namespace rosterd::daemon {

// The date at `when` in the IANA zone `zone` ("Europe/Moscow", "Asia/Kamchatka"); nullopt when
// the zone is not known to this machine's time zone database.
[[nodiscard]] std::optional<mapping::Date> date_in_zone(std::chrono::system_clock::time_point when,
                                                        const std::string& zone);

// Whether `zone` names a zone of the time zone database (config checks use it).
[[nodiscard]] bool known_zone(const std::string& zone);

}  // namespace rosterd::daemon
