#include "tests/adapters/oneroster/folder_fixture.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace rosterd::adapters::oneroster::testing {

namespace fs = std::filesystem;

fs::path sample(const std::string& name) {
  return fs::path(ONEROSTER_TEST_DATA) / name;
}

void TempFolder::write(const std::string& name, const std::string& text) const {
  rosterd::testing::write_file(path() / name, text);
}

void TempFolder::write_all(const std::map<std::string, std::string>& files,
                           const std::string& mode) const {
  for (const auto& entry : fs::directory_iterator(path())) fs::remove(entry.path());
  std::string manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n";
  for (const auto* name : {"orgs", "users", "classes", "enrollments", "academicSessions"}) {
    const bool present = files.contains(std::string(name) + ".csv");
    manifest += "file." + std::string(name) + "," + (present ? mode : "absent") + "\n";
  }
  write("manifest.csv", manifest);
  for (const auto& [name, text] : files) write(name, text);
}

std::map<std::string, std::string> small_school() {
  return {
      {"orgs.csv",
       "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
       "sch-1,active,2026-08-20,School No. 1,school,S1,dist-1\n"
       "dist-1,active,2026-08-20,District,district,D1,\n"},
      {"users.csv",
       "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
       "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
       "password\n"
       "t-1,active,,true,sch-1,teacher,t1,{sferum:1001},Anna,Ivanova,Petrovna,,t1@example.org,,"
       "+70000000001,,,\n"
       "t-2,active,,true,sch-1,teacher,t2,,Boris,Petrov,,,,,,,,\n"
       "s-1,active,,true,sch-1,student,s1,,Vera,Sidorova,,,,,,p-1,05,\n"
       "s-2,active,,true,sch-1,student,s2,,Gleb,Orlov,,,,,,,05,\n"
       "p-1,active,,true,sch-1,mother,p1,,Olga,Sidorova,,,,,+70000000009,s-1,,\n"},
      {"classes.csv",
       "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,"
       "location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n"
       "cls-5a,active,,5A,05,crs-1,5A,homeroom,,sch-1,term-1,,,\n"},
      {"enrollments.csv",
       "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
       "primary,beginDate,endDate\n"
       "e-1,active,,cls-5a,sch-1,t-1,teacher,true,,\n"
       "e-2,active,,cls-5a,sch-1,t-2,teacher,false,,\n"
       "e-3,active,,cls-5a,sch-1,s-1,student,false,2026-09-01,\n"
       "e-4,active,,cls-5a,sch-1,s-2,student,false,,\n"},
      {"academicSessions.csv",
       "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,"
       "schoolYear\n"
       "term-1,active,,2026/27,schoolYear,2026-09-01,2027-05-31,,2027\n"},
  };
}

const mapping::Person* find_person(const mapping::Roster& roster, const std::string& id) {
  for (const auto& p : roster.persons) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const mapping::Enrolment* find_enrolment(const mapping::Roster& roster, const std::string& person,
                                         const std::string& group) {
  for (const auto& e : roster.enrolments) {
    if (e.person_id == person && e.group_id == group) return &e;
  }
  return nullptr;
}

mapping::Roster only_roster(const fs::path& folder, const Options& options) {
  auto rosters = read_oneroster(folder, options);
  EXPECT_EQ(rosters.size(), 1u);
  if (rosters.empty()) return {};
  return std::move(rosters.front());
}

std::string read_error(const fs::path& folder, const Options& options) {
  try {
    (void)read_oneroster(folder, options);
  } catch (const OneRosterError& error) {
    std::string text;
    for (const auto& p : error.problems()) text += describe(p) + "\n";
    return text;
  }
  return "";
}

}  // namespace rosterd::adapters::oneroster::testing
