// The public OneRoster samples (data/SOURCES.md), read as a bulk: every expected value here was
// read off the sample files by hand.

#include <gtest/gtest.h>

#include "tests/adapters/oneroster/folder_fixture.h"

namespace rosterd::adapters::oneroster {
namespace {

using mapping::EnrolmentRole;
using testing::find_enrolment;
using testing::find_person;
using testing::only_roster;
using testing::sample;

TEST(OneRosterSamples, FullDataSetGivesTheDepartmentWithItsActiveClassOnly) {
  const auto roster = only_roster(sample("Test_full_data_set"));
  EXPECT_EQ(roster.org.id, "org-sch-222-456");
  EXPECT_EQ(roster.org.name, "History Department");
  EXPECT_EQ(roster.org.kind, mapping::OrgKind::school);
  // cls-222-123478 (History - 2) is tobedeleted.
  ASSERT_EQ(roster.groups.size(), 1u);
  const auto& physics = roster.groups.front();
  EXPECT_EQ(physics.id, "cls-222-123456");
  EXPECT_EQ(physics.name, "Introduction to Physics");
  EXPECT_EQ(physics.kind, mapping::GroupKind::class_group);
  EXPECT_FALSE(physics.grade.has_value()) << "grades 09,10,11 is no single grade";
  EXPECT_EQ(physics.academic_year, 2022) << "term as-trm-222-1234, schoolYear 2023";
}

TEST(OneRosterSamples, FullDataSetEnrolmentsAreDatedAndTheNonPrimaryTeacherLeadsNothing) {
  const auto roster = only_roster(sample("Test_full_data_set"));
  ASSERT_EQ(roster.enrolments.size(), 3u);  // the three of the tobedeleted class are gone
  const auto* teacher = find_enrolment(roster, "usr-222-123456", "cls-222-123456");
  ASSERT_NE(teacher, nullptr);
  EXPECT_EQ(teacher->role, EnrolmentRole::teacher) << "primary=false";
  EXPECT_EQ(teacher->from, mapping::Date::parse("2022-03-15"));
  EXPECT_EQ(teacher->to, mapping::Date::parse("2022-06-15"));
  for (const auto* student : {"usr-222-987654", "usr-222-1234561232"}) {
    const auto* e = find_enrolment(roster, student, "cls-222-123456");
    ASSERT_NE(e, nullptr) << student;
    EXPECT_EQ(e->role, EnrolmentRole::student);
  }
}

TEST(OneRosterSamples, FullDataSetLinksTheParentAndNotTheTeachersNamedAsAgents) {
  const auto roster = only_roster(sample("Test_full_data_set"));
  EXPECT_EQ(roster.persons.size(), 6u);
  ASSERT_EQ(roster.relations.size(), 1u);
  EXPECT_EQ(roster.relations[0].parent_id, "usr-222-1234561");
  EXPECT_EQ(roster.relations[0].child_id, "usr-222-66778899");
  EXPECT_EQ(roster.relations[0].kind, mapping::RelationKind::guardian);
  const auto* thomas = find_person(roster, "usr-222-1234561");
  ASSERT_NE(thomas, nullptr);
  EXPECT_EQ(thomas->first_name, "Thomas");
  EXPECT_EQ(thomas->last_name, "Jones");
  EXPECT_EQ(thomas->roles, mapping::role_parent);
  const auto* john = find_person(roster, "usr-222-123456");
  ASSERT_NE(john, nullptr);
  EXPECT_EQ(john->roles, mapping::role_staff);
  EXPECT_EQ(john->positions, std::vector<std::string>{"teacher"});
  EXPECT_EQ(john->middle_name, "Michael");
  EXPECT_EQ(john->phone, "6032221111");
  EXPECT_EQ(john->email, "john.doe@myschool.com");
  // Jim Smith is a teacher in users.csv and enrolled as a student: he is both.
  EXPECT_EQ(find_person(roster, "usr-222-987654")->roles,
            mapping::role_staff | mapping::role_student);
}

TEST(OneRosterSamples, FullDataSetTakesThePlatformIdFromTheNamedUserIdsType) {
  Options options;
  options.platform_id_type = "lti";
  const auto roster = only_roster(sample("Test_full_data_set"), options);
  EXPECT_EQ(find_person(roster, "usr-222-1234561")->platform_user_id, 15);  // {LDAP:12},{LTI:15},…
  EXPECT_EQ(find_person(roster, "usr-222-987654")->platform_user_id, 15);
  EXPECT_FALSE(find_person(roster, "usr-222-66778899")->platform_user_id.has_value());  // LDAP only
  EXPECT_FALSE(find_person(roster, "usr-222-123456")->platform_user_id.has_value());  // no userIds
}

TEST(OneRosterSamples, MinimalDataSetKeepsBothClassesWhenStatusIsEmpty) {
  const auto roster = only_roster(sample("Test_minimal_data_set"));
  ASSERT_EQ(roster.groups.size(), 2u);
  EXPECT_EQ(roster.groups[0].name, "Introduction to Physics");
  EXPECT_EQ(roster.groups[1].id, "cls-222-123478");
  EXPECT_EQ(roster.groups[1].name, "History - 2");
  EXPECT_EQ(roster.groups[1].academic_year, 2022);
  EXPECT_EQ(roster.enrolments.size(), 6u);
  EXPECT_EQ(roster.persons.size(), 6u);
  EXPECT_TRUE(roster.relations.empty());
}

TEST(OneRosterSamples, MinimalDataSetWithHomeroomsOnlyKeepsTheHomeroom) {
  Options options;
  options.homerooms_only = true;
  const auto roster = only_roster(sample("Test_minimal_data_set"), options);
  ASSERT_EQ(roster.groups.size(), 1u);
  EXPECT_EQ(roster.groups[0].id, "cls-222-123478");
  EXPECT_EQ(roster.enrolments.size(), 3u);
}

TEST(OneRosterSamples, RosterHubReadsEveryQuotedFieldAndItsPrimaryTeachersLead) {
  const auto roster = only_roster(sample("roster-hub-en"));
  EXPECT_EQ(roster.org.id, "or0001");
  EXPECT_EQ(roster.org.name, "Sample School");
  ASSERT_EQ(roster.groups.size(), 5u);
  EXPECT_EQ(roster.groups[2].id, "cl0003");
  EXPECT_EQ(roster.groups[2].name, "Advanced Information Systems");
  EXPECT_EQ(roster.groups[0].academic_year, 2020) << "as0001 starts 2020-08-01, schoolYear 2021";
  EXPECT_EQ(roster.persons.size(), 20u);
  EXPECT_EQ(roster.enrolments.size(), 30u);
  const std::vector<std::pair<std::string, std::string>> leaders = {{"us0001", "cl0001"},
                                                                    {"us0001", "cl0002"},
                                                                    {"us0001", "cl0003"},
                                                                    {"us0001", "cl0004"},
                                                                    {"us0002", "cl0005"}};
  for (const auto& [person, group] : leaders) {
    const auto* e = find_enrolment(roster, person, group);
    ASSERT_NE(e, nullptr) << person << " " << group;
    EXPECT_EQ(e->role, EnrolmentRole::leader) << person << " " << group;
  }
  EXPECT_EQ(find_person(roster, "us0013")->first_name, "GN 13");
  EXPECT_EQ(find_person(roster, "us0013")->email, "user13@sample-u.ac.jp");
}

TEST(OneRosterSamples, RosterHubClassesHaveTheirStudents) {
  const auto roster = only_roster(sample("roster-hub-en"));
  std::map<std::string, std::vector<std::string>> students;
  for (const auto& e : roster.enrolments) {
    if (e.role == EnrolmentRole::student) students[e.group_id].push_back(e.person_id);
  }
  EXPECT_EQ(students["cl0001"], (std::vector<std::string>{"us0003", "us0004", "us0005"}));
  EXPECT_EQ(students["cl0002"], (std::vector<std::string>{"us0006", "us0007", "us0008", "us0009"}));
  EXPECT_EQ(students["cl0003"].size(), 7u);
  EXPECT_EQ(students["cl0004"].front(), "us0010");
  EXPECT_EQ(students["cl0005"],
            (std::vector<std::string>{"us0015", "us0016", "us0017", "us0018", "us0019", "us0020"}));
}

}  // namespace
}  // namespace rosterd::adapters::oneroster
