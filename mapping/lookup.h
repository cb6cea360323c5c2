#pragma once
// The crash look-up's decision for a chat creation whose outcome is unknown (a lost answer,
// error 10, a crash between the intent and its outcome): which platform chat, if any, is
// provably the one this school's intent created. Pure: the daemon reads the platform and the
// store and hands the facts in.
//
// Schools of a region share one token, and two schools can share a short name, so a title
// alone proves nothing: a chat is bound only when every fact says it is ours.

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/ports.h"
#include "mapping/state.h"

namespace rosterd::mapping {

// How far the store's clock (when the intent was recorded) and the platform's clock (when a
// chat was made) may disagree. A chat made more than this before the intent cannot be the
// intent's; one made inside the margin but not ours is still caught by the other checks
// (bound elsewhere, or a second candidate, or a stranger in it).
inline constexpr std::int64_t lookup_clock_margin_seconds = 300;

// A platform chat with the same title, with its members (read only for these chats).
struct LookupChat {
  PlatformChat chat;
  std::vector<PlatformMember> members;
};

// What is known when the look-up runs.
struct CreateLookup {
  std::string org_id;
  std::string chat_key;
  std::string title;
  std::optional<std::int64_t> intended_at;  // Unix seconds, the store's clock; nullopt: unknown
  std::set<ChatId> bound;                   // chats any school of the store is bound to
  std::set<PlatformUserId> known_users;     // this school's people (applied state, fallback admin)
};

enum class LookupVerdict : std::uint8_t {
  made,      // exactly one chat is provably ours: bind it
  not_made,  // no chat can be ours: the creation is planned again
  unclear,   // a chat may be ours but is not provably so: nothing bound, nothing created
};

struct LookupDecision {
  LookupVerdict verdict = LookupVerdict::not_made;
  std::optional<ChatId> chat_id;  // made
  std::optional<Finding> finding;  // unclear: FindingCode::unclear_chat for an administrator
};

// `same_title` holds the platform chats whose title equals `lookup.title` (others are ignored).
// A chat is left out as provably not ours when it is archived, bound to any school, made by
// the platform (created_by 0), or made before the intent (beyond the clock margin). Of the
// rest (the candidates): none → not_made; exactly one whose members are all the token's own
// user (its creator) or people this school knows → made; otherwise → unclear, naming the
// school and every candidate.
[[nodiscard]] LookupDecision decide_created_chat(const CreateLookup& lookup,
                                                 std::span<const LookupChat> same_title);

// "2026-11-30T21:26:24.123Z" (or without fraction / Z) as Unix seconds; nullopt if malformed.
[[nodiscard]] std::optional<std::int64_t> unix_seconds_from_iso(std::string_view iso) noexcept;

// Everyone this school's applied state holds with a platform account.
[[nodiscard]] std::set<PlatformUserId> known_platform_users(const AppliedState& applied);

}  // namespace rosterd::mapping
