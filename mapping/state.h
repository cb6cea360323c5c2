#pragma once
// Desired state (what the journal says should exist today) and applied state (what
// rosterd made real on the platform last time). Both are plain values.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/chat.h"
#include "mapping/model.h"

namespace rosterd::mapping {

// What a finding is about; its name() is the stable code in the plan's JSON and in logs.
enum class FindingCode : std::uint8_t {
  shared_phone,           // one phone number used by two people
  child_on_parent_phone,  // a child registered on a parent's phone
  group_without_leader,
  no_contact,             // a person the chats need who cannot be invited
  skipped_record,         // a record left out (points nowhere)
  chat_without_admin,
  unmanaged_chat,         // a chat rosterd knows of but does not own
  archived_chat,          // a managed chat archived on the platform
  source_failure,         // the journal's answer is not to be trusted; nothing is written
  unclear_chat,           // a chat found after an unknown outcome that rosterd cannot prove its own
  rejected_write,         // a write the platform refused the same way on consecutive cycles
  bad_name,               // a name with control characters or too long: kept, cleaned and cut
  removed_by_hand,        // a managed member removed on the platform (reported; policy "report")
  left_chat,              // a member left by themselves: not forced back, offered the link
  added_by_hand,          // somebody in a managed chat whom rosterd did not add (kept)
  chat_deleted,           // a managed chat deleted on the platform: made again only if approved
  chat_archived_by_hand,  // a managed chat archived on the platform: made again only if approved
  adoption_unclear,       // a group may already have a chat: nothing is created until decided
  unrecognised_joiner,    // somebody joined by link whom rosterd cannot tell from the journal
  no_timezone,            // no zone from the journal or the config: the school's day is the machine's
  unknown_timezone,       // a zone this machine does not know: the school's day is the machine's
  term_year_mismatch,     // a term's school year (OneRoster schoolYear) its dates contradict
  duplicate_title,        // two chats of one school that would have the same title
};
inline constexpr std::size_t finding_code_count = 23;
[[nodiscard]] std::string_view name(FindingCode code) noexcept;
[[nodiscard]] std::optional<FindingCode> parse_finding_code(std::string_view s) noexcept;

struct Finding {
  FindingCode code = FindingCode::skipped_record;
  std::vector<std::string> subject_ids;  // person, group or chat ids; never contacts
  std::string message;
  friend bool operator==(const Finding&, const Finding&) = default;
};

// Why a person belongs in a chat. The text is rendered only for the actions that need it
// (member_reason), so a cycle with nothing to do builds no strings.
enum class Why : std::uint8_t {
  student,
  leader,
  teacher,
  parent,
  staff,
  fallback_no_leader,    // the platform administrator stands in: the group has no leader
  fallback_unlinked,     // ... the leaders have not linked a platform account yet
  fallback_no_director,  // ... the staff chat has no linked director
};

// DesiredState views the Roster and Rules it was computed from (ids, persons): keep them alive
// while it is used. It is a cycle's intermediate value; the Plan owns everything it holds.
struct DesiredMember {
  std::string_view person_id;
  std::optional<PlatformUserId> platform_user_id;  // nullopt: needs an invite link
  MemberRole role = MemberRole::member;
  Why why = Why::student;
  const Person* person = nullptr;  // nullptr for the fallback admin
  std::optional<Date> since;       // the enrolment's or employment's first day
  std::uint32_t children_begin = 0;  // parents: their children in DesiredChat::children
  std::uint32_t children_count = 0;
};

// Somebody who left a chat's group with a dated reason: removed without a grace period.
struct Departure {
  std::string person_id;
  std::string reason;  // "withdrawn, last day 2026-11-20"
};

struct DesiredChat {
  std::string key;
  ChatKind kind = ChatKind::class_chat;
  GroupKind group_kind = GroupKind::class_group;
  std::string group_id;    // the organisation id for the staff chat
  std::string group_name;  // for reasons: "5А"
  std::optional<std::string> previous_key;  // last year's chat of the same kind
  std::string title;
  std::vector<DesiredMember> members;    // sorted by person_id, one entry a person
  std::vector<Departure> departures;     // sorted by person_id
  std::vector<const Person*> children;   // parents' children, ranges per DesiredMember
};

// "student of 5А since 2026-09-01", "parent of Иванова Анна, Иванов Пётр (5А)": a message
// (mapping/wording.cpp).
[[nodiscard]] std::string member_reason(const DesiredChat& chat, const DesiredMember& member);

// A group that ended with a date: its chats are archived without a grace period.
struct ClosedGroup {
  std::string group_id;
  std::string reason;  // "closed on 2027-06-30", "graduated"
};

struct DesiredState {
  std::string org_id;
  std::string org_name;  // the organisation's name in the journal, for reports
  Date today;            // the day it was worked out for
  std::vector<DesiredChat> chats;          // sorted by key
  std::vector<ClosedGroup> closed_groups;  // sorted by group_id
  std::vector<Finding> findings;
};

enum class MemberOrigin : std::uint8_t {
  ours,      // rosterd added the person, or found them in a chat it adopted where they belong
  observed,  // seen on the platform (added by hand); kept unless the policy is strict
  joined,    // came in through an invite link; a journal person when recognised
};

// Whether a member rosterd knows of is in the chat, as the last read of the platform saw it.
enum class MemberPresence : std::uint8_t {
  present,
  removed,  // gone from the chat without rosterd removing them: somebody removed them
  left,     // left by themselves: the platform refuses to add them back (error 15)
};

struct AppliedMember {
  std::string person_id;  // journal id; "uid:<n>" for an observed member unknown to the journal
  std::optional<PlatformUserId> platform_user_id;
  MemberRole role = MemberRole::member;
  MemberOrigin origin = MemberOrigin::ours;
  std::optional<Date> missing_since;  // first day the journal no longer had them here
  MemberPresence presence = MemberPresence::present;
  std::optional<Date> presence_since{};  // the day a read first saw them removed or left
  friend bool operator==(const AppliedMember&, const AppliedMember&) = default;
};

// An invite link of a chat for one role: the member link (students or parents, by chat kind)
// or the admin link (leaders who have not linked their account yet).
struct AppliedInvite {
  MemberRole role = MemberRole::member;
  std::string link;  // empty until the platform answered
  Date issued_on;
  friend bool operator==(const AppliedInvite&, const AppliedInvite&) = default;
};

// What happened to a managed chat on the platform, outside rosterd.
enum class ChatDrift : std::uint8_t {
  none,
  archived_by_hand,  // archived on the platform, not by rosterd
  deleted_by_hand,   // gone from the platform (not listed, or 927)
};

struct AppliedChat {
  std::string key;
  ChatKind kind = ChatKind::class_chat;
  std::string group_id;
  std::optional<std::int64_t> chat_id;  // platform id; nullopt while not yet created
  std::string title;
  bool archived = false;
  bool managed = true;  // false: a chat rosterd knows of but does not own; never touched
  std::optional<Date> missing_since;  // first day its group was missing from the journal
  std::vector<AppliedMember> members;  // sorted by person_id
  std::vector<AppliedInvite> invites;  // one per role at most
  // Observed state: what the last reads of the platform saw.
  std::optional<std::int64_t> observed_at{};    // Unix seconds of the last read of its members
  std::optional<std::string> observed_title{};  // the platform's title when not `title` (renamed)
  ChatDrift drift = ChatDrift::none;
  // How many members the platform should count in it: set by each read (everybody, rosterd's
  // own user included) and kept up to date by rosterd's own writes, so a listing that counts
  // otherwise shows that somebody else changed its members.
  std::uint32_t members_seen = 0;
  friend bool operator==(const AppliedChat&, const AppliedChat&) = default;
};

// The numbers the reports use, per managed chat and for the school.
struct ChatNumbers {
  std::string key;
  std::uint32_t members_seen = 0;  // everybody in it at the last look
  std::uint32_t expected = 0;      // the people the journal puts in it
  std::uint32_t expected_in = 0;   // ... of them, in it
  std::uint32_t missing = 0;       // ... of them, not in it yet
  bool active = false;             // more than 3 members
  friend bool operator==(const ChatNumbers&, const ChatNumbers&) = default;
};
// The weekly monitoring's figures of one kind of chat. A kind's audience is the people the chat
// is for: students in class and association chats, parents in parents' chats, staff in the staff
// chat (class teachers, subject teachers and stand-ins are not counted). It is counted by
// membership over every chat the journal asks for, made or not: a parent of two classes counts
// in each class's parents' chat, and the students of a class whose chat does not exist yet count
// as not in it.
struct KindNumbers {
  std::uint32_t chats = 0;      // managed chats on the platform (not archived, not gone)
  std::uint32_t active = 0;     // ... with more than 3 members
  std::uint32_t people = 0;     // the audience the journal puts in this kind's chats
  std::uint32_t people_in = 0;  // ... of them, in their chat
  friend bool operator==(const KindNumbers&, const KindNumbers&) = default;
};
inline constexpr std::size_t chat_kind_count = 4;  // ChatKind's values, in order
struct SchoolNumbers {
  std::vector<ChatNumbers> chats;  // by key
  std::uint32_t managed_chats = 0;
  std::uint32_t active_chats = 0;
  std::uint32_t expected = 0;
  std::uint32_t expected_in = 0;
  // The weekly monitoring (docs/reports.md). `day` is the day the numbers are of; the store
  // keeps the latest numbers of each week by it.
  std::optional<Date> day{};
  std::string name{};  // the organisation's name
  std::array<KindNumbers, chat_kind_count> kinds{};  // by ChatKind
  std::uint32_t classes = 0;  // class groups the journal has today
  // ... that have a class chat and a parents' chat, each administered by a class teacher of the
  // class (present, as admin; a stand-in administrator does not count)
  std::uint32_t classes_covered = 0;
  [[nodiscard]] double coverage() const noexcept {
    return expected == 0 ? 1.0 : static_cast<double>(expected_in) / expected;
  }
  [[nodiscard]] KindNumbers& kind(ChatKind k) noexcept { return kinds[static_cast<std::size_t>(k)]; }
  [[nodiscard]] const KindNumbers& kind(ChatKind k) const noexcept {
    return kinds[static_cast<std::size_t>(k)];
  }
  friend bool operator==(const SchoolNumbers&, const SchoolNumbers&) = default;
};
struct AppliedState {
  std::string org_id;
  std::vector<AppliedChat> chats;  // sorted by key
  std::optional<SourceCounts> last_good_counts;
  // Not stored: leaders this cycle's read saw demoted on the platform (chat key, person id),
  // so that the plan says why it promotes them again.
  std::vector<std::pair<std::string, std::string>> demoted_by_hand{};
  // Not stored: the platform's profile names of members the journal does not know ("uid:<n>"),
  // as this cycle's read saw them, so that findings name them.
  std::vector<std::pair<PlatformUserId, std::string>> profile_names{};
  friend bool operator==(const AppliedState&, const AppliedState&) = default;
};

}  // namespace rosterd::mapping
