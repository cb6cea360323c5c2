// Bad input: every kind of problem names its file, record and field, all problems of a folder
// come in one ExportError, and no contact value ever reaches a message.

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "adapters/export/export_reader.h"
#include "tests/adapters/export/export_fixture.h"

namespace rosterd::adapters::export_folder {
namespace {

using testing::ExportFiles;
using testing::TempFolder;

// Reads the files, expecting an ExportError; returns it (or fails the test).
ExportError read_failure(const ExportFiles& files) {
  TempFolder folder;
  files.write_to(folder.path());
  try {
    (void)read_export(folder.path());
  } catch (const ExportError& error) {
    return error;
  }
  ADD_FAILURE() << "read_export accepted the folder";
  return ExportError({});
}

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

struct BadInput {
  const char* name;
  std::function<void(ExportFiles&)> edit;
  const char* file;     // the end of the problem's file path
  const char* record;   // exact
  const char* field;    // exact
  const char* message;  // a part of the message
};

void PrintTo(const BadInput& input, std::ostream* out) {
  *out << input.name;
}

class ExportReaderRejects : public ::testing::TestWithParam<BadInput> {};

TEST_P(ExportReaderRejects, NamingTheFileRecordAndField) {
  ExportFiles files;
  GetParam().edit(files);
  const ExportError error = read_failure(files);
  ASSERT_EQ(error.problems().size(), 1U) << error.what();
  const Problem& problem = error.problems()[0];
  EXPECT_TRUE(ends_with(problem.file, GetParam().file)) << problem.file;
  EXPECT_EQ(problem.record, GetParam().record);
  EXPECT_EQ(problem.field, GetParam().field);
  EXPECT_NE(problem.message.find(GetParam().message), std::string::npos) << problem.message;
  EXPECT_NE(std::string(error.what()).find(describe(problem)), std::string::npos) << error.what();
}

auto replace(const char* file, std::size_t index, const char* record) {
  return [=](ExportFiles& files) { files.records(file).at(index) = record; };
}
auto append(const char* file, const char* record) {
  return [=](ExportFiles& files) { files.records(file).push_back(record); };
}
auto whole_file(const char* file, const char* text) {
  return [=](ExportFiles& files) { files.replace_file(file, text); };
}

constexpr const char* child = R"({"id": "p-child", "roles": ["student"], "last_name": "И", )";

const BadInput bad_inputs[] = {
    {"MissingFile", [](ExportFiles& f) { f.remove_file("relations.json"); }, "/relations.json", "",
     "", "missing file"},
    {"EmptyFile", whole_file("groups.json", ""), "/groups.json", "", "", "malformed JSON"},
    {"TruncatedFile", whole_file("groups.json", R"([{"id": "g-5a")"), "/groups.json", "", "",
     "malformed JSON"},
    {"MissingComma",
     whole_file("relations.json", R"([{"parent_id": "p-parent" "child_id": "p-child"}])"),
     "/relations.json", "[0]", "", "malformed JSON"},
    {"ContentAfterTheArray", whole_file("relations.json", "[] []"), "/relations.json", "", "",
     "content after"},
    {"NotAnArray", whole_file("orgs.json", R"({"id": "org-1"})"), "/orgs.json", "", "",
     "expected a JSON array of records, found object"},
    {"RecordNotAnObject", append("relations.json", R"("p-parent")"), "/relations.json", "[1]", "",
     "expected an object, found string"},
    {"NoOrganisation", whole_file("orgs.json", "[]"), "/orgs.json", "", "",
     "exactly one organisation, found 0"},
    {"GradeOfWrongType",
     replace("groups.json", 0,
             R"({"id": "g-5a", "name": "5А", "kind": "class", "grade": "five",
                 "academic_year": 2026})"),
     "/groups.json", "[0] (id g-5a)", "grade", "expected an integer, found string"},
    {"FractionalGrade",
     replace("groups.json", 0,
             R"({"id": "g-5a", "name": "5А", "kind": "class", "grade": 5.5,
                 "academic_year": 2026})"),
     "/groups.json", "[0] (id g-5a)", "grade", "expected an integer"},
    {"GradeOutOfRange",
     replace(
         "groups.json", 0,
         R"({"id": "g-5a", "name": "5А", "kind": "class", "grade": 12, "academic_year": 2026})"),
     "/groups.json", "[0] (id g-5a)", "grade", "out of range (expected 1..11)"},
    {"NameOfWrongType", replace("persons.json", 0, R"({"id": "p-child", "roles": ["student"],
         "last_name": 42, "first_name": "Анна"})"),
     "/persons.json", "[0] (id p-child)", "last_name", "expected a string, found number"},
    {"MissingRequiredField",
     replace("persons.json", 0, R"({"id": "p-child", "roles": ["student"], "last_name": "И"})"),
     "/persons.json", "[0] (id p-child)", "first_name", "required field is missing"},
    {"MissingId", append("persons.json", R"({"roles": ["staff"], "last_name": "Петров",
         "first_name": "Пётр"})"),
     "/persons.json", "[2]", "id", "required field is missing"},
    {"EmptyId", append("persons.json", R"({"id": "", "roles": ["staff"], "last_name": "Петров",
         "first_name": "Пётр"})"),
     "/persons.json", "[2]", "id", "must not be empty"},
    {"NullRequiredField",
     replace("groups.json", 0,
             R"({"id": "g-5a", "name": null, "kind": "class", "academic_year": 2026})"),
     "/groups.json", "[0] (id g-5a)", "name", "must not be null"},
    {"MissingAcademicYear", replace("groups.json", 0, R"({"id": "g-5a", "name": "5А",
         "kind": "class"})"),
     "/groups.json", "[0] (id g-5a)", "academic_year", "required field is missing"},
    {"MalformedNull", replace("groups.json", 0, R"({"id": "g-5a", "name": "5А", "kind": "class",
         "academic_year": 2026, "closed_on": nul})"),
     "/groups.json", "[0] (id g-5a)", "closed_on", "malformed value"},
    {"EmptyPreviousGroup", replace("groups.json", 0, R"({"id": "g-5a", "name": "5А",
         "kind": "class", "academic_year": 2026, "previous_group_id": ""})"),
     "/groups.json", "[0] (id g-5a)", "previous_group_id", "must not be empty"},
    {"UnknownOrganisationKind",
     whole_file("orgs.json", R"([{"id": "org-1", "name": "Школа", "kind": "university",
         "timezone": "Europe/Moscow"}])"),
     "/orgs.json", "[0] (id org-1)", "kind",
     "unknown value 'university' (expected school, kindergarten or additional)"},
    {"MissingTimezone",
     whole_file("orgs.json", R"([{"id": "org-1", "name": "Школа", "kind": "school"}])"),
     "/orgs.json", "[0] (id org-1)", "timezone", "required field is missing"},
    {"UnknownGroupKind", replace("groups.json", 0, R"({"id": "g-5a", "name": "5А", "kind": "clas",
         "academic_year": 2026})"),
     "/groups.json", "[0] (id g-5a)", "kind", "unknown value 'clas'"},
    {"UnknownPersonRole", replace("persons.json", 0, R"({"id": "p-child",
         "roles": ["student", "teacher"], "last_name": "И", "first_name": "А"})"),
     "/persons.json", "[0] (id p-child)", "roles[1]", "unknown value 'teacher'"},
    {"NoRoles",
     replace("persons.json", 0,
             R"({"id": "p-child", "roles": [], "last_name": "И", "first_name": "А"})"),
     "/persons.json", "[0] (id p-child)", "roles", "must not be empty"},
    {"RoleNotAString",
     replace("persons.json", 0,
             R"({"id": "p-child", "roles": ["student", 3], "last_name": "И", "first_name": "А"})"),
     "/persons.json", "[0] (id p-child)", "roles[1]", "expected a string, found number"},
    {"PositionsNotAnArray",
     replace("persons.json", 1, R"({"id": "p-parent", "roles": ["parent"], "last_name": "И",
         "first_name": "М", "positions": "teacher"})"),
     "/persons.json", "[1] (id p-parent)", "positions", "expected an array of strings"},
    {"PlatformUserIdNotPositive",
     replace("persons.json", 1, R"({"id": "p-parent", "roles": ["parent"], "last_name": "И",
         "first_name": "М", "platform_user_id": 0})"),
     "/persons.json", "[1] (id p-parent)", "platform_user_id", "out of range"},
    {"PlatformUserIdAsString",
     replace("persons.json", 1, R"({"id": "p-parent", "roles": ["parent"], "last_name": "И",
         "first_name": "М", "platform_user_id": "123"})"),
     "/persons.json", "[1] (id p-parent)", "platform_user_id", "expected an integer"},
    {"ImpossibleBirthDate",
     replace("persons.json", 0, R"({"id": "p-child", "roles": ["student"], "last_name": "И",
         "first_name": "А", "birth_date": "2015-02-30"})"),
     "/persons.json", "[0] (id p-child)", "birth_date", "not a valid date (expected YYYY-MM-DD)"},
    {"EmploymentDateWithTime",
     replace("persons.json", 1, R"({"id": "p-parent", "roles": ["parent", "staff"],
         "last_name": "И", "first_name": "М", "employed_from": "2020-09-01T00:00:00"})"),
     "/persons.json", "[1] (id p-parent)", "employed_from", "not a valid date"},
    {"EnrolmentDateInLocalFormat",
     replace("enrollments.json", 0, R"({"person_id": "p-child", "group_id": "g-5a",
         "role": "student", "from": "01.09.2026"})"),
     "/enrollments.json", "[0] (person p-child, group g-5a)", "from", "not a valid date"},
    {"UnknownEnrolmentRole",
     replace("enrollments.json", 0, R"({"person_id": "p-child", "group_id": "g-5a",
         "role": "pupil"})"),
     "/enrollments.json", "[0] (person p-child, group g-5a)", "role",
     "unknown value 'pupil' (expected student, leader or teacher)"},
    {"EnrolmentWithoutPerson",
     replace("enrollments.json", 0, R"({"group_id": "g-5a", "role": "student"})"),
     "/enrollments.json", "[0] (person ?, group g-5a)", "person_id", "required field is missing"},
    {"UnknownRelationKind",
     replace("relations.json", 0, R"({"parent_id": "p-parent", "child_id": "p-child",
         "kind": "aunt"})"),
     "/relations.json", "[0] (parent p-parent, child p-child)", "kind", "unknown value 'aunt'"},
    {"DuplicateGroupId", append("groups.json", R"({"id": "g-5a", "name": "5Б", "kind": "class",
         "academic_year": 2026})"),
     "/groups.json", "[1] (id g-5a)", "id", "duplicate id (first at [0])"},
    {"DuplicatePersonId",
     append("persons.json",
            R"({"id": "p-child", "roles": ["staff"], "last_name": "П", "first_name": "П"})"),
     "/persons.json", "[2] (id p-child)", "id", "duplicate id (first at [0])"},
    {"DuplicateEnrolment", append("enrollments.json", R"({"from": "2026-09-01", "role": "student",
         "group_id": "g-5a", "person_id": "p-child"})"),
     "/enrollments.json", "[1] (person p-child, group g-5a)", "", "duplicate of [0]"},
    {"DuplicateRelation",
     append("relations.json", R"({"parent_id": "p-parent", "child_id": "p-child",
         "kind": "mother"})"),
     "/relations.json", "[1] (parent p-parent, child p-child)", "", "duplicate of [0]"},
    {"EnrolmentOfUnknownPerson",
     append("enrollments.json", R"({"person_id": "p-ghost", "group_id": "g-5a",
         "role": "student"})"),
     "/enrollments.json", "[1] (person p-ghost, group g-5a)", "person_id",
     "unknown person p-ghost (not in persons.json)"},
    {"EnrolmentInUnknownGroup",
     append("enrollments.json", R"({"person_id": "p-child", "group_id": "g-9z",
         "role": "student"})"),
     "/enrollments.json", "[1] (person p-child, group g-9z)", "group_id",
     "unknown group g-9z (not in groups.json)"},
    {"RelationOfUnknownParent",
     append("relations.json", R"({"parent_id": "p-ghost", "child_id": "p-child",
         "kind": "father"})"),
     "/relations.json", "[1] (parent p-ghost, child p-child)", "parent_id", "unknown person"},
    {"RelationOfUnknownChild",
     append("relations.json", R"({"parent_id": "p-parent", "child_id": "p-ghost",
         "kind": "mother"})"),
     "/relations.json", "[1] (parent p-parent, child p-ghost)", "child_id", "unknown person"},
};

INSTANTIATE_TEST_SUITE_P(BadInputs, ExportReaderRejects, ::testing::ValuesIn(bad_inputs),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(ExportReader, DescribesAProblemAsFileRecordFieldAndMessage) {
  const Problem problem{"/x/enrollments.json", "[17] (person p-123, group g-5a)", "to",
                        "not a valid date (expected YYYY-MM-DD)"};
  EXPECT_EQ(describe(problem),
            "/x/enrollments.json[17] (person p-123, group g-5a): to: not a valid date (expected "
            "YYYY-MM-DD)");
  EXPECT_EQ(describe(Problem{"/x/persons.json", "", "", "missing file"}),
            "/x/persons.json: missing file");
}

TEST(ExportReader, ReportsEveryProblemOfEveryFileInOneError) {
  ExportFiles files;
  files.records("groups.json")
      .push_back(
          R"({"id": "g-5b", "name": "5Б", "kind": "class", "grade": 0, "academic_year": 2026})");
  files.records("persons.json").at(0) =
      R"({"id": "p-child", "roles": ["student"], "last_name": "И", "first_name": "А",
          "birth_date": "2015-13-01", "middle_name": 7})";
  files.records("relations.json")
      .push_back(R"({"parent_id": "p-ghost", "child_id": "p-child", "kind": "father"})");
  const ExportError error = read_failure(files);
  ASSERT_EQ(error.problems().size(), 4U) << error.what();
  EXPECT_EQ(error.problems()[0].field, "grade");
  EXPECT_EQ(error.problems()[1].field, "birth_date");
  EXPECT_EQ(error.problems()[2].field, "middle_name");
  EXPECT_EQ(error.problems()[3].field, "parent_id");
  EXPECT_EQ(std::string(error.what()).rfind("4 problems in the journal export:", 0), 0U);
}

TEST(ExportReader, ListsTwentyProblemsAndCountsTheRest) {
  ExportFiles files;
  for (int i = 0; i < 30; ++i) {
    files.records("relations.json")
        .push_back(R"({"parent_id": "p-parent", "child_id": "p-child", "kind": "uncle"})");
  }
  const ExportError error = read_failure(files);
  // Only the 30 unknown kinds: records with a bad field are not compared as duplicates.
  const std::string what = error.what();
  ASSERT_EQ(error.problems().size(), 30U) << what;
  std::size_t lines = 0;
  for (char c : what) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 21U) << what;  // the heading, 20 problems, "and N more"
  EXPECT_TRUE(ends_with(what, "\n  and 10 more")) << what;
}

// Contact values in bad records, in the wrong columns, or of the wrong type: none may reach a
// message, a record name or the error's text.
TEST(ExportReader, NeverPutsAPhoneOrEmailInAnError) {
  const std::string phone = "+7 (999) 555-01-37", email = "canary.leak@example.invalid";
  const std::string phone_digits = "79995550137";
  ExportFiles files;
  files.records("persons.json").at(0) =
      R"({"id": "p-child", "roles": ["student"], "last_name": "И", "first_name": "А",
          "phone": ")" +
      phone + R"(", "email": ")" + email + R"(", "birth_date": "2015-02-30"})";
  files.records("persons.json")
      .push_back(R"({"id": "p-shifted", "roles": [")" + phone + R"("], "last_name": ")" + email +
                 R"(", "first_name": "А", "phone": )" + phone_digits + R"(, "email": [")" + email +
                 R"("]})");
  // A contact in an id column: the record is still named, by its place, never by the contact.
  files.records("persons.json")
      .push_back(R"({"id": ")" + phone + R"(", "roles": ["student"], "last_name": "И",
          "first_name": "А", "birth_date": "sometime"})");
  files.records("relations.json")
      .push_back(R"({"parent_id": ")" + email + R"(", "child_id": ")" + phone_digits +
                 R"(", "kind": "mother"})");
  files.records("groups.json").at(0) =
      R"({"id": "g-5a", "name": "5А", "kind": ")" + email + R"(", "academic_year": 2026})";
  files.records("relations.json").at(0) =
      R"({"parent_id": "p-parent", "child_id": "p-child", "kind": ")" + phone_digits + R"("})";
  const ExportError error = read_failure(files);
  ASSERT_GE(error.problems().size(), 5U) << error.what();
  std::string everything = error.what();
  for (const Problem& problem : error.problems()) {
    everything += "\n" + problem.file + problem.record + problem.field + problem.message;
  }
  for (const std::string& secret :
       {phone, email, phone_digits, std::string("555-01-37"), std::string("canary.leak")}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << secret << " in:\n" << everything;
  }
  EXPECT_NE(everything.find("[3] (id <id that looks like a phone number>)"), std::string::npos)
      << everything;
  EXPECT_NE(everything.find("(parent <id that looks like an e-mail>, child <id that looks like a "
                            "phone number>)"),
            std::string::npos)
      << everything;
}

TEST(ExportReader, StillChecksTheRestWhenAFileIsMissing) {
  ExportFiles files;
  files.remove_file("persons.json");
  files.records("groups.json")
      .push_back(R"({"id": "g-5a", "name": "5А", "kind": "class", "academic_year": 2026})");
  const ExportError error = read_failure(files);
  // The duplicate group and the missing file; enrolments and relations, whose persons are
  // unknown, are not blamed for it.
  ASSERT_EQ(error.problems().size(), 2U) << error.what();
  EXPECT_EQ(error.problems()[0].field, "id");
  EXPECT_EQ(error.problems()[1].message, "missing file");
}

}  // namespace
}  // namespace rosterd::adapters::export_folder
