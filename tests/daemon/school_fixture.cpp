#include "tests/daemon/school_fixture.h"

#include <stdlib.h>  // mkdtemp
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rosterd::daemon::test_support {

namespace fs = std::filesystem;

void write_school_export(const fs::path& folder, const std::string& org_id) {
  write_file(folder / "orgs.json", R"([{"id": ")" + org_id + R"(", "name": "Школа тестовая",
    "short_name": "ШТ", "kind": "school", "timezone": "Europe/Moscow"}])");
  write_file(folder / "groups.json", R"([
    {"id": "g-5a", "name": "5А", "kind": "class", "grade": 5, "academic_year": 2026,
     "previous_group_id": null, "opened_on": "2026-09-01", "closed_on": null}])");
  write_file(folder / "persons.json", R"([
    {"id": "p-s1", "roles": ["student"], "last_name": "Иванова", "first_name": "Анна",
     "middle_name": "Сергеевна", "birth_date": "2015-03-02", "phone": "+79001112233",
     "email": "anna.ivanova@example.org", "platform_user_id": 1001},
    {"id": "p-s2", "roles": ["student"], "last_name": "Петров", "first_name": "Борис",
     "middle_name": "", "birth_date": "2015-07-19", "phone": "+79004445566", "email": null,
     "platform_user_id": null},
    {"id": "p-m1", "roles": ["parent"], "last_name": "Иванова", "first_name": "Мария",
     "middle_name": "", "birth_date": null, "phone": "+79007778899",
     "email": "maria.ivanova@example.org", "platform_user_id": 2001},
    {"id": "p-f2", "roles": ["parent"], "last_name": "Петров", "first_name": "Глеб",
     "middle_name": "", "birth_date": null, "phone": "+79007778899", "email": null,
     "platform_user_id": null},
    {"id": "p-t1", "roles": ["staff"], "last_name": "Сидорова", "first_name": "Ольга",
     "middle_name": "", "birth_date": null, "phone": "+79006667788",
     "email": "olga.sidorova@school.example", "platform_user_id": 3001,
     "positions": ["teacher"], "employed_from": "2020-09-01", "employed_to": null},
    {"id": "p-d1", "roles": ["staff"], "last_name": "Кузнецов", "first_name": "Дмитрий",
     "middle_name": "", "birth_date": null, "phone": "+79009990011",
     "email": "director@school.example", "platform_user_id": 3002,
     "positions": ["director"], "employed_from": "2010-09-01", "employed_to": null}])");
  write_file(folder / "enrollments.json", R"([
    {"person_id": "p-s1", "group_id": "g-5a", "role": "student", "from": "2026-09-01", "to": null, "reason": "enrolled"},
    {"person_id": "p-s2", "group_id": "g-5a", "role": "student", "from": "2026-09-01", "to": null, "reason": "enrolled"},
    {"person_id": "p-t1", "group_id": "g-5a", "role": "leader", "from": "2026-09-01", "to": null, "reason": "enrolled"}])");
  write_file(folder / "relations.json", R"([
    {"parent_id": "p-m1", "child_id": "p-s1", "kind": "mother"},
    {"parent_id": "p-f2", "child_id": "p-s2", "kind": "father"}])");
}

std::vector<std::string> contact_values() {
  return {"+79001112233",
          "79001112233",
          "anna.ivanova@example.org",
          "+79004445566",
          "79004445566",
          "+79007778899",
          "79007778899",
          "maria.ivanova@example.org",
          "+79006667788",
          "olga.sidorova@school.example",
          "+79009990011",
          "director@school.example",
          "example.org"};
}

namespace {

std::string quoted(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

}  // namespace

namespace {

ProcessResult run(const std::vector<std::string>& args, const std::string* input) {
  const TempFolder capture;
  std::string command = quoted(ROSTERD_BIN);
  for (const auto& arg : args) command += " " + quoted(arg);
  const auto out_file = capture.path() / "out";
  const auto err_file = capture.path() / "err";
  command += " >" + quoted(out_file.string()) + " 2>" + quoted(err_file.string());
  if (input) {
    const auto in_file = capture.path() / "in";
    write_file(in_file, *input);
    command += " <" + quoted(in_file.string());
  }
  const int status = std::system(command.c_str());
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_file);
  result.err = read_file(err_file);
  return result;
}

}  // namespace

ProcessResult run_rosterd(const std::vector<std::string>& args) {
  return run(args, nullptr);
}

ProcessResult run_rosterd(const std::vector<std::string>& args, const std::string& input) {
  return run(args, &input);
}

}  // namespace rosterd::daemon::test_support
