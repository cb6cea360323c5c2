#include "adapters/oneroster/fields.h"

#include <charconv>
#include <utility>

namespace rosterd::adapters::oneroster::detail {

Columns::Columns(const std::vector<std::string>& header) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto name = trim(header[i]);
    if (!name.empty()) index_.emplace(lower(name), i);  // the first of a repeated name counts
  }
}

std::optional<std::size_t> Columns::find(std::string_view name) const {
  const auto it = index_.find(lower(name));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool Columns::require(std::string_view name, const std::string& file,
                      std::vector<Problem>& problems) const {
  if (find(name)) return true;
  problems.push_back(Problem{file, 1, "", std::string(name), "missing column"});
  return false;
}

RowReader::RowReader(const CsvRecord& record, const Columns& columns, const std::string& file,
                     std::vector<Problem>& problems)
    : record_(record), columns_(columns), file_(file), problems_(problems) {
  id_ = get("sourcedId");
  if (id_.empty()) problem("sourcedId", "missing value");
}

bool RowReader::deleted() {
  const auto status = get("status");
  if (status.empty() || same_name(status, "active")) return false;
  if (same_name(status, "tobedeleted") || same_name(status, "inactive")) return true;
  problem("status", "expected active or tobedeleted");
  return false;
}

std::string RowReader::get(std::string_view column) const {
  const auto index = columns_.find(column);
  if (!index) return {};
  return std::string(trim(record_.fields[*index]));
}

std::string RowReader::required(std::string_view column) {
  auto value = get(column);
  if (value.empty()) problem(column, "missing value");
  return value;
}

std::optional<mapping::Date> RowReader::date(std::string_view column) {
  const auto value = get(column);
  if (value.empty()) return std::nullopt;
  const auto day = mapping::Date::parse(value);
  if (!day) problem(column, "not a date (expected YYYY-MM-DD)");
  return day;
}

bool RowReader::flag(std::string_view column) {
  const auto value = get(column);
  if (value.empty() || same_name(value, "false")) return false;
  if (same_name(value, "true")) return true;
  problem(column, "expected true or false");
  return false;
}

void RowReader::problem(std::string_view column, std::string message) {
  problems_.push_back(Problem{file_, record_.line, id_, std::string(column), std::move(message)});
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<UserRole> parse_user_role(std::string_view s) noexcept {
  static constexpr std::pair<std::string_view, UserRole> roles[] = {
      {"student", UserRole::student},
      {"teacher", UserRole::teacher},
      {"administrator", UserRole::administrator},
      {"aide", UserRole::aide},
      {"proctor", UserRole::proctor},
      {"parent", UserRole::parent},
      {"guardian", UserRole::guardian},
      {"relative", UserRole::relative},
      {"mother", UserRole::mother},
      {"father", UserRole::father}};
  for (const auto& [name, role] : roles) {
    if (same_name(s, name)) return role;
  }
  return std::nullopt;
}

std::optional<int> parse_year(std::string_view s) noexcept {
  if (s.size() != 4) return std::nullopt;
  int year = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    year = year * 10 + (c - '0');
  }
  return year;
}

std::optional<int> single_grade(std::string_view grades) noexcept {
  grades = trim(grades);
  if (grades.empty() || grades.find(',') != std::string_view::npos) return std::nullopt;
  int grade = 0;
  const auto [end, error] = std::from_chars(grades.data(), grades.data() + grades.size(), grade);
  if (error != std::errc{} || end != grades.data() + grades.size()) return std::nullopt;
  if (grade < 1 || grade > 11) return std::nullopt;
  return grade;
}

std::optional<std::int64_t> platform_id(RowReader& reader, std::string_view type) {
  std::string_view ids;
  const std::string field = reader.get("userIds");
  ids = field;
  std::optional<std::int64_t> found;
  while (!ids.empty()) {
    if (ids.front() == ',' || ids.front() == ' ' || ids.front() == '\t') {
      ids.remove_prefix(1);
      continue;
    }
    const auto close = ids.find('}');
    const auto colon = ids.find(':');
    if (ids.front() != '{' || close == std::string_view::npos || colon > close) {
      reader.problem("userIds", "expected a list of {TYPE:ID}");
      return std::nullopt;
    }
    const auto entry_type = trim(ids.substr(1, colon - 1));
    const auto id = trim(ids.substr(colon + 1, close - colon - 1));
    ids.remove_prefix(close + 1);
    if (type.empty() || !same_name(entry_type, type)) continue;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (error != std::errc{} || end != id.data() + id.size() || value <= 0) {
      reader.problem("userIds", "the " + std::string(type) + " id is not a positive number");
      return std::nullopt;
    }
    if (found && *found != value) {
      reader.problem("userIds", "two different " + std::string(type) + " ids");
      return std::nullopt;
    }
    found = value;
  }
  return found;
}

}  // namespace rosterd::adapters::oneroster::detail
