#pragma once
// The vocabulary of chats on the platform side, shared by desired and applied state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd::mapping {

enum class ChatKind : std::uint8_t { class_chat, parents, association, staff };
enum class MemberRole : std::uint8_t { member, admin };

[[nodiscard]] std::string_view name(ChatKind kind) noexcept;  // class, parents, association, staff
[[nodiscard]] std::string_view name(MemberRole role) noexcept;
[[nodiscard]] std::optional<ChatKind> parse_chat_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<MemberRole> parse_member_role(std::string_view s) noexcept;

// A chat's identity in rosterd: its kind and the group it serves ("class:g-5a-2026"),
// or "staff:<org id>" for the staff chat. Stable while the group exists; on a new academic
// year the chat is rebound to the successor group's key.
[[nodiscard]] std::string chat_key(ChatKind kind, std::string_view group_or_org_id);

}  // namespace rosterd::mapping
