#include "mapping/model.h"

#include "mapping/text.h"

namespace rosterd::mapping {

std::string Person::display_name() const {
  std::string name;
  append_display_name(name);
  return name;
}

// Cleaned here, where every plan line, reason and log gets a person's name from.
void Person::append_display_name(std::string& out) const {
  const std::size_t start = out.size();
  append_clean_text(out, last_name);
  if (out.size() == start) return append_clean_text(out, first_name);
  out += ' ';
  const std::size_t first = out.size();
  append_clean_text(out, first_name);
  if (out.size() == first) out.pop_back();
}

SourceCounts count(const Roster& roster) noexcept {
  SourceCounts counts{roster.groups.size(), roster.persons.size(), roster.enrolments.size(),
                      roster.relations.size(), 0};
  for (const auto& e : roster.enrolments) {
    if (e.role == EnrolmentRole::leader) ++counts.leaders;
  }
  return counts;
}

std::string_view name(OrgKind kind) noexcept {
  switch (kind) {
    case OrgKind::school: return "school";
    case OrgKind::kindergarten: return "kindergarten";
    case OrgKind::additional: return "additional";
  }
  return "?";
}

std::string_view name(GroupKind kind) noexcept {
  switch (kind) {
    case GroupKind::class_group: return "class";
    case GroupKind::kindergarten_group: return "kindergarten_group";
    case GroupKind::association: return "association";
  }
  return "?";
}

std::string_view name(EnrolmentRole role) noexcept {
  switch (role) {
    case EnrolmentRole::student: return "student";
    case EnrolmentRole::leader: return "leader";
    case EnrolmentRole::teacher: return "teacher";
  }
  return "?";
}

std::string_view name(RelationKind kind) noexcept {
  switch (kind) {
    case RelationKind::mother: return "mother";
    case RelationKind::father: return "father";
    case RelationKind::guardian: return "guardian";
  }
  return "?";
}

std::optional<OrgKind> parse_org_kind(std::string_view s) noexcept {
  if (s == "school") return OrgKind::school;
  if (s == "kindergarten") return OrgKind::kindergarten;
  if (s == "additional") return OrgKind::additional;
  return std::nullopt;
}

std::optional<GroupKind> parse_group_kind(std::string_view s) noexcept {
  if (s == "class") return GroupKind::class_group;
  if (s == "kindergarten_group") return GroupKind::kindergarten_group;
  if (s == "association") return GroupKind::association;
  return std::nullopt;
}

std::optional<EnrolmentRole> parse_enrolment_role(std::string_view s) noexcept {
  if (s == "student") return EnrolmentRole::student;
  if (s == "leader") return EnrolmentRole::leader;
  if (s == "teacher") return EnrolmentRole::teacher;
  return std::nullopt;
}

std::optional<RelationKind> parse_relation_kind(std::string_view s) noexcept {
  if (s == "mother") return RelationKind::mother;
  if (s == "father") return RelationKind::father;
  if (s == "guardian") return RelationKind::guardian;
  return std::nullopt;
}

std::optional<PersonRole> parse_person_role(std::string_view s) noexcept {
  if (s == "student") return role_student;
  if (s == "parent") return role_parent;
  if (s == "staff") return role_staff;
  return std::nullopt;
}

}  // namespace rosterd::mapping
