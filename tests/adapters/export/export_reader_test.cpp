// Reading valid export folders: every field of the contract lands in the Roster.

#include "adapters/export/export_reader.h"

#include <gtest/gtest.h>

#include "tests/adapters/export/export_fixture.h"

namespace rosterd::adapters::export_folder {
namespace {

namespace fs = std::filesystem;
using mapping::Date;
using testing::ExportFiles;
using testing::TempFolder;
using testing::write_file;

Date day(const char* iso) {
  return *Date::parse(iso);
}

// Every field set, nulls, absent optional fields, several roles, positions, dated enrolments.
ExportFiles full_organisation() {
  ExportFiles files;
  files.records("orgs.json") = {R"({"id": "org-7", "name": "Детский сад «Солнышко»",
      "short_name": null, "kind": "kindergarten", "timezone": "Asia/Yekaterinburg"})"};
  files.records("groups.json") = {
      R"({"id": "g-6a", "name": "6А", "kind": "class", "grade": 6, "academic_year": 2026,
          "previous_group_id": "g-5a-2025", "opened_on": "2026-09-01", "closed_on": null})",
      R"({"id": "g-robo", "name": "Робототехника, гр. 2", "kind": "association", "grade": null,
          "academic_year": 2026, "previous_group_id": null, "opened_on": null,
          "closed_on": "2027-05-31"})",
      R"({"id": "g-sun", "name": "Солнышко", "kind": "kindergarten_group", "academic_year": 2026})"};
  files.records("persons.json") = {
      R"({"id": "p-anna", "roles": ["student"], "last_name": "Иванова", "first_name": "Анна",
          "middle_name": "Петровна", "birth_date": "2014-03-14", "phone": null, "email": null,
          "platform_user_id": null, "positions": [], "employed_from": null, "employed_to": null})",
      R"({"id": "p-maria", "roles": ["parent", "staff"], "last_name": "Иванова",
          "first_name": "Мария", "middle_name": null, "birth_date": null,
          "phone": "+79990000001", "email": "maria@example.invalid",
          "platform_user_id": 9007199254740993, "positions": ["teacher", "methodologist"],
          "employed_from": "2020-09-01", "employed_to": "2027-06-30"})",
      R"({"id": "p-petr", "roles": ["staff"], "last_name": "Петров", "first_name": "Пётр"})"};
  files.records("enrollments.json") = {
      R"({"person_id": "p-anna", "group_id": "g-6a", "role": "student", "from": "2026-09-01",
          "to": null, "reason": "enrolled"})",
      R"({"person_id": "p-anna", "group_id": "g-robo", "role": "student", "from": "2026-10-01",
          "to": "2026-11-20", "reason": "withdrawn"})",
      R"({"person_id": "p-maria", "group_id": "g-6a", "role": "teacher", "from": null,
          "to": null, "reason": null})",
      R"({"person_id": "p-petr", "group_id": "g-robo", "role": "leader"})"};
  files.records("relations.json") = {
      R"({"parent_id": "p-maria", "child_id": "p-anna", "kind": "mother"})",
      R"({"parent_id": "p-petr", "child_id": "p-anna", "kind": "guardian"})"};
  return files;
}

mapping::Roster read(const ExportFiles& files) {
  TempFolder folder;
  files.write_to(folder.path());
  return read_export(folder.path());
}

TEST(ExportReader, MapsTheOrganisation) {
  const auto roster = read(full_organisation());
  EXPECT_EQ(roster.org.id, "org-7");
  EXPECT_EQ(roster.org.name, "Детский сад «Солнышко»");
  EXPECT_EQ(roster.org.short_name, "");
  EXPECT_EQ(roster.org.kind, mapping::OrgKind::kindergarten);
  EXPECT_EQ(roster.org.timezone, "Asia/Yekaterinburg");
}

TEST(ExportReader, MapsEveryFieldOfGroupsWithNullsAndAbsentFieldsAlike) {
  const auto roster = read(full_organisation());
  ASSERT_EQ(roster.groups.size(), 3U);
  const auto& six = roster.groups[0];
  EXPECT_EQ(six.id, "g-6a");
  EXPECT_EQ(six.name, "6А");
  EXPECT_EQ(six.kind, mapping::GroupKind::class_group);
  EXPECT_EQ(six.grade, 6);
  EXPECT_EQ(six.academic_year, 2026);
  EXPECT_EQ(six.previous_group_id, "g-5a-2025");
  EXPECT_EQ(six.opened_on, day("2026-09-01"));
  EXPECT_EQ(six.closed_on, std::nullopt);
  const auto& robo = roster.groups[1];
  EXPECT_EQ(robo.kind, mapping::GroupKind::association);
  EXPECT_EQ(robo.grade, std::nullopt);
  EXPECT_EQ(robo.previous_group_id, std::nullopt);
  EXPECT_EQ(robo.opened_on, std::nullopt);
  EXPECT_EQ(robo.closed_on, day("2027-05-31"));
  const auto& sun = roster.groups[2];
  EXPECT_EQ(sun.kind, mapping::GroupKind::kindergarten_group);
  EXPECT_EQ(sun.grade, std::nullopt);
  EXPECT_EQ(sun.previous_group_id, std::nullopt);
}

TEST(ExportReader, MapsEveryFieldOfPersons) {
  const auto roster = read(full_organisation());
  ASSERT_EQ(roster.persons.size(), 3U);
  const auto& anna = roster.persons[0];
  EXPECT_EQ(anna.id, "p-anna");
  EXPECT_EQ(anna.roles, mapping::role_student);
  EXPECT_EQ(anna.last_name, "Иванова");
  EXPECT_EQ(anna.first_name, "Анна");
  EXPECT_EQ(anna.middle_name, "Петровна");
  EXPECT_EQ(anna.birth_date, day("2014-03-14"));
  EXPECT_EQ(anna.phone, "");
  EXPECT_EQ(anna.email, "");
  EXPECT_EQ(anna.platform_user_id, std::nullopt);
  EXPECT_TRUE(anna.positions.empty());
  const auto& maria = roster.persons[1];
  EXPECT_EQ(maria.roles, mapping::role_parent | mapping::role_staff);
  EXPECT_EQ(maria.middle_name, "");
  EXPECT_EQ(maria.birth_date, std::nullopt);
  EXPECT_EQ(maria.phone, "+79990000001");
  EXPECT_EQ(maria.email, "maria@example.invalid");
  // Above 2^53: read as an integer, not through a double.
  EXPECT_EQ(maria.platform_user_id, 9007199254740993);
  EXPECT_EQ(maria.positions, (std::vector<std::string>{"teacher", "methodologist"}));
  EXPECT_EQ(maria.employed_from, day("2020-09-01"));
  EXPECT_EQ(maria.employed_to, day("2027-06-30"));
  const auto& petr = roster.persons[2];
  EXPECT_EQ(petr.roles, mapping::role_staff);
  EXPECT_EQ(petr.middle_name, "");
  EXPECT_EQ(petr.employed_from, std::nullopt);
  EXPECT_EQ(petr.employed_to, std::nullopt);
}

TEST(ExportReader, MapsDatedEnrolmentsAndRelations) {
  const auto roster = read(full_organisation());
  ASSERT_EQ(roster.enrolments.size(), 4U);
  const auto& withdrawn = roster.enrolments[1];
  EXPECT_EQ(withdrawn.person_id, "p-anna");
  EXPECT_EQ(withdrawn.group_id, "g-robo");
  EXPECT_EQ(withdrawn.role, mapping::EnrolmentRole::student);
  EXPECT_EQ(withdrawn.from, day("2026-10-01"));
  EXPECT_EQ(withdrawn.to, day("2026-11-20"));
  EXPECT_EQ(withdrawn.reason, "withdrawn");
  const auto& open = roster.enrolments[0];
  EXPECT_EQ(open.to, std::nullopt);
  EXPECT_EQ(open.reason, "enrolled");
  EXPECT_EQ(roster.enrolments[2].role, mapping::EnrolmentRole::teacher);
  EXPECT_EQ(roster.enrolments[2].from, std::nullopt);
  EXPECT_EQ(roster.enrolments[2].reason, "");
  EXPECT_EQ(roster.enrolments[3].role, mapping::EnrolmentRole::leader);

  ASSERT_EQ(roster.relations.size(), 2U);
  EXPECT_EQ(roster.relations[0].parent_id, "p-maria");
  EXPECT_EQ(roster.relations[0].child_id, "p-anna");
  EXPECT_EQ(roster.relations[0].kind, mapping::RelationKind::mother);
  EXPECT_EQ(roster.relations[1].kind, mapping::RelationKind::guardian);
}

TEST(ExportReader, KeepsWhereEachReferencePointsSoTheCoreNeedNotLookItUp) {
  // persons: 0 p-anna, 1 p-maria, 2 p-petr; groups: 0 g-6a, 1 g-robo, 2 g-sun.
  const auto roster = read(full_organisation());
  using V = std::vector<std::uint32_t>;
  EXPECT_EQ(roster.links.enrolment_person, (V{0, 0, 1, 2}));
  EXPECT_EQ(roster.links.enrolment_group, (V{0, 1, 0, 1}));
  EXPECT_EQ(roster.links.relation_parent, (V{1, 2}));
  EXPECT_EQ(roster.links.relation_child, (V{0, 0}));
}

TEST(ExportReader, IgnoresUnknownFieldsInAnyOrder) {
  ExportFiles files;
  files.records("groups.json") = {
      R"({"extra": {"nested": [1, {"deep": null}], "s": "x"}, "academic_year": 2026,
          "grade": 5, "kind": "class", "name": "5А", "future_flag": true, "id": "g-5a",
          "tags": ["a", "b"], "score": 1.5e3})"};
  files.records("relations.json") = {
      R"({"kind": "father", "since": "2010-01-01", "child_id": "p-child", "parent_id": "p-parent"})"};
  const auto roster = read(files);
  ASSERT_EQ(roster.groups.size(), 1U);
  EXPECT_EQ(roster.groups[0].id, "g-5a");
  EXPECT_EQ(roster.groups[0].name, "5А");
  EXPECT_EQ(roster.groups[0].grade, 5);
  EXPECT_EQ(roster.groups[0].academic_year, 2026);
  ASSERT_EQ(roster.relations.size(), 1U);
  EXPECT_EQ(roster.relations[0].kind, mapping::RelationKind::father);
  EXPECT_EQ(roster.relations[0].parent_id, "p-parent");
}

TEST(ExportReader, AcceptsAPreviousGroupThatIsNoLongerInTheJournal) {
  ExportFiles files;
  files.records("groups.json") = {R"({"id": "g-5a", "name": "5А", "kind": "class", "grade": 5,
      "academic_year": 2026, "previous_group_id": "g-gone-2025"})"};
  const auto roster = read(files);
  EXPECT_EQ(roster.groups.at(0).previous_group_id, "g-gone-2025");
}

TEST(ExportReader, ReadsEmptyFilesOfRecords) {
  ExportFiles files;
  files.records("enrollments.json").clear();
  files.records("relations.json").clear();
  const auto roster = read(files);
  EXPECT_TRUE(roster.enrolments.empty());
  EXPECT_TRUE(roster.relations.empty());
  EXPECT_EQ(roster.persons.size(), 2U);
}

TEST(ExportReader, ListsOrganisationFoldersSortedByNameSkippingOthers) {
  TempFolder root;
  for (const char* name : {"org-b", "org-a", "no-orgs-file", ".org-being-written"}) {
    fs::create_directory(root.path() / name);
  }
  write_file(root.path() / "org-b" / "orgs.json", "[]");
  write_file(root.path() / "org-a" / "orgs.json", "[]");
  write_file(root.path() / ".org-being-written" / "orgs.json", "[]");
  write_file(root.path() / "no-orgs-file" / "groups.json", "[]");
  write_file(root.path() / "orgs.json", "[]");
  EXPECT_EQ(list_export_folders(root.path()),
            (std::vector<fs::path>{root.path() / "org-a", root.path() / "org-b"}));
}

TEST(ExportReader, NamesTheRootWhenItCannotBeListed) {
  TempFolder root;
  const fs::path missing = root.path() / "missing";
  try {
    (void)list_export_folders(missing);
    FAIL() << "expected ExportError";
  } catch (const ExportError& error) {
    ASSERT_EQ(error.problems().size(), 1U);
    EXPECT_EQ(error.problems()[0].file, missing.string());
  }
}

}  // namespace
}  // namespace rosterd::adapters::export_folder
