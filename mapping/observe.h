#pragma once
// Observed state: what rosterd saw on the platform, folded into the applied state so that the
// diff works from what is there, not only from what rosterd once wrote. Pure functions; the
// daemon does the reading (Platform::list_org_chats, read_members) and passes the time.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "mapping/ports.h"
#include "mapping/state.h"

namespace rosterd::mapping {

// One look at a school on the platform.
struct Observation {
  std::int64_t at = 0;       // Unix seconds, when it was read
  PlatformUserId self = 0;   // the token's own user: never a member rosterd manages
  std::vector<PlatformChat> listing;  // every chat of the organisation (all pages)
  std::vector<ChatMembers> read;      // the chats whose members were read
};

// Which managed chats to read now: those never read or read longer than `audit_period_s` ago,
// those whose member count in the listing differs from what rosterd expects, those the listing
// lacks (to tell whether they are gone), all of them when
// `full` (an administrator's audit). Deleted and archived chats are not read.
[[nodiscard]] std::vector<ChatId> chats_to_read(const AppliedState& applied,
                                                std::span<const PlatformChat> listing,
                                                std::int64_t now, std::int64_t audit_period_s,
                                                bool full);

// When the first managed chat falls due for its audit read (chats_to_read's period, without a
// listing): the earliest observed_at + audit_period_s of the chats it watches, a chat never read
// being due at once (its due time is 0); nullopt: no chat to read. A cycle that skips the
// platform (daemon/sync.cpp) does so only before this time, so no audit read is ever late.
[[nodiscard]] std::optional<std::int64_t> next_audit(const AppliedState& applied,
                                                     std::int64_t audit_period_s);

// The chats in which the plan removes somebody or which it archives, and that were not read at
// `since` or later: read before any removal or archive.
[[nodiscard]] std::vector<ChatId> chats_to_read_before_removals(const Plan& plan,
                                                                const AppliedState& applied,
                                                                std::int64_t since);

// Folds an observation into the applied state:
// - a managed chat read as gone (927) is deleted_by_hand (one only missing from the listing is
//   read first: chats made before they carried their organisation are not listed); one archived
//   on the platform but not by rosterd is archived_by_hand; a title that differs is kept in
//   observed_title;
// - of a chat whose members were read: a known member absent is `removed` (from `today`),
//   unless already `left`; a member present again is `present`; a member's role follows what
//   the platform shows; somebody present whom rosterd does not know is added as "uid:<n>",
//   origin `joined` when they came by link, else `observed`; observed_at and members_seen are
//   set. rosterd's own user is never a member.
// Returns the keys of the chats it changed.
std::vector<std::string> observe(AppliedState& applied, const Observation& observation,
                                 Date today);

// Recognises people the journal knows among the members rosterd saw but could not name:
// "uid:<n>" members whose platform id a desired member of the chat has, and link joiners
// whose account name is the name of exactly one desired member without a platform id.
// They take the person's id (and the member keeps the platform id it was seen with), so the
// journal linking their account later adds nobody twice. Returns the changed chats' keys.
std::vector<std::string> recognise(AppliedState& applied, const DesiredState& desired,
                                   std::span<const ChatMembers> read);

inline constexpr std::uint32_t active_chat_members = 3;  // a chat is active above this
[[nodiscard]] SchoolNumbers numbers(const DesiredState& desired, const AppliedState& applied);

}  // namespace rosterd::mapping
