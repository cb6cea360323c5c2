// The date in an IANA zone through the system's time zone database. The expected dates come
// from the zones' UTC offsets as the test writes them down (Moscow +3 all year, Kamchatka +12
// all year, Berlin +1 in winter and +2 in summer), not from the code under test.
#include "daemon/time_zone.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "mapping/lookup.h"

namespace rosterd::daemon {
namespace {

using mapping::Date;

std::chrono::system_clock::time_point at(const char* utc) {
  return std::chrono::system_clock::time_point{
      std::chrono::seconds(*mapping::unix_seconds_from_iso(utc))};
}

struct Case {
  const char* name;
  const char* utc;
  const char* zone;
  const char* want;
};

class DateInZone : public ::testing::TestWithParam<Case> {};

TEST_P(DateInZone, IsTheZonesLocalDate) {
  const Case& c = GetParam();
  EXPECT_EQ(date_in_zone(at(c.utc), c.zone), Date::parse(c.want)) << c.utc << " in " << c.zone;
}

INSTANTIATE_TEST_SUITE_P(
    TimeZone, DateInZone,
    ::testing::Values(
        // Moscow's midnight is 21:00 UTC the day before.
        Case{"MoscowOneSecondBeforeMidnight", "2026-03-10T20:59:59Z", "Europe/Moscow", "2026-03-10"},
        Case{"MoscowAtMidnight", "2026-03-10T21:00:00Z", "Europe/Moscow", "2026-03-11"},
        // Kamchatka's midnight is 12:00 UTC the day before.
        Case{"KamchatkaOneSecondBeforeMidnight", "2026-03-10T11:59:59Z", "Asia/Kamchatka",
             "2026-03-10"},
        Case{"KamchatkaAtMidnight", "2026-03-10T12:00:00Z", "Asia/Kamchatka", "2026-03-11"},
        // 12:30 UTC: already the 11th in Kamchatka, still the 10th in Moscow and in UTC.
        Case{"KamchatkaAheadOfMoscow", "2026-03-10T12:30:00Z", "Asia/Kamchatka", "2026-03-11"},
        Case{"MoscowBehindKamchatka", "2026-03-10T12:30:00Z", "Europe/Moscow", "2026-03-10"},
        Case{"Utc", "2026-03-10T23:59:59Z", "UTC", "2026-03-10"},
        // Berlin: +1 in winter (midnight at 23:00 UTC), +2 in summer (22:00 UTC). Summer time
        // began on 2026-03-29 at 01:00 UTC and ends on 2026-10-25 at 01:00 UTC.
        Case{"BerlinWinterBeforeMidnight", "2026-03-27T22:59:59Z", "Europe/Berlin", "2026-03-27"},
        Case{"BerlinWinterAtMidnight", "2026-03-27T23:00:00Z", "Europe/Berlin", "2026-03-28"},
        Case{"BerlinSummerAt2230Utc", "2026-03-30T22:30:00Z", "Europe/Berlin", "2026-03-31"},
        Case{"BerlinSummerBeforeMidnight", "2026-03-30T21:59:59Z", "Europe/Berlin", "2026-03-30"},
        Case{"BerlinLastSummerNight", "2026-10-24T22:00:00Z", "Europe/Berlin", "2026-10-25"},
        Case{"BerlinWinterAgainAt2230Utc", "2026-10-26T22:30:00Z", "Europe/Berlin", "2026-10-26"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(TimeZone, KnowsTheDatabasesZonesAndNoOthers) {
  EXPECT_TRUE(known_zone("Europe/Moscow"));
  EXPECT_TRUE(known_zone("Asia/Kamchatka"));
  EXPECT_TRUE(known_zone("Europe/Berlin"));
  EXPECT_FALSE(known_zone(""));
  EXPECT_FALSE(known_zone("Mars/Olympus"));
  EXPECT_FALSE(known_zone("europe/moscow ; rm -rf"));
}

TEST(TimeZone, GivesNoDateInAZoneItDoesNotKnow) {
  EXPECT_EQ(date_in_zone(at("2026-03-10T12:00:00Z"), "Mars/Olympus"), std::nullopt);
  EXPECT_EQ(date_in_zone(at("2026-03-10T12:00:00Z"), ""), std::nullopt);
}

}  // namespace
}  // namespace rosterd::daemon
