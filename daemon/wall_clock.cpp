#include "daemon/wall_clock.h"

#include <cstdlib>
#include <ctime>
#include <stdexcept>

#include "daemon/time_zone.h"
#include "mapping/lookup.h"

namespace rosterd::daemon {
namespace {

using std::chrono::system_clock;

// How far the test instant is from the real clock: read once, so the clock runs on with real
// time from the instant the test chose. Zero without ROSTERD_TEST_NOW.
system_clock::duration test_offset() {
  static const system_clock::duration offset = [] {
    const char* given = std::getenv("ROSTERD_TEST_NOW");
    if (given == nullptr || *given == '\0') return system_clock::duration::zero();
    const auto seconds = mapping::unix_seconds_from_iso(given);
    if (!seconds) {
      throw std::runtime_error(
          "ROSTERD_TEST_NOW: expected an instant YYYY-MM-DDTHH:MM:SSZ (a test hook)");
    }
    const system_clock::time_point instant{std::chrono::seconds(*seconds)};
    return instant - system_clock::now();
  }();
  return offset;
}

}  // namespace

system_clock::time_point wall_now() { return system_clock::now() + test_offset(); }

mapping::Date local_today() {
  const std::time_t now = system_clock::to_time_t(wall_now());
  std::tm local{};
  localtime_r(&now, &local);
  return mapping::Date::from_ymd(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                                 static_cast<unsigned>(local.tm_mday));
}

std::optional<mapping::Date> today_in_zone(const std::string& zone) {
  return date_in_zone(wall_now(), zone);
}

std::string utc_iso(system_clock::time_point when) {
  const std::time_t t = system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::string utc_now_iso() { return utc_iso(wall_now()); }

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(wall_now().time_since_epoch()).count();
}

}  // namespace rosterd::daemon
