#pragma once
// The words the core's messages share (mapping/message.h): chat kinds, roles, the journal's own
// names of reasons and positions, and how a reason or a finding names a person. A word goes into
// a message as a message of its own, never as English text, so every reader gets it in their
// language.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/plan.h"

namespace rosterd::mapping {

// A chat's kind as "the chat of …" says it: "class", "parents" ("чат родителей").
[[nodiscard]] std::string kind_msg(ChatKind kind);
// A role as "as …" says it: "member", "admin".
[[nodiscard]] std::string role_msg(MemberRole role);
// An action's type as a finding names it: "add_member" ("добавление участника").
[[nodiscard]] std::string action_msg(ActionType type);
// The journal's name of an enrolment's end or start ("withdrawn", "transfer"), a message when
// it is one the export format names, else the cleaned text as the journal wrote it.
[[nodiscard]] std::string journal_reason(std::string_view reason);
// A staff position ("director", "teacher") the same way.
[[nodiscard]] std::string position_msg(std::string_view position);

// Who a member is in a chat: "student of 5А", with `since` "student of 5А since 2026-09-01".
void append_who(std::string& out, const DesiredChat& chat, const DesiredMember& member, bool since);
// A person as a finding names them: "Иванова Анна (student of 5А)".
[[nodiscard]] std::string person_msg(const DesiredChat& chat, const DesiredMember& member);
// A member of the chat by id: the desired member's name and place when the journal wants them
// here, the platform's profile name for a "uid:<n>" member whose account was read
// (`profile_names`), else the id (quote_id).
[[nodiscard]] std::string member_msg(
    const DesiredChat& chat, std::string_view person_id,
    const std::vector<std::pair<PlatformUserId, std::string>>& profile_names);

// A title as messages quote it: «5А · родители».
[[nodiscard]] std::string quoted(std::string_view title);

// Names joined for a finding: "A, B, C", at most `shown` of them and "…" after.
[[nodiscard]] std::string name_list(const std::vector<std::string>& names, std::size_t shown);

}  // namespace rosterd::mapping
