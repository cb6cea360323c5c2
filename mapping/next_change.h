#pragma once
// When a school's plan next changes on its own. A journal that answers "unchanged" does not
// mean the plan is the same tomorrow: dated enrolments start and end, staff are hired and
// leave, groups open and close, grace periods run out, invite links grow stale, and the
// academic year turns. A cycle that saw the journal unchanged may skip planning only before
// the earliest of those days (daemon/sync.cpp keeps it in the school's journal mark).

#include <optional>

#include "mapping/model.h"
#include "mapping/rules.h"
#include "mapping/state.h"

namespace rosterd::mapping {

// The earliest day after `today` on which a plan of `roster` against `applied` could differ
// from today's plan although neither changed; nullopt: no such day. `applied` is the state as
// recorded after the cycle's state changes, so a grace period started today carries its
// missing_since. It may name a day on which nothing turns out to change (a day early costs
// one full cycle); it never names a day later than a change.
[[nodiscard]] std::optional<Date> next_change(const Roster& roster, const AppliedState& applied,
                                              const Policy& policy, Date today);

}  // namespace rosterd::mapping
