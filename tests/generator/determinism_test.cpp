// Same seed, same journal; and every generated roster is referentially sound.

#include <gtest/gtest.h>

#include <functional>

#include "generator/generator.h"
#include "tests/generator/support.h"

namespace rosterd::generator {
namespace {

using mapping::Date;
using mapping::Roster;

const Date start = Date::from_ymd(2026, 9, 1);

struct Case {
  const char* name;
  std::function<Roster(std::uint64_t seed)> make;
};

Roster school_after_days(std::uint64_t seed, int days) {
  Roster r = make_school("sch-0001", seed, start);
  for (int d = 1; d <= days; ++d)
    r = next_day(r, seed + static_cast<std::uint64_t>(d), start.plus_days(d));
  return r;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all{
      {"school", [](std::uint64_t s) { return make_school("sch-0001", s, start); }},
      {"kindergarten", [](std::uint64_t s) { return make_kindergarten("kg-0001", s, start); }},
      {"additional", [](std::uint64_t s) { return make_additional("add-0001", s, start); }},
      {"school_next_day", [](std::uint64_t s) { return school_after_days(s, 1); }},
      {"school_thirty_days", [](std::uint64_t s) { return school_after_days(s, 30); }},
      {"kindergarten_ten_days",
       [](std::uint64_t s) {
         Roster r = make_kindergarten("kg-0001", s, start);
         for (int d = 1; d <= 10; ++d) r = next_day(r, s, start.plus_days(d));
         return r;
       }},
      {"school_next_year",
       [](std::uint64_t s) {
         return next_year(school_after_days(s, 5), s, Date::from_ymd(2027, 9, 1));
       }},
      {"kindergarten_next_year",
       [](std::uint64_t s) {
         return next_year(make_kindergarten("kg-0001", s, start), s, Date::from_ymd(2027, 9, 1));
       }},
      {"additional_next_year",
       [](std::uint64_t s) {
         return next_year(make_additional("add-0001", s, start), s, Date::from_ymd(2027, 9, 1));
       }},
      {"school_two_years",
       [](std::uint64_t s) {
         const Roster y1 =
             next_year(make_school("sch-0001", s, start), s, Date::from_ymd(2027, 9, 1));
         return next_year(y1, s, Date::from_ymd(2028, 9, 1));
       }},
  };
  return all;
}

// gtest prints the case's name instead of its bytes.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class GeneratedRoster : public testing::TestWithParam<Case> {};

std::string exported(const Roster& r, const std::string& name) {
  const std::string folder = test::fresh_temp_folder(name);
  write_export(r, folder);
  return test::read_export_bytes(folder);
}

TEST_P(GeneratedRoster, IsIdenticalForTheSameSeed) {
  const std::string name = GetParam().name;
  EXPECT_EQ(exported(GetParam().make(7), name + "-a"), exported(GetParam().make(7), name + "-b"));
}

TEST_P(GeneratedRoster, DiffersForAnotherSeed) {
  const std::string name = GetParam().name;
  EXPECT_NE(exported(GetParam().make(7), name + "-a"), exported(GetParam().make(8), name + "-b"));
}

TEST_P(GeneratedRoster, ReferencesOnlyExistingIdsAndHasNoDuplicates) {
  const auto problems = test::integrity_problems(GetParam().make(11));
  EXPECT_TRUE(problems.empty()) << problems.front();
}

INSTANTIATE_TEST_SUITE_P(Generator, GeneratedRoster, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<Case>& p) {
                           return std::string{p.param.name};
                         });

TEST(OrgSeed, DependsOnTheOrganisationAndTheRegionSeed) {
  EXPECT_EQ(org_seed(1, "sch-0001"), org_seed(1, "sch-0001"));
  EXPECT_NE(org_seed(1, "sch-0001"), org_seed(1, "sch-0002"));
  EXPECT_NE(org_seed(1, "sch-0001"), org_seed(2, "sch-0001"));
}

}  // namespace
}  // namespace rosterd::generator
