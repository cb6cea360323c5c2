#pragma once
// `rosterd plan` as work, apart from the command line: for each school, fetch the journal,
// load what was applied, and compute desired → diff → guard. Nothing here reads argv or
// the clock; today is given.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/snapshot/snapshot.h"
#include "daemon/config.h"
#include "daemon/sync.h"
#include "mapping/plan.h"
#include "mapping/school_day.h"

namespace rosterd::daemon {

// A problem that stops the whole run, before any school is planned.
class PlanError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PlanRequest {
  std::optional<std::string> school;             // only this school; all when empty
  std::optional<std::filesystem::path> applied;  // applied-state snapshot; empty state if none
  // The machine's day, or --today's. With `today_in` (no --today) each school is planned on
  // its own day, in its zone (mapping/school_day.h).
  mapping::Date today;
  mapping::TodayIn today_in;
  // Read the platform first (reads only), as a sync would: adoption and drift show in the plan.
  bool look = false;
  // Plan exactly as a sync would now (`plan --out`, SchoolSync::plan_dry): the look, open
  // actions looked up, held and approved actions as the store has them, repeated refusals held;
  // each school's plan is kept with the state it was made from (SchoolPlan::saved). Needs the
  // config's state store and platform; not with `applied`.
  bool as_sync = false;
};

// Who somebody the plan names is, from the roster: a finding says "Иванова Анна (5А,
// ученик)", never only an id.
struct PersonFacts {
  std::string name;
  std::vector<std::string> classes;  // the groups they learn in or lead, or their children's
  std::uint8_t roles = 0;            // mapping::PersonRole bits
  bool leader = false;               // leads one of those groups (a class teacher)
};

// The group a chat serves, for grouping the plan by class (natural order: 1А, 1Б, 2А … 11А).
struct ChatGroup {
  std::string name;  // "5А"; empty for the staff chat
  mapping::GroupKind kind = mapping::GroupKind::class_group;
};

// One school's plan and what a person needs to read it: names, titles, current links.
struct SchoolPlan {
  std::string school_id;
  std::string org_name;
  std::optional<mapping::Plan> plan;  // nullopt when the school failed
  std::string error;                  // why it failed; names files and records, not contacts
  std::unordered_map<std::string, PersonFacts> people;       // of the people the plan names
  std::unordered_map<std::string, std::string> chat_titles;  // by chat key
  std::unordered_map<std::string, ChatGroup> chat_groups;    // by chat key; absent for staff
  // The link people can use today, by chat key and role; absent when the plan replaces it.
  std::map<std::pair<std::string, mapping::MemberRole>, std::string> invite_links;
  // The day each of those links was issued.
  std::map<std::pair<std::string, mapping::MemberRole>, mapping::Date> invite_issued_on;
  // For the invite hand-out: the children of each parent to invite who make them a member of
  // that chat, by (chat key, parent id).
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> invitee_children;
  // Who is in their chats, as the last look at the platform recorded it (mapping/observe.h).
  mapping::SchoolNumbers numbers;
  // PlanRequest::as_sync: the plan with the state it was made from, for `rosterd apply`.
  std::optional<SavedSchoolPlan> saved;

  [[nodiscard]] bool failed() const noexcept { return !plan.has_value(); }
  [[nodiscard]] std::string person_name(const std::string& id) const;       // empty if unknown
  [[nodiscard]] const PersonFacts* person(const std::string& id) const;     // nullptr if unknown
  [[nodiscard]] const ChatGroup* chat_group(const std::string& key) const;  // nullptr: none
  [[nodiscard]] std::string chat_title(const std::string& key) const;       // empty if unknown
};

struct PlanRun {
  mapping::Date today;
  std::filesystem::path config_file;  // for the commands the plan mentions
  std::vector<SchoolPlan> schools;
  // The snapshot as it would be once every plan is applied (held actions excepted); a failed
  // school keeps what it had.
  adapters::snapshot::Snapshot assumed;

  [[nodiscard]] bool failed() const noexcept;   // any school failed
  [[nodiscard]] bool changes() const noexcept;  // any plan is not empty
};

// Throws PlanError for an unknown --school or an unreadable snapshot; a school whose journal
// cannot be read is reported in its SchoolPlan and the others are still planned.
[[nodiscard]] PlanRun plan_schools(const Config& config, const PlanRequest& request);

}  // namespace rosterd::daemon
