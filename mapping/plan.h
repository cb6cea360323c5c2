#pragma once
// A Plan: the difference between desired and applied state, as actions a person can
// read (each with its reason) and state changes that need no platform call.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/state.h"

namespace rosterd::mapping {

// Each action is one platform write.
enum class ActionType : std::uint8_t {
  create_chat,
  rename_chat,
  archive_chat,
  add_member,
  remove_member,
  set_admin,
  unset_admin,
  issue_invite,  // also replaces a stale link: reset=1 annuls the previous one
  annul_invite,
  adopt_chat,  // take over a chat that already serves the group: recorded, no platform call
};
inline constexpr std::size_t action_type_count = 10;
[[nodiscard]] std::string_view name(ActionType type) noexcept;
[[nodiscard]] std::optional<ActionType> parse_action_type(std::string_view s) noexcept;
[[nodiscard]] bool is_destructive(ActionType type) noexcept;  // remove_member, archive_chat

struct Action {
  ActionType type = ActionType::add_member;
  std::string chat_key;
  ChatKind chat_kind = ChatKind::class_chat;
  std::string group_id;   // create_chat: the group the new chat serves
  std::string title;      // create_chat, rename_chat: the new title
  std::string person_id;  // member actions
  std::optional<PlatformUserId> platform_user_id;
  std::optional<std::int64_t> chat_id{};  // adopt_chat: the platform chat taken over
  // Member actions: the role after the action; invite actions: the role the link grants.
  MemberRole role = MemberRole::member;
  std::string reason;
  bool held = false;
  std::string held_reason;
  friend bool operator==(const Action&, const Action&) = default;
};

// A stable identity of an action, used to approve held actions: "remove_member class:g1 p7".
[[nodiscard]] std::string action_id(const Action& action);

enum class StateChangeType : std::uint8_t {
  mark_missing,   // start the grace period of a member (person_id set) or a chat
  clear_missing,  // the member or chat is back in the journal within the grace period
  rebind_chat,    // the chat serves the successor group from now on (new academic year)
  forget_member,  // a member removed or gone on the platform whom the journal no longer wants
};
[[nodiscard]] std::string_view name(StateChangeType type) noexcept;

struct StateChange {
  StateChangeType type = StateChangeType::mark_missing;
  std::string chat_key;   // the chat's key when the change is applied (rebinds come first)
  std::string person_id;  // empty: the change is about the chat itself
  Date since;             // mark_missing
  std::string new_key;    // rebind_chat
  std::string new_group_id;
  std::string reason;
  friend bool operator==(const StateChange&, const StateChange&) = default;
};

// Ids packed in one buffer, read as string_views: every cycle's plan lists everybody still to
// invite, often hundreds of people, and a string each would cost more than the rest of diff.
class IdList {
 public:
  IdList() = default;
  IdList(std::initializer_list<std::string_view> ids) {
    for (const auto id : ids) push_back(id);
  }
  void reserve(std::size_t ids, std::size_t chars) {
    ends_.reserve(ids);
    chars_.reserve(chars);
  }
  void push_back(std::string_view id) {
    chars_ += id;
    ends_.push_back(static_cast<std::uint32_t>(chars_.size()));
  }
  [[nodiscard]] std::size_t size() const noexcept { return ends_.size(); }
  [[nodiscard]] bool empty() const noexcept { return ends_.empty(); }
  [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(chars_).substr(begin, ends_[i] - begin);
  }

  class iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const IdList* list, std::size_t at) : list_(list), at_(at) {}
    std::string_view operator*() const noexcept { return (*list_)[at_]; }
    iterator& operator++() noexcept {
      ++at_;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator was = *this;
      ++at_;
      return was;
    }
    friend bool operator==(const iterator&, const iterator&) = default;

   private:
    const IdList* list_ = nullptr;
    std::size_t at_ = 0;
  };
  [[nodiscard]] iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {this, size()}; }
  friend bool operator==(const IdList&, const IdList&) = default;

 private:
  std::string chars_;
  std::vector<std::uint32_t> ends_;  // where each id ends in chars_
};

// People to invite into one chat, with the role their link grants: the report a class
// teacher uses to hand out links.
struct InviteList {
  std::string chat_key;
  MemberRole role = MemberRole::member;
  IdList person_ids;
};

struct Plan {
  std::string org_id;
  Date today;
  // State changes are applied before actions; actions of a rebound chat use its new key.
  std::vector<StateChange> state_changes;
  std::vector<Action> actions;  // ordered so that applying them in order is safe
  std::vector<Finding> findings;
  std::vector<InviteList> invites;
  std::size_t applied_memberships = 0;  // the guard's baseline for shares
  std::size_t applied_chats = 0;

  [[nodiscard]] bool empty() const noexcept { return actions.empty() && state_changes.empty(); }
};

struct Summary {
  std::array<std::size_t, action_type_count> actions{};  // indexed by ActionType
  std::array<std::size_t, action_type_count> held{};
  std::size_t state_changes = 0;
  std::size_t findings = 0;
  [[nodiscard]] std::size_t total() const noexcept;
  [[nodiscard]] std::size_t total_held() const noexcept;
};
[[nodiscard]] Summary summarize(const Plan& plan) noexcept;

}  // namespace rosterd::mapping
