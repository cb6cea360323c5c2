// The mapping on small hand-written folders: one edge each.

#include <gtest/gtest.h>

#include "tests/adapters/oneroster/folder_fixture.h"

namespace rosterd::adapters::oneroster {
namespace {

using mapping::Date;
using mapping::EnrolmentRole;
using testing::find_enrolment;
using testing::find_person;
using testing::only_roster;
using testing::small_school;
using testing::TempFolder;

class OneRosterMapping : public ::testing::Test {
 protected:
  mapping::Roster read(const Options& options = {}) {
    folder_.write_all(files_, "bulk");
    return only_roster(folder_.path(), options);
  }
  void replace(const std::string& file, const std::string& from, const std::string& to) {
    auto& text = files_.at(file);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  }

  TempFolder folder_;
  std::map<std::string, std::string> files_ = small_school();
};

TEST_F(OneRosterMapping, MakesOneGroupPerClassWithGradeAndAcademicYear) {
  const auto roster = read();
  EXPECT_EQ(roster.org.id, "sch-1") << "the district has no classes and is no school";
  EXPECT_EQ(roster.org.name, "School No. 1");
  ASSERT_EQ(roster.groups.size(), 1u);
  EXPECT_EQ(roster.groups[0].name, "5A");
  EXPECT_EQ(roster.groups[0].grade, 5);
  EXPECT_EQ(roster.groups[0].academic_year, 2026);
}

TEST_F(OneRosterMapping, ThePrimaryTeacherLeadsAndTheOtherTeaches) {
  const auto roster = read();
  EXPECT_EQ(find_enrolment(roster, "t-1", "cls-5a")->role, EnrolmentRole::leader);
  EXPECT_EQ(find_enrolment(roster, "t-2", "cls-5a")->role, EnrolmentRole::teacher);
  EXPECT_EQ(find_enrolment(roster, "s-2", "cls-5a")->role, EnrolmentRole::student);
  EXPECT_EQ(find_person(roster, "t-2")->positions, std::vector<std::string>{"teacher"});
}

TEST_F(OneRosterMapping, AMotherNamedByHerChildIsAMotherRelation) {
  const auto roster = read();
  ASSERT_EQ(roster.relations.size(), 1u) << "named from both sides, counted once";
  EXPECT_EQ(roster.relations[0].parent_id, "p-1");
  EXPECT_EQ(roster.relations[0].child_id, "s-1");
  EXPECT_EQ(roster.relations[0].kind, mapping::RelationKind::mother);
  EXPECT_EQ(find_person(roster, "p-1")->roles, mapping::role_parent);
}

TEST_F(OneRosterMapping, AParentRoleGivesAGuardianAndIsFoundFromTheChildAlone) {
  replace("users.csv", "sch-1,mother,p1,,Olga,Sidorova,,,,,+70000000009,s-1,,",
          "other-school,parent,p1,,Olga,Sidorova,,,,,,,,");
  replace("orgs.csv", "dist-1,active",
          "other-school,active,2026-08-20,Other,school,,\ndist-1,active");
  folder_.write_all(files_, "bulk");
  const auto rosters = read_oneroster(folder_.path(), {});
  ASSERT_EQ(rosters.size(), 2u);
  const auto& roster = rosters[1];  // sch-1: the parent's own org is other-school
  ASSERT_EQ(roster.org.id, "sch-1");
  ASSERT_EQ(roster.relations.size(), 1u);
  EXPECT_EQ(roster.relations[0].kind, mapping::RelationKind::guardian);
  EXPECT_NE(find_person(roster, "p-1"), nullptr);
}

TEST_F(OneRosterMapping, TakesThePlatformIdFromAMultiValueUserIds) {
  replace("users.csv", "t2,,Boris", "t2,\"{LDAP:abc}, {Sferum:2002},{LTI:x}\",Boris");
  Options options;
  options.platform_id_type = "sferum";
  const auto roster = read(options);
  EXPECT_EQ(find_person(roster, "t-1")->platform_user_id, 1001);
  EXPECT_EQ(find_person(roster, "t-2")->platform_user_id, 2002);
  EXPECT_FALSE(find_person(roster, "s-1")->platform_user_id.has_value());
}

TEST_F(OneRosterMapping, ReadsContactsOnlyFromTheirColumns) {
  const auto roster = read();
  EXPECT_EQ(find_person(roster, "t-1")->phone, "+70000000001");
  EXPECT_EQ(find_person(roster, "t-1")->email, "t1@example.org");
  EXPECT_EQ(find_person(roster, "t-1")->middle_name, "Petrovna");
}

TEST_F(OneRosterMapping, TobedeletedRecordsAreGoneWithWhatNamesThem) {
  replace("users.csv", "s-2,active", "s-2,tobedeleted");
  replace("enrollments.csv", "e-2,active", "e-2,tobedeleted");
  const auto roster = read();
  EXPECT_EQ(find_person(roster, "s-2"), nullptr);
  EXPECT_EQ(find_enrolment(roster, "s-2", "cls-5a"), nullptr) << "its enrolment goes with it";
  EXPECT_EQ(find_enrolment(roster, "t-2", "cls-5a"), nullptr);
  EXPECT_NE(find_person(roster, "t-2"), nullptr) << "still staff of the school";
  EXPECT_EQ(roster.enrolments.size(), 2u);
}

TEST_F(OneRosterMapping, ATobedeletedClassTakesItsEnrolments) {
  replace("classes.csv", "cls-5a,active", "cls-5a,tobedeleted");
  const auto roster = read();
  EXPECT_TRUE(roster.groups.empty());
  EXPECT_TRUE(roster.enrolments.empty());
  EXPECT_EQ(roster.persons.size(), 5u) << "the users still belong to the school";
}

TEST_F(OneRosterMapping, BeginAndEndDatesAreTheEnrolmentsFirstAndLastDay) {
  replace("enrollments.csv", "e-4,active,,cls-5a,sch-1,s-2,student,false,,",
          "e-4,active,,cls-5a,sch-1,s-2,student,false,2026-09-01,2026-11-20");
  const auto roster = read();
  const auto* e = find_enrolment(roster, "s-2", "cls-5a");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->from, Date::from_ymd(2026, 9, 1));
  EXPECT_EQ(e->to, Date::from_ymd(2026, 11, 20));
  EXPECT_TRUE(e->active_on(Date::from_ymd(2026, 11, 20))) << "endDate is inclusive";
  EXPECT_FALSE(e->active_on(Date::from_ymd(2026, 11, 21)));
  EXPECT_FALSE(find_enrolment(roster, "s-2", "cls-5a")->active_on(Date::from_ymd(2026, 8, 31)));
}

TEST_F(OneRosterMapping, ReadsABomAndCrlfAndMatchesColumnsByName) {
  files_["classes.csv"] =
      "\xEF\xBB\xBF"
      "termSourcedIds,schoolSourcedId,title,sourcedId,extra,grades\r\n"
      "term-1,sch-1,\"5A, \"\"gifted\"\"\",cls-5a,\"x\r\ny\",5\r\n";
  const auto roster = read();
  ASSERT_EQ(roster.groups.size(), 1u);
  EXPECT_EQ(roster.groups[0].name, "5A, \"gifted\"");
  EXPECT_EQ(roster.groups[0].grade, 5);
}

TEST_F(OneRosterMapping, GradesOutsideOneToElevenGiveNoGrade) {
  for (const auto* grades : {"KG", "12", "\"05,06\"", "0"}) {
    files_ = small_school();
    replace("classes.csv", "5A,05,", std::string("5A,") + grades + ",");
    EXPECT_FALSE(read().groups.at(0).grade.has_value()) << grades;
  }
}

TEST_F(OneRosterMapping, OrgKindsOptionMakesAKindergartenWithKindergartenGroups) {
  Options options;
  options.org_kinds["sch-1"] = mapping::OrgKind::kindergarten;
  options.timezone = "Europe/Moscow";
  const auto roster = read(options);
  EXPECT_EQ(roster.org.kind, mapping::OrgKind::kindergarten);
  EXPECT_EQ(roster.org.timezone, "Europe/Moscow");
  EXPECT_EQ(roster.groups.at(0).kind, mapping::GroupKind::kindergarten_group);
}

TEST_F(OneRosterMapping, AdministratorsAndAidesAreStaffWithTheirPosition) {
  replace("users.csv", "t-2,active,,true,sch-1,teacher", "t-2,active,,true,sch-1,administrator");
  replace("users.csv", "s-2,active,,true,sch-1,student", "s-2,active,,true,sch-1,aide");
  replace("enrollments.csv", "e-4,active,,cls-5a,sch-1,s-2,student",
          "e-4,active,,cls-5a,sch-1,s-2,aide");
  const auto roster = read();
  EXPECT_EQ(find_person(roster, "t-2")->positions, std::vector<std::string>{"administrator"});
  EXPECT_EQ(find_person(roster, "s-2")->positions, std::vector<std::string>{"aide"});
  EXPECT_EQ(find_person(roster, "s-2")->roles, mapping::role_staff);
  EXPECT_EQ(find_enrolment(roster, "s-2", "cls-5a"), nullptr)
      << "an aide enrolment is no membership";
}

}  // namespace
}  // namespace rosterd::adapters::oneroster
