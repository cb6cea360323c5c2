// The export folder, written with our own JSON code: the export adapter parses it, and a
// bug shared by writer and reader would hide itself.

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "generator/generator.h"

namespace rosterd::generator {
namespace {

using nlohmann::ordered_json;

ordered_json optional_date(const std::optional<mapping::Date>& d) {
  return d ? ordered_json(d->iso()) : ordered_json(nullptr);
}

ordered_json optional_text(const std::string& s) {
  return s.empty() ? ordered_json(nullptr) : ordered_json(s);
}

ordered_json to_json(const mapping::Organisation& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"short_name", o.short_name},
          {"kind", mapping::name(o.kind)},
          {"timezone", o.timezone}};
}

ordered_json to_json(const mapping::Group& g) {
  return {{"id", g.id},
          {"name", g.name},
          {"kind", mapping::name(g.kind)},
          {"grade", g.grade ? ordered_json(*g.grade) : ordered_json(nullptr)},
          {"academic_year", g.academic_year},
          {"previous_group_id",
           g.previous_group_id ? ordered_json(*g.previous_group_id) : ordered_json(nullptr)},
          {"opened_on", optional_date(g.opened_on)},
          {"closed_on", optional_date(g.closed_on)}};
}

ordered_json roles(const mapping::Person& p) {
  ordered_json out = ordered_json::array();
  if (p.has_role(mapping::role_student)) out.push_back("student");
  if (p.has_role(mapping::role_parent)) out.push_back("parent");
  if (p.has_role(mapping::role_staff)) out.push_back("staff");
  return out;
}

ordered_json to_json(const mapping::Person& p) {
  return {{"id", p.id},
          {"roles", roles(p)},
          {"last_name", p.last_name},
          {"first_name", p.first_name},
          {"middle_name", optional_text(p.middle_name)},
          {"birth_date", optional_date(p.birth_date)},
          {"phone", optional_text(p.phone)},
          {"email", optional_text(p.email)},
          {"platform_user_id",
           p.platform_user_id ? ordered_json(*p.platform_user_id) : ordered_json(nullptr)},
          {"positions", p.positions},
          {"employed_from", optional_date(p.employed_from)},
          {"employed_to", optional_date(p.employed_to)}};
}

ordered_json to_json(const mapping::Enrolment& e) {
  return {{"person_id", e.person_id},      {"group_id", e.group_id},
          {"role", mapping::name(e.role)}, {"from", optional_date(e.from)},
          {"to", optional_date(e.to)},     {"reason", e.reason}};
}

ordered_json to_json(const mapping::Relation& r) {
  return {{"parent_id", r.parent_id}, {"child_id", r.child_id}, {"kind", mapping::name(r.kind)}};
}

// One record a line: diffs of two days' exports stay readable. Written to a temporary name
// and renamed, so a reader never sees half a file.
template <typename Range>
void write_array(const std::filesystem::path& folder, const char* file, const Range& records) {
  const auto path = folder / file;
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << "[";
    bool first = true;
    for (const auto& record : records) {
      out << (first ? "\n" : ",\n") << to_json(record).dump();
      first = false;
    }
    out << "\n]\n";
    out.close();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

void write_export(const mapping::Roster& roster, const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  write_array(folder, "orgs.json", std::vector<mapping::Organisation>{roster.org});
  write_array(folder, "groups.json", roster.groups);
  write_array(folder, "persons.json", roster.persons);
  write_array(folder, "enrollments.json", roster.enrolments);
  write_array(folder, "relations.json", roster.relations);
}

}  // namespace rosterd::generator
