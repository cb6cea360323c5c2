#pragma once
// One school's look at the platform (docs/observed-state.md), shared by a sync cycle and a dry
// run (`plan --look`): the organisation's listing, the chats due for a read folded into the
// applied state, and a planning that first reads what it needs (adoption candidates, chats with
// removals or archives not read yet) and plans again. It reads; it never writes.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mapping/observe.h"
#include "mapping/ports.h"
#include "mapping/school_plan.h"

namespace rosterd::daemon {

class PlatformLook {
 public:
  PlatformLook(mapping::Platform& platform, std::string org_id,
               std::function<std::int64_t()> now_unix);

  // Lists the organisation's chats (an authenticated call: a dead token throws
  // PlatformAuthError here) and reads the chats due; `bound`: chats any school of the store is
  // bound to. Returns the keys of the chats the look changed.
  std::vector<std::string> look(mapping::AppliedState& applied, mapping::Date today,
                                std::set<mapping::ChatId> bound, std::int64_t audit_period_s,
                                bool full_audit);

  // Plans with what was seen; reads what the plan needs first and plans again (at most twice
  // more). `changed` gets the keys of the chats those reads changed in `applied`.
  mapping::SchoolPlanning plan(const mapping::SchoolSettings& school, const mapping::Roster& roster,
                               mapping::AppliedState& applied, const std::set<std::string>& approved,
                               mapping::Date today, const std::map<std::string, mapping::ChatId>& bindings,
                               std::set<std::string>& changed);

  [[nodiscard]] std::size_t chats_read() const noexcept { return chats_read_; }

 private:
  std::vector<std::string> read(mapping::AppliedState& applied, mapping::Date today,
                                std::vector<mapping::ChatId> ids);
  [[nodiscard]] bool was_read(mapping::ChatId id) const;
  std::int64_t now() const { return now_unix_ ? now_unix_() : 0; }

  mapping::Platform& platform_;
  std::string org_id_;
  std::function<std::int64_t()> now_unix_;
  std::int64_t started_ = 0;
  mapping::PlatformUserId self_ = 0;
  std::vector<mapping::PlatformChat> listing_;
  std::vector<mapping::ChatMembers> read_;
  std::set<mapping::ChatId> bound_;
  std::size_t chats_read_ = 0;
};

}  // namespace rosterd::daemon
