// Bulk and delta folders read in turn by one OneRosterFolder, and the journal over it.

#include <gtest/gtest.h>

#include "tests/adapters/oneroster/folder_fixture.h"

namespace rosterd::adapters::oneroster {
namespace {

using testing::find_enrolment;
using testing::find_person;
using testing::small_school;
using testing::TempFolder;

const std::string users_header =
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
    "password\n";
const std::string enrollments_header =
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
    "primary,beginDate,endDate\n";

// s-2 leaves (tobedeleted), s-3 joins from 2026-10-05, t-2 stops teaching 5A.
std::map<std::string, std::string> a_delta() {
  return {{"users.csv", users_header +
                            "s-2,tobedeleted,2026-10-01,,,,,,,,,,,,,,,\n"
                            "s-3,active,2026-10-01,true,sch-1,student,s3,,Dina,Kim,,,,,,,05,\n"},
          {"enrollments.csv", enrollments_header +
                                  "e-2,tobedeleted,2026-10-01,,,,,,,\n"
                                  "e-5,active,2026-10-01,cls-5a,sch-1,s-3,student,false,"
                                  "2026-10-05,\n"}};
}

mapping::Roster sch1(OneRosterFolder& folder) {
  return *folder.read()->rosters.at("sch-1");
}

TEST(OneRosterDelta, AppliesOnTopOfTheLastBulk) {
  TempFolder dir;
  OneRosterFolder folder(dir.path(), {});
  dir.write_all(small_school(), "bulk");
  EXPECT_EQ(sch1(folder).persons.size(), 5u);
  dir.write_all(a_delta(), "delta");
  const auto roster = sch1(folder);
  EXPECT_EQ(find_person(roster, "s-2"), nullptr);
  EXPECT_EQ(find_enrolment(roster, "s-2", "cls-5a"), nullptr);
  EXPECT_EQ(find_enrolment(roster, "t-2", "cls-5a"), nullptr);
  ASSERT_NE(find_enrolment(roster, "s-3", "cls-5a"), nullptr);
  EXPECT_EQ(find_enrolment(roster, "s-3", "cls-5a")->from, mapping::Date::from_ymd(2026, 10, 5));
  EXPECT_EQ(find_enrolment(roster, "t-1", "cls-5a")->role, mapping::EnrolmentRole::leader)
      << "what the delta does not name stays";
  EXPECT_EQ(roster.groups.size(), 1u) << "classes.csv is absent from the delta";
}

TEST(OneRosterDelta, ABulkAfterADeltaReplacesEverything) {
  TempFolder dir;
  OneRosterFolder folder(dir.path(), {});
  dir.write_all(small_school(), "bulk");
  (void)folder.read();
  dir.write_all(a_delta(), "delta");
  (void)folder.read();
  dir.write_all(small_school(), "bulk");
  const auto roster = sch1(folder);
  EXPECT_EQ(find_person(roster, "s-3"), nullptr);
  EXPECT_NE(find_person(roster, "s-2"), nullptr);
}

TEST(OneRosterDelta, WithoutAPreviousBulkIsAnError) {
  TempFolder dir;
  dir.write_all(a_delta(), "delta");
  OneRosterFolder folder(dir.path(), {});
  EXPECT_THROW((void)folder.read(), OneRosterError);
  EXPECT_EQ(testing::read_error(dir.path()),
            (dir.path() / "manifest.csv").string() +
                ": a delta needs a previous bulk to apply to, and none was read\n");
}

TEST(OneRosterDelta, MustSayStatus) {
  TempFolder dir;
  OneRosterFolder folder(dir.path(), {});
  dir.write_all(small_school(), "bulk");
  (void)folder.read();
  dir.write_all({{"enrollments.csv", "sourcedId,classSourcedId,userSourcedId,role,primary\n"}},
                "delta");
  try {
    (void)folder.read();
    FAIL() << "no error";
  } catch (const OneRosterError& error) {
    EXPECT_EQ(describe(error.problems().at(0)),
              (dir.path() / "enrollments.csv").string() + ":1: status: missing column");
  }
}

TEST(OneRosterDelta, ABrokenDeltaLeavesTheStateItFound) {
  TempFolder dir;
  OneRosterFolder folder(dir.path(), {});
  dir.write_all(small_school(), "bulk");
  (void)folder.read();
  auto broken = a_delta();
  broken["enrollments.csv"] += "e-6,active,,cls-5a,sch-1,s-1,student,false,,someday\n";
  dir.write_all(broken, "delta");
  EXPECT_THROW((void)folder.read(), OneRosterError);
  // The fixed delta applies to the bulk: nothing of the broken one was kept.
  dir.write_all({{"enrollments.csv", enrollments_header + "e-2,tobedeleted,,,,,,,,\n"}}, "delta");
  const auto roster = sch1(folder);
  EXPECT_NE(find_person(roster, "s-2"), nullptr);
  EXPECT_EQ(find_person(roster, "s-3"), nullptr);
  EXPECT_EQ(find_enrolment(roster, "t-2", "cls-5a"), nullptr);
}

TEST(OneRosterJournalSource, SaysUnchangedWhileTheFolderIsTheSame) {
  TempFolder dir;
  dir.write_all(small_school(), "bulk");
  OneRosterJournal journal(dir.path(), "sch-1", {});
  const auto first = journal.fetch();
  EXPECT_FALSE(first.unchanged);
  ASSERT_NE(first.roster, nullptr);
  EXPECT_EQ(first.roster->org.id, "sch-1");
  const auto second = journal.fetch();
  EXPECT_TRUE(second.unchanged);
  EXPECT_EQ(second.roster, first.roster);
  dir.write_all(a_delta(), "delta");
  const auto third = journal.fetch();
  EXPECT_FALSE(third.unchanged);
  EXPECT_EQ(find_person(*third.roster, "s-2"), nullptr);
  EXPECT_TRUE(journal.fetch().unchanged) << "a delta read once is not applied again";
}

TEST(OneRosterJournalSource, JournalsSharingAFolderEachSeeTheChange) {
  TempFolder dir;
  auto files = small_school();
  files["orgs.csv"] += "sch-2,active,,School No. 2,school,,dist-1\n";
  dir.write_all(files, "bulk");
  auto folder = std::make_shared<OneRosterFolder>(dir.path(), Options{});
  OneRosterJournal one(folder, "sch-1"), two(folder, "sch-2");
  EXPECT_FALSE(one.fetch().unchanged);
  const auto empty_school = two.fetch();
  EXPECT_FALSE(empty_school.unchanged) << "its first fetch";
  EXPECT_TRUE(empty_school.roster->groups.empty()) << "a school with no classes yet";
  EXPECT_TRUE(one.fetch().unchanged);
  dir.write_all(a_delta(), "delta");
  EXPECT_FALSE(two.fetch().unchanged);
  EXPECT_FALSE(one.fetch().unchanged) << "the folder was read once, for both";
}

TEST(OneRosterJournalSource, AnOrganisationNotInTheFolderIsAnErrorNotAnEmptySchool) {
  TempFolder dir;
  dir.write_all(small_school(), "bulk");
  OneRosterJournal journal(dir.path(), "dist-1", {});
  try {
    (void)journal.fetch();
    FAIL() << "no error";
  } catch (const OneRosterError& error) {
    EXPECT_EQ(error.problems().at(0).record, "dist-1");
  }
}

}  // namespace
}  // namespace rosterd::adapters::oneroster
