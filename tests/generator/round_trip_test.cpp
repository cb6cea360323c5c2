// The export adapter reads back what the generator writes: the two sides of the export
// format agree, without sharing any encoding code.

#include <gtest/gtest.h>

#include "adapters/export/export_reader.h"
#include "generator/generator.h"
#include "tests/generator/support.h"

namespace rosterd::generator {
namespace {

using mapping::Date;
using mapping::Roster;

const Date start = Date::from_ymd(2026, 9, 1);

class RoundTrip : public testing::TestWithParam<const char*> {};

Roster make(const std::string& which) {
  if (which == "kindergarten") return make_kindergarten("kg-0001", 2, start);
  if (which == "additional") return make_additional("add-0001", 2, start);
  const Roster school = make_school("sch-0001", 2, start);
  if (which == "school") return school;
  const Roster moved = next_day(school, 2, start.plus_days(1));
  return which == "school_next_day" ? moved : next_year(moved, 2, Date::from_ymd(2027, 9, 1));
}

TEST_P(RoundTrip, ExportReaderReadsBackWhatTheGeneratorWrote) {
  const Roster written = make(GetParam());
  const std::string folder = test::fresh_temp_folder(std::string{"round-trip-"} + GetParam());
  write_export(written, folder);
  const Roster read = adapters::export_folder::read_export(folder);
  EXPECT_EQ(mapping::count(read), mapping::count(written));
  EXPECT_EQ(read.org.name, written.org.name);
  ASSERT_EQ(read.persons.size(), written.persons.size());
  for (std::size_t i = 0; i < read.persons.size(); ++i) {
    const auto& a = read.persons[i];
    const auto& b = written.persons[i];
    ASSERT_EQ(a.id, b.id);
    EXPECT_EQ(a.roles, b.roles) << a.id;
    EXPECT_EQ(a.last_name + a.first_name + a.middle_name,
              b.last_name + b.first_name + b.middle_name);
    EXPECT_EQ(a.birth_date, b.birth_date) << a.id;
    EXPECT_EQ(a.phone, b.phone) << a.id;
    EXPECT_EQ(a.platform_user_id, b.platform_user_id) << a.id;
    EXPECT_EQ(a.employed_to, b.employed_to) << a.id;
  }
  for (std::size_t i = 0; i < read.enrolments.size(); ++i) {
    EXPECT_EQ(read.enrolments[i].to, written.enrolments[i].to);
    EXPECT_EQ(read.enrolments[i].reason, written.enrolments[i].reason);
  }
  for (std::size_t i = 0; i < read.groups.size(); ++i) {
    EXPECT_EQ(read.groups[i].previous_group_id, written.groups[i].previous_group_id);
  }
}

INSTANTIATE_TEST_SUITE_P(Generator, RoundTrip,
                         testing::Values("school", "kindergarten", "additional", "school_next_day",
                                         "school_next_year"),
                         [](const testing::TestParamInfo<const char*>& p) {
                           return std::string{p.param};
                         });

}  // namespace
}  // namespace rosterd::generator
