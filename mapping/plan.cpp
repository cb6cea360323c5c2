#include "mapping/plan.h"
#include "mapping/ports.h"

namespace rosterd::mapping {
namespace {

// The enumerator of E (0 .. count-1) whose name() is `s`.
template <class E>
std::optional<E> parse_by_name(std::string_view s, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = static_cast<E>(i);
    if (name(value) == s) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view name(ActionType type) noexcept {
  switch (type) {
    case ActionType::create_chat: return "create_chat";
    case ActionType::rename_chat: return "rename_chat";
    case ActionType::archive_chat: return "archive_chat";
    case ActionType::add_member: return "add_member";
    case ActionType::remove_member: return "remove_member";
    case ActionType::set_admin: return "set_admin";
    case ActionType::unset_admin: return "unset_admin";
    case ActionType::issue_invite: return "issue_invite";
    case ActionType::annul_invite: return "annul_invite";
    case ActionType::adopt_chat: return "adopt_chat";
  }
  return "?";
}

std::optional<ActionType> parse_action_type(std::string_view s) noexcept {
  return parse_by_name<ActionType>(s, action_type_count);
}

bool is_destructive(ActionType type) noexcept {
  return type == ActionType::remove_member || type == ActionType::archive_chat;
}

std::string action_id(const Action& action) {
  std::string id{name(action.type)};
  id += ' ';
  id += action.chat_key;
  if (!action.person_id.empty()) {
    id += ' ';
    id += action.person_id;
  }
  if (action.type == ActionType::issue_invite || action.type == ActionType::annul_invite) {
    id += ' ';
    id += name(action.role);
  }
  return id;
}

std::string_view name(FindingCode code) noexcept {
  switch (code) {
    case FindingCode::shared_phone: return "shared_phone";
    case FindingCode::child_on_parent_phone: return "child_on_parent_phone";
    case FindingCode::group_without_leader: return "group_without_leader";
    case FindingCode::no_contact: return "no_contact";
    case FindingCode::skipped_record: return "skipped_record";
    case FindingCode::chat_without_admin: return "chat_without_admin";
    case FindingCode::unmanaged_chat: return "unmanaged_chat";
    case FindingCode::archived_chat: return "archived_chat";
    case FindingCode::source_failure: return "source_failure";
    case FindingCode::unclear_chat: return "unclear_chat";
    case FindingCode::rejected_write: return "rejected_write";
    case FindingCode::bad_name: return "bad_name";
    case FindingCode::removed_by_hand: return "removed_by_hand";
    case FindingCode::left_chat: return "left_chat";
    case FindingCode::added_by_hand: return "added_by_hand";
    case FindingCode::chat_deleted: return "chat_deleted";
    case FindingCode::chat_archived_by_hand: return "chat_archived_by_hand";
    case FindingCode::adoption_unclear: return "adoption_unclear";
    case FindingCode::unrecognised_joiner: return "unrecognised_joiner";
    case FindingCode::no_timezone: return "no_timezone";
    case FindingCode::unknown_timezone: return "unknown_timezone";
    case FindingCode::term_year_mismatch: return "term_year_mismatch";
    case FindingCode::duplicate_title: return "duplicate_title";
  }
  return "?";
}

std::optional<FindingCode> parse_finding_code(std::string_view s) noexcept {
  return parse_by_name<FindingCode>(s, finding_code_count);
}

std::string_view name(StateChangeType type) noexcept {
  switch (type) {
    case StateChangeType::mark_missing: return "mark_missing";
    case StateChangeType::clear_missing: return "clear_missing";
    case StateChangeType::rebind_chat: return "rebind_chat";
    case StateChangeType::forget_member: return "forget_member";
  }
  return "?";
}

std::size_t Summary::total() const noexcept {
  std::size_t n = 0;
  for (auto c : actions) n += c;
  return n;
}

std::size_t Summary::total_held() const noexcept {
  std::size_t n = 0;
  for (auto c : held) n += c;
  return n;
}

Summary summarize(const Plan& plan) noexcept {
  Summary s;
  for (const auto& a : plan.actions) {
    const auto i = static_cast<std::size_t>(a.type);
    ++s.actions[i];
    if (a.held) ++s.held[i];
  }
  s.state_changes = plan.state_changes.size();
  s.findings = plan.findings.size();
  return s;
}

std::string_view name(ActionStatus status) noexcept {
  switch (status) {
    case ActionStatus::intended: return "intended";
    case ActionStatus::done: return "done";
    case ActionStatus::rejected: return "rejected";
    case ActionStatus::unknown: return "unknown";
    case ActionStatus::not_sent: return "not_sent";
    case ActionStatus::resolved: return "resolved";
  }
  return "?";
}

std::optional<ActionStatus> parse_action_status(std::string_view s) noexcept {
  for (auto st : {ActionStatus::intended, ActionStatus::done, ActionStatus::rejected,
                  ActionStatus::unknown, ActionStatus::not_sent, ActionStatus::resolved}) {
    if (name(st) == s) return st;
  }
  return std::nullopt;
}

std::string_view name(CycleResult result) noexcept {
  switch (result) {
    case CycleResult::ok: return "ok";
    case CycleResult::partial: return "partial";
    case CycleResult::held: return "held";
    case CycleResult::source_failure: return "source_failure";
    case CycleResult::failed: return "failed";
    case CycleResult::stopped: return "stopped";
    case CycleResult::leased: return "leased";
    case CycleResult::unchanged: return "unchanged";
  }
  return "?";
}

std::optional<CycleResult> parse_cycle_result(std::string_view s) noexcept {
  return parse_by_name<CycleResult>(s, cycle_result_count);
}

}  // namespace rosterd::mapping
