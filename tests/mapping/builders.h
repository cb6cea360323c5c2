#pragma once
// Small builders so that each core test states only the facts it is about.

#include <string>
#include <vector>

#include "mapping/sync.h"

namespace rosterd::mapping::testing {

inline Date D(const char* iso) { return *Date::parse(iso); }

class RosterBuilder {
 public:
  explicit RosterBuilder(OrgKind kind = OrgKind::school) {
    roster_.org = {"org1", "Школа № 1", "Школа 1", kind, "Europe/Moscow"};
  }
  RosterBuilder& group(const std::string& id, const std::string& name,
                       GroupKind kind = GroupKind::class_group) {
    Group g;
    g.id = id;
    g.name = name;
    g.kind = kind;
    g.academic_year = 2026;
    g.opened_on = D("2026-09-01");
    roster_.groups.push_back(g);
    return *this;
  }
  Group& last_group() { return roster_.groups.back(); }
  Group& group_ref(const std::string& id) {
    for (auto& g : roster_.groups) {
      if (g.id == id) return g;
    }
    throw std::out_of_range(id);
  }

  RosterBuilder& person(const std::string& id, std::uint8_t roles,
                        std::optional<PlatformUserId> uid, const std::string& phone = {}) {
    Person p;
    p.id = id;
    p.roles = roles;
    p.last_name = "Фамилия-" + id;
    p.first_name = "Имя";
    p.platform_user_id = uid;
    p.phone = phone;
    roster_.persons.push_back(p);
    return *this;
  }
  Person& person_ref(const std::string& id) {
    for (auto& p : roster_.persons) {
      if (p.id == id) return p;
    }
    throw std::out_of_range(id);
  }
  RosterBuilder& enrol(const std::string& person, const std::string& group,
                       EnrolmentRole role = EnrolmentRole::student, const char* from = "2026-09-01",
                       const char* to = nullptr, const std::string& reason = "enrolled") {
    Enrolment e{person, group, role, D(from), std::nullopt, reason};
    if (to) e.to = D(to);
    roster_.enrolments.push_back(e);
    return *this;
  }
  Enrolment& enrolment_ref(const std::string& person, const std::string& group) {
    for (auto& e : roster_.enrolments) {
      if (e.person_id == person && e.group_id == group) return e;
    }
    throw std::out_of_range(person + "@" + group);
  }
  RosterBuilder& student(const std::string& id, const std::string& group,
                         std::optional<PlatformUserId> uid) {
    return person(id, role_student, uid).enrol(id, group);
  }
  RosterBuilder& parent(const std::string& id, const std::string& child,
                        std::optional<PlatformUserId> uid) {
    bool known = false;
    for (const auto& p : roster_.persons) known = known || p.id == id;
    if (!known) person(id, role_parent, uid);
    roster_.relations.push_back({id, child, RelationKind::mother});
    return *this;
  }
  RosterBuilder& teacher(const std::string& id, std::optional<PlatformUserId> uid,
                         std::vector<std::string> positions = {"teacher"}) {
    person(id, role_staff, uid);
    roster_.persons.back().positions = std::move(positions);
    roster_.persons.back().employed_from = D("2020-09-01");
    return *this;
  }
  RosterBuilder& leader(const std::string& id, const std::string& group,
                        std::optional<PlatformUserId> uid) {
    return teacher(id, uid).enrol(id, group, EnrolmentRole::leader);
  }
  RosterBuilder& remove_person(const std::string& id) {
    std::erase_if(roster_.persons, [&](const Person& p) { return p.id == id; });
    std::erase_if(roster_.enrolments, [&](const Enrolment& e) { return e.person_id == id; });
    std::erase_if(roster_.relations,
                  [&](const Relation& r) { return r.parent_id == id || r.child_id == id; });
    return *this;
  }
  [[nodiscard]] const Roster& build() const { return roster_; }
  Roster& roster() { return roster_; }

 private:
  Roster roster_;
};

// A school with one class 5А: two students (one with twins' parent), a class teacher, a
// director. Everybody has a platform account unless a test takes it away.
inline RosterBuilder small_school() {
  RosterBuilder b;
  b.group("g5a", "5А")
      .leader("t1", "g5a", 9001)
      .teacher("dir", 9000, {"director"})
      .student("s1", "g5a", 1001)
      .student("s2", "g5a", 1002)
      .parent("m1", "s1", 2001)
      .parent("m2", "s2", 2002);
  return b;
}

inline Rules test_rules() {
  Rules r = Rules::defaults();
  r.fallback_admin = FallbackAdmin{"platform-admin", 7777};
  return r;
}

inline Plan plan_for(const Roster& roster, const AppliedState& applied, Date today,
                     const Policy& policy = {}, const Rules& rules = test_rules()) {
  return diff(desired(roster, rules, today), applied, policy, today);
}

// The applied state after the roster's plan on `day` went through in full.
inline AppliedState synced(const Roster& roster, Date day, const Rules& rules = test_rules()) {
  AppliedState empty;
  empty.org_id = roster.org.id;
  return assume_applied(empty, plan_for(roster, empty, day, {}, rules));
}

// "add_member parents:g5a m1" — compact, exact descriptions of the plan's writes.
inline std::vector<std::string> writes(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& a : plan.actions) {
    std::string s = std::string(name(a.type)) + " " + a.chat_key;
    if (!a.person_id.empty()) s += " " + a.person_id;
    if (a.type == ActionType::issue_invite || a.type == ActionType::annul_invite)
      s += " " + std::string(name(a.role));
    if (a.held) s += " HELD";
    out.push_back(s);
  }
  return out;
}

inline const Action* find_action(const Plan& plan, ActionType type, const std::string& chat,
                                 const std::string& person = {}) {
  for (const auto& a : plan.actions) {
    if (a.type == type && a.chat_key == chat && a.person_id == person) return &a;
  }
  return nullptr;
}

}  // namespace rosterd::mapping::testing
