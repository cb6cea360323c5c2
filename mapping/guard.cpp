#include <algorithm>
#include <cmath>

#include "mapping/message.h"
#include "mapping/sync.h"

namespace rosterd::mapping {
namespace {

std::string percent(double share) {
  return std::to_string(static_cast<long>(std::lround(share * 100))) + " %";
}

// One list of the answer against the last good answer: "enrolments 12 instead of 120".
// A list that had items and has none now, or lost more than the allowed share, shrank too much.
// `list` is the list's name as a message.
void check_list(std::string& out, const std::string& list, std::size_t now, std::size_t before,
                double max_drop) {
  if (before == 0 || now >= before) return;
  const double drop = static_cast<double>(before - now) / static_cast<double>(before);
  if (now != 0 && drop <= max_drop) return;
  if (!out.empty()) out += ", ";
  append_msg(out, "guard.list_shrank", "{list} {now} instead of {before} ({share} fewer)",
             {{"list", list},
              {"now", std::to_string(now)},
              {"before", std::to_string(before)},
              {"share", percent(drop)}});
}

// A journal answer that is empty, much smaller than the last good one, or only about past
// academic years is a broken source, not a mass withdrawal. Returns the reason, or empty when
// the source looks healthy.
std::string source_failure(const GuardInput& in, Date today) {
  if (in.current.persons == 0 || in.current.groups == 0)
    return msg("guard.empty_answer", "the journal returned no groups or no persons");
  if (in.latest_academic_year != 0 && in.latest_academic_year < today.academic_year()) {
    const int y = in.latest_academic_year;
    return msg("guard.stale_export",
               "stale export: the latest academic year in the answer is {year}, which ended on {date}",
               {{"year", std::to_string(y) + "/" + std::to_string(y + 1)},
                {"date", std::to_string(y + 1) + "-08-31"}});
  }
  if (!in.last_good) return {};
  const SourceCounts& now = in.current;
  const SourceCounts& last = *in.last_good;
  const double max_drop = in.limits.max_source_drop;
  std::string shrunk;
  check_list(shrunk, msg("guard.list.persons", "persons"), now.persons, last.persons, max_drop);
  check_list(shrunk, msg("guard.list.groups", "groups"), now.groups, last.groups, max_drop);
  check_list(shrunk, msg("guard.list.enrolments", "enrolments"), now.enrolments, last.enrolments,
             max_drop);
  check_list(shrunk, msg("guard.list.relations", "relations"), now.relations, last.relations,
             max_drop);
  check_list(shrunk, msg("guard.list.leaders", "leader assignments"), now.leaders, last.leaders,
             max_drop);
  if (shrunk.empty()) return {};
  return msg("guard.answer_shrank",
             "the journal's answer is much smaller than the last good one: {lists}; a list that "
             "empties or loses more than {share} is not trusted",
             {{"lists", shrunk}, {"share", percent(max_drop)}});
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
       type == ActionType::archive_chat
           ? msg_n("guard.too_many_archives",
                   "{n} archive_chat actions ({share} of {base}) exceed the limit of {max} or "
                   "{max_share}; approve with `rosterd approve`",
                   "{n} archive_chat actions ({share} of {base}) exceed the limit of {max} or "
                   "{max_share}; approve with `rosterd approve`",
                   static_cast<long long>(n),
                   {{"share", percent(share)},
                    {"base", std::to_string(base)},
                    {"max", std::to_string(max_count)},
                    {"max_share", percent(max_share)}})
           : msg_n("guard.too_many_removals",
                   "{n} remove_member actions ({share} of {base}) exceed the limit of {max} or "
                   "{max_share}; approve with `rosterd approve`",
                   "{n} remove_member actions ({share} of {base}) exceed the limit of {max} or "
                   "{max_share}; approve with `rosterd approve`",
                   static_cast<long long>(n),
                   {{"share", percent(share)},
                    {"base", std::to_string(base)},
                    {"max", std::to_string(max_count)},
                    {"max_share", percent(max_share)}}),
       &approved);
}

}  // namespace

Plan guard(Plan plan, const GuardInput& in) {
  if (const std::string failure = source_failure(in, plan.today); !failure.empty()) {
    // Nothing in a distrusted answer is to be acted on: no annul, no invite reset, no stand-in
    // admin, no rename, no grace period; an approval does not release it either.
    const std::string why =
        msg("guard.source_failure", "source failure: {why}", {{"why", failure}});
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
