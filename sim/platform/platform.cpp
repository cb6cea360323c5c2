#include "sim/platform/platform.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "sim/platform/params.h"

namespace rosterd::sim {

CallOutcome error_outcome(int code, std::string msg) {
  CallOutcome outcome;
  outcome.error_code = code;
  outcome.error_msg = std::move(msg);
  return outcome;
}

SimulatedPlatform::SimulatedPlatform(std::int64_t owner_id, std::uint64_t seed,
                                     const nlohmann::json& initial)
    : owner_id_(owner_id), seed_(seed), link_rng_(seed), initial_(initial) {
  if (!initial_.is_null()) load(initial_);
}

std::string SimulatedPlatform::token_digest(const std::string& token) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a, 64 bits
  for (const unsigned char byte : token) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

void SimulatedPlatform::revoke(const std::string& token) {
  const std::lock_guard lock(mutex_);
  revoked_.insert(token_digest(token));
}

bool SimulatedPlatform::revoked(const std::string& token) const {
  const std::lock_guard lock(mutex_);
  return revoked_.contains(token_digest(token));
}

const std::map<std::string, SimulatedPlatform::Handler>& SimulatedPlatform::handlers() {
  static const std::map<std::string, Handler> table = {
      {"messages.createChat", &SimulatedPlatform::create_chat},
      {"messages.editChat", &SimulatedPlatform::edit_chat},
      {"messages.addChatUser", &SimulatedPlatform::add_chat_user},
      {"messages.removeChatUser", &SimulatedPlatform::remove_chat_user},
      {"messages.getConversationMembers", &SimulatedPlatform::get_conversation_members},
      {"messages.setMemberRole", &SimulatedPlatform::set_member_role},
      {"messages.getInviteLink", &SimulatedPlatform::get_invite_link},
      {"sferum.archiveChat", &SimulatedPlatform::archive_chat},
      {"sferum.listChats", &SimulatedPlatform::list_chats},
      {"users.get", &SimulatedPlatform::users_get},
  };
  return table;
}

CallOutcome SimulatedPlatform::call(const std::string& token, const std::string& method,
                                    const Params& params) {
  const std::lock_guard lock(mutex_);
  auto outcome = dispatch(token, method, params);
  if (handlers().contains(method)) ++by_method_[method];
  if (outcome.changed) {
    ++writes_;
    last_write_ = std::chrono::steady_clock::now();
  }
  if (!outcome.ok()) ++errors_[std::to_string(outcome.error_code)];
  return outcome;
}

CallOutcome SimulatedPlatform::reject(const std::string& method, int code, std::string msg) {
  const std::lock_guard lock(mutex_);
  if (handlers().contains(method)) ++by_method_[method];
  ++errors_[std::to_string(code)];
  return error_outcome(code, std::move(msg));
}

CallOutcome SimulatedPlatform::dispatch(const std::string& token, const std::string& method,
                                        const Params& params) {
  const auto it = handlers().find(method);
  if (it == handlers().end()) return error_outcome(3, "Unknown method passed");
  try {
    return (this->*(it->second))(token, params);
  } catch (const ParamError& e) {
    return error_outcome(100, std::string("One of the parameters specified was missing or "
                                          "invalid: ") +
                                  e.what());
  }
}

SimulatedPlatform::Chat* SimulatedPlatform::find_chat(std::int64_t chat_id) {
  const auto it = chats_.find(chat_id);
  return it == chats_.end() ? nullptr : &it->second;
}

SimulatedPlatform::Chat* SimulatedPlatform::find_peer(std::int64_t peer_id) {
  return peer_id > peer_base ? find_chat(peer_id - peer_base) : nullptr;
}

SimulatedPlatform::Member* SimulatedPlatform::find_member(Chat& chat, std::int64_t user_id) {
  const auto it = std::find_if(chat.members.begin(), chat.members.end(),
                               [&](const Member& m) { return m.user_id == user_id; });
  return it == chat.members.end() ? nullptr : &*it;
}

SimulatedPlatform::Member& SimulatedPlatform::add_member(Chat& chat, std::int64_t user_id,
                                                         bool is_admin, std::int64_t invited_by) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return chat.members.emplace_back(
      Member{user_id, is_admin, false, invited_by != 0 ? invited_by : owner_id_, now, false});
}

std::string SimulatedPlatform::new_link() {
  // A state file's links came from another generator: never hand one of them out again.
  for (;;) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(link_rng_()));
    std::string link = std::string("https://sferum.sim/join/") + hex;
    if (!live_links_.contains(link)) return link;
  }
}

void SimulatedPlatform::annul_link(std::optional<std::string>& link) {
  if (link) live_links_.erase(*link);
  link.reset();
}

std::optional<std::int64_t> SimulatedPlatform::join(const std::string& link, std::int64_t user_id,
                                                     const std::string& first_name,
                                                     const std::string& last_name) {
  const std::lock_guard lock(mutex_);
  const auto it = live_links_.find(link);
  if (it == live_links_.end() || user_id <= 0) return std::nullopt;
  Chat& chat = chats_.at(it->second.chat_id);
  const bool as_admin = it->second.role == Role::admin;
  if (!first_name.empty() || !last_name.empty()) users_[user_id] = Profile{first_name, last_name};
  chat.left.erase(user_id);  // the link is the way back for someone who left
  if (Member* member = find_member(chat, user_id)) {
    member->is_admin = member->is_admin || as_admin;  // a member link never demotes
  } else {
    add_member(chat, user_id, as_admin).joined_by_link = true;
  }
  return chat.chat_id;
}

nlohmann::json SimulatedPlatform::state() const {
  const std::lock_guard lock(mutex_);
  return dump_state();
}

nlohmann::json SimulatedPlatform::stats() const {
  const std::lock_guard lock(mutex_);
  const auto seconds = [&](const auto& at) -> nlohmann::json {
    if (!at) return nullptr;
    return std::chrono::duration<double>(*at - counting_since_).count();
  };
  return {{"requests", requests_},
          {"by_method", nlohmann::json(by_method_)},
          {"writes", writes_},
          {"edits", edits_},
          {"errors", nlohmann::json(errors_)},
          {"now_s", seconds(std::optional(std::chrono::steady_clock::now()))},
          {"first_request_s", seconds(first_request_)},
          {"last_request_s", seconds(last_request_)},
          {"last_write_s", seconds(last_write_)}};
}

nlohmann::json SimulatedPlatform::memberships(const std::vector<std::int64_t>& user_ids) const {
  const std::lock_guard lock(mutex_);
  nlohmann::json answer = nlohmann::json::object();
  for (const auto id : user_ids) answer[std::to_string(id)] = nlohmann::json::array();
  for (const auto& [chat_id, chat] : chats_) {
    if (chat.archived) continue;
    for (const auto& member : chat.members) {
      const auto key = std::to_string(member.user_id);
      if (answer.contains(key)) answer[key].push_back(chat_id);
    }
  }
  return answer;
}

void SimulatedPlatform::count_request() {
  const std::lock_guard lock(mutex_);
  ++requests_;
  last_request_ = std::chrono::steady_clock::now();
  if (!first_request_) first_request_ = last_request_;
}

void SimulatedPlatform::count_call(const std::string& method) {
  const std::lock_guard lock(mutex_);
  ++by_method_[method];
}

void SimulatedPlatform::count_error(const std::string& code) {
  const std::lock_guard lock(mutex_);
  ++errors_[code];
}

void SimulatedPlatform::reset() {
  const std::lock_guard lock(mutex_);
  link_rng_.seed(seed_);
  chats_.clear();
  live_links_.clear();
  users_.clear();
  revoked_.clear();
  next_chat_id_ = 1;
  if (!initial_.is_null()) load(initial_);  // checked at start: cannot fail now
  requests_ = 0;
  writes_ = 0;
  edits_ = 0;
  counting_since_ = std::chrono::steady_clock::now();
  first_request_ = last_request_ = last_write_ = std::nullopt;
  by_method_.clear();
  errors_.clear();
}

}  // namespace rosterd::sim
