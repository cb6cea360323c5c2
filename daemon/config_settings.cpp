#include "daemon/config_settings.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include "daemon/config_keys.h"

namespace rosterd::daemon {

void SchoolSettings::apply_to(SchoolConfig& school) const {
  if (fallback_admin) school.rules.fallback_admin = *fallback_admin;
  if (grace_days) school.policy.grace_days = *grace_days;
  if (invite_ttl_days) school.policy.invite_ttl_days = *invite_ttl_days;
  if (strict) school.policy.strict = *strict;
  if (restore_removed) school.policy.restore_removed = *restore_removed;
  if (max_removals) school.limits.max_removals = *max_removals;
  if (max_removal_share) school.limits.max_removal_share = *max_removal_share;
  if (max_archives) school.limits.max_archives = *max_archives;
  if (max_archive_share) school.limits.max_archive_share = *max_archive_share;
  if (max_source_drop) school.limits.max_source_drop = *max_source_drop;
  if (timezone) school.timezone = *timezone;
  if (platform_token) school.platform_token = *platform_token;
}

// Here with the settings rows it applies: a listed school is the region's template and its row.
Config with_listed_schools(const Config& config, std::vector<std::string> listed) {
  Config out = config;
  if (!config.discovery) return out;
  const auto& discovery = *config.discovery;
  std::set<std::string, std::less<>> skip(discovery.exclude.begin(), discovery.exclude.end());
  for (const auto& school : config.schools) skip.insert(school.id);  // schools[] stay as they are
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  for (auto& id : listed) {
    if (id.empty() || skip.contains(id)) continue;
    SchoolConfig school = discovery.school;
    if (const auto row = discovery.settings.find(id); row != discovery.settings.end())
      row->second.apply_to(school);
    school.id = std::move(id);
    out.schools.push_back(std::move(school));
  }
  return out;
}

namespace detail {
namespace {

using nlohmann::json;

enum class Kind : std::uint8_t { id, uid, text, int0, int1, share, boolean, removal, zone, token };

struct Column {
  std::string_view name;
  Kind kind;
};

constexpr std::array<Column, 14> columns{{{"id", Kind::id},
                                          {"platform_user_id", Kind::uid},
                                          {"label", Kind::text},
                                          {"grace_days", Kind::int0},
                                          {"invite_ttl_days", Kind::int1},
                                          {"strict", Kind::boolean},
                                          {"removed_by_hand", Kind::removal},
                                          {"max_removals", Kind::int0},
                                          {"max_removal_share", Kind::share},
                                          {"max_archives", Kind::int0},
                                          {"max_archive_share", Kind::share},
                                          {"max_source_drop", Kind::share},
                                          {"timezone", Kind::zone},
                                          {"platform_token", Kind::token}}};

const Column* find_column(std::string_view name) {
  const auto* it = std::find_if(columns.begin(), columns.end(),
                                [name](const Column& c) { return c.name == name; });
  return it == columns.end() ? nullptr : it;
}

std::string known_columns() {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + std::string{c.name};
  return out;
}

// One row being read: the settings, and the fallback admin's two columns until both are seen.
struct Row {
  SchoolSettings settings;
  std::optional<long long> uid;
  std::optional<std::string> label;
};

std::optional<long long> as_int(const json& v, long long min) {
  if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<unsigned long long>() > LLONG_MAX)) {
    const auto n = v.get<long long>();
    if (n >= min && n <= INT32_MAX) return n;
  }
  return std::nullopt;
}

// Why `value` does not fit `column`, or nullopt when it was taken into `row`. The messages are
// the config's own for the same keys.
std::optional<std::string> take(Row& row, const Column& column, const json& value,
                                const std::map<std::string, TokenConfig>& tokens) {
  auto& s = row.settings;
  const auto integer = [&](long long min, std::optional<int>& out) -> std::optional<std::string> {
    const auto n = as_int(value, min);
    if (!n) return "must be an integer ≥ " + std::to_string(min);
    out = static_cast<int>(*n);
    return std::nullopt;
  };
  const auto share = [&](std::optional<double>& out) -> std::optional<std::string> {
    if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1)
      return "must be a number from 0 to 1";
    out = value.get<double>();
    return std::nullopt;
  };
  const bool text = value.is_string() && !value.get_ref<const std::string&>().empty();
  switch (column.kind) {
    case Kind::id: return std::nullopt;
    case Kind::uid:
      if (value.is_number_integer() && value.get<long long>() >= 1) {
        row.uid = value.get<long long>();
        return std::nullopt;
      }
      return "must be an integer ≥ 1";
    case Kind::text:
      if (!text) return "must be a non-empty string";
      row.label = value.get<std::string>();
      return std::nullopt;
    case Kind::int0:
      return integer(0, column.name == "grace_days" ? s.grace_days
                        : column.name == "max_removals" ? s.max_removals : s.max_archives);
    case Kind::int1: return integer(1, s.invite_ttl_days);
    case Kind::share:
      return share(column.name == "max_removal_share"   ? s.max_removal_share
                   : column.name == "max_archive_share" ? s.max_archive_share
                                                        : s.max_source_drop);
    case Kind::boolean:
      if (!value.is_boolean()) return "must be true or false";
      s.strict = value.get<bool>();
      return std::nullopt;
    case Kind::removal:
      if (!text || (value != "restore" && value != "report")) return R"(must be "restore" or "report")";
      s.restore_removed = value == "restore";
      return std::nullopt;
    case Kind::zone:
      if (!text) return "must be a non-empty string";
      if (auto problem = zone_problem(value.get<std::string>())) return problem;
      s.timezone = value.get<std::string>();
      return std::nullopt;
    case Kind::token:
      if (!text) return "must be a non-empty string";
      if (auto problem = token_problem(value.get<std::string>(), tokens)) return problem;
      s.platform_token = value.get<std::string>();
      return std::nullopt;
  }
  return std::nullopt;
}

// The row's fallback admin from its two columns; a label alone names nobody.
std::optional<std::string> finish(Row& row) {
  if (row.label && !row.uid) return "label: needs platform_user_id in the same row";
  if (row.uid) {
    row.settings.fallback_admin =
        mapping::FallbackAdmin{row.label.value_or("uid:" + std::to_string(*row.uid)), *row.uid};
  }
  return std::nullopt;
}

// A spreadsheet's cell as the JSON value its column takes: numbers with a decimal comma
// ("0,1", as a Russian locale exports them), TRUE/FALSE in any case. A cell that does not
// convert stays text, and take() says what the column wants.
json cell_value(const Column& column, std::string cell) {
  switch (column.kind) {
    case Kind::uid:
    case Kind::int0:
    case Kind::int1: {
      long long n = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), n);
      if (ec == std::errc{} && end == cell.data() + cell.size()) return n;
      return cell;
    }
    case Kind::share: {
      std::replace(cell.begin(), cell.end(), ',', '.');
      double x = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), x);
      if (ec == std::errc{} && end == cell.data() + cell.size()) return x;
      return cell;
    }
    case Kind::boolean: {
      std::string lower = cell;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lower == "true" || lower == "1") return true;
      if (lower == "false" || lower == "0") return false;
      return cell;
    }
    default: return cell;
  }
}

struct Record {
  std::size_t line = 0;  // where the record starts (a quoted value may span lines)
  std::vector<std::string> cells;
};

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string{s.substr(first, s.find_last_not_of(" \t") - first + 1)};
}

// The separator is the header's: a `;` outside quotes there means `;` (a Russian spreadsheet's
// export), else `,`.
char separator_of(std::string_view text) {
  bool quoted = false;
  for (const char c : text) {
    if (c == '\n') break;
    if (c == '"') quoted = !quoted;
    if (c == ';' && !quoted) return ';';
  }
  return ',';
}

// RFC 4180 records: quoted values with "" for a quote, CRLF or LF, blank lines skipped.
// Unquoted values are trimmed of spaces. Nullopt and `error` set for an unclosed quote.
std::optional<std::vector<Record>> parse_csv(std::string_view text, std::string& error) {
  const char sep = separator_of(text);
  std::vector<Record> records;
  Record record{1, {}};
  std::string cell;
  bool quoted = false;
  bool was_quoted = false;
  std::size_t line = 1;
  const auto end_cell = [&] {
    record.cells.push_back(was_quoted ? cell : trimmed(cell));
    cell.clear();
    was_quoted = false;
  };
  const auto end_record = [&] {
    end_cell();
    const bool blank = record.cells.size() == 1 && record.cells[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = Record{line, {}};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
    } else if (c == '"' && trimmed(cell).empty()) {
      quoted = was_quoted = true;
      cell.clear();
    } else if (c == sep) {
      end_cell();
    } else if (c == '\n') {
      ++line;
      end_record();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (quoted) {
    error = "line " + std::to_string(record.line) + ": a quoted value is not closed";
    return std::nullopt;
  }
  end_record();
  return records;
}

using Rows = std::map<std::string, SchoolSettings>;

void read_csv(const Node& key, const std::string& name, std::string_view text,
              const std::map<std::string, TokenConfig>& tokens, Rows& rows) {
  const auto problem = [&](std::size_t line, const std::string& what) {
    key.problem(name + ": line " + std::to_string(line) + ": " + what);
  };
  std::string error;
  const auto records = parse_csv(text, error);
  if (!records) return key.problem(name + ": " + error);
  if (records->empty()) return key.problem(name + ": empty: expected a header row");
  std::vector<const Column*> header;
  bool header_ok = true;
  for (const auto& title : records->front().cells) {
    header.push_back(find_column(title));
    if (header.back() == nullptr) {
      problem(1, title.empty() ? "a column without a name"
                               : "column " + title + ": unknown (known: " + known_columns() + ")");
      header_ok = false;
    }
  }
  const auto id_at = std::find_if(header.begin(), header.end(),
                                  [](const Column* c) { return c != nullptr && c->kind == Kind::id; });
  if (id_at == header.end()) return problem(1, "no id column");
  if (!header_ok) return;
  std::map<std::string, std::size_t> seen;  // id → its line
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& [line, cells] = (*records)[r];
    if (cells.size() > header.size()) {
      problem(line, std::to_string(cells.size()) + " values, the header has " +
                        std::to_string(header.size()) + " columns");
      continue;
    }
    const auto at = static_cast<std::size_t>(id_at - header.begin());
    const std::string id = at < cells.size() ? cells[at] : "";
    if (id.empty()) {
      problem(line, "id: missing");
      continue;
    }
    if (const auto [it, first] = seen.emplace(id, line); !first) {
      problem(line, "id " + id + ": already given on line " + std::to_string(it->second));
      continue;
    }
    Row row;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty() || header[c]->kind == Kind::id) continue;
      if (auto why = take(row, *header[c], cell_value(*header[c], cells[c]), tokens))
        problem(line, std::string{header[c]->name} + ": " + *why);
    }
    if (auto why = finish(row)) problem(line, *why);
    rows.emplace(id, row.settings);
  }
}

// One JSON entry (`where`: "[3]" or "sch-0001"), its keys the CSV's columns.
void read_json_entry(const Node& key, const std::string& where, const json& entry,
                     const std::map<std::string, TokenConfig>& tokens, Row& row) {
  for (const auto& item : entry.items()) {
    const auto* column = find_column(item.key());
    if (column == nullptr) {
      key.problem(where + "." + item.key() + ": unknown key (known: " + known_columns() + ")");
    } else if (!item.value().is_null()) {
      if (auto why = take(row, *column, item.value(), tokens))
        key.problem(where + "." + item.key() + ": " + *why);
    }
  }
  if (auto why = finish(row)) key.problem(where + ": " + *why);
}

void read_json(const Node& key, const std::string& name, std::string_view text,
               const std::map<std::string, TokenConfig>& tokens, Rows& rows) {
  const json document = json::parse(text, nullptr, false, true);
  if (document.is_discarded())
    return key.problem(name + ": malformed JSON");
  if (!document.is_array() && !document.is_object())
    return key.problem(name + ": must be a list of objects or an object of school id → settings");
  std::size_t index = 0;
  for (const auto& item : document.items()) {
    const bool listed = document.is_array();
    const std::string where =
        name + ": " + (listed ? "[" + std::to_string(index++) + "]" : item.key());
    const json& entry = item.value();
    if (!entry.is_object()) {
      key.problem(where + ": must be an object");
      continue;
    }
    std::string id = listed ? "" : item.key();
    if (listed) {
      const auto it = entry.find("id");
      if (it == entry.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        key.problem(where + ".id: missing");
        continue;
      }
      id = it->get<std::string>();
    } else if (entry.contains("id") && entry["id"] != json(id)) {
      key.problem(where + ".id: differs from the key it is under");
    }
    Row row;
    read_json_entry(key, where, entry, tokens, row);
    if (!rows.emplace(id, row.settings).second) key.problem(where + ": id " + id + " given twice");
  }
}

}  // namespace

Rows read_settings_file(const Node& key, const std::filesystem::path& file,
                        const std::map<std::string, TokenConfig>& tokens) {
  Rows rows;
  const std::string name = file.string();
  const auto extension = file.extension().string();
  if (extension != ".csv" && extension != ".json") {
    key.problem(name + ": must be a .csv or a .json file");
    return rows;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    key.problem(name + ": cannot read");
    return rows;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string_view text = buffer.view();
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a spreadsheet's UTF-8 mark
  if (extension == ".csv") {
    read_csv(key, name, text, tokens, rows);
  } else {
    read_json(key, name, text, tokens, rows);
  }
  return rows;
}

}  // namespace detail
}  // namespace rosterd::daemon
