// The API methods of the simulated platform. Each runs under the platform's mutex (call()).
#include <algorithm>
#include <chrono>

#include "sim/platform/params.h"
#include "sim/platform/platform.h"

namespace rosterd::sim {
namespace {

CallOutcome no_chat() {
  return error_outcome(927, "Chat does not exist");
}
CallOutcome archived() {
  return error_outcome(917, "You don't have access to this chat");
}
CallOutcome not_in_chat() {
  return error_outcome(935, "User not found in chat");
}
CallOutcome owner_untouchable() {
  return error_outcome(15, "Access denied: the chat owner cannot be removed or demoted");
}
CallOutcome left_by_self() {
  return error_outcome(15,
                       "Access denied: the user left the chat and can only come back through an "
                       "invite link");
}

CallOutcome success(nlohmann::json response, bool changed) {
  CallOutcome outcome;
  outcome.response = std::move(response);
  outcome.changed = changed;
  return outcome;
}

// offset and count of a paged read; count beyond the method's maximum is a bad parameter.
std::pair<std::size_t, std::size_t> page(const Params& params, std::int64_t max_count) {
  const auto offset = optional_int(params, "offset", 0);
  const auto count = optional_int(params, "count", 20);
  if (offset < 0) throw ParamError("offset is negative");
  if (count < 0 || count > max_count) {
    throw ParamError("count must be between 0 and " + std::to_string(max_count));
  }
  return {static_cast<std::size_t>(offset), static_cast<std::size_t>(count)};
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CallOutcome SimulatedPlatform::create_chat(const std::string& token, const Params& params) {
  const auto title = optional_string(params, "title", "");
  check_title(title);
  const auto user_ids = id_list(params, "user_ids");
  Chat chat;
  chat.chat_id = next_chat_id_++;
  chat.creator = token_digest(token);
  chat.organisation_id = optional_string(params, "organisation_id", "");
  chat.created_by = owner_id_;
  chat.created_at = unix_now();
  chat.title = title;
  add_member(chat, owner_id_, true).is_owner = true;
  auto peer_ids = nlohmann::json::array();
  for (const auto id : user_ids) {
    if (find_member(chat, id) != nullptr) continue;
    add_member(chat, id, false);
    peer_ids.push_back(id);
  }
  const auto chat_id = chat.chat_id;
  chats_.emplace(chat_id, std::move(chat));
  return success({{"chat_id", chat_id}, {"peer_ids", std::move(peer_ids)}}, true);
}

CallOutcome SimulatedPlatform::edit_chat(const std::string&, const Params& params) {
  Chat* chat = find_chat(required_int(params, "chat_id"));
  const auto title = optional_string(params, "title", "");
  check_title(title);
  if (chat == nullptr) return no_chat();
  if (chat->archived) return archived();
  const bool changed = chat->title != title;
  chat->title = title;
  return success(1, changed);
}

CallOutcome SimulatedPlatform::add_chat_user(const std::string&, const Params& params) {
  Chat* chat = find_chat(required_int(params, "chat_id"));
  const auto user_id = required_int(params, "user_id");
  if (user_id <= 0) throw ParamError("user_id is not a user");
  if (chat == nullptr) return no_chat();
  if (chat->archived) return archived();
  if (find_member(*chat, user_id) != nullptr) return success(1, false);
  if (chat->left.contains(user_id)) return left_by_self();
  add_member(*chat, user_id, false);
  return success(1, true);
}

CallOutcome SimulatedPlatform::remove_chat_user(const std::string&, const Params& params) {
  Chat* chat = find_chat(required_int(params, "chat_id"));
  const auto member_id = required_int(params, "member_id");
  if (chat == nullptr) return no_chat();
  if (chat->archived) return archived();
  const Member* member = find_member(*chat, member_id);
  if (member == nullptr) return not_in_chat();
  if (member->is_owner) return owner_untouchable();
  std::erase_if(chat->members, [&](const Member& m) { return m.user_id == member_id; });
  return success(1, true);
}

CallOutcome SimulatedPlatform::get_conversation_members(const std::string&, const Params& params) {
  Chat* chat = find_peer(required_int(params, "peer_id"));
  const auto [offset, count] = page(params, 1000);
  if (chat == nullptr) return no_chat();
  auto items = nlohmann::json::array();
  std::vector<const Member*> page_members;
  for (std::size_t i = offset; i < chat->members.size() && i < offset + count; ++i) {
    const Member& m = chat->members[i];
    page_members.push_back(&m);
    items.push_back({{"member_id", m.user_id},
                     {"is_admin", m.is_admin},
                     {"is_owner", m.is_owner},
                     {"invited_by", m.invited_by},
                     {"join_date", m.join_date},
                     {"joined_by_link", m.joined_by_link}});
  }
  return success({{"count", chat->members.size()},
                  {"items", std::move(items)},
                  {"profiles", profiles_of(page_members)}},
                 false);
}

CallOutcome SimulatedPlatform::set_member_role(const std::string&, const Params& params) {
  Chat* chat = find_peer(required_int(params, "peer_id"));
  const auto member_id = required_int(params, "member_id");
  const auto role = optional_string(params, "role", "");
  if (role != "admin" && role != "member") throw ParamError("role must be admin or member");
  if (chat == nullptr) return no_chat();
  if (chat->archived) return archived();
  Member* member = find_member(*chat, member_id);
  if (member == nullptr) return not_in_chat();
  const bool admin = role == "admin";
  if (member->is_owner && !admin) return owner_untouchable();
  const bool changed = member->is_admin != admin;
  member->is_admin = admin;
  return success(1, changed);
}

CallOutcome SimulatedPlatform::get_invite_link(const std::string&, const Params& params) {
  Chat* chat = find_peer(required_int(params, "peer_id"));
  const auto reset = optional_int(params, "reset", 0);
  if (reset != 0 && reset != 1) throw ParamError("reset must be 0 or 1");
  const auto role_name = optional_string(params, "role", "member");
  if (role_name != "admin" && role_name != "member") {
    throw ParamError("role must be member or admin");
  }
  if (chat == nullptr) return no_chat();
  if (chat->archived) return archived();
  const Role role = role_name == "admin" ? Role::admin : Role::member;
  auto& link = role == Role::admin ? chat->admin_link : chat->member_link;
  if (link && reset == 0) return success({{"link", *link}}, false);
  annul_link(link);
  link = new_link();
  live_links_[*link] = LinkTarget{chat->chat_id, role};
  return success({{"link", *link}}, true);
}

CallOutcome SimulatedPlatform::archive_chat(const std::string&, const Params& params) {
  Chat* chat = find_peer(required_int(params, "peer_id"));
  if (chat == nullptr) return no_chat();
  if (chat->archived) return success(1, false);
  chat->archived = true;
  // A read-only chat can be joined by nobody, so its links die with it.
  annul_link(chat->member_link);
  annul_link(chat->admin_link);
  return success(1, true);
}

nlohmann::json SimulatedPlatform::profiles_of(const std::vector<const Member*>& members) const {
  auto profiles = nlohmann::json::array();
  for (const Member* m : members) {
    const auto it = users_.find(m->user_id);
    if (it == users_.end()) continue;
    profiles.push_back({{"id", m->user_id},
                        {"first_name", it->second.first_name},
                        {"last_name", it->second.last_name}});
  }
  return profiles;
}

CallOutcome SimulatedPlatform::list_chats(const std::string& token, const Params& params) {
  const auto [offset, count] = page(params, 200);
  // Without a scope, the token's own chats; scope=organisation: every chat of that
  // organisation, whoever made it (the platform, a teacher, this token).
  const auto scope = optional_string(params, "scope", "");
  const auto organisation = optional_string(params, "organisation_id", "");
  if (!scope.empty() && scope != "organisation") throw ParamError("scope must be organisation");
  if (!scope.empty() && organisation.empty()) throw ParamError("organisation_id is missing");
  const auto creator = token_digest(token);
  auto items = nlohmann::json::array();
  std::size_t seen = 0;
  for (const auto& [id, chat] : chats_) {
    if (scope.empty() ? chat.creator != creator : chat.organisation_id != organisation) continue;
    if (seen >= offset && seen < offset + count) {
      items.push_back({{"chat_id", id},
                       {"peer_id", peer_base + id},
                       {"title", chat.title},
                       {"archived", chat.archived},
                       {"members_count", chat.members.size()},
                       {"created_by", chat.created_by},
                       {"created_at", chat.created_at}});
    }
    ++seen;
  }
  return success({{"count", seen}, {"items", std::move(items)}}, false);
}

// users.get: the named users' profiles (those the simulator knows), or the token's own user.
CallOutcome SimulatedPlatform::users_get(const std::string&, const Params& params) {
  auto ids = id_list(params, "user_ids");
  const bool own = ids.empty();
  if (own) ids.push_back(owner_id_);
  auto users = nlohmann::json::array();
  for (const auto id : ids) {
    const auto it = users_.find(id);
    if (it != users_.end()) {
      users.push_back({{"id", id},
                       {"first_name", it->second.first_name},
                       {"last_name", it->second.last_name}});
    } else if (own) {
      users.push_back({{"id", id}, {"first_name", "Sim"}, {"last_name", "Administrator"}});
    }
  }
  return success(std::move(users), false);
}

}  // namespace rosterd::sim
