#include <algorithm>
#include <numeric>

#include "mapping/checks.h"
#include "mapping/message.h"
#include "mapping/roster_index.h"
#include "mapping/sync.h"
#include "mapping/text.h"
#include "mapping/wording.h"

namespace rosterd::mapping {
namespace {

using detail::EnrolmentRef;
using detail::RosterIndex;

// Who the journal puts in one group today, and who left it with a dated end.
struct GroupPeople {
  std::vector<EnrolmentRef> students, leaders, teachers;
  // The last ended enrolment of a person in a role with no active enrolment in that role.
  std::vector<EnrolmentRef> ended;
};

bool supersedes(const Enrolment& later, const Enrolment& ended, Date today) {
  return later.role == ended.role &&
         (later.active_on(today) || (later.to && *ended.to < *later.to && *later.to < today));
}

GroupPeople people_of(std::uint32_t group, const RosterIndex& ix, Date today) {
  GroupPeople gp;
  const auto refs = ix.enrolments_of(group);
  for (const auto& ref : refs) {
    const Enrolment& e = *ref.enrolment;
    if (!e.active_on(today)) continue;
    if (e.role == EnrolmentRole::student) gp.students.push_back(ref);
    if (e.role == EnrolmentRole::leader &&
        (!ref.person->has_role(role_staff) || ref.person->employed_on(today)))
      gp.leaders.push_back(ref);
    if (e.role == EnrolmentRole::teacher) gp.teachers.push_back(ref);
  }
  for (const auto& ref : refs) {
    const Enrolment& e = *ref.enrolment;
    if (!e.to || !(*e.to < today)) continue;
    const bool superseded = std::any_of(refs.begin(), refs.end(), [&](const EnrolmentRef& o) {
      return o.person == ref.person && o.enrolment != ref.enrolment &&
             supersedes(*o.enrolment, e, today);
    });
    if (!superseded) gp.ended.push_back(ref);
  }
  return gp;
}

// "enrolment ended, last day 2026-11-20 (withdrawn)": that the enrolment ended, when, and the
// journal's reason. A reason that says how the enrolment began ("enrolled", what a source
// without end reasons writes on every enrolment) says nothing about its end and is left out.
std::string ended_reason(const Enrolment& e) {
  const std::string reason = clean_text(e.reason);
  if (reason.empty() || reason == "enrolled") {
    return msg("desired.enrolment_ended", "enrolment ended, last day {date}",
               {{"date", e.to->iso()}});
  }
  return msg("desired.last_day", "enrolment ended, last day {date} ({reason})",
             {{"reason", journal_reason(reason)}, {"date", e.to->iso()}});
}

// A leader who no longer leads `group` (named so in the journal's words for its kind).
std::string no_longer_leads(GroupKind kind, const std::string& group, Date last_day) {
  switch (kind) {
    case GroupKind::class_group:
      return msg("desired.no_longer_class_teacher", "no longer class teacher of {group}, last day {date}",
                 {{"group", group}, {"date", last_day.iso()}});
    case GroupKind::kindergarten_group:
      return msg("desired.no_longer_carer", "no longer carer of {group}, last day {date}",
                 {{"group", group}, {"date", last_day.iso()}});
    case GroupKind::association: break;
  }
  return msg("desired.no_longer_leader", "no longer leader of {group}, last day {date}",
             {{"group", group}, {"date", last_day.iso()}});
}

// "group 5А (g-5a) has no class teacher in the journal"
std::string no_leader(const Group& group) {
  const std::string name = clean_text(group.name), id = quote_id(group.id);
  switch (group.kind) {
    case GroupKind::class_group:
      return msg("desired.no_class_teacher", "group {group} ({id}) has no class teacher in the journal",
                 {{"group", name}, {"id", id}});
    case GroupKind::kindergarten_group:
      return msg("desired.no_carer", "group {group} ({id}) has no carer in the journal",
                 {{"group", name}, {"id", id}});
    case GroupKind::association: break;
  }
  return msg("desired.no_leader", "group {group} ({id}) has no leader in the journal",
             {{"group", name}, {"id", id}});
}

// Members are built in place, from values already in memory: a member (or an optional date)
// made on the stack is written in small pieces and read back whole, which stalls the processor
// on every one of thousands of members.
constexpr std::optional<Date> no_date;

DesiredMember& add_member(std::vector<DesiredMember>& members, const Person& p, MemberRole role,
                          Why why, const std::optional<Date>& since) {
  return members.emplace_back(p.id, p.platform_user_id, role, why, &p, since, 0U, 0U);
}

// One entry a person, sorted by id; an admin entry wins (a class teacher who is also a parent
// in the class is one admin membership).
void normalize(std::vector<DesiredMember>& members) {
  const auto by_id = [](const DesiredMember& a, const DesiredMember& b) {
    return a.person_id < b.person_id;
  };
  // Students or parents usually come in id order and the few leaders after them: one pass finds
  // where the order ends (and any repeat on the way), the few after it are moved into place,
  // rather than sorting the whole chat and comparing every neighbour twice.
  bool repeats = false;
  std::size_t sorted = members.empty() ? 0 : 1;
  for (; sorted < members.size(); ++sorted) {
    const int order = members[sorted - 1].person_id.compare(members[sorted].person_id);
    if (order > 0) break;
    repeats = repeats || order == 0;
  }
  const auto tail = members.begin() + static_cast<std::ptrdiff_t>(sorted);
  if (members.end() - tail > 8) {
    std::stable_sort(tail, members.end(), by_id);
    std::inplace_merge(members.begin(), tail, members.end(), by_id);
    repeats = true;  // not known: look
  } else {
    for (auto next = tail; next != members.end(); ++next) {
      const auto at = std::upper_bound(members.begin(), next, *next, by_id);
      repeats = repeats || (at != members.begin() && (at - 1)->person_id == next->person_id);
      std::rotate(at, next, next + 1);
    }
  }
  if (!repeats) return;
  std::size_t out = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (out > 0 && members[out - 1].person_id == members[i].person_id) {
      if (members[i].role == MemberRole::admin && members[out - 1].role != MemberRole::admin)
        members[out - 1] = members[i];
      continue;
    }
    if (out != i) members[out] = members[i];
    ++out;
  }
  members.resize(out);
}

void add_parents(DesiredChat& chat, const GroupPeople& gp, const RosterIndex& ix) {
  std::vector<std::pair<const Person*, const Person*>> parent_child;
  for (const auto& s : gp.students) {
    for (const Person* parent : ix.parents_of(*s.person))
      parent_child.emplace_back(parent, s.person);
  }
  std::sort(parent_child.begin(), parent_child.end());
  chat.children.reserve(parent_child.size());
  for (std::size_t i = 0; i < parent_child.size();) {
    const Person* parent = parent_child[i].first;
    DesiredMember& m = add_member(chat.members, *parent, MemberRole::member, Why::parent, no_date);
    m.children_begin = static_cast<std::uint32_t>(chat.children.size());
    for (; i < parent_child.size() && parent_child[i].first == parent; ++i) {
      chat.children.push_back(parent_child[i].second);
    }
    m.children_count = static_cast<std::uint32_t>(chat.children.size() - m.children_begin);
  }
}

bool wanted(const DesiredChat& chat, std::string_view id) {
  return std::ranges::binary_search(chat.members, id, {}, &DesiredMember::person_id);
}

// People who left the group (named `group`) with a dated record and are not wanted here any
// more.
void add_departures(DesiredChat& chat, const GroupPeople& gp, const std::string& group,
                    const RosterIndex& ix) {
  auto depart = [&](const std::string& id, std::string reason) {
    if (wanted(chat, id)) return;
    for (const auto& d : chat.departures) {
      if (d.person_id == id) return;
    }
    chat.departures.push_back({id, std::move(reason)});
  };
  for (const auto& ref : gp.ended) {
    const Enrolment& e = *ref.enrolment;
    const std::string& id = ref.person->id;
    if (e.role == EnrolmentRole::leader) {
      depart(id, no_longer_leads(chat.group_kind, group, *e.to));
    } else if (e.role == EnrolmentRole::teacher) {
      depart(id, msg("desired.no_longer_teaches", "no longer teaches {group}, last day {date}",
                     {{"group", group}, {"date", e.to->iso()}}));
    } else if (chat.kind != ChatKind::parents) {
      depart(id, ended_reason(e));
    } else {
      for (const Person* parent : ix.parents_of(*ref.person)) {
        depart(parent->id, msg("desired.no_child_left", "no child left in {group}: {child} {why}",
                               {{"group", group},
                                {"child", ref.person->display_name()},
                                {"why", ended_reason(e)}}));
      }
    }
  }
  std::sort(chat.departures.begin(), chat.departures.end(),
            [](const Departure& a, const Departure& b) { return a.person_id < b.person_id; });
}

// The stand-in leaves as soon as a linked leader is there: no grace period, since the
// journal did not lose anybody.
void stand_down(DesiredChat& chat, const FallbackAdmin& admin) {
  if (wanted(chat, admin.person_id)) return;  // the administrator is also in the journal here
  std::string why;
  switch (chat.kind == ChatKind::staff ? GroupKind::association : chat.group_kind) {
    case GroupKind::class_group:
      why = msg("desired.stand_down_class_teacher",
                "a linked class teacher administers the chat: the stand-in steps back");
      break;
    case GroupKind::kindergarten_group:
      why = msg("desired.stand_down_carer",
                "a linked carer administers the chat: the stand-in steps back");
      break;
    case GroupKind::association:
      why = chat.kind == ChatKind::staff
                ? msg("desired.stand_down_director",
                      "a linked director administers the chat: the stand-in steps back")
                : msg("desired.stand_down_leader",
                      "a linked leader administers the chat: the stand-in steps back");
      break;
  }
  chat.departures.push_back({admin.person_id, std::move(why)});
}

void add_fallback(std::vector<DesiredMember>& members, const FallbackAdmin& admin, Why why) {
  members.emplace_back(admin.person_id, admin.platform_user_id, MemberRole::admin, why, nullptr,
                       no_date, 0U, 0U);
}

DesiredChat group_chat(const ChatTemplate& tmpl, const Group& group, const GroupPeople& gp,
                       const RosterIndex& ix, const Rules& rules, Date today) {
  DesiredChat chat;
  chat.kind = tmpl.kind;
  chat.group_kind = group.kind;
  chat.key = chat_key(tmpl.kind, group.id);
  chat.group_id = group.id;
  chat.group_name = clean_text(group.name);
  if (group.previous_group_id) chat.previous_key = chat_key(tmpl.kind, *group.previous_group_id);
  chat.title = render_title(tmpl.title, ix.roster.org, &group, group.academic_year);

  chat.members.reserve(gp.students.size() * 2 + gp.leaders.size() + 1);
  if (tmpl.kind == ChatKind::parents) {
    add_parents(chat, gp, ix);
  } else {
    for (const auto& s : gp.students)
      add_member(chat.members, *s.person, MemberRole::member, Why::student, s.enrolment->from);
  }
  if (tmpl.include_teachers) {
    for (const auto& t : gp.teachers)
      add_member(chat.members, *t.person, MemberRole::member, Why::teacher, t.enrolment->from);
  }
  bool leader_can_admin = false;
  for (const auto& l : gp.leaders) {
    add_member(chat.members, *l.person, MemberRole::admin, Why::leader, l.enrolment->from);
    leader_can_admin = leader_can_admin || l.person->platform_user_id.has_value();
  }
  // Never zero admins: a leader without a platform account cannot administer the chat yet.
  if (!leader_can_admin && rules.fallback_admin) {
    add_fallback(chat.members, *rules.fallback_admin,
                 gp.leaders.empty() ? Why::fallback_no_leader : Why::fallback_unlinked);
  }
  normalize(chat.members);
  if (leader_can_admin && rules.fallback_admin)
    stand_down(chat, *rules.fallback_admin);
  add_departures(chat, gp, chat.group_name, ix);
  // A chat continuing last year's group also sees who left that group with a date (a class
  // teacher who does not go on with the class).
  if (group.previous_group_id) {
    if (const auto prev = ix.groups.find(*group.previous_group_id); prev != detail::IdIndex::npos)
      add_departures(chat, people_of(prev, ix, today), clean_text(ix.roster.groups[prev].name), ix);
  }
  return chat;
}

DesiredChat staff_chat(const ChatTemplate& tmpl, const OrgRules& org_rules, const Roster& roster,
                       const Rules& rules, Date today) {
  DesiredChat chat;
  chat.kind = ChatKind::staff;
  chat.key = chat_key(ChatKind::staff, roster.org.id);
  chat.group_id = roster.org.id;
  chat.group_name = clean_text(roster.org.short_name);
  chat.title = render_title(tmpl.title, roster.org, nullptr, today.academic_year());
  bool has_admin = false;
  for (const auto& p : roster.persons) {
    if (!p.has_role(role_staff)) continue;
    if (!p.employed_on(today)) {
      if (p.employed_to && *p.employed_to < today)
        chat.departures.push_back(
            {p.id, msg("desired.left_staff", "left {org}, last day {date}",
                       {{"org", chat.group_name}, {"date", p.employed_to->iso()}})});
      continue;
    }
    bool admin = false;
    for (const auto& pos : org_rules.staff_admin_positions) admin = admin || p.has_position(pos);
    has_admin = has_admin || (admin && p.platform_user_id);
    add_member(chat.members, p, admin ? MemberRole::admin : MemberRole::member, Why::staff,
               p.employed_from);
  }
  if (!has_admin && rules.fallback_admin)
    add_fallback(chat.members, *rules.fallback_admin, Why::fallback_no_director);
  normalize(chat.members);
  if (has_admin && rules.fallback_admin) stand_down(chat, *rules.fallback_admin);
  std::sort(chat.departures.begin(), chat.departures.end(),
            [](const Departure& a, const Departure& b) { return a.person_id < b.person_id; });
  return chat;
}

std::optional<ClosedGroup> closed(const Group& group, std::uint32_t index, const RosterIndex& ix,
                                  Date today) {
  if (!group.closed_on || today <= *group.closed_on) return std::nullopt;
  const auto refs = ix.enrolments_of(index);
  const bool graduated = std::any_of(refs.begin(), refs.end(), [](const EnrolmentRef& r) {
    return r.enrolment->reason == "graduated";
  });
  const std::string date = group.closed_on->iso();
  return ClosedGroup{group.id, graduated ? msg("desired.graduated", "graduated, last day {date}",
                                               {{"date", date}})
                                         : msg("desired.closed", "closed, last day {date}",
                                               {{"date", date}})};
}

// Chats are large (strings, member lists): their order is sorted, then each is moved once.
void sort_by_key(std::vector<DesiredChat>& chats) {
  std::vector<std::uint32_t> order(chats.size());
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return chats[a].key < chats[b].key; });
  std::vector<DesiredChat> sorted;
  sorted.reserve(chats.size());
  for (const auto i : order) sorted.push_back(std::move(chats[i]));
  chats = std::move(sorted);
}

}  // namespace

DesiredState desired(const Roster& roster, const Rules& rules, Date today) {
  const RosterIndex ix(roster);
  const OrgRules& org_rules = rules.for_kind(roster.org.kind);
  DesiredState out;
  out.org_id = roster.org.id;
  out.org_name = clean_text(roster.org.name.empty() ? roster.org.short_name : roster.org.name);
  out.today = today;
  out.findings = ix.skipped;
  for (std::uint32_t gi = 0; gi < roster.groups.size(); ++gi) {
    const Group& group = roster.groups[gi];
    if (!group.active_on(today)) {
      if (auto c = closed(group, gi, ix, today)) out.closed_groups.push_back(std::move(*c));
      continue;
    }
    const auto& templates = org_rules.chats_for(group.kind);
    if (templates.empty()) continue;
    const GroupPeople gp = people_of(gi, ix, today);
    if (gp.leaders.empty()) {
      out.findings.push_back({FindingCode::group_without_leader, {group.id}, no_leader(group)});
    }
    for (const auto& tmpl : templates)
      out.chats.push_back(group_chat(tmpl, group, gp, ix, rules, today));
  }
  if (org_rules.staff_chat)
    out.chats.push_back(staff_chat(*org_rules.staff_chat, org_rules, roster, rules, today));
  sort_by_key(out.chats);
  std::sort(out.closed_groups.begin(), out.closed_groups.end(),
            [](const ClosedGroup& a, const ClosedGroup& b) { return a.group_id < b.group_id; });
  append_data_checks(ix, out, out.findings);
  return out;
}

}  // namespace rosterd::mapping
