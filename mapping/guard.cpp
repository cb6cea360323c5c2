#include <algorithm>
#include <cmath>

#include "mapping/sync.h"

namespace rosterd::mapping {
namespace {

std::string percent(double share) {
  return std::to_string(static_cast<long>(std::lround(share * 100))) + " %";
}

// A journal answer that is empty or much smaller than the last good one is a broken source,
// not a mass withdrawal. Returns the reason, or empty when the source looks healthy.
std::string source_failure(const GuardInput& in) {
  if (in.current.persons == 0 || in.current.groups == 0)
    return "the journal returned no groups or no persons";
  if (!in.last_good) return {};
  const auto dropped = [&](std::size_t now, std::size_t before) {
    return before > 0 && static_cast<double>(before - std::min(now, before)) /
                                 static_cast<double>(before) > in.limits.max_source_drop;
  };
  const SourceCounts& last = *in.last_good;
  if (dropped(in.current.persons, last.persons) || dropped(in.current.groups, last.groups) ||
      dropped(in.current.enrolments, last.enrolments)) {
    return "the journal returned " + std::to_string(in.current.persons) + " persons, " +
           std::to_string(in.current.groups) + " groups and " +
           std::to_string(in.current.enrolments) + " enrolments; the last good answer had " +
           std::to_string(last.persons) + ", " + std::to_string(last.groups) + " and " +
           std::to_string(last.enrolments) + " (more than " + percent(in.limits.max_source_drop) +
           " fewer)";
  }
  return {};
}

// Holds the actions of one type (every action when `type` is empty), approved ones excepted.
void hold(Plan& plan, std::optional<ActionType> type, const std::string& why,
          const std::set<std::string>* approved) {
  for (auto& a : plan.actions) {
    if ((type && a.type != *type) || (approved && approved->contains(action_id(a)))) continue;
    a.held = true;
    a.held_reason = why;
  }
}

// Holds every not-yet-approved action of one destructive type when there are too many.
void limit(Plan& plan, ActionType type, int max_count, double max_share, std::size_t base,
           const std::set<std::string>& approved) {
  const auto n = static_cast<std::size_t>(std::count_if(
      plan.actions.begin(), plan.actions.end(),
      [&](const Action& a) { return a.type == type && !approved.contains(action_id(a)); }));
  if (n == 0) return;
  const double share = base ? static_cast<double>(n) / static_cast<double>(base) : 1.0;
  if (n <= static_cast<std::size_t>(std::max(max_count, 0)) && share <= max_share) return;
  hold(plan, type,
       std::to_string(n) + " " + std::string(name(type)) + " actions (" + percent(share) + " of " +
           std::to_string(base) + ") exceed the limit of " + std::to_string(max_count) + " or " +
           percent(max_share) + "; approve with `rosterd approve`",
       &approved);
}

}  // namespace

Plan guard(Plan plan, const GuardInput& in) {
  if (const std::string failure = source_failure(in); !failure.empty()) {
    const std::string why = "source failure: " + failure;
    const bool empty_answer = in.current.persons == 0 || in.current.groups == 0;
    if (empty_answer) {
      hold(plan, std::nullopt, why, nullptr);  // nothing in an empty answer is to be trusted
    } else {
      hold(plan, ActionType::remove_member, why, nullptr);
      hold(plan, ActionType::archive_chat, why, nullptr);
    }
    // A broken answer must not start anybody's grace period either.
    std::erase_if(plan.state_changes, [](const StateChange& c) {
      return c.type == StateChangeType::mark_missing;
    });
    plan.findings.push_back({FindingCode::source_failure, {plan.org_id}, why});
    return plan;
  }
  limit(plan, ActionType::remove_member, in.limits.max_removals, in.limits.max_removal_share,
        plan.applied_memberships, in.approved);
  limit(plan, ActionType::archive_chat, in.limits.max_archives, in.limits.max_archive_share,
        plan.applied_chats, in.approved);
  return plan;
}

}  // namespace rosterd::mapping
