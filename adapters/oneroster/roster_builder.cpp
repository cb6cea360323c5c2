// Tables -> one Roster per organisation (docs/oneroster.md, "Mapping").

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "adapters/oneroster/tables.h"

namespace rosterd::adapters::oneroster::detail {

namespace fs = std::filesystem;
using mapping::Roster;

namespace {

enum class Ref : std::uint8_t { active, deleted, missing };

template <class Row>
std::pair<Ref, const Row*> resolve(const Table<Row>& table, const std::string& id) {
  const auto it = table.find(id);
  if (it == table.end()) return {Ref::missing, nullptr};
  return {it->second.deleted ? Ref::deleted : Ref::active, &it->second};
}

bool is_parent_role(UserRole role) noexcept {
  return role == UserRole::parent || role == UserRole::guardian || role == UserRole::relative ||
         role == UserRole::mother || role == UserRole::father;
}

mapping::RelationKind relation_kind(UserRole parent_role) noexcept {
  if (parent_role == UserRole::mother) return mapping::RelationKind::mother;
  if (parent_role == UserRole::father) return mapping::RelationKind::father;
  return mapping::RelationKind::guardian;
}

std::string_view position(UserRole role) noexcept {
  switch (role) {
    case UserRole::teacher:
      return "teacher";
    case UserRole::administrator:
      return "administrator";
    case UserRole::aide:
      return "aide";
    case UserRole::proctor:
      return "proctor";
    default:
      return {};
  }
}

mapping::GroupKind group_kind(mapping::OrgKind kind) noexcept {
  switch (kind) {
    case mapping::OrgKind::kindergarten:
      return mapping::GroupKind::kindergarten_group;
    case mapping::OrgKind::additional:
      return mapping::GroupKind::association;
    default:
      return mapping::GroupKind::class_group;
  }
}

class Builder {
 public:
  Builder(const Tables& tables, const Options& options, const fs::path& folder,
          std::vector<Problem>& problems)
      : t_(tables),
        options_(options),
        problems_(problems),
        orgs_file_((folder / "orgs.csv").string()),
        users_file_((folder / "users.csv").string()),
        classes_file_((folder / "classes.csv").string()),
        enrollments_file_((folder / "enrollments.csv").string()) {}

  std::vector<Roster> build() {
    add_groups();
    add_school_orgs();
    add_enrolments();
    add_users();
    add_relations();
    return finish();
  }

 private:
  void dangling(const std::string& file, const RowBase& row, std::string field,
                std::string_view what, std::string_view in_file) {
    problems_.push_back(
        Problem{file, row.line, row.id, std::move(field),
                "no " + std::string(what) + " with that sourcedId in " + std::string(in_file)});
  }

  Roster& roster_of(const OrgRow& org) {
    auto [it, fresh] = rosters_.try_emplace(org.id);
    if (fresh) {
      auto& o = it->second.org;
      o.id = org.id;
      o.name = org.name;
      o.short_name = org.name;
      const auto kind = options_.org_kinds.find(org.id);
      o.kind = kind == options_.org_kinds.end() ? mapping::OrgKind::school : kind->second;
      o.timezone = options_.timezone;
    }
    return it->second;
  }

  // The earliest of the class's terms: its schoolYear names the year the school year ends (US
  // terms start in August, before the 1 September a start date's academic year assumes).
  std::optional<int> academic_year(const ClassRow& c) {
    const SessionRow* first = nullptr;
    bool dangles = false;
    for (const auto& term : c.terms) {
      const auto [ref, session] = resolve(t_.sessions, term);
      if (ref == Ref::missing) {
        dangling(classes_file_, c, "termSourcedIds", "session", "academicSessions.csv");
        dangles = true;
      }
      if (ref == Ref::active && session->start && (!first || *session->start < *first->start)) {
        first = session;
      }
    }
    if (first && first->school_year) return *first->school_year - 1;
    if (first) return first->start->academic_year();
    if (dangles) return std::nullopt;
    problems_.push_back(Problem{classes_file_, c.line, c.id, "termSourcedIds",
                                "no active academic session with a start date"});
    return std::nullopt;
  }

  void add_groups() {
    for (const auto& [id, c] : t_.classes) {
      if (c.deleted || (options_.homerooms_only && !c.homeroom)) continue;
      const auto [ref, org] = resolve(t_.orgs, c.school);
      if (ref == Ref::missing) dangling(classes_file_, c, "schoolSourcedId", "org", "orgs.csv");
      if (ref != Ref::active) continue;
      const auto year = academic_year(c);
      if (!year) continue;
      Roster& roster = roster_of(*org);
      mapping::Group g;
      g.id = c.id;
      g.name = c.title;
      g.kind = group_kind(roster.org.kind);
      g.grade = c.grade;
      g.academic_year = *year;
      roster.groups.push_back(std::move(g));
      group_org_.emplace(c.id, &roster);
    }
  }

  void add_school_orgs() {
    for (const auto& [id, org] : t_.orgs) {
      if (!org.deleted && org.type == "school") (void)roster_of(org);
    }
  }

  void add_enrolments() {
    for (const auto& [id, e] : t_.enrollments) {
      if (e.deleted || e.role == EnrollmentRole::other) continue;
      const auto [class_ref, c] = resolve(t_.classes, e.class_id);
      const auto [user_ref, user] = resolve(t_.users, e.user_id);
      if (class_ref == Ref::missing)
        dangling(enrollments_file_, e, "classSourcedId", "class", "classes.csv");
      if (user_ref == Ref::missing)
        dangling(enrollments_file_, e, "userSourcedId", "user", "users.csv");
      const auto group = group_org_.find(e.class_id);
      if (user_ref != Ref::active || group == group_org_.end()) continue;
      mapping::Enrolment out;
      out.person_id = e.user_id;
      out.group_id = e.class_id;
      out.role = e.role == EnrollmentRole::student ? mapping::EnrolmentRole::student
                 : e.primary                       ? mapping::EnrolmentRole::leader
                                                   : mapping::EnrolmentRole::teacher;
      out.from = e.begin;
      out.to = e.end;
      out.reason = "enrolled";
      roles_[e.user_id] |=
          e.role == EnrollmentRole::student ? mapping::role_student : mapping::role_staff;
      group->second->enrolments.push_back(std::move(out));
      members_[group->second].insert(e.user_id);
    }
  }

  void add_users() {
    for (const auto& [id, u] : t_.users) {
      if (u.deleted) continue;
      for (const auto& org_id : u.orgs) {
        const auto [ref, org] = resolve(t_.orgs, org_id);
        if (ref == Ref::missing) dangling(users_file_, u, "orgSourcedIds", "org", "orgs.csv");
        const auto roster = rosters_.find(org_id);
        if (ref == Ref::active && roster != rosters_.end()) members_[&roster->second].insert(id);
      }
      for (const auto& agent_id : u.agents) {
        const auto [ref, agent] = resolve(t_.users, agent_id);
        if (ref == Ref::missing) dangling(users_file_, u, "agentSourcedIds", "user", "users.csv");
        if (ref != Ref::active) continue;
        // Agents link either way (a student names a parent, a parent names a child); other
        // agents (a teacher named on a student) are not family and are left out.
        if (u.role == UserRole::student && is_parent_role(agent->role)) {
          parents_[u.id].emplace(agent->id, relation_kind(agent->role));
        } else if (is_parent_role(u.role) && agent->role == UserRole::student) {
          parents_[agent->id].emplace(u.id, relation_kind(u.role));
        }
      }
    }
  }

  void add_relations() {
    for (auto& [roster, members] : members_) {
      for (const auto& child : members) {
        const auto parents = parents_.find(child);
        if (parents == parents_.end()) continue;
        for (const auto& [parent, kind] : parents->second) {
          roster->relations.push_back(mapping::Relation{parent, child, kind});
          roles_[parent] |= mapping::role_parent;
        }
      }
      for (const auto& r : roster->relations) members.insert(r.parent_id);
    }
  }

  mapping::Person person(const UserRow& u) {
    mapping::Person p;
    p.id = u.id;
    p.last_name = u.family_name;
    p.first_name = u.given_name;
    p.middle_name = u.middle_name;
    p.phone = u.phone;
    p.email = u.email;
    p.platform_user_id = u.platform_id;
    p.roles = roles_[u.id];
    if (u.role == UserRole::student) p.roles |= mapping::role_student;
    if (is_parent_role(u.role)) p.roles |= mapping::role_parent;
    if (const auto pos = position(u.role); !pos.empty()) {
      p.roles |= mapping::role_staff;
      p.positions.emplace_back(pos);
    }
    return p;
  }

  std::vector<Roster> finish() {
    std::vector<Roster> out;
    out.reserve(rosters_.size());
    for (auto& [org_id, roster] : rosters_) {
      for (const auto& id : members_[&roster]) roster.persons.push_back(person(t_.users.at(id)));
      sort_roster(roster);
      out.push_back(std::move(roster));
    }
    return out;
  }

  static void sort_roster(Roster& r) {
    const auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
    std::sort(r.groups.begin(), r.groups.end(), by_id);
    std::sort(r.persons.begin(), r.persons.end(), by_id);
    const auto key = [](const mapping::Enrolment& e) {
      return std::tie(e.group_id, e.person_id, e.role, e.from, e.to);
    };
    std::sort(r.enrolments.begin(), r.enrolments.end(),
              [&key](const auto& a, const auto& b) { return key(a) < key(b); });
    // Two rows saying the same thing (different sourcedIds) are one enrolment.
    r.enrolments.erase(
        std::unique(r.enrolments.begin(), r.enrolments.end(),
                    [&key](const auto& a, const auto& b) { return key(a) == key(b); }),
        r.enrolments.end());
    std::sort(r.relations.begin(), r.relations.end(), [](const auto& a, const auto& b) {
      return std::tie(a.parent_id, a.child_id) < std::tie(b.parent_id, b.child_id);
    });
  }

  const Tables& t_;
  const Options& options_;
  std::vector<Problem>& problems_;
  std::string orgs_file_, users_file_, classes_file_, enrollments_file_;
  std::map<std::string, Roster> rosters_;  // node-based: pointers to rosters stay valid
  std::unordered_map<std::string, Roster*> group_org_;
  std::map<Roster*, std::unordered_set<std::string>> members_;
  std::unordered_map<std::string, std::uint8_t> roles_;
  // child -> its parents; a set, as a pair may be named from both sides
  std::unordered_map<std::string, std::set<std::pair<std::string, mapping::RelationKind>>> parents_;
};

}  // namespace

std::vector<Roster> build_rosters(const Tables& tables, const Options& options,
                                  const fs::path& folder, std::vector<Problem>& problems) {
  return Builder(tables, options, folder, problems).build();
}

}  // namespace rosterd::adapters::oneroster::detail
