// Which zone decides a school's day, as a table: the config's wins over the journal's; no zone,
// or one the machine does not know, is the machine's day with a finding. The dates per zone are
// the test's own (a stand-in for the time zone database), so only the choice is under test.
#include "mapping/school_day.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "mapping/message.h"

namespace rosterd::mapping {
namespace {

const Date kMachineDay = *Date::parse("2026-11-20");

// 12:30 UTC on 2026-11-20: still the 20th in Moscow (15:30), already the 21st in Kamchatka
// (00:30). "Mars/Olympus" is known nowhere.
std::optional<Date> stand_in_today(const std::string& zone) {
  static const std::map<std::string, Date> days = {
      {"Europe/Moscow", *Date::parse("2026-11-20")}, {"Asia/Kamchatka", *Date::parse("2026-11-21")}};
  const auto it = days.find(zone);
  if (it == days.end()) return std::nullopt;
  return it->second;
}

struct Case {
  const char* name;
  const char* configured;
  const char* journal;
  bool day_given;  // --today: no today_in
  const char* want_day;
  const char* want_zone;
  std::optional<FindingCode> want_finding;
};

class SchoolDayTable : public ::testing::TestWithParam<Case> {};

TEST_P(SchoolDayTable, ChoosesTheZoneAndTellsWhenThereIsNone) {
  const Case& c = GetParam();
  const TodayIn today_in = c.day_given ? TodayIn{} : TodayIn{stand_in_today};
  const auto day = school_day("sch-7", c.configured, c.journal, kMachineDay, today_in);
  EXPECT_EQ(day.today, *Date::parse(c.want_day));
  EXPECT_EQ(day.zone, c.want_zone);
  ASSERT_EQ(day.finding.has_value(), c.want_finding.has_value());
  if (day.finding) {
    EXPECT_EQ(day.finding->code, *c.want_finding);
    EXPECT_EQ(day.finding->subject_ids, std::vector<std::string>{"sch-7"});
    const auto text = english(day.finding->message);
    EXPECT_NE(text.find("sch-7"), std::string::npos) << text;
    EXPECT_NE(text.find("2026-11-20"), std::string::npos) << text;  // the day it used instead
    if (*c.journal != '\0' || *c.configured != '\0') {
      const std::string zone = *c.configured != '\0' ? c.configured : c.journal;
      EXPECT_NE(text.find(zone), std::string::npos) << "names the zone: " << text;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    SchoolDay, SchoolDayTable,
    ::testing::Values(
        Case{"JournalZone", "", "Asia/Kamchatka", false, "2026-11-21", "Asia/Kamchatka", {}},
        Case{"ConfigWinsOverJournal", "Europe/Moscow", "Asia/Kamchatka", false, "2026-11-20",
             "Europe/Moscow", {}},
        Case{"ConfigWithoutJournalZone", "Asia/Kamchatka", "", false, "2026-11-21",
             "Asia/Kamchatka", {}},
        Case{"NoZoneAnywhere", "", "", false, "2026-11-20", "", FindingCode::no_timezone},
        Case{"UnknownJournalZone", "", "Mars/Olympus", false, "2026-11-20", "",
             FindingCode::unknown_timezone},
        Case{"UnknownConfiguredZone", "Mars/Olympus", "Asia/Kamchatka", false, "2026-11-20", "",
             FindingCode::unknown_timezone},
        Case{"DayGivenWinsOverAnyZone", "", "Asia/Kamchatka", true, "2026-11-20", "", {}},
        Case{"DayGivenNeedsNoZone", "", "", true, "2026-11-20", "", {}}),
    [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace rosterd::mapping
