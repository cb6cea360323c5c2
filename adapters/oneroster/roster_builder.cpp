// Tables -> one Roster per organisation (docs/oneroster.md, "Mapping").

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "adapters/oneroster/tables.h"
#include "mapping/message.h"
#include "mapping/text.h"

namespace rosterd::adapters::oneroster::detail {

namespace fs = std::filesystem;
using mapping::Roster;

namespace {

using mapping::msg;

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

// "2018/19": how a school year is named.
std::string school_years(int start) {
  const int next = (start + 1) % 100;
  return std::to_string(start) + "/" + (next < 10 ? "0" : "") + std::to_string(next);
}

// The academic year of a term by its dates: the one (1 July to 30 June) that holds the term's
// middle day, or its first day when it has no end. A term of 2018-08-15..2019-06-05 is 2018.
int year_of_dates(const SessionRow& s) {
  mapping::Date day = *s.start;
  if (s.end) day = s.start->plus_days(mapping::days_between(*s.start, *s.end) / 2);
  return day.month() >= 7 ? day.year() : day.year() - 1;
}

// "Smith J.": a teacher as a class's suffix names them.
std::string teacher_label(const UserRow& u) {
  std::string label = u.family_name;
  if (!u.given_name.empty()) {
    // The first letter of the given name, a whole UTF-8 sequence.
    std::size_t n = 1;
    const auto lead = static_cast<unsigned char>(u.given_name[0]);
    if (lead >= 0xF0) {
      n = 4;
    } else if (lead >= 0xE0) {
      n = 3;
    } else if (lead >= 0xC0) {
      n = 2;
    }
    label += (label.empty() ? "" : " ") + u.given_name.substr(0, n) + ".";
  }
  return label;
}

class Builder {
 public:
  Builder(const Tables& tables, const Options& options, const FolderFiles& files,
          const fs::path& folder, std::vector<Problem>& problems,
          std::map<std::string, std::vector<mapping::Finding>>& findings)
      : t_(tables),
        options_(options),
        files_(files),
        problems_(problems),
        findings_(findings),
        orgs_file_((folder / "orgs.csv").string()),
        users_file_((folder / "users.csv").string()),
        classes_file_((folder / "classes.csv").string()),
        enrollments_file_((folder / "enrollments.csv").string()),
        sessions_file_((folder / "academicSessions.csv").string()) {}

  std::vector<Roster> build() {
    add_groups();
    add_school_orgs();
    add_enrolments();
    add_users();
    add_relations();
    tell_titles_apart();
    // Findings in file order, as problems are (classes.csv before academicSessions.csv).
    for (auto& [org, found] : found_) {
      std::stable_sort(found.begin(), found.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [place, finding] : found) findings_[org].push_back(std::move(finding));
    }
    return finish();
  }

 private:
  // A reference to a sourcedId no table has. When the file that would hold it was not in this
  // read (a delta's manifest marks it absent), the manifest is named as the cause: only the
  // records kept from earlier reads were looked at.
  void dangling(const std::string& file, const RowBase& row, std::string field,
                std::string_view what, const std::string& missing, std::string_view in_file) {
    std::string message = "no " + std::string(what) + " " + mapping::quote_id(missing) + " in " +
                          std::string(in_file);
    for (const auto& f : files_.files) {
      if (f.name == in_file && f.mode == FileMode::absent) {
        message += " (" + files_.manifest_path + " marks file." +
                   std::string(in_file.substr(0, in_file.size() - 4)) +
                   " absent, so it was not read: the records kept from earlier reads have no " +
                   std::string(what) + " " + mapping::quote_id(missing) + ")";
      }
    }
    problems_.push_back(Problem{file, row.line, row.id, std::move(field), std::move(message)});
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

  // The earliest of the class's terms, by its dates. Its schoolYear is checked against them:
  // OneRoster's names the year the school year ends, ClassLink writes the year it starts, so
  // the dates are followed and a schoolYear they contradict is a finding of the org's.
  std::optional<int> academic_year(const ClassRow& c, const std::string& org_id) {
    const SessionRow* first = nullptr;
    bool dangles = false;
    for (const auto& term : c.terms) {
      const auto [ref, session] = resolve(t_.sessions, term);
      if (ref == Ref::missing) {
        dangling(classes_file_, c, "termSourcedIds", "session", term, "academicSessions.csv");
        dangles = true;
      }
      if (ref == Ref::active && session->start && (!first || *session->start < *first->start)) {
        first = session;
      }
    }
    if (first) {
      const int year = year_of_dates(*first);
      if (first->school_year && *first->school_year != year + 1) check_year(*first, year, org_id);
      return year;
    }
    if (dangles) return std::nullopt;
    problems_.push_back(Problem{classes_file_, c.line, c.id, "termSourcedIds",
                                "no active academic session with a start date"});
    return std::nullopt;
  }

  // Once per term and org: the term's schoolYear is not the one its dates give.
  void check_year(const SessionRow& term, int year, const std::string& org_id) {
    if (!year_checked_.emplace(org_id, term.id).second) return;
    const std::string dates =
        term.end ? msg("oneroster.term_dates", "{start} to {end}",
                       {{"start", term.start->iso()}, {"end", term.end->iso()}})
                 : msg("oneroster.term_from", "from {start}", {{"start", term.start->iso()}});
    const std::string where = sessions_file_ + ":" + std::to_string(term.line);
    std::string message =
        *term.school_year == year
            ? msg("oneroster.school_year_start",
                  "term {term} ({where}) runs {dates}, school year {years}, but its schoolYear "
                  "{year} is the year that school year starts, where OneRoster names the year it "
                  "ends (as ClassLink writes it): the dates are followed",
                  {{"term", mapping::quote_id(term.id)},
                   {"where", where},
                   {"dates", dates},
                   {"years", school_years(year)},
                   {"year", std::to_string(*term.school_year)}})
            : msg("oneroster.school_year_mismatch",
                  "term {term} ({where}) runs {dates}, school year {years}, but its schoolYear "
                  "{year} names school year {named}: the dates are followed",
                  {{"term", mapping::quote_id(term.id)},
                   {"where", where},
                   {"dates", dates},
                   {"years", school_years(year)},
                   {"year", std::to_string(*term.school_year)},
                   {"named", school_years(*term.school_year - 1)}});
    found_[org_id].push_back(
        {{2, term.line},
         mapping::Finding{mapping::FindingCode::term_year_mismatch, {term.id}, std::move(message)}});
  }

  void add_groups() {
    for (const auto& [id, c] : t_.classes) {
      if (c.deleted || (options_.homerooms_only && !c.homeroom)) continue;
      const auto [ref, org] = resolve(t_.orgs, c.school);
      if (ref == Ref::missing)
        dangling(classes_file_, c, "schoolSourcedId", "org", c.school, "orgs.csv");
      if (ref != Ref::active) continue;
      const auto year = academic_year(c, org->id);
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
        dangling(enrollments_file_, e, "classSourcedId", "class", e.class_id, "classes.csv");
      if (user_ref == Ref::missing)
        dangling(enrollments_file_, e, "userSourcedId", "user", e.user_id, "users.csv");
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
      // OneRoster gives no reason, neither for the start nor for the end (endDate).
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
        if (ref == Ref::missing) dangling(users_file_, u, "orgSourcedIds", "org", org_id, "orgs.csv");
        const auto roster = rosters_.find(org_id);
        if (ref == Ref::active && roster != rosters_.end()) members_[&roster->second].insert(id);
      }
      for (const auto& agent_id : u.agents) {
        const auto [ref, agent] = resolve(t_.users, agent_id);
        if (ref == Ref::missing)
          dangling(users_file_, u, "agentSourcedIds", "user", agent_id, "users.csv");
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

  // The teacher a class's suffix names: its primary teacher (else any teacher), the first by
  // name when there are several; empty when it has none.
  std::string teacher_of(const std::string& class_id) {
    if (!teachers_) {
      teachers_.emplace();
      for (const auto& [id, e] : t_.enrollments) {
        if (e.deleted || e.role != EnrollmentRole::teacher) continue;
        const auto [ref, user] = resolve(t_.users, e.user_id);
        if (ref != Ref::active) continue;
        std::string label = teacher_label(*user);
        if (label.empty()) continue;
        auto& [best, best_primary] = (*teachers_)[e.class_id];
        if (best.empty() || (e.primary && !best_primary) ||
            (e.primary == best_primary && label < best)) {
          best = std::move(label);
          best_primary = e.primary;
        }
      }
    }
    const auto it = teachers_->find(class_id);
    return it == teachers_->end() ? std::string{} : it->second.first;
  }

  // Chat titles are made from group names, so groups of one school that share a title (course
  // sections) are told apart by the first of these that makes every name of the set different:
  // the teacher, the period, both, the classCode, all three (else the one that tells most
  // apart). "Algebra I (Smith J.)", "Algebra I (period 3)". A title no other group of the
  // school has stays as it is. Names still alike after this are findings naming both records.
  void tell_titles_apart() {
    for (auto& [org_id, roster] : rosters_) {
      std::map<std::string, std::vector<mapping::Group*>> by_name;
      for (auto& g : roster.groups) by_name[g.name].push_back(&g);
      for (auto& [name, groups] : by_name) {
        if (groups.size() > 1) suffix(name, groups);
      }
      report_alike(org_id, roster);
    }
  }

  void suffix(const std::string& title, const std::vector<mapping::Group*>& groups) {
    struct Parts {
      std::string teacher, period, code;
    };
    std::vector<Parts> parts;
    for (const auto* g : groups) {
      const ClassRow& c = t_.classes.at(g->id);
      parts.push_back({teacher_of(c.id), c.periods.empty() ? "" : "period " + c.periods,
                       c.class_code});
    }
    using Pick = std::array<bool, 3>;  // teacher, period, code
    const auto named = [&](const Parts& p, Pick pick) {
      std::vector<std::string> shown;
      if (pick[0] && !p.teacher.empty()) shown.push_back(p.teacher);
      if (pick[1] && !p.period.empty()) shown.push_back(p.period);
      if (pick[2] && !p.code.empty()) shown.push_back(p.code);
      std::string out = title;
      for (std::size_t i = 0; i < shown.size(); ++i) out += (i == 0 ? " (" : ", ") + shown[i];
      return shown.empty() ? out : out + ")";
    };
    constexpr std::array<Pick, 5> picks{{{true, false, false},
                                         {false, true, false},
                                         {true, true, false},
                                         {false, false, true},
                                         {true, true, true}}};
    // The first pick that tells all apart, else the one that tells most apart; none when
    // nothing helps (the title stays bare rather than carry words that do not tell).
    Pick chosen{false, false, false};
    std::size_t told_apart = 1;
    for (const auto pick : picks) {
      std::set<std::string> names;
      for (const auto& p : parts) names.insert(named(p, pick));
      if (names.size() > told_apart) {
        chosen = pick;
        told_apart = names.size();
      }
      if (told_apart == parts.size()) break;
    }
    for (std::size_t i = 0; i < groups.size(); ++i) groups[i]->name = named(parts[i], chosen);
  }

  // Any two groups of the roster whose names are still the same: one finding per pair, the
  // later named with the first (by line in classes.csv).
  void report_alike(const std::string& org_id, const Roster& roster) {
    std::map<std::string, std::vector<const ClassRow*>> by_name;
    for (const auto& g : roster.groups) by_name[g.name].push_back(&t_.classes.at(g.id));
    for (auto& [name, rows] : by_name) {
      std::sort(rows.begin(), rows.end(),
                [](const ClassRow* a, const ClassRow* b) { return a->line < b->line; });
      for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto place = [this](const ClassRow& c) {
          return classes_file_ + ":" + std::to_string(c.line) + " (sourcedId " +
                 mapping::quote_id(c.id) + ")";
        };
        auto message =
            msg("oneroster.duplicate_title",
                "classes {first} and {second} are both named «{name}», and neither teacher, "
                "period nor classCode tells them apart: their chats have the same title",
                {{"first", place(*rows[0])},
                 {"second", place(*rows[i])},
                 {"name", mapping::clean_text(name)}});
        found_[org_id].push_back({{1, rows[i]->line},
                                  mapping::Finding{mapping::FindingCode::duplicate_title,
                                                   {rows[0]->id, rows[i]->id},
                                                   std::move(message)}});
      }
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
  const FolderFiles& files_;
  std::vector<Problem>& problems_;
  std::map<std::string, std::vector<mapping::Finding>>& findings_;
  std::string orgs_file_, users_file_, classes_file_, enrollments_file_, sessions_file_;
  std::set<std::pair<std::string, std::string>> year_checked_;  // (org, term)
  // Findings by org, each with its place: (1 classes.csv, 2 academicSessions.csv; the line).
  std::map<std::string, std::vector<std::pair<std::pair<int, std::size_t>, mapping::Finding>>>
      found_;
  // class -> its teacher's label and whether that teacher is primary; made when first needed
  std::optional<std::unordered_map<std::string, std::pair<std::string, bool>>> teachers_;
  std::map<std::string, Roster> rosters_;  // node-based: pointers to rosters stay valid
  std::unordered_map<std::string, Roster*> group_org_;
  std::map<Roster*, std::unordered_set<std::string>> members_;
  std::unordered_map<std::string, std::uint8_t> roles_;
  // child -> its parents; a set, as a pair may be named from both sides
  std::unordered_map<std::string, std::set<std::pair<std::string, mapping::RelationKind>>> parents_;
};

}  // namespace

std::vector<Roster> build_rosters(const Tables& tables, const Options& options,
                                  const FolderFiles& files, const fs::path& folder,
                                  std::vector<Problem>& problems,
                                  std::map<std::string, std::vector<mapping::Finding>>& findings) {
  return Builder(tables, options, files, folder, problems, findings).build();
}

}  // namespace rosterd::adapters::oneroster::detail
