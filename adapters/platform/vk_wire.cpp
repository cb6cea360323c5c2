#include "adapters/platform/vk_wire.h"

namespace rosterd::adapters::platform {
namespace {

using mapping::ActionType;
using mapping::MemberRole;
using mapping::PlatformWrite;
using nlohmann::json;

std::string_view role_name(MemberRole role) noexcept {
  return role == MemberRole::admin ? "admin" : "member";
}

std::int64_t peer_of(mapping::ChatId chat_id) noexcept {
  return peer_id_base + chat_id;
}

// Bad UTF-8 in a title must not throw half way through a batch: it is replaced, and the
// platform judges the title it gets.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string text_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : dump(value);
}

}  // namespace

std::optional<Call> call_for(const PlatformWrite& write) {
  if (write.type == ActionType::create_chat) {
    // Members are added by their own writes, so each one gets its own result.
    Call call{"messages.createChat", {{"title", write.title}, {"user_ids", ""}}};
    // The organisation's listing shows the chat with the school's other chats.
    if (!write.org_id.empty()) call.params["organisation_id"] = write.org_id;
    return call;
  }
  if (!write.chat_id) return std::nullopt;
  const mapping::ChatId chat = *write.chat_id;
  switch (write.type) {
    case ActionType::create_chat:
    case ActionType::adopt_chat:  // recorded by rosterd; nothing to send
      break;
    case ActionType::rename_chat:
      return Call{"messages.editChat", {{"chat_id", chat}, {"title", write.title}}};
    case ActionType::archive_chat:
      return Call{"sferum.archiveChat", {{"peer_id", peer_of(chat)}}};
    case ActionType::add_member:
      return Call{"messages.addChatUser", {{"chat_id", chat}, {"user_id", write.user_id}}};
    case ActionType::remove_member:
      return Call{"messages.removeChatUser", {{"chat_id", chat}, {"member_id", write.user_id}}};
    case ActionType::set_admin:
    case ActionType::unset_admin: {
      // The role follows from the action, whatever the write's role field says.
      const MemberRole role =
          write.type == ActionType::set_admin ? MemberRole::admin : MemberRole::member;
      return Call{
          "messages.setMemberRole",
          {{"peer_id", peer_of(chat)}, {"member_id", write.user_id}, {"role", role_name(role)}}};
    }
    case ActionType::issue_invite:
    case ActionType::annul_invite:
      // reset=1 annuls the live link of this chat and role; issuing keeps the new one,
      // annulling discards it (nobody ever sees it).
      return Call{"messages.getInviteLink",
                  {{"peer_id", peer_of(chat)}, {"reset", 1}, {"role", role_name(write.role)}}};
  }
  return std::nullopt;
}

std::string form_body(const json& params, std::string_view api_version,
                      const std::function<std::string(std::string_view)>& escape) {
  std::string body;
  for (const auto& [key, value] : params.items()) {
    body += escape(key);
    body += '=';
    body += escape(text_of(value));
    body += '&';
  }
  body += "v=";
  body += escape(api_version);
  return body;
}

std::string execute_code(std::span<const Call> calls) {
  std::string code = "return [";
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (i > 0) code += ", ";
    code += "API.";
    code += calls[i].method;
    code += '(';
    code += dump(calls[i].params);
    code += ')';
  }
  code += "];";
  return code;
}

Answer parse_answer(std::string_view body) {
  Answer answer;
  const json parsed = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    answer.failure = Failure{Failure::Kind::malformed, 0};
    return answer;
  }
  if (const auto error = parsed.find("error"); error != parsed.end()) {
    if (!error->is_object() || !error->contains("error_code") ||
        !(*error)["error_code"].is_number_integer()) {
      answer.failure = Failure{Failure::Kind::malformed, 0};
      return answer;
    }
    answer.failure = Failure{Failure::Kind::platform_error, (*error)["error_code"].get<int>()};
    answer.error_msg = error->value("error_msg", std::string());
    return answer;
  }
  const auto response = parsed.find("response");
  if (response == parsed.end()) {
    answer.failure = Failure{Failure::Kind::malformed, 0};
    return answer;
  }
  answer.response = *response;
  if (const auto errors = parsed.find("execute_errors");
      errors != parsed.end() && errors->is_array()) {
    answer.execute_errors = *errors;
  }
  return answer;
}

Failure execute_failure(const Answer& answer, std::size_t& next_error, const std::string& method,
                        std::string& detail) {
  if (next_error >= answer.execute_errors.size()) {
    detail = "false without an execute_errors entry";
    return Failure{Failure::Kind::malformed, 0};
  }
  const json& entry = answer.execute_errors[next_error++];
  const json code = entry.is_object() ? entry.value("error_code", json()) : json();
  const bool same_method =
      !entry.is_object() || !entry.contains("method") || entry["method"] == json(method);
  if (!code.is_number_integer() || !same_method) {
    detail = "execute_errors entry does not match the call";
    return Failure{Failure::Kind::malformed, 0};
  }
  detail = entry.value("error_msg", std::string());
  return Failure{Failure::Kind::platform_error, code.get<int>()};
}

mapping::WriteResult result_of_success(const PlatformWrite& write, const json& response) {
  mapping::WriteResult result;
  result.status = mapping::WriteStatus::done;
  if (write.type == ActionType::create_chat) {
    if (response.is_object() && response.contains("chat_id") &&
        response["chat_id"].is_number_integer()) {
      result.chat_id = response["chat_id"].get<mapping::ChatId>();
    } else {
      // A chat may have been made that we cannot name: the daemon looks for it.
      result.status = mapping::WriteStatus::unknown;
      result.message = "messages.createChat: answer without chat_id";
    }
  } else if (write.type == ActionType::issue_invite) {
    if (response.is_object() && response.contains("link") && response["link"].is_string()) {
      result.invite_link = response["link"].get<std::string>();
    } else {
      // The old link is likely annulled already and the new one is lost: look, then reissue.
      result.status = mapping::WriteStatus::unknown;
      result.message = "messages.getInviteLink: answer without link";
    }
  }
  return result;
}

}  // namespace rosterd::adapters::platform
