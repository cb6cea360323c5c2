#pragma once
// One school's planning: the one place `plan`, `sync` and `run` pass, whatever the source type.
// It refuses an answer that holds another organisation, then runs desired → diff → guard, and
// the guard holds every write of an answer it does not trust.

#include <map>
#include <set>
#include <span>
#include <vector>
#include <string>
#include <string_view>

#include "mapping/ports.h"
#include "mapping/sync.h"

namespace rosterd::mapping {

struct SchoolPlanning {
  DesiredState desired;  // views the roster and rules it was computed from
  Plan plan;             // as guarded
  // With a platform view: the applied state the plan was made against (people recognised,
  // adopted chats in), the keys of the chats recognition changed, and the numbers.
  AppliedState applied;
  std::vector<std::string> recognised;
  SchoolNumbers numbers;
  // The rejected action ids this plan still proposed and left out: a rejection not among them
  // is no longer wanted by the journal, and the store may forget it.
  std::set<std::string> still_rejected;
  // Not empty: the answer is not this school's ("… holds organisation X, not Y"); nothing was
  // planned and nothing may be written. Data, not an exception: the caller decides how to fail.
  std::string refusal;
  [[nodiscard]] bool refused() const noexcept { return !refusal.empty(); }
};

struct SchoolSettings {
  std::string_view school_id;  // the configured organisation
  const Rules& rules;
  const Policy& policy;
  const Limits& limits;
  // The action ids an administrator rejected (`rosterd approve --reject`): left out of the plan
  // before the guard counts it, so a rejected removal keeps the person where they are.
  const std::set<std::string>* rejected = nullptr;
};

// What this cycle saw on the platform (mapping/observe.h), already folded into the applied
// state by observe(); the planning uses it to recognise people and to adopt existing chats.
struct PlatformView {
  std::span<const PlatformChat> listing;  // the organisation's chats
  std::span<const ChatMembers> read;      // the chats whose members were read this cycle
  const std::set<ChatId>& bound;          // chats any school of the store is bound to
  PlatformUserId self = 0;
  const std::map<std::string, ChatId>& bindings;  // the config's: chat key → chat id
};

// Without a view (a dry run from the store), nothing is recognised or adopted.
[[nodiscard]] SchoolPlanning plan_school(const SchoolSettings& school, const Roster& roster,
                                         const AppliedState& applied,
                                         std::set<std::string> approved, Date today,
                                         const PlatformView* view = nullptr);

// The latest academic year of the answer's groups; 0 when it has none.
[[nodiscard]] int latest_academic_year(const Roster& roster) noexcept;

}  // namespace rosterd::mapping
