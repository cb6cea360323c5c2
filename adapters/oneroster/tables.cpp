#include "adapters/oneroster/tables.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <sstream>
#include <utility>

#include "adapters/oneroster/csv.h"
#include "adapters/oneroster/fields.h"

namespace rosterd::adapters::oneroster::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 5> entity_names = {"orgs", "users", "classes", "enrollments",
                                                          "academicSessions"};

std::optional<FileMode> parse_mode(std::string_view s) {
  if (same_name(s, "bulk")) return FileMode::bulk;
  if (same_name(s, "delta")) return FileMode::delta;
  if (same_name(s, "absent") || s.empty()) return FileMode::absent;
  return std::nullopt;
}

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

// The manifest's word for each of the five files; problems for words it does not know.
std::array<FileMode, 5> read_manifest(const std::string& path, std::vector<Problem>& problems) {
  const auto text = read_text(path);
  if (!text) throw OneRosterError({Problem{path, 0, "", "", "missing or unreadable manifest"}});
  const CsvTable table = parse_csv(*text, path);
  const Columns columns(table.header);
  const auto name = columns.find("propertyName"), value = columns.find("value");
  if (!name || !value) {
    throw OneRosterError(
        {Problem{path, 1, "", !name ? "propertyName" : "value", "missing column"}});
  }
  std::array<FileMode, 5> modes{};
  for (const auto& record : table.records) {
    const auto property = trim(record.fields[*name]);
    for (std::size_t i = 0; i < entity_names.size(); ++i) {
      if (!same_name(property, "file." + std::string(entity_names[i]))) continue;
      const auto mode = parse_mode(trim(record.fields[*value]));
      if (mode) modes[i] = *mode;
      if (!mode) {
        problems.push_back(Problem{path, record.line, std::string(property), "value",
                                   "expected bulk, delta or absent"});
      }
    }
  }
  return modes;
}

// OneRoster 1.1: `absent` means the set leaves the file out. In a delta set that is "no
// change"; in a bulk set it means the data is not supplied, and every one of the five files
// is needed (without enrollments.csv everybody would look unenrolled, without users.csv nobody
// would exist), so it is a broken answer, never an empty list.
void refuse_absent_in_bulk(const std::string& manifest, const std::array<FileMode, 5>& modes,
                           std::vector<Problem>& problems) {
  if (std::find(modes.begin(), modes.end(), FileMode::delta) != modes.end()) return;
  for (std::size_t i = 0; i < entity_names.size(); ++i) {
    if (modes[i] != FileMode::absent) continue;
    const std::string file(entity_names[i]);
    problems.push_back(Problem{manifest, 0, "", "file." + file,
                               "absent (or not named) in a bulk set; rosterd needs " + file +
                                   ".csv: without it the answer would read as having none"});
  }
}

// Reads one file's rows into `table`: a bulk starts the table afresh, a delta changes it.
template <class Row>
void apply_table(const FolderFiles::File& file, std::initializer_list<std::string_view> required,
                 const std::function<void(RowReader&, Row&)>& read_row, Table<Row>& table,
                 std::vector<Problem>& problems) {
  if (file.mode == FileMode::absent) return;
  CsvTable csv;
  try {
    csv = parse_csv(file.text, file.path);
  } catch (const OneRosterError& error) {
    problems.insert(problems.end(), error.problems().begin(), error.problems().end());
    return;
  }
  const Columns columns(csv.header);
  bool complete = true;
  for (const auto column : required) complete &= columns.require(column, file.path, problems);
  // A delta says a deletion only by status, so it must have the column.
  if (file.mode == FileMode::delta) complete &= columns.require("status", file.path, problems);
  if (!complete) return;
  if (file.mode == FileMode::bulk) table.clear();
  std::unordered_map<std::string, std::size_t> lines;  // sourcedId -> line, in this file
  lines.reserve(csv.records.size());
  for (const auto& record : csv.records) {
    RowReader reader(record, columns, file.path, problems);
    if (reader.id().empty()) continue;
    if (const auto [first, fresh] = lines.emplace(reader.id(), record.line); !fresh) {
      reader.problem("sourcedId", "the same sourcedId as line " + std::to_string(first->second));
      continue;
    }
    Row row;
    row.id = reader.id();
    row.line = record.line;
    row.deleted = reader.deleted();
    if (!row.deleted) read_row(reader, row);
    table.insert_or_assign(row.id, std::move(row));
  }
}

void read_org(RowReader& r, OrgRow& row) {
  row.name = r.required("name");
  row.type = lower(r.required("type"));
}

void read_user(RowReader& r, UserRow& row, const Options& options) {
  if (const auto role = parse_user_role(r.required("role"))) {
    row.role = *role;
  } else if (!r.get("role").empty()) {
    r.problem("role", "not a OneRoster user role");
  }
  row.orgs = split_values(r.required("orgSourcedIds"));
  row.agents = split_values(r.get("agentSourcedIds"));
  row.given_name = r.get("givenName");
  row.family_name = r.get("familyName");
  row.middle_name = r.get("middleName");
  row.email = r.get("email");
  row.phone = r.get("phone");
  if (row.phone.empty()) row.phone = r.get("sms");
  row.platform_id = platform_id(r, options.platform_id_type);
}

void read_class(RowReader& r, ClassRow& row) {
  row.title = r.required("title");
  row.grade = single_grade(r.get("grades"));
  row.school = r.required("schoolSourcedId");
  row.terms = split_values(r.required("termSourcedIds"));
  row.homeroom = same_name(r.get("classType"), "homeroom");
  row.class_code = r.get("classCode");
  row.periods = r.get("periods");
}

void read_enrollment(RowReader& r, EnrollmentRow& row) {
  row.class_id = r.required("classSourcedId");
  row.user_id = r.required("userSourcedId");
  const auto role = r.required("role");
  if (same_name(role, "student")) {
    row.role = EnrollmentRole::student;
  } else if (same_name(role, "teacher")) {
    row.role = EnrollmentRole::teacher;
  } else if (same_name(role, "administrator") || same_name(role, "proctor") ||
             same_name(role, "aide")) {
    row.role = EnrollmentRole::other;
  } else if (!role.empty()) {
    r.problem("role", "expected student, teacher, administrator, proctor or aide");
  }
  row.primary = r.flag("primary");
  row.begin = r.date("beginDate");
  row.end = r.date("endDate");
  if (row.begin && row.end && *row.end < *row.begin) r.problem("endDate", "before beginDate");
}

void read_session(RowReader& r, SessionRow& row) {
  if (r.get("startDate").empty()) r.problem("startDate", "missing value");
  row.start = r.date("startDate");
  row.end = r.date("endDate");
  if (row.start && row.end && *row.end < *row.start) r.problem("endDate", "before startDate");
  const auto year = r.get("schoolYear");
  if (year.empty()) return;
  row.school_year = parse_year(year);
  if (!row.school_year) r.problem("schoolYear", "not a year (expected YYYY)");
}

}  // namespace

bool FolderFiles::has_delta() const noexcept {
  for (const auto& file : files) {
    if (file.mode == FileMode::delta) return true;
  }
  return false;
}

std::uint64_t FolderFiles::fingerprint() const noexcept {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const auto& file : files) {
    const std::uint64_t h = std::hash<std::string_view>{}(file.text);
    hash = (hash ^ h) * 1099511628211ULL;
    hash =
        (hash ^ static_cast<std::uint64_t>(file.mode) ^ (file.text.size() << 2)) * 1099511628211ULL;
  }
  return hash;
}

FolderFiles load_folder(const fs::path& folder) {
  FolderFiles out;
  out.manifest_path = (folder / "manifest.csv").string();
  std::vector<Problem> problems;
  const auto modes = read_manifest(out.manifest_path, problems);
  refuse_absent_in_bulk(out.manifest_path, modes, problems);
  for (std::size_t i = 0; i < entity_names.size(); ++i) {
    FolderFiles::File file{std::string(entity_names[i]) + ".csv", "", modes[i], ""};
    file.path = (folder / file.name).string();
    if (file.mode != FileMode::absent) {
      auto text = read_text(file.path);
      if (!text) problems.push_back(Problem{file.path, 0, "", "", "missing or unreadable file"});
      if (text) file.text = std::move(*text);
    }
    out.files.push_back(std::move(file));
  }
  if (!problems.empty()) throw OneRosterError(std::move(problems));
  return out;
}

void apply_files(const FolderFiles& files, const Options& options, Tables& tables,
                 std::vector<Problem>& problems) {
  const auto& f = files.files;
  apply_table<OrgRow>(f[0], {"sourcedId", "name", "type"}, read_org, tables.orgs, problems);
  apply_table<UserRow>(
      f[1],
      {"sourcedId", "orgSourcedIds", "role", "givenName", "familyName", "userIds",
       "agentSourcedIds"},
      [&options](RowReader& r, UserRow& row) { read_user(r, row, options); }, tables.users,
      problems);
  apply_table<ClassRow>(f[2], {"sourcedId", "title", "schoolSourcedId", "termSourcedIds"},
                        read_class, tables.classes, problems);
  apply_table<EnrollmentRow>(f[3],
                             {"sourcedId", "classSourcedId", "userSourcedId", "role", "primary"},
                             read_enrollment, tables.enrollments, problems);
  apply_table<SessionRow>(f[4], {"sourcedId", "startDate", "endDate"}, read_session,
                          tables.sessions, problems);
}

}  // namespace rosterd::adapters::oneroster::detail
