#include "daemon/platform_look.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "mapping/adoption.h"
#include "mapping/message.h"

namespace rosterd::daemon {

PlatformLook::PlatformLook(mapping::Platform& platform, std::string org_id,
                           std::function<std::int64_t()> now_unix)
    : platform_(platform), org_id_(std::move(org_id)), now_unix_(std::move(now_unix)) {}

std::vector<std::string> PlatformLook::look(mapping::AppliedState& applied, mapping::Date today,
                                            std::set<mapping::ChatId> bound,
                                            std::int64_t audit_period_s, bool full_audit) {
  started_ = now();
  listing_ = platform_.list_org_chats(org_id_);
  self_ = platform_.self_id();
  bound_ = std::move(bound);
  // Folds in what the listing alone tells (a title changed, a chat archived) as well.
  return read(applied, today,
              mapping::chats_to_read(applied, listing_, started_, audit_period_s, full_audit));
}

bool PlatformLook::was_read(mapping::ChatId id) const {
  return std::any_of(read_.begin(), read_.end(),
                     [&](const mapping::ChatMembers& r) { return r.chat_id == id; });
}

std::vector<std::string> PlatformLook::read(mapping::AppliedState& applied, mapping::Date today,
                                            std::vector<mapping::ChatId> ids) {
  std::erase_if(ids, [&](mapping::ChatId id) { return was_read(id); });
  mapping::Observation seen;
  seen.at = now();
  seen.self = self_;
  seen.listing = listing_;
  if (!ids.empty()) seen.read = platform_.read_members(ids);
  chats_read_ += seen.read.size();
  auto changed = mapping::observe(applied, seen, today);
  read_.insert(read_.end(), seen.read.begin(), seen.read.end());
  return changed;
}

mapping::SchoolPlanning PlatformLook::plan(const mapping::SchoolSettings& school,
                                           const mapping::Roster& roster,
                                           mapping::AppliedState& applied,
                                           const std::set<std::string>& approved,
                                           mapping::Date today,
                                           const std::map<std::string, mapping::ChatId>& bindings,
                                           std::set<std::string>& changed) {
  for (int round = 0;; ++round) {
    const mapping::PlatformView view{listing_, read_, bound_, self_, bindings};
    auto planned = mapping::plan_school(school, roster, applied, approved, today, &view);
    if (planned.refused()) throw std::runtime_error(mapping::english(planned.refusal));
    auto more = mapping::adoption_candidates(planned.desired, applied, listing_, bound_, bindings);
    const auto before = mapping::chats_to_read_before_removals(planned.plan, planned.applied, started_);
    more.insert(more.end(), before.begin(), before.end());
    std::erase_if(more, [&](mapping::ChatId id) { return was_read(id); });
    if (more.empty() || round == 2) return planned;
    for (auto& key : read(applied, today, std::move(more))) changed.insert(std::move(key));
  }
}

}  // namespace rosterd::daemon
