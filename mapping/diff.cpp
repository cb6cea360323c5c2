#include <algorithm>
#include <array>
#include <span>
#include <string_view>
#include <utility>

#include "mapping/message.h"
#include "mapping/sync.h"
#include "mapping/wording.h"

namespace rosterd::mapping {
namespace {

std::string days(int n) { return msg_n("diff.days", "{n} day", "{n} days", n); }

Action chat_action(ActionType type, const std::string& key, ChatKind kind, std::string reason) {
  Action a;
  a.type = type;
  a.chat_key = key;
  a.chat_kind = kind;
  a.reason = std::move(reason);
  return a;
}

Action member_action(ActionType type, const DesiredChat& chat, std::string_view person_id,
                     std::optional<PlatformUserId> uid, MemberRole role, std::string reason) {
  Action a = chat_action(type, chat.key, chat.kind, std::move(reason));
  a.person_id = person_id;
  a.platform_user_id = uid;
  a.role = role;
  return a;
}

// One desired chat against the applied chat it continues (or none), merged by person id.
// The lists of all chats share three vectors (a cycle allocates three buffers, not three a chat).
struct ChatDelta {
  const DesiredChat* desired = nullptr;
  const AppliedChat* applied = nullptr;
  std::span<const DesiredMember* const> joining;  // wanted, not there
  std::span<const std::pair<const DesiredMember*, const AppliedMember*>> staying;
  std::span<const AppliedMember* const> leaving;  // there, not wanted
};

class Deltas {
 public:
  explicit Deltas(const DesiredState& desired, const std::vector<const AppliedChat*>& match) {
    std::size_t want = 0, have = 0;
    for (std::size_t i = 0; i < desired.chats.size(); ++i) {
      want += desired.chats[i].members.size();
      if (match[i]) have += match[i]->members.size();
    }
    joining_.reserve(want);
    staying_.reserve(std::min(want, have));
    leaving_.reserve(have);
    std::vector<Offsets> offsets;
    offsets.reserve(desired.chats.size());
    for (std::size_t i = 0; i < desired.chats.size(); ++i)
      offsets.push_back(merge(desired.chats[i], match[i]));
    // The vectors are complete: views into them stay valid.
    deltas_.reserve(offsets.size());
    for (std::size_t i = 0; i < offsets.size(); ++i) {
      const Offsets& o = offsets[i];
      deltas_.push_back({&desired.chats[i], match[i],
                         std::span(joining_).subspan(o.joining, o.joining_end - o.joining),
                         std::span(staying_).subspan(o.staying, o.staying_end - o.staying),
                         std::span(leaving_).subspan(o.leaving, o.leaving_end - o.leaving)});
    }
  }
  Deltas(const Deltas&) = delete;  // the views point into this object's vectors
  Deltas& operator=(const Deltas&) = delete;
  [[nodiscard]] const std::vector<ChatDelta>& all() const noexcept { return deltas_; }

 private:
  struct Offsets {
    std::size_t joining, joining_end, staying, staying_end, leaving, leaving_end;
  };

  Offsets merge(const DesiredChat& d, const AppliedChat* a) {
    Offsets o{joining_.size(), 0, staying_.size(), 0, leaving_.size(), 0};
    const auto& want = d.members;
    static const std::vector<AppliedMember> none;
    const auto& have = a ? a->members : none;
    std::size_t i = 0, j = 0;
    while (i < want.size() || j < have.size()) {
      const int cmp = i == want.size()   ? 1
                      : j == have.size() ? -1
                                         : want[i].person_id.compare(have[j].person_id);
      if (cmp < 0) {
        joining_.push_back(&want[i++]);
      } else if (cmp > 0) {
        leaving_.push_back(&have[j++]);
      } else {
        staying_.emplace_back(&want[i++], &have[j++]);
      }
    }
    o.joining_end = joining_.size();
    o.staying_end = staying_.size();
    o.leaving_end = leaving_.size();
    return o;
  }

  std::vector<const DesiredMember*> joining_;
  std::vector<std::pair<const DesiredMember*, const AppliedMember*>> staying_;
  std::vector<const AppliedMember*> leaving_;
  std::vector<ChatDelta> deltas_;
};

// A person who leaves one chat and joins another of the same kind in the same run is moving:
// (chat kind, person id) → title of the first chat (by key) this plan adds the person to.
class Moves {
 public:
  explicit Moves(const std::vector<ChatDelta>& deltas) : deltas_(deltas) {}
  // The title of the chat the person moves to, or nullptr. The joins are gathered on the first
  // question: a plan in which nobody leaves (a first plan) never asks.
  [[nodiscard]] const std::string* destination(ChatKind kind, std::string_view person) {
    if (!gathered_) gather();
    const Join probe{kind, person, nullptr};
    const auto it = std::lower_bound(joins_.begin(), joins_.end(), probe, before);
    return it != joins_.end() && it->kind == kind && it->person_id == person ? it->title : nullptr;
  }

 private:
  struct Join {
    ChatKind kind;
    std::string_view person_id;
    const std::string* title;
  };
  static bool before(const Join& a, const Join& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.person_id < b.person_id;
  }
  void gather() {
    for (const auto& delta : deltas_) {
      for (const DesiredMember* m : delta.joining) {
        if (m->platform_user_id)
          joins_.push_back({delta.desired->kind, m->person_id, &delta.desired->title});
      }
    }
    std::stable_sort(joins_.begin(), joins_.end(), before);
    gathered_ = true;
  }
  const std::vector<ChatDelta>& deltas_;
  bool gathered_ = false;
  std::vector<Join> joins_;
};

// Everything diff needs across chats.
struct Context {
  const DesiredState& desired;
  const Policy& policy;
  Date today;
  Plan& plan;
  Moves& moves;
  const std::vector<std::pair<std::string, std::string>>& demoted;  // seen demoted by hand
  const std::vector<std::pair<PlatformUserId, std::string>>& profile_names;
};

struct ChatActions {
  std::vector<Action> head, adds, admins, invites, unadmins, removals, tail;
  [[nodiscard]] std::size_t size() const noexcept {
    std::size_t n = 0;
    for (const auto* part : {&head, &adds, &admins, &invites, &unadmins, &removals, &tail})
      n += part->size();
    return n;
  }
  void append_to(std::vector<Action>& out) {
    for (auto* part : {&head, &adds, &admins, &invites, &unadmins, &removals, &tail}) {
      for (auto& a : *part) out.push_back(std::move(a));
    }
  }
};

// A grace period starts (mark_missing, from today) or ends (clear_missing), for a member or, with
// no person, a whole chat.
void grace(Context& cx, bool starts, const std::string& key, std::string_view person_id,
           std::string reason) {
  StateChange change;
  change.type = starts ? StateChangeType::mark_missing : StateChangeType::clear_missing;
  change.chat_key = key;
  change.person_id = person_id;
  if (starts) change.since = cx.today;
  change.reason = std::move(reason);
  cx.plan.state_changes.push_back(std::move(change));
}

bool stale(const AppliedInvite& invite, const Context& cx) {
  return days_between(invite.issued_on, cx.today) >= cx.policy.invite_ttl_days;
}

// Who is to be invited, as a reason counts them: "3 parents", "1 leader".
std::string invitees(std::size_t count, const DesiredChat& d, MemberRole role) {
  const auto n = static_cast<long long>(count);
  if (role == MemberRole::admin) return msg_n("diff.invitees.leader", "{n} leader", "{n} leaders", n);
  switch (d.kind) {
    case ChatKind::parents: return msg_n("diff.invitees.parent", "{n} parent", "{n} parents", n);
    case ChatKind::staff:
      return msg_n("diff.invitees.staff", "{n} staff member", "{n} staff members", n);
    case ChatKind::class_chat:
    case ChatKind::association: break;
  }
  return msg_n("diff.invitees.student", "{n} student", "{n} students", n);
}

void diff_invites(const ChatDelta& delta, Context& cx, ChatActions& out) {
  const DesiredChat& d = *delta.desired;
  std::array<IdList, 2> needed;  // by MemberRole
  std::array<std::size_t, 2> ids{}, chars{};
  for (const DesiredMember* m : delta.joining) {
    if (m->platform_user_id) continue;
    ++ids[static_cast<std::size_t>(m->role)];
    chars[static_cast<std::size_t>(m->role)] += m->person_id.size();
  }
  for (std::size_t role = 0; role < 2; ++role) needed[role].reserve(ids[role], chars[role]);
  for (const DesiredMember* m : delta.joining) {
    if (!m->platform_user_id) needed[static_cast<std::size_t>(m->role)].push_back(m->person_id);
  }
  // Who left by themselves can come back only through the link: they are offered it.
  for (const auto& [want, have] : delta.staying) {
    if (have->presence == MemberPresence::left)
      needed[static_cast<std::size_t>(want->role)].push_back(want->person_id);
  }
  const std::array<bool, 2> wanted{!needed[0].empty(), !needed[1].empty()};
  for (const auto role : {MemberRole::member, MemberRole::admin}) {
    auto& people = needed[static_cast<std::size_t>(role)];
    if (people.empty()) continue;
    const AppliedInvite* live = nullptr;
    if (delta.applied) {
      for (const auto& inv : delta.applied->invites) live = inv.role == role ? &inv : live;
    }
    if (!live || stale(*live, cx)) {
      std::string why = msg("diff.invite_needed", "{who} without a platform account",
                            {{"who", invitees(people.size(), d, role)}});
      if (live) {
        why = msg("diff.invite_replaced", "link issued {date} is older than {days}: replaced; {why}",
                  {{"date", live->issued_on.iso()},
                   {"days", days(cx.policy.invite_ttl_days)},
                   {"why", why}});
      }
      Action act = chat_action(ActionType::issue_invite, d.key, d.kind, std::move(why));
      act.role = role;
      out.invites.push_back(std::move(act));
    }
    cx.plan.invites.push_back({d.key, role, std::move(people)});
  }
  if (!delta.applied) return;
  for (const auto& inv : delta.applied->invites) {
    if (wanted[static_cast<std::size_t>(inv.role)]) continue;
    Action act = chat_action(ActionType::annul_invite, d.key, d.kind,
                             msg("diff.nobody_to_invite", "nobody left to invite as {role}",
                                 {{"role", role_msg(inv.role)}}));
    act.role = inv.role;
    out.tail.push_back(std::move(act));
  }
}

void add_joining(const ChatDelta& delta, ChatActions& out) {
  const DesiredChat& d = *delta.desired;
  out.adds.reserve(out.adds.size() + delta.joining.size());
  for (const DesiredMember* m : delta.joining) {
    if (!m->platform_user_id) continue;  // an invite link covers them
    std::string why = member_reason(d, *m);
    if (m->role == MemberRole::admin) {
      out.admins.push_back(member_action(ActionType::set_admin, d, m->person_id,
                                         m->platform_user_id, MemberRole::admin, why));
    }
    out.adds.push_back(member_action(ActionType::add_member, d, m->person_id, m->platform_user_id,
                                     MemberRole::member, std::move(why)));
  }
}

void diff_new_chat(const ChatDelta& delta, Context& cx, ChatActions& out) {
  const DesiredChat& d = *delta.desired;
  Action create =
      chat_action(ActionType::create_chat, d.key, d.kind,
                  msg("diff.no_chat_yet", "no {kind} chat for {group} yet",
                      {{"kind", kind_msg(d.kind)}, {"group", d.group_name}}));
  create.group_id = d.group_id;
  create.title = d.title;
  out.head.push_back(std::move(create));
  add_joining(delta, out);
  diff_invites(delta, cx, out);
}

bool is_unknown_person(const AppliedMember& m) { return m.person_id.rfind("uid:", 0) == 0; }

bool was_demoted(const Context& cx, const std::string& key, std::string_view person) {
  for (const auto& [k, p] : cx.demoted) {
    if (k == key && p == person) return true;
  }
  return false;
}

// "«5А»: 2 added by hand, not by rosterd: kept (Петров Пётр (platform profile), uid:9)", one
// finding per chat and kind; `what` words the count ({n}) and the names ({names}).
template <class What>
void report_people(Context& cx, FindingCode code, const DesiredChat& d,
                   const std::vector<std::string>& people, What what) {
  if (people.empty()) return;
  Finding f{code, {d.key}, {}};
  std::vector<std::string> names;
  for (const auto& p : people) {
    f.subject_ids.push_back(p);
    if (names.size() < 6) names.push_back(member_msg(d, p, cx.profile_names));
  }
  f.message = what(static_cast<long long>(people.size()), name_list(names, 5));
  cx.plan.findings.push_back(std::move(f));
}

const Departure* departure_of(const DesiredChat& d, const std::string& person_id) {
  const auto it = std::ranges::lower_bound(d.departures, person_id, {}, &Departure::person_id);
  return it != d.departures.end() && it->person_id == person_id ? &*it : nullptr;
}

// Why a member the journal no longer puts here leaves now; nullopt: not yet (grace period).
std::optional<std::string> removal_reason(const DesiredChat& d, const AppliedMember& m,
                                          Context& cx) {
  if (m.origin == MemberOrigin::observed) {
    if (cx.policy.strict)
      return msg("diff.remove_added_by_hand", "added by hand; the school's policy is strict");
    return std::nullopt;
  }
  if (m.origin == MemberOrigin::joined && is_unknown_person(m)) return std::nullopt;
  const Departure* dep = departure_of(d, m.person_id);
  if (const std::string* to = cx.moves.destination(d.kind, m.person_id)) {
    if (!dep) return msg("diff.moved", "moved to {title}", {{"title", quoted(*to)}});
    return msg("diff.moved_because", "moved to {title}: {why}", {{"title", quoted(*to)}, {"why", dep->reason}});
  }
  if (dep) return dep->reason;
  if (!m.missing_since) {
    grace(cx, true, d.key, m.person_id,
          msg("diff.member_missing", "missing from the journal; removed after {days} unless back",
              {{"days", days(cx.policy.grace_days)}}));
    return std::nullopt;
  }
  if (days_between(*m.missing_since, cx.today) < cx.policy.grace_days) return std::nullopt;
  return msg("diff.member_gone", "missing from the journal since {date} (grace {days})",
             {{"date", m.missing_since->iso()}, {"days", days(cx.policy.grace_days)}});
}

// Never zero admins: when the plan would leave a chat without one and nobody takes over,
// the last admin keeps the role (and the membership) and the finding says why.
void keep_an_admin(const DesiredChat& d, const AppliedChat& a, Context& cx, ChatActions& out) {
  std::size_t admins = 0;
  for (const auto& m : a.members) admins += m.role == MemberRole::admin;
  if (admins == 0 || !out.admins.empty()) return;
  admins -= out.unadmins.size();
  for (const auto& x : out.removals) admins -= x.role == MemberRole::admin;
  if (admins > 0) return;
  for (auto* list : {&out.unadmins, &out.removals}) {
    const auto it = std::find_if(list->begin(), list->end(), [](const Action& x) {
      return x.type == ActionType::unset_admin || x.role == MemberRole::admin;
    });
    if (it == list->end()) continue;
    cx.plan.findings.push_back(
        {FindingCode::chat_without_admin,
         {d.key, it->person_id},
         msg("diff.last_admin_stays",
             "{title} would have no admin: {person} stays admin until a leader or a fallback "
             "admin is set",
             {{"title", quoted(d.title)}, {"person", member_msg(d, it->person_id, cx.profile_names)}})});
    list->erase(it);
    return;
  }
}

std::string title_reason(const DesiredChat& d, const AppliedChat& a) {
  if (a.observed_title && a.title == d.title)
    return msg("diff.title_restored", "renamed on the platform to {title}; title restored",
               {{"title", quoted(*a.observed_title)}});
  return msg("diff.title_follows", "title follows the journal; was {title}",
             {{"title", quoted(a.observed_title.value_or(a.title))}});
}

// A member the journal still wants whom a read no longer saw in the chat.
void diff_absent_member(const DesiredChat& d, const DesiredMember& want, const AppliedMember& have,
                        Context& cx, ChatActions& out, std::vector<std::string>& left) {
  if (have.presence == MemberPresence::left) {
    left.push_back(have.person_id);
    return;
  }
  const std::string on = have.presence_since ? have.presence_since->iso() : std::string{};
  if (!cx.policy.restore_removed) {
    const std::string who = person_msg(d, want);
    cx.plan.findings.push_back(
        {FindingCode::removed_by_hand,
         {d.key, have.person_id},
         on.empty() ? msg("diff.removed_not_restored",
                          "{title}: {person} was removed on the platform; not added back "
                          "(policy: report)",
                          {{"title", quoted(d.title)}, {"person", who}})
                    : msg("diff.removed_on_not_restored",
                          "{title}: {person} was removed on the platform on {date}; not added "
                          "back (policy: report)",
                          {{"title", quoted(d.title)}, {"person", who}, {"date", on}})});
    return;
  }
  const std::string why =
      on.empty() ? msg("diff.removed_restored", "removed on the platform; added back as {who}",
                       {{"who", member_reason(d, want)}})
                 : msg("diff.removed_on_restored",
                       "removed on the platform on {date}; added back as {who}",
                       {{"date", on}, {"who", member_reason(d, want)}});
  const auto uid = want.platform_user_id ? want.platform_user_id : have.platform_user_id;
  out.adds.push_back(member_action(ActionType::add_member, d, want.person_id, uid,
                                   MemberRole::member, why));
  if (want.role == MemberRole::admin) {
    out.admins.push_back(
        member_action(ActionType::set_admin, d, want.person_id, uid, MemberRole::admin, why));
  }
}

void diff_role(const DesiredChat& d, const DesiredMember& want, const AppliedMember& have,
               Context& cx, ChatActions& out) {
  if (want.role == MemberRole::admin && have.role != MemberRole::admin) {
    std::string why = was_demoted(cx, d.key, have.person_id)
                          ? msg("diff.promoted_again", "demoted on the platform; promoted again as {who}",
                                {{"who", member_reason(d, want)}})
                          : msg("diff.new_leader", "new {who}", {{"who", member_reason(d, want)}});
    out.admins.push_back(member_action(ActionType::set_admin, d, want.person_id,
                                       have.platform_user_id, MemberRole::admin, std::move(why)));
  } else if (want.role == MemberRole::member && have.role == MemberRole::admin) {
    out.unadmins.push_back(member_action(
        ActionType::unset_admin, d, want.person_id, have.platform_user_id, MemberRole::member,
        msg("diff.no_longer_leads", "no longer leads the group; stays as {who}",
            {{"who", member_reason(d, want)}})));
  }
}

void diff_existing_chat(const ChatDelta& delta, Context& cx, ChatActions& out) {
  const DesiredChat& d = *delta.desired;
  const AppliedChat& a = *delta.applied;
  if (a.missing_since) {
    grace(cx, false, d.key, {},
          msg("diff.group_back", "group {group} is back in the journal", {{"group", d.group_name}}));
  }
  if (a.observed_title.value_or(a.title) != d.title) {
    Action rename = chat_action(ActionType::rename_chat, d.key, d.kind, title_reason(d, a));
    rename.title = d.title;
    out.head.push_back(std::move(rename));
  }
  add_joining(delta, out);
  std::vector<std::string> left, by_hand, joined;
  for (const auto& [want, have] : delta.staying) {
    if (have->missing_since) {
      grace(cx, false, d.key, have->person_id,
            msg("diff.member_back", "back in the journal: {who}", {{"who", member_reason(d, *want)}}));
    }
    if (have->presence != MemberPresence::present) {
      diff_absent_member(d, *want, *have, cx, out, left);
    } else {
      diff_role(d, *want, *have, cx, out);
    }
  }
  for (const AppliedMember* m : delta.leaving) {
    if (m->presence != MemberPresence::present) {
      StateChange forget{StateChangeType::forget_member, d.key, m->person_id, {}, {}, {},
                         msg("diff.forget_member",
                             "no longer in the chat on the platform, nor in the journal's group")};
      cx.plan.state_changes.push_back(std::move(forget));
      continue;
    }
    if (auto why = removal_reason(d, *m, cx)) {
      out.removals.push_back(member_action(ActionType::remove_member, d, m->person_id,
                                           m->platform_user_id, m->role, std::move(*why)));
    } else if (m->origin == MemberOrigin::observed) {
      by_hand.push_back(m->person_id);
    } else if (m->origin == MemberOrigin::joined && is_unknown_person(*m)) {
      joined.push_back(m->person_id);
    }
  }
  report_people(cx, FindingCode::left_chat, d, left, [&](long long n, const std::string& names) {
    return msg_n("diff.left_chat",
                 "{title}: {n} left the chat by themselves: not added back, offered the invite "
                 "link ({names})",
                 "{title}: {n} left the chat by themselves: not added back, offered the invite "
                 "link ({names})",
                 n, {{"title", quoted(d.title)}, {"names", names}});
  });
  report_people(cx, FindingCode::added_by_hand, d, by_hand, [&](long long n, const std::string& names) {
    return msg_n("diff.added_by_hand",
                 "{title}: {n} added by hand, not by rosterd: kept (the school's policy is not "
                 "strict) ({names})",
                 "{title}: {n} added by hand, not by rosterd: kept (the school's policy is not "
                 "strict) ({names})",
                 n, {{"title", quoted(d.title)}, {"names", names}});
  });
  report_people(cx, FindingCode::unrecognised_joiner, d, joined,
                [&](long long n, const std::string& names) {
                  return msg_n("diff.unrecognised_joiner",
                               "{title}: {n} joined by link and could not be told from the "
                               "journal: kept ({names})",
                               "{title}: {n} joined by link and could not be told from the "
                               "journal: kept ({names})",
                               n, {{"title", quoted(d.title)}, {"names", names}});
                });
  keep_an_admin(d, a, cx, out);
  diff_invites(delta, cx, out);
}

// A managed chat deleted or archived on the platform by somebody else: never made again
// silently. The creation is planned held; an administrator's approval releases it.
void diff_drifted_chat(const ChatDelta& delta, Context& cx, ChatActions& out) {
  const DesiredChat& d = *delta.desired;
  const AppliedChat& a = *delta.applied;
  const bool deleted = a.drift == ChatDrift::deleted_by_hand;
  const std::string title = a.title, group = d.group_name;
  cx.plan.findings.push_back(
      {deleted ? FindingCode::chat_deleted : FindingCode::chat_archived_by_hand,
       {d.key, a.chat_id ? std::to_string(*a.chat_id) : std::string{}},
       deleted ? msg("diff.chat_deleted",
                     "{title} was deleted on the platform, not by rosterd; a new chat for {group} "
                     "is made only when an administrator approves it",
                     {{"title", quoted(title)}, {"group", group}})
               : msg("diff.chat_archived",
                     "{title} was archived on the platform, not by rosterd; a new chat for "
                     "{group} is made only when an administrator approves it",
                     {{"title", quoted(title)}, {"group", group}})});
  Action create = chat_action(
      ActionType::create_chat, d.key, d.kind,
      deleted ? msg("diff.remake_deleted", "the chat of {group} was deleted on the platform; made again",
                    {{"group", group}})
              : msg("diff.remake_archived",
                    "the chat of {group} was archived on the platform; made again", {{"group", group}}));
  create.group_id = d.group_id;
  create.title = d.title;
  create.held = true;
  create.held_reason =
      deleted ? msg("diff.held_deleted", "the chat was deleted by hand: approve to make a new one")
              : msg("diff.held_archived", "the chat was archived by hand: approve to make a new one");
  out.head.push_back(std::move(create));
}

void archive(const AppliedChat& a, std::string reason, ChatActions& out) {
  for (const auto& inv : a.invites) {
    Action annul = chat_action(ActionType::annul_invite, a.key, a.kind,
                               msg("diff.chat_is_archived", "chat is archived"));
    annul.role = inv.role;
    out.tail.push_back(std::move(annul));
  }
  out.tail.push_back(chat_action(ActionType::archive_chat, a.key, a.kind, std::move(reason)));
}

void diff_unclaimed_chat(const AppliedChat& a, Context& cx, ChatActions& out) {
  const auto& closed = cx.desired.closed_groups;
  const auto it = std::ranges::lower_bound(closed, a.group_id, {}, &ClosedGroup::group_id);
  if (it != closed.end() && it->group_id == a.group_id) return archive(a, it->reason, out);
  if (!a.missing_since) {
    grace(cx, true, a.key, {},
          msg("diff.group_missing", "group no longer in the journal; archived after {days} unless it returns",
              {{"days", days(cx.policy.grace_days)}}));
    return;
  }
  if (days_between(*a.missing_since, cx.today) >= cx.policy.grace_days) {
    archive(
        a,
        msg("diff.group_gone", "group missing from the journal since {date} (grace {days})",
            {{"date", a.missing_since->iso()}, {"days", days(cx.policy.grace_days)}}),
        out);
  }
}

// Managed applied chats by key, and which of them a desired chat continues.
class AppliedChats {
 public:
  AppliedChats(const AppliedState& applied, Plan& plan) {
    for (const auto& a : applied.chats) {
      if (!a.managed) {
        plan.findings.push_back({FindingCode::unmanaged_chat,
                                 {a.key},
                                 msg("diff.unmanaged_chat", "{title} is not managed by rosterd; left untouched",
                                     {{"title", quoted(a.title)}})});
        continue;
      }
      by_key_.push_back(&a);
      if (a.archived || a.drift != ChatDrift::none) continue;
      ++plan.applied_chats;
      for (const auto& m : a.members) plan.applied_memberships += m.origin == MemberOrigin::ours;
    }
    std::ranges::sort(by_key_, {}, &AppliedChat::key);
    claimed_.assign(by_key_.size(), false);
  }

  // The chat with this key, unless another desired chat has it already.
  [[nodiscard]] const AppliedChat* claim(const std::string& key, bool unarchived_only) {
    const auto it = std::ranges::lower_bound(by_key_, key, {}, &AppliedChat::key);
    if (it == by_key_.end() || (*it)->key != key) return nullptr;
    const auto at = static_cast<std::size_t>(it - by_key_.begin());
    if (claimed_[at] || (unarchived_only && (*it)->archived)) return nullptr;
    claimed_[at] = true;
    return *it;
  }

  // Live chats no desired chat continues.
  template <class Visit>
  void for_each_unclaimed(Visit visit) const {
    for (std::size_t i = 0; i < by_key_.size(); ++i) {
      const AppliedChat& a = *by_key_[i];
      if (!claimed_[i] && !a.archived && a.drift == ChatDrift::none) visit(a);
    }
  }

 private:
  std::vector<const AppliedChat*> by_key_;  // sorted by key
  std::vector<bool> claimed_;
};

bool has_key(const DesiredState& desired, const std::string& key) {
  return std::ranges::binary_search(desired.chats, key, {}, &DesiredChat::key);
}

// Which applied chat each desired chat continues: the same key, or last year's chat through
// previous_group_id when nobody claims that key for itself.
std::vector<const AppliedChat*> match_chats(const DesiredState& desired, AppliedChats& applied,
                                            Plan& plan) {
  std::vector<const AppliedChat*> match(desired.chats.size(), nullptr);
  for (std::size_t i = 0; i < desired.chats.size(); ++i)
    match[i] = applied.claim(desired.chats[i].key, false);
  for (std::size_t i = 0; i < desired.chats.size(); ++i) {
    const DesiredChat& d = desired.chats[i];
    if (match[i] || !d.previous_key || has_key(desired, *d.previous_key)) continue;
    const AppliedChat* last_year = applied.claim(*d.previous_key, true);
    if (!last_year) continue;
    match[i] = last_year;
    plan.state_changes.push_back(
        {StateChangeType::rebind_chat,
         last_year->key,
         {},
         {},
         d.key,
         d.group_id,
         msg("diff.new_year", "new academic year: {title} continues as the chat of {group}",
             {{"title", quoted(last_year->title)}, {"group", d.group_name}})});
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
  AppliedChats chats(applied, plan);
  const Deltas deltas(desired, match_chats(desired, chats, plan));
  Moves moves(deltas.all());
  Context cx{desired, policy, today, plan, moves, applied.demoted_by_hand, applied.profile_names};

  // Actions are grouped by chat, chats ordered by key: a stable plan.
  std::vector<std::pair<std::string_view, ChatActions>> per_chat;
  per_chat.reserve(deltas.all().size());
  for (const auto& delta : deltas.all()) {
    ChatActions& out = per_chat.emplace_back(delta.desired->key, ChatActions{}).second;
    if (!delta.applied) {
      diff_new_chat(delta, cx, out);
    } else if (delta.applied->drift != ChatDrift::none) {
      diff_drifted_chat(delta, cx, out);
    } else if (delta.applied->archived) {
      plan.findings.push_back({FindingCode::archived_chat,
                               {delta.desired->key},
                               msg("diff.archived_chat",
                                   "{title} is archived but {group} is active again; unarchive "
                                   "it by hand",
                                   {{"title", quoted(delta.applied->title)},
                                    {"group", delta.desired->group_name}})});
    } else {
      diff_existing_chat(delta, cx, out);
    }
  }
  chats.for_each_unclaimed([&](const AppliedChat& a) {
    diff_unclaimed_chat(a, cx, per_chat.emplace_back(a.key, ChatActions{}).second);
  });
  // Both parts are sorted by key already; the second is empty but for vanished groups.
  std::inplace_merge(
      per_chat.begin(), per_chat.begin() + static_cast<std::ptrdiff_t>(deltas.all().size()),
      per_chat.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t actions = 0;
  for (const auto& [_, chat] : per_chat) actions += chat.size();
  plan.actions.reserve(actions);
  for (auto& [_, chat] : per_chat) chat.append_to(plan.actions);
  return plan;
}

}  // namespace rosterd::mapping
