#include "mapping/cycle_rules.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "mapping/message.h"
#include "mapping/text.h"
#include "mapping/wording.h"

namespace rosterd::mapping {

const std::vector<std::vector<ActionType>>& write_phases() {
  static const std::vector<std::vector<ActionType>> phases = {
      {ActionType::adopt_chat},  // first: later actions of the chat need its platform id
      {ActionType::create_chat, ActionType::rename_chat},
      {ActionType::add_member, ActionType::issue_invite},
      {ActionType::set_admin},
      {ActionType::unset_admin, ActionType::remove_member, ActionType::annul_invite},
      {ActionType::archive_chat},
  };
  return phases;
}

void WriteCounts::add(ActionType type, WriteStatus status) {
  auto& t = by_type[static_cast<std::size_t>(type)];
  switch (status) {
    case WriteStatus::done: ++t.done; break;
    case WriteStatus::rejected: ++t.rejected; break;
    case WriteStatus::unknown: ++t.unknown; break;
    case WriteStatus::not_sent: ++t.not_sent; break;
  }
}

WriteTally WriteCounts::total() const {
  WriteTally sum;
  for (const auto& t : by_type) {
    sum.done += t.done;
    sum.rejected += t.rejected;
    sum.unknown += t.unknown;
    sum.not_sent += t.not_sent;
  }
  return sum;
}

CycleResult cycle_result(const CycleFacts& facts) {
  if (facts.stopped) return CycleResult::stopped;
  if (facts.source_failure) return CycleResult::source_failure;
  const auto t = facts.writes.total();
  if (t.rejected + t.not_sent + t.unknown > 0) return CycleResult::partial;
  if (facts.held) return CycleResult::held;
  return CycleResult::ok;
}

bool saves_baseline(const CycleFacts& facts) { return !facts.stopped && !facts.source_failure; }

std::vector<std::string> consumed_approvals(std::span<const Action> done,
                                            const std::set<std::string>& approved) {
  std::vector<std::string> out;
  for (const auto& a : done) {
    auto id = action_id(a);
    if (approved.contains(id)) out.push_back(std::move(id));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

std::string refusal_text(const Rejection& r) {
  std::string text = std::to_string(r.error_code);
  if (!r.message.empty()) text += ": " + r.message;
  return text;
}

}  // namespace

std::size_t hold_repeated_rejections(Plan& plan, std::span<const Rejection> rejections,
                                     const std::set<std::string>& approved) {
  std::map<std::string, const Rejection*, std::less<>> repeated;
  for (const auto& r : rejections) {
    if (r.times >= repeated_rejection_threshold) repeated.emplace(action_id(r.action), &r);
  }
  if (repeated.empty()) return 0;
  std::size_t held = 0;
  for (auto& a : plan.actions) {
    if (a.held) continue;
    const auto id = action_id(a);
    const auto it = repeated.find(id);
    if (it == repeated.end() || approved.contains(id)) continue;
    const Rejection& r = *it->second;
    a.held = true;
    const auto times = static_cast<long long>(r.times);
    a.held_reason = msg_n("cycle.held_refused",
                          "refused by the platform {n} time in a row ({error}); sent again once "
                          "approved",
                          "refused by the platform {n} times in a row ({error}); sent again once "
                          "approved",
                          times, {{"error", refusal_text(r)}});
    std::vector<std::string> subjects{a.chat_key};
    if (r.chat_id) subjects.push_back("chat_id:" + std::to_string(*r.chat_id));
    if (!a.person_id.empty()) subjects.push_back(a.person_id);
    plan.findings.push_back(
        {FindingCode::rejected_write, std::move(subjects),
         a.person_id.empty()
             ? msg_n("cycle.refused_write",
                     "{action} in {chat} was refused {n} time in a row ({error}): held until an "
                     "administrator approves it",
                     "{action} in {chat} was refused {n} times in a row ({error}): held until an "
                     "administrator approves it",
                     times,
                     {{"action", action_msg(a.type)},
                      {"chat", quote_id(a.chat_key)},
                      {"error", refusal_text(r)}})
             : msg_n("cycle.refused_member_write",
                     "{action} in {chat} for {person} was refused {n} time in a row ({error}): "
                     "held until an administrator approves it",
                     "{action} in {chat} for {person} was refused {n} times in a row ({error}): "
                     "held until an administrator approves it",
                     times,
                     {{"action", action_msg(a.type)},
                      {"chat", quote_id(a.chat_key)},
                      {"person", quote_id(a.person_id)},
                      {"error", refusal_text(r)}})});
    ++held;
  }
  return held;
}

}  // namespace rosterd::mapping
