#include <algorithm>
#include <map>
#include <set>

#include "mapping/checks.h"
#include "mapping/roster_index.h"
#include "mapping/sync.h"

namespace rosterd::mapping {
namespace {

using detail::RosterIndex;

// Who the journal puts in one group today, and who left it with a dated reason.
struct GroupPeople {
  std::vector<std::pair<const Person*, const Enrolment*>> students, leaders, teachers;
  // (person id, role) → the last ended enrolment, where no enrolment of that role is active
  std::map<std::pair<std::string_view, EnrolmentRole>, const Enrolment*> ended;
};

GroupPeople people_of(const Group& group, const RosterIndex& ix, Date today) {
  GroupPeople gp;
  const auto it = ix.enrolments_by_group.find(group.id);
  if (it == ix.enrolments_by_group.end()) return gp;
  std::set<std::pair<std::string_view, EnrolmentRole>> active;
  for (const Enrolment* e : it->second) {
    const Person* p = ix.person(e->person_id);
    if (e->active_on(today)) {
      active.emplace(e->person_id, e->role);
      if (e->role == EnrolmentRole::student) gp.students.emplace_back(p, e);
      if (e->role == EnrolmentRole::leader && (!p->has_role(role_staff) || p->employed_on(today)))
        gp.leaders.emplace_back(p, e);
      if (e->role == EnrolmentRole::teacher) gp.teachers.emplace_back(p, e);
    } else if (e->to && *e->to < today) {
      auto& last = gp.ended[{e->person_id, e->role}];
      if (!last || *last->to < *e->to) last = e;
    }
  }
  for (const auto& key : active) gp.ended.erase(key);
  return gp;
}

std::string since(const Enrolment& e) {
  return e.from ? " since " + e.from->iso() : std::string{};
}

std::string leader_title(GroupKind kind) {
  switch (kind) {
    case GroupKind::class_group: return "class teacher";
    case GroupKind::kindergarten_group: return "carer";
    case GroupKind::association: return "leader";
  }
  return "leader";
}

std::string ended_reason(const Enrolment& e) {
  return (e.reason.empty() ? std::string{"left"} : e.reason) + ", last day " + e.to->iso();
}

// Members keyed by person: one entry a person, admin wins over member (a class teacher who
// is also a parent in the class stays one admin membership).
class MemberSet {
 public:
  DesiredMember& add(const Person& p, MemberRole role, std::string reason) {
    auto [it, fresh] = members_.try_emplace(p.id);
    DesiredMember& m = it->second;
    if (fresh || (role == MemberRole::admin && m.role != MemberRole::admin)) {
      m = {p.id, p.platform_user_id, role, std::move(reason)};
    }
    return m;
  }
  void add_fallback(const FallbackAdmin& admin, std::string reason) {
    members_[admin.person_id] = {admin.person_id, admin.platform_user_id, MemberRole::admin,
                                 std::move(reason)};
  }
  [[nodiscard]] bool contains(std::string_view id) const {
    return members_.contains(std::string{id});
  }
  [[nodiscard]] std::vector<DesiredMember> take() {
    std::vector<DesiredMember> out;
    out.reserve(members_.size());
    for (auto& [_, m] : members_) out.push_back(std::move(m));
    return out;
  }

 private:
  std::map<std::string, DesiredMember> members_;
};

void add_parents(MemberSet& ms, const GroupPeople& gp, const Group& group, const RosterIndex& ix) {
  std::map<std::string_view, std::vector<std::string>> children_of;
  std::map<std::string_view, const Person*> parents;
  for (const auto& [child, _] : gp.students) {
    const auto it = ix.parents_of.find(child->id);
    if (it == ix.parents_of.end()) continue;
    for (const Person* parent : it->second) {
      children_of[parent->id].push_back(child->display_name());
      parents[parent->id] = parent;
    }
  }
  for (const auto& [id, parent] : parents) {
    std::string names;
    for (const auto& n : children_of[id]) names += (names.empty() ? "" : ", ") + n;
    ms.add(*parent, MemberRole::member,
           "parent of " + names + " (" + group.name + ")");
  }
}

// People who left the group with a dated record and are not wanted here any more.
std::vector<Departure> departures(const DesiredChat& chat, const MemberSet& ms,
                                  const GroupPeople& gp, const Group& group,
                                  const RosterIndex& ix) {
  std::map<std::string, std::string> out;
  for (const auto& [key, e] : gp.ended) {
    const auto id = key.first;
    if (ms.contains(id)) continue;
    if (e->role == EnrolmentRole::student && chat.kind != ChatKind::parents) {
      out[std::string{id}] = ended_reason(*e);
    } else if (e->role == EnrolmentRole::leader) {
      out[std::string{id}] = "no longer " + leader_title(group.kind) + " of " + group.name +
                             ", last day " + e->to->iso();
    } else if (e->role == EnrolmentRole::teacher) {
      out[std::string{id}] = "no longer teaches " + group.name + ", last day " + e->to->iso();
    }
  }
  if (chat.kind == ChatKind::parents) {
    for (const auto& [key, e] : gp.ended) {
      const auto child_id = key.first;
      if (e->role != EnrolmentRole::student) continue;
      const auto it = ix.parents_of.find(child_id);
      if (it == ix.parents_of.end()) continue;
      const Person* child = ix.person(child_id);
      for (const Person* parent : it->second) {
        if (ms.contains(parent->id)) continue;
        out.try_emplace(parent->id, "no child left in " + group.name + ": " +
                                        child->display_name() + " " + ended_reason(*e));
      }
    }
  }
  std::vector<Departure> v;
  for (auto& [id, reason] : out) v.push_back({id, std::move(reason)});
  return v;
}

DesiredChat group_chat(const ChatTemplate& tmpl, const Group& group, const GroupPeople& gp,
                       const Roster& roster, const RosterIndex& ix, const Rules& rules) {
  DesiredChat chat;
  chat.kind = tmpl.kind;
  chat.key = chat_key(tmpl.kind, group.id);
  chat.group_id = group.id;
  chat.group_name = group.name;
  if (group.previous_group_id) chat.previous_key = chat_key(tmpl.kind, *group.previous_group_id);
  chat.title = render_title(tmpl.title, roster.org, &group, group.academic_year);

  MemberSet ms;
  if (tmpl.kind == ChatKind::parents) {
    add_parents(ms, gp, group, ix);
  } else {
    for (const auto& [p, e] : gp.students)
      ms.add(*p, MemberRole::member, "student of " + group.name + since(*e));
  }
  if (tmpl.include_teachers) {
    for (const auto& [p, e] : gp.teachers)
      ms.add(*p, MemberRole::member, "teaches " + group.name + since(*e));
  }
  for (const auto& [p, e] : gp.leaders) {
    ms.add(*p, MemberRole::admin,
           leader_title(group.kind) + " of " + group.name + since(*e));
  }
  // Never zero admins: a leader without a platform account cannot administer the chat yet.
  const bool leader_can_admin = std::any_of(gp.leaders.begin(), gp.leaders.end(),
                                            [](const auto& l) { return l.first->platform_user_id; });
  if (!leader_can_admin && rules.fallback_admin) {
    ms.add_fallback(*rules.fallback_admin,
                    (gp.leaders.empty() ? "no " : "no linked ") + leader_title(group.kind) +
                        " in " + group.name + ": the platform administrator stands in");
  }
  chat.departures = departures(chat, ms, gp, group, ix);
  chat.members = ms.take();
  return chat;
}

std::string staff_reason(const Person& p) {
  std::string positions;
  for (const auto& pos : p.positions) positions += (positions.empty() ? "" : ", ") + pos;
  std::string r = "staff";
  if (!positions.empty()) r += " (" + positions + ")";
  if (p.employed_from) r += " since " + p.employed_from->iso();
  return r;
}

DesiredChat staff_chat(const ChatTemplate& tmpl, const OrgRules& org_rules, const Roster& roster,
                       const Rules& rules, Date today) {
  DesiredChat chat;
  chat.kind = ChatKind::staff;
  chat.key = chat_key(ChatKind::staff, roster.org.id);
  chat.group_id = roster.org.id;
  chat.group_name = roster.org.short_name;
  chat.title = render_title(tmpl.title, roster.org, nullptr, today.academic_year());
  MemberSet ms;
  bool has_admin = false;
  std::map<std::string, std::string> left;
  for (const auto& p : roster.persons) {
    if (!p.has_role(role_staff)) continue;
    if (!p.employed_on(today)) {
      if (p.employed_to && *p.employed_to < today)
        left[p.id] = "left " + roster.org.short_name + ", last day " + p.employed_to->iso();
      continue;
    }
    bool admin = false;
    for (const auto& pos : org_rules.staff_admin_positions) admin = admin || p.has_position(pos);
    has_admin = has_admin || (admin && p.platform_user_id);
    ms.add(p, admin ? MemberRole::admin : MemberRole::member, staff_reason(p));
  }
  if (!has_admin && rules.fallback_admin) {
    ms.add_fallback(*rules.fallback_admin,
                    "no director on staff: the platform administrator stands in");
  }
  for (auto& [id, reason] : left) chat.departures.push_back({id, std::move(reason)});
  chat.members = ms.take();
  return chat;
}

std::optional<ClosedGroup> closed(const Group& group, const RosterIndex& ix, Date today) {
  if (!group.closed_on || today <= *group.closed_on) return std::nullopt;
  bool graduated = false;
  if (const auto it = ix.enrolments_by_group.find(group.id); it != ix.enrolments_by_group.end()) {
    for (const Enrolment* e : it->second) graduated = graduated || e->reason == "graduated";
  }
  return ClosedGroup{group.id, std::string(graduated ? "graduated" : "closed") + ", last day " +
                                   group.closed_on->iso()};
}

}  // namespace

DesiredState desired(const Roster& roster, const Rules& rules, Date today) {
  const RosterIndex ix(roster);
  const OrgRules& org_rules = rules.for_kind(roster.org.kind);
  DesiredState out;
  out.org_id = roster.org.id;
  out.findings = ix.skipped;
  for (const auto& group : roster.groups) {
    if (!group.active_on(today)) {
      if (auto c = closed(group, ix, today)) out.closed_groups.push_back(std::move(*c));
      continue;
    }
    const auto& templates = org_rules.chats_for(group.kind);
    if (templates.empty()) continue;
    const GroupPeople gp = people_of(group, ix, today);
    if (gp.leaders.empty()) {
      out.findings.push_back({"group_without_leader", {group.id},
                              "group " + group.name + " (" + group.id + ") has no " +
                                  leader_title(group.kind) + " in the journal"});
    }
    for (const auto& tmpl : templates)
      out.chats.push_back(group_chat(tmpl, group, gp, roster, ix, rules));
  }
  if (org_rules.staff_chat)
    out.chats.push_back(staff_chat(*org_rules.staff_chat, org_rules, roster, rules, today));
  std::sort(out.chats.begin(), out.chats.end(),
            [](const DesiredChat& a, const DesiredChat& b) { return a.key < b.key; });
  std::sort(out.closed_groups.begin(), out.closed_groups.end(),
            [](const ClosedGroup& a, const ClosedGroup& b) { return a.group_id < b.group_id; });
  append_data_checks(roster, out, out.findings);
  return out;
}

}  // namespace rosterd::mapping
