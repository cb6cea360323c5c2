#include "mapping/observe.h"

#include <algorithm>
#include <map>
#include <set>

#include "mapping/text.h"

namespace rosterd::mapping {
namespace {

// The chats that observation looks at: managed, on the platform, not archived by rosterd.
bool watched(const AppliedChat& c) {
  return c.managed && c.chat_id && !c.archived && c.drift == ChatDrift::none;
}

template <class T>
const T* by_chat_id(std::span<const T> items, ChatId id) {
  for (const auto& item : items) {
    if (item.chat_id == id) return &item;
  }
  return nullptr;
}

std::string uid_person(PlatformUserId uid) { return "uid:" + std::to_string(uid); }

bool is_uid_person(const std::string& person_id) { return person_id.rfind("uid:", 0) == 0; }

void sort_members(AppliedChat& c) {
  std::ranges::sort(c.members, {}, &AppliedMember::person_id);
}

// A chat's listing entry: its title, whether it is archived, whether it is still there.
bool observe_listing(AppliedChat& c, const PlatformChat* listed) {
  const auto before = std::make_tuple(c.drift, c.observed_title);
  if (!listed) {
    return false;  // told by a read: see observe()
  } else if (listed->archived) {
    c.drift = ChatDrift::archived_by_hand;
  } else if (listed->title != c.title) {
    c.observed_title = listed->title;
  } else {
    c.observed_title.reset();
  }
  return before != std::make_tuple(c.drift, c.observed_title);
}

// A chat's members as read: who is missing, who is back, whose role changed, who is new.
void observe_members(AppliedChat& c, const ChatMembers& read, const Observation& o, Date today,
                     AppliedState& applied) {
  auto& demoted = applied.demoted_by_hand;
  std::map<PlatformUserId, const PlatformMember*> present;
  for (const auto& m : read.members) present.emplace(m.user_id, &m);
  std::set<PlatformUserId> known;
  std::erase_if(c.members, [&](const AppliedMember& m) {
    // Somebody rosterd did not add and does not know is simply not there any more.
    return is_uid_person(m.person_id) && m.platform_user_id &&
           !present.contains(*m.platform_user_id);
  });
  std::set<PlatformUserId> unknown;  // known only as "uid:<n>"
  for (auto& m : c.members) {
    if (!m.platform_user_id) continue;
    known.insert(*m.platform_user_id);
    if (is_uid_person(m.person_id)) unknown.insert(*m.platform_user_id);
    const auto it = present.find(*m.platform_user_id);
    if (it == present.end()) {
      if (m.presence == MemberPresence::present) {
        m.presence = MemberPresence::removed;
        m.presence_since = today;
      }
      continue;
    }
    m.presence = MemberPresence::present;
    m.presence_since.reset();
    const MemberRole seen = it->second->is_admin ? MemberRole::admin : MemberRole::member;
    if (m.role == MemberRole::admin && seen == MemberRole::member) {
      demoted.emplace_back(c.key, m.person_id);
    }
    m.role = seen;
  }
  for (const auto& [uid, m] : present) {
    if (uid == o.self) continue;
    // Findings name the people the journal does not know by the name they gave the platform.
    if ((!known.contains(uid) || unknown.contains(uid)) &&
        (!m->last_name.empty() || !m->first_name.empty()))
      applied.profile_names.emplace_back(uid, clean_text(m->last_name + " " + m->first_name));
    if (known.contains(uid)) continue;
    AppliedMember added;
    added.person_id = uid_person(uid);
    added.platform_user_id = uid;
    added.role = m->is_admin ? MemberRole::admin : MemberRole::member;
    added.origin = m->joined_by_link ? MemberOrigin::joined : MemberOrigin::observed;
    c.members.push_back(std::move(added));
  }
  sort_members(c);
  c.observed_at = o.at;
  c.members_seen = static_cast<std::uint32_t>(read.members.size());
}

}  // namespace

std::vector<ChatId> chats_to_read(const AppliedState& applied,
                                  std::span<const PlatformChat> listing, std::int64_t now,
                                  std::int64_t audit_period_s, bool full) {
  std::vector<ChatId> out;
  for (const auto& c : applied.chats) {
    if (!watched(c)) continue;
    const PlatformChat* listed = by_chat_id(listing, *c.chat_id);
    if (listed && listed->archived) continue;  // the listing tells all there is to know
    // A chat the listing lacks is read to tell: gone (927), or there but not listed as the
    // organisation's (made before chats carried their organisation).
    const bool due = !c.observed_at || now - *c.observed_at >= audit_period_s;
    if (full || due || !listed || listed->members_count != c.members_seen)
      out.push_back(*c.chat_id);
  }
  return out;
}

std::optional<std::int64_t> next_audit(const AppliedState& applied, std::int64_t audit_period_s) {
  std::optional<std::int64_t> due;
  for (const auto& c : applied.chats) {
    if (!watched(c)) continue;
    const std::int64_t at = c.observed_at ? *c.observed_at + audit_period_s : 0;
    if (!due || at < *due) due = at;
  }
  return due;
}

std::vector<ChatId> chats_to_read_before_removals(const Plan& plan, const AppliedState& applied,
                                                  std::int64_t since) {
  std::set<std::string> keys;
  for (const auto& a : plan.actions) {
    if (!a.held && is_destructive(a.type)) keys.insert(a.chat_key);
  }
  std::vector<ChatId> out;
  for (const auto& c : applied.chats) {
    if (!keys.contains(c.key) || !c.chat_id || c.drift != ChatDrift::none) continue;
    if (!c.observed_at || *c.observed_at < since) out.push_back(*c.chat_id);
  }
  return out;
}

std::vector<std::string> observe(AppliedState& applied, const Observation& o, Date today) {
  std::vector<std::string> changed;
  for (auto& c : applied.chats) {
    if (!watched(c)) {
      // A chat archived by hand that somebody brought back is watched again.
      if (c.drift == ChatDrift::archived_by_hand && c.chat_id) {
        const PlatformChat* listed = by_chat_id(std::span(o.listing), *c.chat_id);
        if (listed && !listed->archived) {
          c.drift = ChatDrift::none;
          changed.push_back(c.key);
        }
      }
      continue;
    }
    const AppliedChat before = c;
    const ChatMembers* read = by_chat_id(std::span(o.read), *c.chat_id);
    const PlatformChat* listed = by_chat_id(std::span(o.listing), *c.chat_id);
    if (read && !read->exists) c.drift = ChatDrift::deleted_by_hand;
    observe_listing(c, listed);
    if (read && read->exists && c.drift == ChatDrift::none) {
      observe_members(c, *read, o, today, applied);
    }
    if (!(c == before)) changed.push_back(c.key);
  }
  return changed;
}

namespace {

const DesiredChat* desired_chat(const DesiredState& desired, const std::string& key) {
  const auto it = std::ranges::lower_bound(desired.chats, key, {}, &DesiredChat::key);
  return it != desired.chats.end() && it->key == key ? &*it : nullptr;
}

// The one desired member of the chat without a platform account whom the account's name names,
// and who is not in the chat yet; nullptr when none or several.
const DesiredMember* named_by(const DesiredChat& d, const AppliedChat& c,
                              const PlatformMember& account) {
  const std::string wanted = fold_text(account.last_name + " " + account.first_name);
  if (account.last_name.empty() || account.first_name.empty()) return nullptr;
  const DesiredMember* found = nullptr;
  for (const auto& m : d.members) {
    if (m.platform_user_id || !m.person) continue;
    if (fold_text(m.person->last_name + " " + m.person->first_name) != wanted) continue;
    const bool in_chat = std::ranges::binary_search(c.members, std::string(m.person_id), {},
                                                    &AppliedMember::person_id);
    if (in_chat) continue;
    if (found) return nullptr;
    found = &m;
  }
  return found;
}

const PlatformMember* account_of(std::span<const ChatMembers> read, ChatId chat,
                                 PlatformUserId uid) {
  const ChatMembers* r = by_chat_id(read, chat);
  if (!r) return nullptr;
  for (const auto& m : r->members) {
    if (m.user_id == uid) return &m;
  }
  return nullptr;
}

// Who a "uid:<n>" member is: the desired member with that platform id, or a link joiner's name.
const DesiredMember* identify(const DesiredChat& d, const AppliedChat& c, const AppliedMember& m,
                              std::span<const ChatMembers> read) {
  for (const auto& want : d.members) {
    if (want.platform_user_id == m.platform_user_id) return &want;
  }
  if (m.origin != MemberOrigin::joined || !c.chat_id) return nullptr;
  const PlatformMember* account = account_of(read, *c.chat_id, *m.platform_user_id);
  return account ? named_by(d, c, *account) : nullptr;
}

}  // namespace

std::vector<std::string> recognise(AppliedState& applied, const DesiredState& desired,
                                   std::span<const ChatMembers> read) {
  std::vector<std::string> changed;
  for (auto& c : applied.chats) {
    const DesiredChat* d = desired_chat(desired, c.key);
    if (!d || !c.managed) continue;
    bool touched = false;
    for (std::size_t i = 0; i < c.members.size(); ++i) {
      AppliedMember& m = c.members[i];
      if (!is_uid_person(m.person_id) || !m.platform_user_id) continue;
      const DesiredMember* who = identify(*d, c, m, read);
      if (!who) continue;
      const std::string person(who->person_id);
      const auto same = std::ranges::find(c.members, person, &AppliedMember::person_id);
      if (same != c.members.end()) {
        // Already known under their id (added by rosterd, then seen as removed): they are here.
        same->presence = MemberPresence::present;
        same->presence_since.reset();
        same->platform_user_id = m.platform_user_id;
        m.person_id.clear();  // dropped below
      } else {
        m.person_id = person;
        if (m.origin == MemberOrigin::observed) m.origin = MemberOrigin::ours;
      }
      touched = true;
    }
    if (!touched) continue;
    std::erase_if(c.members, [](const AppliedMember& m) { return m.person_id.empty(); });
    sort_members(c);
    changed.push_back(c.key);
  }
  return changed;
}

namespace {

const AppliedMember* member_of(const AppliedChat& chat, std::string_view person_id) {
  const auto it = std::ranges::lower_bound(chat.members, person_id, {}, &AppliedMember::person_id);
  return it != chat.members.end() && it->person_id == person_id ? &*it : nullptr;
}

bool present(const AppliedChat* chat, std::string_view person_id) {
  const AppliedMember* m = chat ? member_of(*chat, person_id) : nullptr;
  return m && m->presence == MemberPresence::present;
}

// Whom a chat of this kind is for (KindNumbers): its audience.
bool audience(ChatKind kind, Why why) {
  switch (kind) {
    case ChatKind::class_chat:
    case ChatKind::association: return why == Why::student;
    case ChatKind::parents: return why == Why::parent;
    case ChatKind::staff: return why == Why::staff;
  }
  return false;
}

// The chat is on the platform and one of the group's leaders administers it there.
bool led(const DesiredChat& want, const AppliedChat* chat) {
  if (!chat) return false;
  return std::ranges::any_of(want.members, [&](const DesiredMember& m) {
    const AppliedMember* there = m.why == Why::leader ? member_of(*chat, m.person_id) : nullptr;
    return there && there->presence == MemberPresence::present &&
           there->role == MemberRole::admin;
  });
}

// The monitoring's figures over the chats the journal asks for (SchoolNumbers).
void count_audience(const DesiredState& desired, const AppliedState& applied, SchoolNumbers& out) {
  const auto live = [&](const std::string& key) -> const AppliedChat* {
    const auto it = std::ranges::lower_bound(applied.chats, key, {}, &AppliedChat::key);
    return it != applied.chats.end() && it->key == key && watched(*it) ? &*it : nullptr;
  };
  std::map<std::string_view, std::pair<bool, bool>> classes;  // group → class chat, parents' led
  for (const auto& d : desired.chats) {
    const AppliedChat* chat = live(d.key);
    KindNumbers& k = out.kind(d.kind);
    for (const auto& m : d.members) {
      if (!audience(d.kind, m.why)) continue;
      ++k.people;
      k.people_in += present(chat, m.person_id);
    }
    if (d.group_kind != GroupKind::class_group || d.kind == ChatKind::staff) continue;
    auto& [class_led, parents_led] = classes[d.group_id];
    if (d.kind == ChatKind::class_chat) class_led = led(d, chat);
    if (d.kind == ChatKind::parents) parents_led = led(d, chat);
  }
  out.classes = static_cast<std::uint32_t>(classes.size());
  for (const auto& [group, led_chats] : classes) {
    out.classes_covered += led_chats.first && led_chats.second;
  }
}

}  // namespace

SchoolNumbers numbers(const DesiredState& desired, const AppliedState& applied) {
  SchoolNumbers out;
  out.day = desired.today;
  out.name = desired.org_name;
  for (const auto& c : applied.chats) {
    if (!watched(c)) continue;
    ChatNumbers n;
    n.key = c.key;
    n.members_seen = c.members_seen;
    n.active = c.members_seen > active_chat_members;
    if (const DesiredChat* d = desired_chat(desired, c.key)) {
      n.expected = static_cast<std::uint32_t>(d->members.size());
      for (const auto& want : d->members) n.expected_in += present(&c, want.person_id);
      n.missing = n.expected - n.expected_in;
    }
    ++out.managed_chats;
    out.active_chats += n.active;
    out.expected += n.expected;
    out.expected_in += n.expected_in;
    ++out.kind(c.kind).chats;
    out.kind(c.kind).active += n.active;
    out.chats.push_back(std::move(n));
  }
  count_audience(desired, applied, out);
  return out;
}

}  // namespace rosterd::mapping
