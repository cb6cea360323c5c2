#include "daemon/time_zone.h"

#include <date/tz.h>

#include <exception>

namespace rosterd::daemon {
namespace {

// The zone, or nullptr when the database does not know it (date::locate_zone throws then).
const date::time_zone* find_zone(const std::string& zone) {
  if (zone.empty()) return nullptr;
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::optional<mapping::Date> date_in_zone(std::chrono::system_clock::time_point when,
                                          const std::string& zone) {
  const auto* tz = find_zone(zone);
  if (tz == nullptr) return std::nullopt;
  const auto local = tz->to_local(std::chrono::time_point_cast<std::chrono::seconds>(when));
  const date::year_month_day day{date::floor<date::days>(local)};
  return mapping::Date::from_ymd(static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                                 static_cast<unsigned>(day.day()));
}

bool known_zone(const std::string& zone) { return find_zone(zone) != nullptr; }

}  // namespace rosterd::daemon
