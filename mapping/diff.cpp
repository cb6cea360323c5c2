#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "mapping/sync.h"

namespace rosterd::mapping {
namespace {

std::string grace_note(const Policy& policy) {
  return " (grace " + std::to_string(policy.grace_days) + " days)";
}

Action chat_action(ActionType type, const std::string& key, ChatKind kind, std::string reason) {
  Action a;
  a.type = type;
  a.chat_key = key;
  a.chat_kind = kind;
  a.reason = std::move(reason);
  return a;
}

Action member_action(ActionType type, const DesiredChat& chat, const std::string& person_id,
                     std::optional<PlatformUserId> uid, MemberRole role, std::string reason) {
  Action a = chat_action(type, chat.key, chat.kind, std::move(reason));
  a.person_id = person_id;
  a.platform_user_id = uid;
  a.role = role;
  return a;
}

// Everything diff needs across chats.
struct Context {
  const DesiredState& desired;
  const Policy& policy;
  Date today;
  Plan& plan;
  // (chat kind, person id) → title of the chat this plan adds the person to: a person who
  // leaves one chat and joins another of the same kind in the same run is moving.
  std::map<std::pair<ChatKind, std::string_view>, std::string_view> joining;
};

struct ChatActions {
  std::vector<Action> head, adds, admins, invites, unadmins, removals, tail;
  void append_to(std::vector<Action>& out) {
    for (auto* part : {&head, &adds, &admins, &invites, &unadmins, &removals, &tail}) {
      for (auto& a : *part) out.push_back(std::move(a));
    }
  }
};

bool stale(const AppliedInvite& invite, const Context& cx) {
  return days_between(invite.issued_on, cx.today) >= cx.policy.invite_ttl_days;
}

// What a person to invite is called in a reason: "3 parents", "1 class teacher".
std::string invitees(std::size_t n, const DesiredChat& d, MemberRole role) {
  std::string who = role == MemberRole::admin       ? "leader"
                    : d.kind == ChatKind::parents   ? "parent"
                    : d.kind == ChatKind::staff     ? "staff member"
                                                    : "student";
  return std::to_string(n) + " " + who + (n == 1 ? "" : "s");
}

void diff_invites(const DesiredChat& d, const AppliedChat* a, Context& cx, ChatActions& out) {
  std::map<MemberRole, std::vector<std::string>> needed;
  for (const auto& m : d.members) {
    if (m.platform_user_id) continue;
    const bool present = a && std::any_of(a->members.begin(), a->members.end(),
                                          [&](const AppliedMember& x) { return x.person_id == m.person_id; });
    if (!present) needed[m.role].push_back(m.person_id);
  }
  for (auto& [role, people] : needed) {
    const AppliedInvite* live = nullptr;
    if (a) {
      for (const auto& inv : a->invites) live = inv.role == role ? &inv : live;
    }
    std::string why = invitees(people.size(), d, role) + " without a platform account";
    if (live && stale(*live, cx)) {
      why = "link issued " + live->issued_on.iso() + " is older than " +
            std::to_string(cx.policy.invite_ttl_days) + " days: replaced; " + why;
    }
    if (!live || stale(*live, cx)) {
      Action act = chat_action(ActionType::issue_invite, d.key, d.kind, std::move(why));
      act.role = role;
      out.invites.push_back(std::move(act));
    }
    cx.plan.invites.push_back({d.key, role, std::move(people)});
  }
  if (!a) return;
  for (const auto& inv : a->invites) {
    if (needed.contains(inv.role)) continue;
    Action act = chat_action(ActionType::annul_invite, d.key, d.kind,
                             "nobody left to invite as " + std::string(name(inv.role)));
    act.role = inv.role;
    out.tail.push_back(std::move(act));
  }
}

void diff_new_chat(const DesiredChat& d, Context& cx, ChatActions& out) {
  Action create = chat_action(ActionType::create_chat, d.key, d.kind,
                              "no " + std::string(name(d.kind)) + " chat for " + d.group_name +
                                  " yet");
  create.group_id = d.group_id;
  create.title = d.title;
  out.head.push_back(std::move(create));
  for (const auto& m : d.members) {
    if (!m.platform_user_id) continue;
    out.adds.push_back(member_action(ActionType::add_member, d, m.person_id, m.platform_user_id,
                                     MemberRole::member, m.reason));
    if (m.role == MemberRole::admin) {
      out.admins.push_back(member_action(ActionType::set_admin, d, m.person_id,
                                         m.platform_user_id, MemberRole::admin, m.reason));
    }
  }
  diff_invites(d, nullptr, cx, out);
}

// Why a member the journal no longer puts here leaves now; nullopt: not yet (grace period).
std::optional<std::string> removal_reason(const DesiredChat& d, const AppliedMember& m,
                                          Context& cx) {
  if (m.origin == MemberOrigin::observed) {
    if (cx.policy.strict) return "added by hand; the school's policy is strict";
    return std::nullopt;
  }
  const auto dep = std::lower_bound(
      d.departures.begin(), d.departures.end(), m.person_id,
      [](const Departure& x, const std::string& id) { return x.person_id < id; });
  const auto moved = cx.joining.find({d.kind, m.person_id});
  if (dep != d.departures.end() && dep->person_id == m.person_id) {
    if (moved != cx.joining.end()) return "moved to «" + std::string(moved->second) + "»: " + dep->reason;
    return dep->reason;
  }
  if (moved != cx.joining.end()) return "moved to «" + std::string(moved->second) + "»";
  if (!m.missing_since) {
    cx.plan.state_changes.push_back({StateChangeType::mark_missing, d.key, m.person_id, cx.today,
                                     {}, {}, "missing from the journal; removed after " +
                                     std::to_string(cx.policy.grace_days) + " days unless back"});
    return std::nullopt;
  }
  if (days_between(*m.missing_since, cx.today) < cx.policy.grace_days) return std::nullopt;
  return "missing from the journal since " + m.missing_since->iso() + grace_note(cx.policy);
}

void keep_an_admin(const DesiredChat& d, const AppliedChat& a, Context& cx, ChatActions& out);

void diff_members(const DesiredChat& d, const AppliedChat& a, Context& cx, ChatActions& out) {
  std::unordered_map<std::string_view, const AppliedMember*> have;
  for (const auto& m : a.members) have.emplace(m.person_id, &m);
  std::set<std::string_view> wanted;
  for (const auto& m : d.members) {
    wanted.insert(m.person_id);
    const auto it = have.find(m.person_id);
    if (it == have.end()) {
      if (!m.platform_user_id) continue;  // an invite link covers them
      out.adds.push_back(member_action(ActionType::add_member, d, m.person_id,
                                       m.platform_user_id, MemberRole::member, m.reason));
      if (m.role == MemberRole::admin) {
        out.admins.push_back(member_action(ActionType::set_admin, d, m.person_id,
                                           m.platform_user_id, MemberRole::admin, m.reason));
      }
      continue;
    }
    const AppliedMember& have_m = *it->second;
    if (have_m.missing_since) {
      cx.plan.state_changes.push_back({StateChangeType::clear_missing, d.key, m.person_id, {}, {},
                                       {}, "back in the journal: " + m.reason});
    }
    if (m.role == MemberRole::admin && have_m.role != MemberRole::admin) {
      out.admins.push_back(member_action(ActionType::set_admin, d, m.person_id,
                                         have_m.platform_user_id, MemberRole::admin,
                                         "new " + m.reason));
    } else if (m.role == MemberRole::member && have_m.role == MemberRole::admin) {
      out.unadmins.push_back(member_action(ActionType::unset_admin, d, m.person_id,
                                           have_m.platform_user_id, MemberRole::member,
                                           "no longer leads the group; stays as " + m.reason));
    }
  }
  for (const auto& m : a.members) {
    if (wanted.contains(m.person_id)) continue;
    if (auto why = removal_reason(d, m, cx)) {
      out.removals.push_back(member_action(ActionType::remove_member, d, m.person_id,
                                           m.platform_user_id, m.role, std::move(*why)));
    }
  }
  keep_an_admin(d, a, cx, out);
}

// Never zero admins: when the plan would leave a chat without one and nobody takes over,
// the last admin keeps the role (and the membership) and the finding says why.
void keep_an_admin(const DesiredChat& d, const AppliedChat& a, Context& cx, ChatActions& out) {
  std::set<std::string_view> admins;
  for (const auto& m : a.members) {
    if (m.role == MemberRole::admin) admins.insert(m.person_id);
  }
  if (admins.empty()) return;
  for (const auto& x : out.unadmins) admins.erase(x.person_id);
  for (const auto& x : out.removals) admins.erase(x.person_id);
  if (!admins.empty() || !out.admins.empty()) return;
  for (auto* list : {&out.unadmins, &out.removals}) {
    const auto it = std::find_if(list->begin(), list->end(), [](const Action& x) {
      return x.type == ActionType::unset_admin || x.role == MemberRole::admin;
    });
    if (it == list->end()) continue;
    cx.plan.findings.push_back({"chat_without_admin", {d.key, it->person_id},
                                "«" + d.title + "» would have no admin: " + it->person_id +
                                    " stays admin until a leader or a fallback admin is set"});
    list->erase(it);
    return;
  }
}

void diff_existing_chat(const DesiredChat& d, const AppliedChat& a, Context& cx,
                        ChatActions& out) {
  if (a.missing_since) {
    cx.plan.state_changes.push_back({StateChangeType::clear_missing, d.key, {}, {}, {}, {},
                                     "group " + d.group_name + " is back in the journal"});
  }
  if (a.title != d.title) {
    Action rename = chat_action(ActionType::rename_chat, d.key, d.kind,
                                "title follows the journal; was «" + a.title + "»");
    rename.title = d.title;
    out.head.push_back(std::move(rename));
  }
  diff_members(d, a, cx, out);
  diff_invites(d, &a, cx, out);
}

void archive(const AppliedChat& a, std::string reason, ChatActions& out) {
  for (const auto& inv : a.invites) {
    Action annul = chat_action(ActionType::annul_invite, a.key, a.kind, "chat is archived");
    annul.role = inv.role;
    out.tail.push_back(std::move(annul));
  }
  out.tail.push_back(chat_action(ActionType::archive_chat, a.key, a.kind, std::move(reason)));
}

void diff_unclaimed_chat(const AppliedChat& a, Context& cx, ChatActions& out) {
  const auto& closed = cx.desired.closed_groups;
  const auto it = std::lower_bound(
      closed.begin(), closed.end(), a.group_id,
      [](const ClosedGroup& g, const std::string& id) { return g.group_id < id; });
  if (it != closed.end() && it->group_id == a.group_id) return archive(a, it->reason, out);
  if (!a.missing_since) {
    cx.plan.state_changes.push_back({StateChangeType::mark_missing, a.key, {}, cx.today, {}, {},
                                     "group no longer in the journal; archived after " +
                                         std::to_string(cx.policy.grace_days) +
                                         " days unless it returns"});
    return;
  }
  if (days_between(*a.missing_since, cx.today) >= cx.policy.grace_days) {
    archive(a, "group missing from the journal since " + a.missing_since->iso() +
                   grace_note(cx.policy), out);
  }
}

}  // namespace

namespace {

// Which applied chat each desired chat continues: the same key, or last year's chat through
// previous_group_id when nobody claims that key for itself.
std::vector<const AppliedChat*> match_chats(
    const DesiredState& desired,
    const std::unordered_map<std::string_view, const AppliedChat*>& by_key, Plan& plan,
    std::set<std::string_view>& claimed) {
  std::vector<const AppliedChat*> match(desired.chats.size(), nullptr);
  std::set<std::string_view> desired_keys;
  for (const auto& d : desired.chats) desired_keys.insert(d.key);
  for (std::size_t i = 0; i < desired.chats.size(); ++i) {
    if (const auto it = by_key.find(desired.chats[i].key); it != by_key.end()) {
      match[i] = it->second;
      claimed.insert(it->first);
    }
  }
  for (std::size_t i = 0; i < desired.chats.size(); ++i) {
    const DesiredChat& d = desired.chats[i];
    if (match[i] || !d.previous_key || desired_keys.contains(*d.previous_key)) continue;
    const auto it = by_key.find(*d.previous_key);
    if (it == by_key.end() || claimed.contains(it->first) || it->second->archived) continue;
    match[i] = it->second;
    claimed.insert(it->first);
    plan.state_changes.push_back({StateChangeType::rebind_chat, it->second->key, {}, {}, d.key,
                                  d.group_id,
                                  "new academic year: «" + it->second->title +
                                      "» continues as the chat of " + d.group_name});
  }
  return match;
}

}  // namespace

Plan diff(const DesiredState& desired, const AppliedState& applied, const Policy& policy,
          Date today) {
  Plan plan;
  plan.org_id = desired.org_id;
  plan.today = today;
  plan.findings = desired.findings;

  std::unordered_map<std::string_view, const AppliedChat*> by_key;
  for (const auto& a : applied.chats) {
    if (!a.managed) {
      plan.findings.push_back({"unmanaged_chat", {a.key},
                               "«" + a.title + "» is not managed by rosterd; left untouched"});
      continue;
    }
    by_key.emplace(a.key, &a);
    if (a.archived) continue;
    ++plan.applied_chats;
    for (const auto& m : a.members) plan.applied_memberships += m.origin == MemberOrigin::ours;
  }
  std::set<std::string_view> claimed;
  const auto match = match_chats(desired, by_key, plan, claimed);

  Context cx{desired, policy, today, plan, {}};
  for (std::size_t i = 0; i < desired.chats.size(); ++i) {
    const DesiredChat& d = desired.chats[i];
    std::set<std::string_view> present;
    if (match[i]) {
      for (const auto& m : match[i]->members) present.insert(m.person_id);
    }
    for (const auto& m : d.members) {
      if (m.platform_user_id && !present.contains(m.person_id))
        cx.joining.emplace(std::pair{d.kind, std::string_view{m.person_id}}, d.title);
    }
  }

  std::map<std::string_view, ChatActions> per_chat;  // ordered by key: a stable plan
  for (std::size_t i = 0; i < desired.chats.size(); ++i) {
    const DesiredChat& d = desired.chats[i];
    ChatActions& out = per_chat[d.key];
    if (!match[i]) {
      diff_new_chat(d, cx, out);
    } else if (match[i]->archived) {
      plan.findings.push_back({"archived_chat", {d.key},
                               "«" + match[i]->title + "» is archived but " + d.group_name +
                                   " is active again; unarchive it by hand"});
    } else {
      diff_existing_chat(d, *match[i], cx, out);
    }
  }
  for (const auto& a : applied.chats) {
    if (a.managed && !a.archived && !claimed.contains(a.key))
      diff_unclaimed_chat(a, cx, per_chat[a.key]);
  }
  for (auto& [_, actions] : per_chat) actions.append_to(plan.actions);
  return plan;
}

}  // namespace rosterd::mapping
