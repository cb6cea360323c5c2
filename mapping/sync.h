#pragma once
// The core's entry points: desired → diff → guard, and what applying a plan does to the
// applied state. Pure functions: values in, values out; today is a parameter.

#include <optional>
#include <set>
#include <string>

#include "mapping/plan.h"
#include "mapping/rules.h"
#include "mapping/state.h"

namespace rosterd::mapping {

// Who should be in which chat today according to the journal, plus data-check findings.
[[nodiscard]] DesiredState desired(const Roster& roster, const Rules& rules, Date today);

// The actions and state changes that turn `applied` into `desired`.
[[nodiscard]] Plan diff(const DesiredState& desired, const AppliedState& applied,
                        const Policy& policy, Date today);

struct GuardInput {
  Limits limits;
  SourceCounts current;                     // what this fetch returned
  std::optional<SourceCounts> last_good;    // what the last good fetch returned
  std::set<std::string> approved;           // action_id()s an admin approved
  int latest_academic_year = 0;             // of this fetch's groups; 0: not known
};

// Marks removals and archives held when they exceed the limits (an approval releases them).
// An answer that looks broken (empty, a list much shorter than in the last good answer, only
// past academic years) is a source failure: every action is held, approvals notwithstanding,
// and every state change is dropped, so nothing at all is written from it.
[[nodiscard]] Plan guard(Plan plan, const GuardInput& input);

// What the platform answered for one action, for recording it.
struct Outcome {
  std::optional<std::int64_t> chat_id;  // create_chat
  std::string invite_link;              // issue_invite
};

// The applied state after one action succeeded / one state change was recorded.
void apply_action(AppliedState& applied, const Action& action, Date today,
                  const Outcome& outcome = {});
void apply_state_change(AppliedState& applied, const StateChange& change);
// What a refusal tells about the platform: 15 to an addition means the person left the chat by
// themselves (only an invite link brings them back); 927 means the chat was deleted on the
// platform. Returns whether the applied state changed.
bool apply_refusal(AppliedState& applied, const Action& action, int error_code, Date today);
// The applied state after the whole plan succeeded, held actions excepted.
[[nodiscard]] AppliedState assume_applied(AppliedState applied, const Plan& plan);

}  // namespace rosterd::mapping
