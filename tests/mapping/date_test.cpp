#include "mapping/date.h"

#include <gtest/gtest.h>

namespace rosterd::mapping {
namespace {

TEST(Date, ParsesAndFormatsIsoDates) {
  const auto d = Date::parse("2026-11-20");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->iso(), "2026-11-20");
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 11u);
  EXPECT_EQ(d->day(), 20u);
  EXPECT_EQ(Date::parse("1970-01-01")->days(), 0);
}

TEST(Date, RejectsMalformedOrImpossibleDates) {
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-1-01", "20261101", "", "2026-11-2x",
                          "2026-11-20T00:00"}) {
    EXPECT_FALSE(Date::parse(bad).has_value()) << bad;
  }
}

TEST(Date, CountsDaysAcrossMonthsAndLeapYears) {
  EXPECT_EQ(days_between(*Date::parse("2028-02-28"), *Date::parse("2028-03-01")), 2);
  EXPECT_EQ(Date::parse("2026-12-31")->plus_days(1).iso(), "2027-01-01");
}

TEST(Date, KnowsTheAcademicYearOfADay) {
  EXPECT_EQ(Date::parse("2026-09-01")->academic_year(), 2026);
  EXPECT_EQ(Date::parse("2027-08-31")->academic_year(), 2026);
}

}  // namespace
}  // namespace rosterd::mapping
