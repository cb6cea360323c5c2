#pragma once
// The journal's entities as values (DESIGN: "The journal contract"). A Roster is
// one organisation's snapshot, as one fetch of the journal returned it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/date.h"

namespace rosterd::mapping {

using PlatformUserId = std::int64_t;

enum class OrgKind : std::uint8_t { school, kindergarten, additional };
enum class GroupKind : std::uint8_t { class_group, kindergarten_group, association };
enum class EnrolmentRole : std::uint8_t { student, leader, teacher };
enum class RelationKind : std::uint8_t { mother, father, guardian };

// A person may hold several roles at once (a teacher who is also a parent).
enum PersonRole : std::uint8_t { role_student = 1, role_parent = 2, role_staff = 4 };

struct Organisation {
  std::string id;
  std::string name;
  std::string short_name;
  OrgKind kind = OrgKind::school;
  std::string timezone;
};

struct Group {
  std::string id;
  std::string name;
  GroupKind kind = GroupKind::class_group;
  std::optional<int> grade;
  int academic_year = 0;
  std::optional<std::string> previous_group_id;
  std::optional<Date> opened_on;
  std::optional<Date> closed_on;  // the last day the group exists

  [[nodiscard]] bool active_on(Date day) const noexcept {
    return (!opened_on || *opened_on <= day) && (!closed_on || day <= *closed_on);
  }
};

struct Person {
  // What the core reads for every membership comes first, together: the core's cost is mostly
  // waiting for a person's record, and this way one cache line usually holds all of it.
  std::string id;
  std::optional<PlatformUserId> platform_user_id;
  std::optional<Date> employed_from;
  std::optional<Date> employed_to;  // the last day of employment
  std::uint8_t roles = 0;           // PersonRole bits
  std::string last_name;
  std::string first_name;
  std::string middle_name;
  std::optional<Date> birth_date;
  std::string phone;                   // personal data: used for data checks only, never logged
  std::string email;                   // personal data: used for data checks only, never logged
  std::vector<std::string> positions;  // staff: teacher, director, deputy_director, ...

  [[nodiscard]] bool has_role(PersonRole role) const noexcept { return (roles & role) != 0; }
  [[nodiscard]] bool employed_on(Date day) const noexcept {
    return has_role(role_staff) && (!employed_from || *employed_from <= day) &&
           (!employed_to || day <= *employed_to);
  }
  [[nodiscard]] bool has_position(std::string_view position) const noexcept {
    for (const auto& p : positions) {
      if (p == position) return true;
    }
    return false;
  }
  // "Иванова Анна": what a plan shows an administrator; never a contact.
  [[nodiscard]] std::string display_name() const;
  void append_display_name(std::string& out) const;
};

struct Enrolment {
  std::string person_id;
  std::string group_id;
  EnrolmentRole role = EnrolmentRole::student;
  std::optional<Date> from;
  std::optional<Date> to;  // inclusive: the last day of membership; nullopt = open
  std::string reason;      // enrolled, transfer, withdrawn, graduated, ...

  [[nodiscard]] bool active_on(Date day) const noexcept {
    return (!from || *from <= day) && (!to || day <= *to);
  }
};

struct Relation {
  std::string parent_id;
  std::string child_id;
  RelationKind kind = RelationKind::guardian;
};

// Where the ids of a roster's enrolments and relations point: positions in `persons` and
// `groups`. A reader that checks references finds them anyway and keeps them here, so the core
// need not look every id up again. Optional and never trusted blindly: the core resolves ids
// itself where a link is missing or no longer names the id (a roster built or edited by hand).
struct RosterLinks {
  static constexpr std::uint32_t unknown = UINT32_MAX;
  std::vector<std::uint32_t> enrolment_person;  // by enrolment
  std::vector<std::uint32_t> enrolment_group;
  std::vector<std::uint32_t> relation_parent;  // by relation
  std::vector<std::uint32_t> relation_child;
};

struct Roster {
  Organisation org;
  std::vector<Group> groups;
  std::vector<Person> persons;
  std::vector<Enrolment> enrolments;
  std::vector<Relation> relations;
  RosterLinks links;
};

// How many records a fetch returned: the baseline a later fetch is checked against.
struct SourceCounts {
  std::size_t groups = 0;
  std::size_t persons = 0;
  std::size_t enrolments = 0;
  std::size_t relations = 0;
  std::size_t leaders = 0;  // leader enrolments (class teachers, association leaders, carers)
  friend bool operator==(const SourceCounts&, const SourceCounts&) = default;
};
[[nodiscard]] SourceCounts count(const Roster& roster) noexcept;

// Contract names (the journal's spelling) of the enumerations, both ways.
[[nodiscard]] std::string_view name(OrgKind kind) noexcept;
[[nodiscard]] std::string_view name(GroupKind kind) noexcept;
[[nodiscard]] std::string_view name(EnrolmentRole role) noexcept;
[[nodiscard]] std::string_view name(RelationKind kind) noexcept;
[[nodiscard]] std::optional<OrgKind> parse_org_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<GroupKind> parse_group_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<EnrolmentRole> parse_enrolment_role(std::string_view s) noexcept;
[[nodiscard]] std::optional<RelationKind> parse_relation_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<PersonRole> parse_person_role(std::string_view s) noexcept;

}  // namespace rosterd::mapping
