#include "mapping/chat.h"

namespace rosterd::mapping {

std::string_view name(ChatKind kind) noexcept {
  switch (kind) {
    case ChatKind::class_chat: return "class";
    case ChatKind::parents: return "parents";
    case ChatKind::association: return "association";
    case ChatKind::staff: return "staff";
  }
  return "?";
}

std::string_view name(MemberRole role) noexcept {
  return role == MemberRole::admin ? "admin" : "member";
}

std::optional<ChatKind> parse_chat_kind(std::string_view s) noexcept {
  if (s == "class") return ChatKind::class_chat;
  if (s == "parents") return ChatKind::parents;
  if (s == "association") return ChatKind::association;
  if (s == "staff") return ChatKind::staff;
  return std::nullopt;
}

std::optional<MemberRole> parse_member_role(std::string_view s) noexcept {
  if (s == "admin") return MemberRole::admin;
  if (s == "member") return MemberRole::member;
  return std::nullopt;
}

std::string chat_key(ChatKind kind, std::string_view group_or_org_id) {
  std::string key{name(kind)};
  key += ':';
  key += group_or_org_id;
  return key;
}

}  // namespace rosterd::mapping
