// Bad input: each error names the file, the line, the record's sourcedId and the field, and
// never a contact value; nothing is returned from a folder with an error.

#include <gtest/gtest.h>

#include "tests/adapters/oneroster/folder_fixture.h"

namespace rosterd::adapters::oneroster {
namespace {

using testing::read_error;
using testing::small_school;
using testing::TempFolder;

struct BadInput {
  std::string name;
  std::string file;
  std::string from;
  std::string to;
  std::string error;  // after the folder's path
};

class OneRosterRefuses : public ::testing::TestWithParam<BadInput> {};

TEST_P(OneRosterRefuses, NamingFileLineAndRecord) {
  const auto& bad = GetParam();
  auto files = small_school();
  auto& text = files.at(bad.file);
  const auto at = text.find(bad.from);
  ASSERT_NE(at, std::string::npos) << bad.from;
  text.replace(at, bad.from.size(), bad.to);
  TempFolder folder;
  folder.write_all(files, "bulk");
  const auto error = read_error(folder.path(), Options{"sferum", "", {}, false});
  EXPECT_EQ(error, (folder.path() / bad.error).string() + "\n");
  EXPECT_EQ(error.find("+7000"), std::string::npos) << "no phone in an error";
  EXPECT_EQ(error.find("000-00-44"), std::string::npos) << "no phone in an error";
  EXPECT_EQ(error.find("@example"), std::string::npos) << "no e-mail in an error";
}

INSTANTIATE_TEST_SUITE_P(
    BadFolders, OneRosterRefuses,
    ::testing::Values(
        BadInput{"MissingColumn", "users.csv", ",familyName,", ",surname,",
                 "users.csv:1: familyName: missing column"},
        BadInput{"BadBeginDate", "enrollments.csv", "student,false,2026-09-01,",
                 "student,false,2026-13-01,",
                 "enrollments.csv:4 (sourcedId e-3): beginDate: not a date (expected YYYY-MM-DD)"},
        BadInput{"EndBeforeBegin", "enrollments.csv", "student,false,2026-09-01,",
                 "student,false,2026-09-01,2026-08-31",
                 "enrollments.csv:4 (sourcedId e-3): endDate: before beginDate"},
        BadInput{"BadSessionDate", "academicSessions.csv", "2026-09-01,2027-05-31",
                 "9/1/2026,2027-05-31",
                 "academicSessions.csv:2 (sourcedId term-1): startDate: not a date (expected "
                 "YYYY-MM-DD)"},
        BadInput{"UnknownStatus", "users.csv", "s-2,active", "s-2,retired",
                 "users.csv:5 (sourcedId s-2): status: expected active or tobedeleted"},
        BadInput{"UnknownRole", "users.csv", "sch-1,student,s2", "sch-1,pupil,s2",
                 "users.csv:5 (sourcedId s-2): role: not a OneRoster user role"},
        BadInput{"BadPrimary", "enrollments.csv", "teacher,true", "teacher,yes",
                 "enrollments.csv:2 (sourcedId e-1): primary: expected true or false"},
        BadInput{"MalformedUserIds", "users.csv", "{sferum:1001}", "sferum=1001",
                 "users.csv:2 (sourcedId t-1): userIds: expected a list of {TYPE:ID}"},
        BadInput{"PlatformIdNotANumber", "users.csv", "{sferum:1001}", "{sferum:+70000000001}",
                 "users.csv:2 (sourcedId t-1): userIds: the sferum id is not a positive number"},
        BadInput{"DuplicateSourcedId", "users.csv", "t-2,active", "t-1,active",
                 "users.csv:3 (sourcedId t-1): sourcedId: the same sourcedId as line 2"},
        BadInput{"MissingSourcedId", "users.csv", "t-2,active", ",active",
                 "users.csv:3: sourcedId: missing value"},
        BadInput{"UnknownClass", "enrollments.csv", "e-4,active,,cls-5a", "e-4,active,,cls-9z",
                 "enrollments.csv:5 (sourcedId e-4): classSourcedId: no class cls-9z in classes.csv"},
        BadInput{"UnknownAgent", "users.csv", "+70000000009,s-1,", "+70000000009,s-9,",
                 "users.csv:6 (sourcedId p-1): agentSourcedIds: no user s-9 in users.csv"},
        BadInput{"UnknownTerm", "classes.csv", "sch-1,term-1", "sch-1,term-9",
                 "classes.csv:2 (sourcedId cls-5a): termSourcedIds: no session term-9 in "
                 "academicSessions.csv"},
        BadInput{"UnclosedQuote", "users.csv", "Boris,Petrov", "\"Boris,Petrov",
                 "users.csv:3 (sourcedId t-2): a quoted field is never closed"},
        // Without `primary` every class would read as having no leader; without
        // `agentSourcedIds` nobody would have a parent: a broken answer, not an empty list.
        BadInput{"NoPrimaryColumn", "enrollments.csv", ",role,primary,", ",role,main,",
                 "enrollments.csv:1: primary: missing column"},
        BadInput{"NoAgentsColumn", "users.csv", ",phone,agentSourcedIds,", ",phone,agents,",
                 "users.csv:1: agentSourcedIds: missing column"},
        BadInput{"PhoneNumberInTheIdColumn", "enrollments.csv", "e-4,active,,cls-5a",
                 "+7 000 000-00-44,active,,cls-9z",
                 "enrollments.csv:5 (sourcedId <id that looks like a phone number>): "
                 "classSourcedId: no class cls-9z in classes.csv"},
        BadInput{"EmailInTheIdColumn", "enrollments.csv", "e-4,active,,cls-5a",
                 "vera@example.org,active,,cls-9z",
                 "enrollments.csv:5 (sourcedId <id that looks like an e-mail>): "
                 "classSourcedId: no class cls-9z in classes.csv"},
        BadInput{"WrongWidth", "enrollments.csv", "s-2,student,false,,", "s-2,student,false,,,",
                 "enrollments.csv:5 (sourcedId e-4): 11 fields where the header has 10"}),
    [](const auto& test) { return test.param.name; });

TEST(OneRosterErrors, AFileTheManifestCallsBulkMustBeThere) {
  TempFolder folder;
  auto files = small_school();
  folder.write_all(files, "bulk");
  std::filesystem::remove(folder.path() / "classes.csv");
  EXPECT_EQ(read_error(folder.path()),
            (folder.path() / "classes.csv").string() + ": missing or unreadable file\n");
}

// OneRoster 1.1: `absent` leaves a file out of the set. In a bulk set that is missing data, not
// "nobody enrolled".
TEST(OneRosterErrors, ABulkSetThatLeavesOutANeededFileIsRefusedNamingTheManifestEntry) {
  for (const std::string file : {"enrollments", "users", "academicSessions"}) {
    TempFolder folder;
    auto files = small_school();
    files.erase(file + ".csv");
    folder.write_all(files, "bulk");  // the manifest says file.<file>,absent
    EXPECT_EQ(read_error(folder.path()),
              (folder.path() / "manifest.csv").string() + ": file." + file +
                  ": absent (or not named) in a bulk set; rosterd needs " + file +
                  ".csv: without it the answer would read as having none\n")
        << file;
  }
}

TEST(OneRosterErrors, AFolderWithoutManifestIsRefused) {
  TempFolder folder;
  EXPECT_EQ(read_error(folder.path()),
            (folder.path() / "manifest.csv").string() + ": missing or unreadable manifest\n");
}

TEST(OneRosterErrors, AnUnknownManifestWordIsRefused) {
  TempFolder folder;
  folder.write_all(small_school(), "full");
  EXPECT_NE(read_error(folder.path())
                .find("manifest.csv:4 (sourcedId file.orgs): value: "
                      "expected bulk, delta or absent"),
            std::string::npos);
}

TEST(OneRosterErrors, ListsEveryBadRecordOfAFolderAtOnce) {
  TempFolder folder;
  auto files = small_school();
  files["enrollments.csv"] +=
      "e-5,active,,cls-5a,sch-1,s-1,student,maybe,,\n"
      "e-6,active,,cls-5a,sch-1,s-2,student,false,,2026-02-30\n";
  folder.write_all(files, "bulk");
  try {
    (void)read_oneroster(folder.path(), {});
    FAIL() << "no error";
  } catch (const OneRosterError& error) {
    ASSERT_EQ(error.problems().size(), 2u);
    EXPECT_EQ(error.problems()[0].record, "e-5");
    EXPECT_EQ(error.problems()[0].line, 6u);
    EXPECT_EQ(error.problems()[1].field, "endDate");
    EXPECT_NE(std::string(error.what()).find("2 problems in the OneRoster folder"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace rosterd::adapters::oneroster
