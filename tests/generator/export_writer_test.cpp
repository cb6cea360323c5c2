// write_export and rosterd-gen: DESIGN's files and field names, one folder per organisation.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "generator/generator.h"
#include "tests/generator/support.h"

namespace rosterd::generator {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

struct FileFields {
  const char* file;
  std::vector<const char*> fields;
};

class ExportFile : public testing::TestWithParam<FileFields> {};

TEST_P(ExportFile, IsAJsonArrayOfRecordsWithDesignsFieldNames) {
  static const std::string folder = [] {
    const std::string f = test::fresh_temp_folder("fields");
    write_export(make_school("sch-0001", 1, mapping::Date::from_ymd(2026, 9, 1)), f);
    return f;
  }();
  const json records = read_json(fs::path(folder) / GetParam().file);
  ASSERT_TRUE(records.is_array());
  ASSERT_FALSE(records.empty());
  for (const auto& record : records) {
    ASSERT_EQ(record.size(), GetParam().fields.size());
    for (const char* field : GetParam().fields) ASSERT_TRUE(record.contains(field)) << field;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Generator, ExportFile,
    testing::Values(
        FileFields{"orgs.json", {"id", "name", "short_name", "kind", "timezone"}},
        FileFields{"groups.json",
                   {"id", "name", "kind", "grade", "academic_year", "previous_group_id",
                    "opened_on", "closed_on"}},
        FileFields{"persons.json",
                   {"id", "roles", "last_name", "first_name", "middle_name", "birth_date", "phone",
                    "email", "platform_user_id", "positions", "employed_from", "employed_to"}},
        FileFields{"enrollments.json", {"person_id", "group_id", "role", "from", "to", "reason"}},
        FileFields{"relations.json", {"parent_id", "child_id", "kind"}}),
    [](const testing::TestParamInfo<FileFields>& p) {
      std::string name = p.param.file;
      return name.substr(0, name.find('.'));
    });

TEST(WriteExport, WritesIsoDatesAndNullForWhatIsAbsent) {
  mapping::Roster r;
  r.org = {"sch-0042", "Школа", "Школа", mapping::OrgKind::school, "Europe/Moscow"};
  mapping::Person p;
  p.id = "sch-0042:p-000001";
  p.roles = mapping::role_student;
  p.last_name = "Иванов";
  p.first_name = "Иван";
  p.birth_date = mapping::Date::from_ymd(2015, 3, 7);
  r.persons.push_back(p);
  r.groups.push_back({"sch-0042:g-5a-2026", "5А", mapping::GroupKind::class_group, 5, 2026,
                      std::nullopt, mapping::Date::from_ymd(2026, 9, 1), std::nullopt});
  r.enrolments.push_back({p.id, "sch-0042:g-5a-2026", mapping::EnrolmentRole::student,
                          mapping::Date::from_ymd(2026, 9, 1), std::nullopt, "enrolled"});
  const std::string folder = test::fresh_temp_folder("nulls");
  write_export(r, folder);
  const json person = read_json(fs::path(folder) / "persons.json").at(0);
  EXPECT_EQ(person.at("birth_date"), "2015-03-07");
  EXPECT_EQ(person.at("roles"), json::array({"student"}));
  EXPECT_TRUE(person.at("phone").is_null());
  EXPECT_TRUE(person.at("platform_user_id").is_null());
  EXPECT_TRUE(person.at("employed_from").is_null());
  const json group = read_json(fs::path(folder) / "groups.json").at(0);
  EXPECT_EQ(group.at("name"), "5А");
  EXPECT_EQ(group.at("kind"), "class");
  EXPECT_TRUE(group.at("closed_on").is_null());
  const json enrolment = read_json(fs::path(folder) / "enrollments.json").at(0);
  EXPECT_EQ(enrolment.at("from"), "2026-09-01");
  EXPECT_TRUE(enrolment.at("to").is_null());
  EXPECT_EQ(read_json(fs::path(folder) / "relations.json"), json::array());
}

TEST(WriteExport, FailsWhenTheFolderCannotBeCreated) {
  const std::string parent = test::fresh_temp_folder("blocked");
  std::ofstream(fs::path(parent) / "file") << "x";
  EXPECT_ANY_THROW(
      write_export(make_kindergarten("kg-0001", 1, mapping::Date::from_ymd(2026, 9, 1)),
                   fs::path(parent) / "file" / "kg-0001"));
}

int run_gen(const std::string& args) {
  const int status =
      std::system((std::string{ROSTERD_GEN_PATH} + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(RosterdGen, WritesOneFolderPerOrganisation) {
  const std::string out = test::fresh_temp_folder("cli");
  ASSERT_EQ(run_gen("--out " + out +
                    " --schools 2 --kindergartens 1 --additional 0 --days 2 --next-year"),
            0);
  for (const char* org : {"sch-0001", "sch-0002", "kg-0001"}) {
    EXPECT_TRUE(fs::exists(fs::path(out) / org / "persons.json")) << org;
  }
  EXPECT_FALSE(fs::exists(fs::path(out) / "add-0001"));
  const json groups = read_json(fs::path(out) / "sch-0001" / "groups.json");
  const bool next_year = std::any_of(groups.begin(), groups.end(),
                                     [](const json& g) { return g.at("academic_year") == 2027; });
  EXPECT_TRUE(next_year);
}

TEST(RosterdGen, ExitsWithOneOnBadArguments) {
  const std::string out = test::fresh_temp_folder("cli-bad");
  EXPECT_EQ(run_gen("--out " + out + " --start 2026-13-01"), 1);
  EXPECT_EQ(run_gen("--out " + out + " --schools many"), 1);
  EXPECT_EQ(run_gen("--schools 1"), 1);  // no --out
  EXPECT_EQ(run_gen("--out " + out + " --days -1"), 1);
}

}  // namespace
}  // namespace rosterd::generator
