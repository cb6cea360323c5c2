#include "tests/adapters/journal_http/journal_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <vector>

#include "generator/generator.h"

namespace rosterd::adapters::journal_http::testing {
namespace {

using nlohmann::json;

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

std::string date_text(const std::optional<mapping::Date>& date) {
  return date ? date->iso() : "-";
}

template <class Record, class Line>
void add_sorted(std::ostringstream& out, const char* list, const std::vector<Record>& records,
                Line line) {
  std::vector<std::string> lines;
  lines.reserve(records.size());
  for (const auto& record : records) lines.push_back(line(record));
  std::sort(lines.begin(), lines.end());
  out << list << " " << records.size() << "\n";
  for (const auto& text : lines) out << "  " << text << "\n";
}

}  // namespace

JournalData tiny_journal() {
  JournalData data;
  data.org = {{"id", "org-1"}, {"name", "Школа № 1"}, {"short_name", "Ш1"},
              {"kind", "school"}, {"timezone", "Europe/Moscow"}};
  data.groups = json::array({
      {{"id", "g-1a"}, {"name", "1А"}, {"kind", "class"}, {"grade", 1}, {"academic_year", 2026},
       {"previous_group_id", nullptr}, {"opened_on", "2026-09-01"}, {"closed_on", nullptr}},
      {{"id", "g-2b"}, {"name", "2Б"}, {"kind", "class"}, {"grade", 2}, {"academic_year", 2026},
       {"previous_group_id", "g-1b-2025"}, {"unknown_field", {1, 2}}},
  });
  data.persons = json::array({
      {{"id", "p-1"}, {"roles", {"student"}}, {"last_name", "Петрова"}, {"first_name", "Анна"},
       {"birth_date", "2019-03-14"}, {"phone", nullptr}, {"email", nullptr},
       {"platform_user_id", nullptr}},
      {{"id", "p-2"}, {"roles", {"student"}}, {"last_name", "Петров"}, {"first_name", "Иван"},
       {"birth_date", "2018-01-02"}},
      {{"id", "p-3"}, {"roles", {"parent"}}, {"last_name", "Петрова"}, {"first_name", "Мария"},
       {"middle_name", "Ивановна"}, {"phone", tiny_phone}, {"email", tiny_email},
       {"platform_user_id", 1001}},
      {{"id", "p-4"}, {"roles", {"staff", "parent"}}, {"last_name", "Сидорова"},
       {"first_name", "Ольга"}, {"positions", {"teacher"}}, {"employed_from", "2020-09-01"},
       {"platform_user_id", 1002}},
      {{"id", "p-5"}, {"roles", {"staff"}}, {"last_name", "Кузнецов"}, {"first_name", "Пётр"},
       {"positions", {"teacher", "deputy_director"}}, {"employed_to", "2027-06-30"}},
  });
  data.enrollments = json::array({
      {{"person_id", "p-1"}, {"group_id", "g-1a"}, {"role", "student"}, {"from", "2026-09-01"},
       {"to", nullptr}, {"reason", "enrolled"}},
      {{"person_id", "p-2"}, {"group_id", "g-2b"}, {"role", "student"}, {"from", "2026-09-01"}},
      {{"person_id", "p-4"}, {"group_id", "g-1a"}, {"role", "leader"}},
      {{"person_id", "p-5"}, {"group_id", "g-2b"}, {"role", "leader"}},
      {{"person_id", "p-5"}, {"group_id", "g-1a"}, {"role", "teacher"}, {"to", "2026-12-31"}},
  });
  data.relations = json::array({
      {{"parent_id", "p-3"}, {"child_id", "p-1"}, {"kind", "mother"}},
      {{"parent_id", "p-3"}, {"child_id", "p-2"}, {"kind", "mother"}},
  });
  return data;
}

GeneratedSchool generated_school(const std::string& org_id,
                                 const std::filesystem::path& scratch) {
  GeneratedSchool school;
  school.roster = generator::make_school(org_id, 7, mapping::Date::from_ymd(2026, 9, 1),
                                         generator::SchoolShape{4, 6});
  const auto folder = scratch / org_id;
  generator::write_export(school.roster, folder);
  school.data.org = read_json(folder / "orgs.json").at(0);
  school.data.groups = read_json(folder / "groups.json");
  school.data.persons = read_json(folder / "persons.json");
  school.data.enrollments = read_json(folder / "enrollments.json");
  school.data.relations = read_json(folder / "relations.json");
  return school;
}

std::string roster_text(const mapping::Roster& roster) {
  std::ostringstream out;
  const auto& o = roster.org;
  out << "org " << o.id << "|" << o.name << "|" << o.short_name << "|" << name(o.kind) << "|"
      << o.timezone << "\n";
  add_sorted(out, "groups", roster.groups, [](const mapping::Group& g) {
    return g.id + "|" + g.name + "|" + std::string(name(g.kind)) + "|" +
           (g.grade ? std::to_string(*g.grade) : "-") + "|" + std::to_string(g.academic_year) +
           "|" + g.previous_group_id.value_or("-") + "|" + date_text(g.opened_on) + "|" +
           date_text(g.closed_on);
  });
  add_sorted(out, "persons", roster.persons, [](const mapping::Person& p) {
    std::string positions;
    for (const auto& position : p.positions) positions += position + ",";
    return p.id + "|" + std::to_string(p.roles) + "|" + p.last_name + "|" + p.first_name + "|" +
           p.middle_name + "|" + date_text(p.birth_date) + "|" + p.phone + "|" + p.email + "|" +
           (p.platform_user_id ? std::to_string(*p.platform_user_id) : "-") + "|" + positions +
           "|" + date_text(p.employed_from) + "|" + date_text(p.employed_to);
  });
  add_sorted(out, "enrolments", roster.enrolments, [](const mapping::Enrolment& e) {
    return e.person_id + "|" + e.group_id + "|" + std::string(name(e.role)) + "|" +
           date_text(e.from) + "|" + date_text(e.to) + "|" + e.reason;
  });
  add_sorted(out, "relations", roster.relations, [](const mapping::Relation& r) {
    return r.parent_id + "|" + r.child_id + "|" + std::string(name(r.kind));
  });
  return out.str();
}

HttpJournalOptions fast_options(const std::string& base_url, const std::string& org_id) {
  HttpJournalOptions options;
  options.base_url = base_url;
  options.token = token;
  options.org_id = org_id;
  options.timeout_ms = 2000;
  options.backoff_initial_ms = 1;
  return options;
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("rosterd-jhttp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace rosterd::adapters::journal_http::testing
