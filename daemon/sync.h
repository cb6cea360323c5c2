#pragma once
// One school's sync cycle as named steps: take the school's lease → with the mark of the last
// clean cycle, ask the journal whether it changed and stop there when nothing can have (a cycle
// that needs no plan) → fetch the journal → load applied state → look at the platform → resolve
// what a crash or a timeout left open → desired → diff → guard → hold repeated refusals →
// record state changes → apply in phases (intent recorded before each batch, outcome after) →
// leave or clear the mark → record the run. The product rules (phases, result, baseline,
// approvals, refusals) are mapping/cycle_rules.h; this file wires them to the ports. The work
// sees ports only: no argv, no signals, no wall clock of its own (the controller passes the
// start time and a function that reads the time at the end).

#include <chrono>
#include <cstdint>
#include <optional>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mapping/cycle_rules.h"
#include "daemon/platform_look.h"
#include "mapping/observe.h"
#include "mapping/ports.h"
#include "mapping/school_plan.h"
#include "mapping/sync.h"

namespace rosterd::daemon {

struct SyncSettings {
  std::string org_id;
  mapping::Rules rules;
  mapping::Policy policy;
  mapping::Limits limits;
  std::size_t batch_size = 25;  // writes recorded and sent together
  std::string holder;           // this process, as leases name it ("host:pid:nonce")
  std::chrono::milliseconds lease_ttl{60'000};
  // The time now as ISO 8601 UTC, for when the cycle ended (the daemon passes the wall clock;
  // the cycle itself reads no clock).
  std::function<std::string()> now_iso;
  // Observation (mapping/observe.h): every managed chat's members are read at least once per
  // audit period; `full_audit` reads them all now (`sync --once --audit`). `now_unix` gives
  // the wall clock in Unix seconds for when a chat was seen.
  std::int64_t audit_period_s = 86'400;
  bool full_audit = false;
  std::function<std::int64_t()> now_unix;
  // Chats an administrator bound to groups in the config: chat key → platform chat id.
  std::map<std::string, mapping::ChatId> bindings;
  // Called after each batch of writes with the writes sent so far and the cycle's total (a
  // terminal shows it: daemon/progress.h); empty: nobody watches.
  std::function<void(std::size_t done, std::size_t total)> progress;
  // The school's day (issue 12): `timezone` is the configured zone (empty: the journal's
  // organisation record says); `today_in` gives today's date in a zone, nullopt for a zone it
  // does not know. Without `today_in` the cycle keeps the `today` it was given (tests, `plan`).
  std::string timezone;
  std::function<std::optional<mapping::Date>(const std::string& zone)> today_in;
  // The school's platform token by name (config `platform_token`): only the settings'
  // fingerprint a journal mark keeps reads it (another token sees other chats).
  std::string platform_token;
};

// The fingerprint of what a school's plan depends on besides the journal, the applied state and
// the day: rules (fallback admin included), policy, limits, bindings, zone, platform token and
// audit period. A journal mark made with other settings does not let a cycle skip planning.
[[nodiscard]] std::string settings_fingerprint(const SyncSettings& settings);

using mapping::WriteCounts;

// The state a saved plan (`rosterd plan --out`, daemon/saved_plan.h) was made from: the
// journal answer's version ("etag:" and the HTTP ETag, or "content:" and a fingerprint of the
// roster for a source without versions), the school's store version, and the settings'
// fingerprint. `rosterd apply` applies the plan only while all three are still so.
struct SyncBasis {
  std::string journal_version;
  std::int64_t store_version = 0;
  std::string settings;
  friend bool operator==(const SyncBasis&, const SyncBasis&) = default;
};

// The journal answer's version, as SyncBasis keeps it.
[[nodiscard]] std::string journal_version(const mapping::JournalAnswer& answer);

// One school's saved plan: what a sync would apply, as it was planned, and the state it was
// planned from.
struct SavedSchoolPlan {
  std::string school_id;
  std::string org_name;  // the journal's name of the school, for the reader
  mapping::Date today;   // the school's day the plan was made for
  SyncBasis basis;
  // The state changes and the actions, held ones included (they are saved as held, not applied).
  mapping::Plan plan;
  bool source_failure = false;  // the answer was not trusted: applying writes nothing
  std::optional<mapping::SourceCounts> counts;  // the answer's: the next baseline when clean
  // The chats as the plan saw them where that is not what the store holds: seen on the
  // platform, settled by a look-up, people recognised, chats adopted. A sync records them
  // before it applies; so does `apply`. Their invite links are left out (the store's are kept).
  std::vector<mapping::AppliedChat> seen;
};

// What moved since a saved plan was made (several may have).
struct Staleness {
  bool journal = false;
  bool store = false;
  bool settings = false;
  [[nodiscard]] bool any() const noexcept { return journal || store || settings; }
};

// A sync cycle that records nothing (SchoolSync::plan_dry): the plan a sync would apply now,
// what it was planned against, and the state it was made from.
struct DryCycle {
  SavedSchoolPlan saved;
  mapping::JournalAnswer answer;   // holds the roster `desired` views
  mapping::DesiredState desired;   // views the answer's roster and the sync's rules
  mapping::AppliedState applied;   // as the plan saw it (the look and look-ups folded in)
};

struct SyncResult {
  std::string org_id;
  mapping::CycleResult result = mapping::CycleResult::failed;
  std::string error;  // why it failed; names files and records, never contacts or tokens
  std::optional<mapping::Lease> held_by;  // leased: the process that holds the school
  mapping::Plan plan;  // as guarded
  WriteCounts writes;  // per action type
  // What the platform showed after the cycle, when it was looked at (mapping/observe.h).
  std::optional<mapping::SchoolNumbers> numbers{};
  std::size_t chats_read = 0;  // chats whose members were read this cycle
  // Chats (keys) whose link handed out to families (`rosterd report invites`) this cycle
  // replaced: the daemon logs each, so a replacement does not go unnoticed.
  std::vector<std::string> replaced_hand_outs{};
  // `rosterd apply`: what moved since the saved plan was made; then nothing was written.
  Staleness stale{};
  [[nodiscard]] bool failed() const noexcept { return result == mapping::CycleResult::failed; }
};

// One school's planning (mapping::plan_school): the one place `plan`, `sync` and `run` compute a
// plan. An answer that holds another organisation throws, naming both ids: the cycle fails and
// writes nothing. The returned desired state views `roster` and `rules`.
struct SchoolPlanning {
  mapping::DesiredState desired;
  mapping::Plan plan;
};
[[nodiscard]] SchoolPlanning plan_school(const std::string& school_id,
                                         const mapping::Roster& roster,
                                         const mapping::AppliedState& applied,
                                         const mapping::Rules& rules, const mapping::Policy& policy,
                                         const mapping::Limits& limits,
                                         std::set<std::string> approved, mapping::Date today,
                                         const std::set<std::string>& rejected = {});

// Asked between batches: true stops the cycle after the batch in flight is recorded.
using StopRequested = std::function<bool()>;

class SchoolSync {
 public:
  SchoolSync(SyncSettings settings, mapping::JournalSource& journal, mapping::Platform& platform,
             mapping::StateStore& store);

  // `started_at` is the controller's clock reading (ISO 8601 UTC) for the run log.
  [[nodiscard]] SyncResult run_once(mapping::Date today, const std::string& started_at,
                                    const StopRequested& stop = {});

  // `rosterd plan --out`: the cycle up to its plan, as run_once makes it (the look at the
  // platform, open actions looked up, holds), recording nothing and taking no lease. Throws
  // what the cycle would fail with.
  [[nodiscard]] DryCycle plan_dry(mapping::Date today);

  // `rosterd apply`: under the school's lease, when the journal, the store and the settings
  // are still as `saved` says, applies exactly its actions as run_once applies a plan (state
  // changes, held list, phases, intents before each batch, outcomes after, the run recorded);
  // open actions are looked up first, as in every cycle. Otherwise writes nothing and says what
  // moved (SyncResult::stale).
  [[nodiscard]] SyncResult apply_saved(const SavedSchoolPlan& saved,
                                       const std::string& started_at,
                                       const StopRequested& stop = {});

 private:
  struct Cycle;
  struct Prepared;
  // A cycle that needs no plan: with a mark, before its next change and audit, the journal
  // asked with its ETag answered "unchanged" (true). Otherwise the answer, or the error, is
  // kept in the cycle for its journal step.
  [[nodiscard]] bool unchanged_since_mark(Cycle& cycle);
  [[nodiscard]] mapping::JournalAnswer fetch_journal(Cycle& cycle);
  // A clean cycle leaves a mark for the next; returns whether it did.
  bool leave_mark(const Cycle& cycle, const mapping::JournalAnswer& answer,
                  mapping::CycleResult result);
  void clear_mark(const Cycle& cycle) noexcept;
  [[nodiscard]] SyncResult run_leased(mapping::Date today, const std::string& started_at,
                                      const StopRequested& stop);
  [[nodiscard]] SyncResult apply_leased(const SavedSchoolPlan& saved,
                                        const std::string& started_at, const StopRequested& stop);
  // Takes the school's lease, runs `leased` under it and lets it go.
  [[nodiscard]] SyncResult with_lease(const std::function<SyncResult()>& leased);
  // fetch journal → settle the day → load applied state → look at the platform → resolve open
  // actions → plan → hold back unclear creations and repeated refusals. A dry cycle records
  // nothing and keeps no lease.
  [[nodiscard]] Prepared prepare(Cycle& cycle);
  // The part of a cycle that a saved plan shares: record the plan's state changes → save the
  // held list → apply the actions in phases. Fills facts.held and facts.stopped.
  void carry_out(Cycle& cycle, mapping::CycleFacts& facts);
  // Ends a cycle that ran `body`: failures caught as every cycle catches them, the run recorded.
  SyncResult finish_cycle(Cycle& cycle, const std::string& started_at,
                          const std::function<void(SyncResult&)>& body);
  [[nodiscard]] Staleness staleness(const SavedSchoolPlan& saved);
  void take_seen(Cycle& cycle, const std::vector<mapping::AppliedChat>& seen);
  void keep_lease();  // throws LeaseLost
  // The cycle's day in the school's zone (the config's, else the journal organisation's).
  void settle_today(Cycle& cycle, const mapping::Organisation& org);
  [[nodiscard]] std::string now(const std::string& fallback) const;
  void record_run(const Cycle& cycle, SyncResult& result, const std::string& started_at);
  void resolve_open_actions(Cycle& cycle);
  // Observation: the organisation's listing and the chats due for a read, folded in.
  void look_at_platform(Cycle& cycle);
  void read_chats(Cycle& cycle, std::vector<mapping::ChatId> ids);
  // Plans with what the platform showed; reads what the plan needs first (adoption candidates,
  // chats with removals or archives not read this cycle) and plans again.
  mapping::SchoolPlanning plan_observed(Cycle& cycle, const mapping::Roster& roster,
                               const std::set<std::string>& approved);
  void record_state_changes(Cycle& cycle);
  void apply(Cycle& cycle);
  void apply_batch(Cycle& cycle, const std::vector<const mapping::Action*>& batch);
  // Before a done issue_invite is applied: was the link it replaces handed out?
  void note_replaced_hand_out(Cycle& cycle, const mapping::Action& action);

  SyncSettings settings_;
  std::string fingerprint_;  // settings_fingerprint(settings_)
  mapping::JournalSource& journal_;
  mapping::Platform& platform_;
  mapping::StateStore& store_;
};

// "host:1234:5f3a9c" — names this process in the leases it takes (the nonce tells a restarted
// process with a reused pid from the one before it).
[[nodiscard]] std::string lease_holder_name();
// Whether a lease holder named so was a process of this machine that no longer runs (its
// lease can be taken over at once). A holder of another machine, or a pid that runs (perhaps
// reused), is not known to be gone.
[[nodiscard]] bool lease_holder_gone(const std::string& holder);

// "61 create_chat, 1386 add_member; 3 held; 1447 written; findings: 1 adoption_unclear,
// 12 no_contact" — one line, no personal data.
[[nodiscard]] std::string summary_line(const SyncResult& result);

}  // namespace rosterd::daemon
