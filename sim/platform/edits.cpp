// POST /sim/edit: what a person does in the app, not through the API — a teacher removes or adds
// someone, a member leaves, an admin is demoted, a chat is renamed, archived or deleted. Edits
// are not API requests: /sim/stats counts them under "edits" only.
#include <algorithm>

#include "sim/platform/params.h"
#include "sim/platform/platform.h"

namespace rosterd::sim {
namespace {

using nlohmann::json;

EditOutcome bad(std::string error) {
  return EditOutcome{400, std::move(error)};
}

// A field the action needs; nullopt (and `error` set) when it is missing or of another type.
std::optional<std::int64_t> int_field(const json& body, const std::string& key,
                                      std::string& error) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) {
    error = key + ": expected an integer";
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

std::optional<std::string> text_field(const json& body, const std::string& key,
                                      std::string& error) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_string()) {
    error = key + ": expected a string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

const std::set<std::string>& chat_actions() {
  static const std::set<std::string> actions = {"rename", "archive", "delete"};
  return actions;
}

const std::set<std::string>& member_actions() {
  static const std::set<std::string> actions = {"remove_member", "add_member", "leave",
                                                "set_role"};
  return actions;
}

}  // namespace

EditOutcome SimulatedPlatform::edit(const json& body) {
  if (!body.is_object()) return bad("expected a JSON object");
  std::string error;
  const auto action = text_field(body, "action", error);
  if (!action) return bad(error);
  if (!chat_actions().contains(*action) && !member_actions().contains(*action)) {
    return bad("action: unknown action " + *action);
  }
  const auto chat_id = int_field(body, "chat_id", error);
  if (!chat_id) return bad(error);

  const std::lock_guard lock(mutex_);
  Chat* chat = find_chat(*chat_id);
  if (chat == nullptr) return EditOutcome{404, "no chat " + std::to_string(*chat_id)};
  EditOutcome outcome;
  if (*action == "delete") {
    annul_link(chat->member_link);
    annul_link(chat->admin_link);
    chats_.erase(*chat_id);
  } else if (*action == "archive") {
    chat->archived = true;
    annul_link(chat->member_link);
    annul_link(chat->admin_link);
  } else if (chat->archived) {
    return bad("chat " + std::to_string(*chat_id) + " is archived: nobody can change it");
  } else if (*action == "rename") {
    const auto title = text_field(body, "title", error);
    if (!title) return bad(error);
    try {
      check_title(*title);
    } catch (const ParamError& e) {
      return bad(e.what());
    }
    chat->title = *title;
  } else {
    outcome = edit_member(*chat, *action, body);
  }
  if (outcome.status == 200) ++edits_;
  return outcome;
}

EditOutcome SimulatedPlatform::edit_member(Chat& chat, const std::string& action,
                                           const json& body) {
  std::string error;
  const auto user_id = int_field(body, "user_id", error);
  if (!user_id) return bad(error);
  if (*user_id <= 0) return bad("user_id: must be positive");
  Member* member = find_member(chat, *user_id);
  const auto who = "user " + std::to_string(*user_id);
  if (action == "add_member") {
    std::int64_t by = 1;  // some teacher, unless the edit says who
    if (body.contains("by")) {
      const auto given = int_field(body, "by", error);
      if (!given) return bad(error);
      by = *given;
    }
    if (member != nullptr) return {};
    if (chat.left.contains(*user_id)) {
      return bad(who + " left the chat and can only come back through an invite link");
    }
    add_member(chat, *user_id, false, by);
    return {};
  }
  if (member == nullptr) return bad(who + " is not in the chat");
  if (action == "set_role") {
    const auto role = text_field(body, "role", error);
    if (!role) return bad(error);
    if (*role != "admin" && *role != "member") return bad("role: expected admin or member");
    if (member->is_owner && *role == "member") return bad("the owner cannot be demoted");
    member->is_admin = *role == "admin";
    return {};
  }
  if (member->is_owner) return bad("the owner cannot be removed or leave");
  std::erase_if(chat.members, [&](const Member& m) { return m.user_id == *user_id; });
  if (action == "leave") chat.left.insert(*user_id);
  return {};
}

}  // namespace rosterd::sim
