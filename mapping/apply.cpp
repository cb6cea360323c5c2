#include <algorithm>

#include "mapping/sync.h"

namespace rosterd::mapping {
namespace {

// Where a chat with this key is or would go: chats stay sorted by key.
std::vector<AppliedChat>::iterator chat_position(AppliedState& s, const std::string& key) {
  return std::lower_bound(s.chats.begin(), s.chats.end(), key,
                          [](const AppliedChat& c, const std::string& k) { return c.key < k; });
}

AppliedChat* find_chat(AppliedState& s, const std::string& key) {
  const auto it = chat_position(s, key);
  return it != s.chats.end() && it->key == key ? &*it : nullptr;
}

void sort_chats(AppliedState& s) {
  std::sort(s.chats.begin(), s.chats.end(),
            [](const AppliedChat& a, const AppliedChat& b) { return a.key < b.key; });
}

std::vector<AppliedMember>::iterator find_member(AppliedChat& c, const std::string& person_id) {
  return std::lower_bound(c.members.begin(), c.members.end(), person_id,
                          [](const AppliedMember& m, const std::string& id) { return m.person_id < id; });
}

AppliedMember* member(AppliedChat& c, const std::string& person_id) {
  const auto it = find_member(c, person_id);
  return it != c.members.end() && it->person_id == person_id ? &*it : nullptr;
}

void apply_to_chat(AppliedChat& chat, const Action& action, Date today, const Outcome& outcome) {
  switch (action.type) {
    case ActionType::create_chat:
    case ActionType::adopt_chat: break;
    case ActionType::rename_chat:
      chat.title = action.title;
      chat.observed_title.reset();
      break;
    case ActionType::archive_chat: chat.archived = true; break;
    case ActionType::add_member:
      if (auto* m = member(chat, action.person_id)) {
        if (m->presence != MemberPresence::present) ++chat.members_seen;
        m->presence = MemberPresence::present;  // added back after somebody removed them
        m->presence_since.reset();
        m->platform_user_id = action.platform_user_id;
      } else {
        AppliedMember added;
        added.person_id = action.person_id;
        added.platform_user_id = action.platform_user_id;
        added.role = action.role;
        chat.members.insert(find_member(chat, action.person_id), std::move(added));
        ++chat.members_seen;
      }
      break;
    case ActionType::remove_member:
      if (auto* m = member(chat, action.person_id)) {
        if (m->presence == MemberPresence::present && chat.members_seen > 0) --chat.members_seen;
        chat.members.erase(find_member(chat, action.person_id));
      }
      break;
    case ActionType::set_admin:
    case ActionType::unset_admin:
      if (auto* m = member(chat, action.person_id)) m->role = action.role;
      break;
    case ActionType::issue_invite:
    case ActionType::annul_invite:
      std::erase_if(chat.invites, [&](const AppliedInvite& i) { return i.role == action.role; });
      if (action.type == ActionType::issue_invite)
        chat.invites.push_back({action.role, outcome.invite_link, today});
      break;
  }
}

}  // namespace

void apply_action(AppliedState& applied, const Action& action, Date today,
                  const Outcome& outcome) {
  const auto at = chat_position(applied, action.chat_key);
  const bool exists = at != applied.chats.end() && at->key == action.chat_key;
  // A chat made again (approved after it was deleted or archived by hand) starts afresh.
  if (action.type == ActionType::create_chat && exists) applied.chats.erase(at);
  if (action.type == ActionType::create_chat) {
    const auto place = chat_position(applied, action.chat_key);
    AppliedChat chat;
    chat.key = action.chat_key;
    chat.kind = action.chat_kind;
    chat.group_id = action.group_id;
    chat.chat_id = outcome.chat_id;
    chat.title = action.title;
    chat.members_seen = 1;  // rosterd's own user, the chat's owner
    // In place, not appended and re-sorted: a plan creating thousands of chats would sort
    // thousands of times.
    applied.chats.insert(place, std::move(chat));
    return;
  }
  if (exists) apply_to_chat(*at, action, today, outcome);
}

void apply_state_change(AppliedState& applied, const StateChange& change) {
  AppliedChat* chat = find_chat(applied, change.chat_key);
  if (!chat) return;
  switch (change.type) {
    case StateChangeType::mark_missing:
    case StateChangeType::clear_missing: {
      std::optional<Date> since;
      if (change.type == StateChangeType::mark_missing) since = change.since;
      if (change.person_id.empty()) {
        chat->missing_since = since;
      } else if (auto* m = member(*chat, change.person_id)) {
        m->missing_since = since;
      }
      break;
    }
    case StateChangeType::forget_member:
      if (member(*chat, change.person_id)) chat->members.erase(find_member(*chat, change.person_id));
      break;
    case StateChangeType::rebind_chat:
      chat->key = change.new_key;
      chat->group_id = change.new_group_id;
      sort_chats(applied);
      break;
  }
}

bool apply_refusal(AppliedState& applied, const Action& action, int error_code, Date today) {
  AppliedChat* chat = find_chat(applied, action.chat_key);
  if (!chat) return false;
  if (error_code == 927) {
    chat->drift = ChatDrift::deleted_by_hand;
    return true;
  }
  if (error_code != 15 || action.type != ActionType::add_member) return false;
  AppliedMember* m = member(*chat, action.person_id);
  if (!m) {
    AppliedMember left;
    left.person_id = action.person_id;
    left.platform_user_id = action.platform_user_id;
    m = &*chat->members.insert(find_member(*chat, action.person_id), std::move(left));
  }
  if (m->presence == MemberPresence::left) return false;
  m->presence = MemberPresence::left;
  m->presence_since = today;
  return true;
}

AppliedState assume_applied(AppliedState applied, const Plan& plan) {
  for (const auto& change : plan.state_changes) apply_state_change(applied, change);
  for (const auto& action : plan.actions) {
    if (!action.held) apply_action(applied, action, plan.today);
  }
  return applied;
}

}  // namespace rosterd::mapping
