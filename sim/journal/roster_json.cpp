#include "sim/journal/roster_json.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rosterd::sim::journal {
namespace {

using mapping::Date;
using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& field,
                       const std::string& message) {
  throw DataError(where + (field.empty() ? "" : ": " + field) + ": " + message);
}

const json* field_of(const json& j, const char* name) {
  const auto it = j.find(name);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string required_text(const json& j, const char* name, const std::string& where) {
  const json* v = field_of(j, name);
  if (v == nullptr) fail(where, name, "required field is missing");
  if (!v->is_string()) fail(where, name, "expected a string");
  auto text = v->get<std::string>();
  if (text.empty()) fail(where, name, "must not be empty");
  return text;
}

std::string optional_text(const json& j, const char* name, const std::string& where) {
  const json* v = field_of(j, name);
  if (v == nullptr) return {};
  if (!v->is_string()) fail(where, name, "expected a string");
  return v->get<std::string>();
}

std::optional<Date> optional_date(const json& j, const char* name, const std::string& where) {
  const json* v = field_of(j, name);
  if (v == nullptr) return std::nullopt;
  const auto date = v->is_string() ? Date::parse(v->get<std::string>()) : std::nullopt;
  if (!date) fail(where, name, "not a valid date (expected YYYY-MM-DD)");
  return date;
}

std::optional<std::int64_t> optional_integer(const json& j, const char* name,
                                             const std::string& where) {
  const json* v = field_of(j, name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) fail(where, name, "expected an integer");
  return v->get<std::int64_t>();
}

std::vector<std::string> text_list(const json& j, const char* name, const std::string& where) {
  std::vector<std::string> out;
  const json* v = field_of(j, name);
  if (v == nullptr) return out;
  if (!v->is_array()) fail(where, name, "expected an array of strings");
  for (const auto& item : *v) {
    if (!item.is_string()) fail(where, name, "expected an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

template <typename Parse>
auto enumeration(const json& j, const char* name, const std::string& where, Parse parse) {
  const auto text = required_text(j, name, where);
  const auto value = parse(text);
  if (!value) fail(where, name, "unknown value");
  return *value;
}

json date_json(const std::optional<Date>& d) {
  return d ? json(d->iso()) : json(nullptr);
}

json text_json(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

std::string record_name(const std::filesystem::path& file, std::size_t index, const json& j) {
  std::string where = file.string() + "[" + std::to_string(index) + "]";
  if (j.is_object() && j.contains("id") && j["id"].is_string()) {
    where += " (id " + j["id"].get<std::string>().substr(0, 64) + ")";
  }
  return where;
}

json read_array(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(file.string() + ": missing file");
  std::stringstream text;
  text << in.rdbuf();
  json root = json::parse(text.str(), nullptr, false);
  if (root.is_discarded()) throw DataError(file.string() + ": malformed JSON");
  if (!root.is_array()) throw DataError(file.string() + ": expected a JSON array of records");
  return root;
}

template <typename Record, typename Parse>
std::vector<Record> read_records(const std::filesystem::path& file, Parse parse) {
  const json root = read_array(file);
  std::vector<Record> out;
  out.reserve(root.size());
  for (std::size_t i = 0; i < root.size(); ++i) {
    const auto where = record_name(file, i, root[i]);
    if (!root[i].is_object()) throw DataError(where + ": expected an object");
    out.push_back(parse(root[i], where));
  }
  return out;
}

std::uint8_t person_roles(const json& j, const std::string& where) {
  std::uint8_t roles = 0;
  for (const auto& role : text_list(j, "roles", where)) {
    const auto parsed = mapping::parse_person_role(role);
    if (!parsed) fail(where, "roles", "unknown value");
    roles |= *parsed;
  }
  if (roles == 0) fail(where, "roles", "must not be empty");
  return roles;
}

}  // namespace

std::vector<std::filesystem::path> export_folders(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const auto name = entry.path().filename().string();
    if (!entry.is_directory() || name.starts_with(".")) continue;
    if (std::filesystem::exists(entry.path() / "orgs.json")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

mapping::Roster read_folder(const std::filesystem::path& folder) {
  mapping::Roster roster;
  const auto orgs =
      read_records<mapping::Organisation>(folder / "orgs.json", organisation_from_json);
  if (orgs.size() != 1) {
    throw DataError((folder / "orgs.json").string() + ": expected exactly one organisation");
  }
  roster.org = orgs.front();
  roster.groups = read_records<mapping::Group>(folder / "groups.json", group_from_json);
  roster.persons = read_records<mapping::Person>(folder / "persons.json", person_from_json);
  roster.enrolments =
      read_records<mapping::Enrolment>(folder / "enrollments.json", enrolment_from_json);
  roster.relations = read_records<mapping::Relation>(folder / "relations.json", relation_from_json);
  return roster;
}

mapping::Organisation organisation_from_json(const json& j, const std::string& where) {
  mapping::Organisation o;
  o.id = required_text(j, "id", where);
  o.name = required_text(j, "name", where);
  o.short_name = optional_text(j, "short_name", where);
  o.kind = enumeration(j, "kind", where, mapping::parse_org_kind);
  o.timezone = required_text(j, "timezone", where);
  return o;
}

mapping::Group group_from_json(const json& j, const std::string& where) {
  mapping::Group g;
  g.id = required_text(j, "id", where);
  g.name = required_text(j, "name", where);
  g.kind = enumeration(j, "kind", where, mapping::parse_group_kind);
  if (const auto grade = optional_integer(j, "grade", where)) g.grade = static_cast<int>(*grade);
  const auto year = optional_integer(j, "academic_year", where);
  if (!year) fail(where, "academic_year", "required field is missing");
  g.academic_year = static_cast<int>(*year);
  if (const json* prev = field_of(j, "previous_group_id")) {
    if (!prev->is_string()) fail(where, "previous_group_id", "expected a string");
    g.previous_group_id = prev->get<std::string>();
  }
  g.opened_on = optional_date(j, "opened_on", where);
  g.closed_on = optional_date(j, "closed_on", where);
  return g;
}

mapping::Person person_from_json(const json& j, const std::string& where) {
  mapping::Person p;
  p.id = required_text(j, "id", where);
  p.roles = person_roles(j, where);
  p.last_name = required_text(j, "last_name", where);
  p.first_name = required_text(j, "first_name", where);
  p.middle_name = optional_text(j, "middle_name", where);
  p.birth_date = optional_date(j, "birth_date", where);
  p.phone = optional_text(j, "phone", where);
  p.email = optional_text(j, "email", where);
  p.platform_user_id = optional_integer(j, "platform_user_id", where);
  p.positions = text_list(j, "positions", where);
  p.employed_from = optional_date(j, "employed_from", where);
  p.employed_to = optional_date(j, "employed_to", where);
  return p;
}

mapping::Enrolment enrolment_from_json(const json& j, const std::string& where) {
  mapping::Enrolment e;
  e.person_id = required_text(j, "person_id", where);
  e.group_id = required_text(j, "group_id", where);
  e.role = enumeration(j, "role", where, mapping::parse_enrolment_role);
  e.from = optional_date(j, "from", where);
  e.to = optional_date(j, "to", where);
  e.reason = optional_text(j, "reason", where);
  return e;
}

mapping::Relation relation_from_json(const json& j, const std::string& where) {
  mapping::Relation r;
  r.parent_id = required_text(j, "parent_id", where);
  r.child_id = required_text(j, "child_id", where);
  r.kind = enumeration(j, "kind", where, mapping::parse_relation_kind);
  return r;
}

json to_json(const mapping::Organisation& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"short_name", text_json(o.short_name)},
          {"kind", mapping::name(o.kind)},
          {"timezone", o.timezone}};
}

json to_json(const mapping::Group& g) {
  return {{"id", g.id},
          {"name", g.name},
          {"kind", mapping::name(g.kind)},
          {"grade", g.grade ? json(*g.grade) : json(nullptr)},
          {"academic_year", g.academic_year},
          {"previous_group_id", g.previous_group_id ? json(*g.previous_group_id) : json(nullptr)},
          {"opened_on", date_json(g.opened_on)},
          {"closed_on", date_json(g.closed_on)}};
}

json to_json(const mapping::Person& p) {
  json roles = json::array();
  if (p.has_role(mapping::role_student)) roles.push_back("student");
  if (p.has_role(mapping::role_parent)) roles.push_back("parent");
  if (p.has_role(mapping::role_staff)) roles.push_back("staff");
  return {{"id", p.id},
          {"roles", roles},
          {"last_name", p.last_name},
          {"first_name", p.first_name},
          {"middle_name", text_json(p.middle_name)},
          {"birth_date", date_json(p.birth_date)},
          {"phone", text_json(p.phone)},
          {"email", text_json(p.email)},
          {"platform_user_id", p.platform_user_id ? json(*p.platform_user_id) : json(nullptr)},
          {"positions", p.positions},
          {"employed_from", date_json(p.employed_from)},
          {"employed_to", date_json(p.employed_to)}};
}

json to_json(const mapping::Enrolment& e) {
  return {{"person_id", e.person_id},  {"group_id", e.group_id}, {"role", mapping::name(e.role)},
          {"from", date_json(e.from)}, {"to", date_json(e.to)},  {"reason", text_json(e.reason)}};
}

json to_json(const mapping::Relation& r) {
  return {{"parent_id", r.parent_id}, {"child_id", r.child_id}, {"kind", mapping::name(r.kind)}};
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace rosterd::sim::journal
