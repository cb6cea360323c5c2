#include <algorithm>
#include <cmath>

#include "mapping/sync.h"

namespace rosterd::mapping {
namespace {

std::string percent(double share) {
  return std::to_string(static_cast<long>(std::lround(share * 100))) + " %";
}

// One list of the answer against the last good answer: "enrolments 12 instead of 120".
// A list that had items and has none now, or lost more than the allowed share, shrank too much.
void check_list(std::string& out, const char* list, std::size_t now, std::size_t before,
                double max_drop) {
  if (before == 0 || now >= before) return;
  const double drop = static_cast<double>(before - now) / static_cast<double>(before);
  if (now != 0 && drop <= max_drop) return;
  if (!out.empty()) out += ", ";
  out += std::string(list) + " " + std::to_string(now) + " instead of " + std::to_string(before) +
         " (" + percent(drop) + " fewer)";
}

// A journal answer that is empty, much smaller than the last good one, or only about past
// academic years is a broken source, not a mass withdrawal. Returns the reason, or empty when
// the source looks healthy.
std::string source_failure(const GuardInput& in, Date today) {
  if (in.current.persons == 0 || in.current.groups == 0)
    return "the journal returned no groups or no persons";
  if (in.latest_academic_year != 0 && in.latest_academic_year < today.academic_year()) {
    const int y = in.latest_academic_year;
    return "stale export: the latest academic year in the answer is " + std::to_string(y) + "/" +
           std::to_string(y + 1) + ", which ended on " + std::to_string(y + 1) + "-08-31";
  }
  if (!in.last_good) return {};
  const SourceCounts& now = in.current;
  const SourceCounts& last = *in.last_good;
  const double max_drop = in.limits.max_source_drop;
  std::string shrunk;
  check_list(shrunk, "persons", now.persons, last.persons, max_drop);
  check_list(shrunk, "groups", now.groups, last.groups, max_drop);
  check_list(shrunk, "enrolments", now.enrolments, last.enrolments, max_drop);
  check_list(shrunk, "relations", now.relations, last.relations, max_drop);
  check_list(shrunk, "leader assignments", now.leaders, last.leaders, max_drop);
  if (shrunk.empty()) return {};
  return "the journal's answer is much smaller than the last good one: " + shrunk +
         "; a list that empties or loses more than " + percent(max_drop) + " is not trusted";
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
  if (const std::string failure = source_failure(in, plan.today); !failure.empty()) {
    // Nothing in a distrusted answer is to be acted on: no annul, no invite reset, no stand-in
    // admin, no rename, no grace period; an approval does not release it either.
    const std::string why = "source failure: " + failure;
    hold(plan, std::nullopt, why, nullptr);
    plan.state_changes.clear();
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
