#pragma once
// The ports the core owns: small interfaces the daemon drives and the adapters implement.
// Pure declarations; no adapter header leaks in here.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "mapping/plan.h"
#include "mapping/state.h"

namespace rosterd::mapping {

// ---- Journal --------------------------------------------------------------------------------

struct JournalAnswer {
  // The roster; nullptr only when `unchanged` (the journal said so to a conditional fetch).
  std::shared_ptr<const Roster> roster;
  // The journal said nothing changed since the answer whose version fetch_if_changed was given
  // (HTTP 304 to If-None-Match). A source keeps no roster for it: the cycle that asked needs
  // none (daemon/sync.cpp skips planning before the school's next dated change).
  bool unchanged = false;
  // The answer's version (the HTTP ETag) to ask fetch_if_changed with next time; empty: the
  // source cannot answer "unchanged" (an export folder, OneRoster CSV), or this answer is not
  // to be trusted for it (an HTTP answer without persons).
  std::string etag{};
  // What the source noticed about its own records and worked around (a OneRoster term whose
  // schoolYear its dates contradict, chat titles left alike): findings of the school's plan.
  std::vector<Finding> findings{};
};

// Where a school's roster comes from (an export folder, an HTTP journal, OneRoster CSV).
// Throws with a message naming the file, line, request or record when the answer cannot be
// used; nothing is planned from a broken answer.
class JournalSource {
 public:
  virtual ~JournalSource() = default;
  // The whole roster, unconditionally.
  [[nodiscard]] virtual JournalAnswer fetch() = 0;
  // Asks whether the journal changed since the answer of version `etag`: `unchanged` without a
  // roster, or the new roster with its version. A source that cannot tell answers as fetch().
  [[nodiscard]] virtual JournalAnswer fetch_if_changed(const std::string& etag) {
    (void)etag;
    return fetch();
  }
};

// ---- Platform -------------------------------------------------------------------------------

using ChatId = std::int64_t;

// One platform write, resolved to platform ids by the daemon.
struct PlatformWrite {
  ActionType type = ActionType::add_member;
  std::optional<ChatId> chat_id;  // every write but create_chat
  std::string title;              // create_chat, rename_chat
  PlatformUserId user_id = 0;     // add_member, remove_member, set_admin, unset_admin
  MemberRole role = MemberRole::member;  // set/unset_admin: the new role; invites: the link's
  std::string org_id{};  // create_chat: the organisation the chat belongs to (organisation_id)
};

// What the sync does next with a write, by what the platform answered.
enum class WriteStatus : std::uint8_t {
  done,      // made, or already so (935 on removal, already a member on addition)
  rejected,  // refused as asked (100, 917, 927 chat gone, 936 contact not found): don't repeat
  unknown,   // outcome not known (timeout, HTTP 5xx, error 10): look before repeating
  not_sent,  // never reached the platform (retries exhausted on 6/9/29, stop requested)
};

struct WriteResult {
  WriteStatus status = WriteStatus::not_sent;
  int error_code = 0;    // platform error code, or the HTTP status for transport failures
  std::string message;   // for the report; never a token or a contact
  std::optional<ChatId> chat_id;  // create_chat
  std::string invite_link;        // issue_invite
};

struct PlatformChat {
  ChatId chat_id = 0;
  std::string title;
  bool archived = false;
  PlatformUserId created_by = 0;  // 0: made by the platform itself (from the journal)
  std::int64_t created_at = 0;    // Unix time, seconds, the platform's clock
  std::uint32_t members_count = 0;
  friend bool operator==(const PlatformChat&, const PlatformChat&) = default;
};

struct PlatformMember {
  PlatformUserId user_id = 0;
  bool is_admin = false;
  bool is_owner = false;
  PlatformUserId invited_by = 0;  // who added them; 0 when unknown
  bool joined_by_link = false;    // came in through an invite link
  std::string first_name{};       // the account's name (profiles), to recognise link joiners
  std::string last_name{};
  friend bool operator==(const PlatformMember&, const PlatformMember&) = default;
};

// One chat's members as read: `exists` false when the platform says the chat is gone (927).
struct ChatMembers {
  ChatId chat_id = 0;
  bool exists = true;
  std::vector<PlatformMember> members;
  friend bool operator==(const ChatMembers&, const ChatMembers&) = default;
};

// Stop and report: the token is refused (5) or has no access (15). Nothing more for this school.
class PlatformAuthError : public std::runtime_error {
 public:
  explicit PlatformAuthError(int code, const std::string& what)
      : std::runtime_error(what), code_(code) {}
  [[nodiscard]] int code() const noexcept { return code_; }

 private:
  int code_;
};

// A read failed after the client's retries; the cycle stops for this school and tries later.
class PlatformUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Platform {
 public:
  virtual ~Platform() = default;
  // Runs writes that do not depend on each other, batched as the API allows (execute, up to
  // 25 a request). One result per write, in order. Throws PlatformAuthError.
  [[nodiscard]] virtual std::vector<WriteResult> write(std::span<const PlatformWrite> writes) = 0;
  // The chats this token administers (sferum.listChats, all pages).
  [[nodiscard]] virtual std::vector<PlatformChat> list_chats() = 0;
  // A chat's members (messages.getConversationMembers, all pages); empty if the chat is gone.
  [[nodiscard]] virtual std::vector<PlatformMember> members(ChatId chat_id) = 0;
  // Every chat of the organisation the token's administrator can see (sferum.listChats with
  // scope=organisation, all pages), those the platform or teachers made included.
  [[nodiscard]] virtual std::vector<PlatformChat> list_org_chats(const std::string& org_id) = 0;
  // The members of many chats (getConversationMembers batched 25 to an execute, further pages
  // of chats over 1,000 members after), with names. One entry per chat, in order.
  [[nodiscard]] virtual std::vector<ChatMembers> read_members(std::span<const ChatId> chats) = 0;
  // The token's own user (users.get), asked once and remembered: never a member to manage.
  [[nodiscard]] virtual PlatformUserId self_id() = 0;
};

// ---- Leases --------------------------------------------------------------------------------

// One writer per school. A lease names the process that holds a school and carries a fencing
// token that grows with every new holder; the store refuses a write from a token that is no
// longer current, so a process that lost its lease (paused, cut off) cannot record anything
// after another took over, and never calls the platform for an intent it could not record.
struct Lease {
  std::string org_id;
  std::string holder;      // "host:pid:nonce" of the process, for "who holds it"
  std::int64_t token = 0;  // the fencing token
  std::string expires_at;  // ISO 8601 UTC, from the store's clock
  // How long it had left when it was read (the store's clock on both ends, so machines whose
  // clocks differ agree): when another process may take it over.
  std::chrono::milliseconds remaining{0};
  friend bool operator==(const Lease&, const Lease&) = default;
};

struct LeaseAttempt {
  bool acquired = false;
  Lease lease;  // acquired: ours; otherwise the current holder's
};

// A fenced write came with a token that is no longer the school's current one (another
// process took over), or the process holds no lease on the school.
class LeaseLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- Membership and shared budgets (several daemons of a region) ---------------------------

// A daemon of the region as the store knows it: registered at `since`, alive while it renews
// its heartbeat before `expires_at` (the store's clock, ISO 8601 UTC).
struct DaemonMember {
  std::string name;  // lease_holder_name() of the process: "host:pid:nonce"
  std::string since;
  std::string heartbeat_at;
  std::string expires_at;
  friend bool operator==(const DaemonMember&, const DaemonMember&) = default;
};

// Send slots reserved on a token's shared budget: `count` slots `interval` apart from
// `first_us`, and the store's clock when they were reserved (Unix microseconds, both), so the
// caller places them on its own clock without trusting the machines' clocks to agree.
struct SendSlots {
  std::int64_t first_us = 0;
  std::int64_t now_us = 0;
};

// ---- State store ----------------------------------------------------------------------------

enum class ActionStatus : std::uint8_t {
  intended,  // recorded before the call; a crash leaves it so: the outcome is unknown
  done,
  rejected,
  unknown,   // the call was made and its outcome is not known
  not_sent,
  resolved,  // an unknown outcome was looked up and settled by a later record
};

// One entry of the action log: a platform write's intent, then its outcome.
struct ActionRecord {
  std::int64_t id = 0;
  std::string org_id;
  std::int64_t run_id = 0;
  Action action;
  std::optional<ChatId> chat_id;
  ActionStatus status = ActionStatus::intended;
  int error_code = 0;
  std::string message;
  std::string intended_at;  // ISO 8601 UTC, when the intent was recorded (the store's clock)
  std::string updated_at{};  // ... when its latest state was recorded (action_log() fills it)
};

// Which entries of a school's action log to read (`rosterd report history`): all of them, or
// those about one person or one chat; the latest `limit` of them (0: no limit).
struct ActionLogFilter {
  std::string person_id{};
  std::string chat_key{};
  std::size_t limit = 0;
};

// One week of a school's numbers: the latest saved in that ISO week, without the chats' own.
struct WeekNumbers {
  Date week;  // its Monday
  SchoolNumbers numbers;
  friend bool operator==(const WeekNumbers&, const WeekNumbers&) = default;
};

struct Outcome;  // mapping/sync.h

// How one school's cycle ended.
enum class CycleResult : std::uint8_t {
  ok,              // the plan was applied: every write done
  partial,         // some writes were rejected or not sent; the next cycle tries again
  held,            // applied, except actions held for an administrator's approval
  source_failure,  // the journal's answer was not trusted: nothing was written
  failed,          // the cycle could not run (journal, platform, store, config)
  stopped,         // a stop request ended the cycle between batches
  leased,          // another process holds the school's lease: nothing was done
  // The journal answered "unchanged" before the school's next dated change and audit, with the
  // settings of the last clean cycle: nothing was planned, read or written (no run is logged).
  unchanged,
};
inline constexpr std::size_t cycle_result_count = 8;
[[nodiscard]] std::string_view name(CycleResult result) noexcept;
[[nodiscard]] std::optional<CycleResult> parse_cycle_result(std::string_view s) noexcept;

struct RunRecord {
  std::int64_t id = 0;
  std::string org_id;
  std::string started_at;  // ISO 8601 UTC, from the daemon's clock
  std::string finished_at;  // when the cycle ended, from the same clock
  // Stored as its name(); nullopt: the run has not finished (still running, or it died).
  std::optional<CycleResult> result;
  std::string summary;     // one line, no personal data
};

// A write whose latest answers from the platform were one and the same refusal: `times` of
// its latest attempts in a row were refused with `error_code` (the action log, by action_id).
struct Rejection {
  Action action;
  std::optional<ChatId> chat_id;
  int error_code = 0;
  std::string message;
  std::size_t times = 0;
  friend bool operator==(const Rejection&, const Rejection&) = default;
};

// An invite link handed out to families: `rosterd report invites` records, per school, chat and
// role, the link it printed and the day; the next report marks the chats whose live link is no
// longer the one handed out, so a replaced link does not go unnoticed.
struct HandOut {
  std::string chat_key;
  MemberRole role = MemberRole::member;
  std::string link;
  Date handed_on;
  friend bool operator==(const HandOut&, const HandOut&) = default;
};

// What a school's last clean cycle leaves for the next (docs/state-store.md, "journal marks"):
// with it, a journal that answers "unchanged" tells the next cycle that its plan would be the
// same, so it needs no roster, no plan and no platform call.
struct JournalMark {
  std::string etag;                    // the version of the journal answer it planned
  std::optional<Date> next_change;     // mapping/next_change.h: a full cycle on or after it
  std::string zone;                    // the zone of the cycle's day; empty: the machine's day
  std::optional<std::int64_t> audit_due;  // Unix seconds a chat is due for its audit read
  std::string settings;                // the fingerprint of the school's settings it planned with
  // How often the school's mark was cleared, as the cycle read it: a mark saves only while it is
  // still so, so an approval made during a cycle is not hidden by the mark that cycle leaves.
  std::int64_t version = 0;
  [[nodiscard]] bool set() const noexcept { return !etag.empty(); }
  friend bool operator==(const JournalMark&, const JournalMark&) = default;
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // Leases. `acquire_lease` takes the school's lease for `holder` when it is free, expired,
  // or already this holder's (a new token each time it changes hands); otherwise it returns
  // the current holder. `renew_lease` extends a lease still current (false: it was lost).
  // While a store object holds a school's lease, every write for that school below is fenced:
  // checked against the token in the write's own transaction, LeaseLost when it is stale.
  // Writes for a school this store object holds no lease on throw LeaseLost too, except
  // approve_actions and reject_actions (an administrator's commands, not a sync).
  [[nodiscard]] virtual LeaseAttempt acquire_lease(const std::string& org_id,
                                                   const std::string& holder,
                                                   std::chrono::milliseconds ttl) = 0;
  // Takes the school's lease from a holder the caller knows is gone (a process of this machine
  // that no longer runs: a killed `sync --once`), without waiting for it to expire; only while
  // `from_token` is still current, so a holder that took over meanwhile keeps it.
  [[nodiscard]] virtual LeaseAttempt take_over_lease(const std::string& org_id,
                                                     const std::string& holder,
                                                     std::int64_t from_token,
                                                     std::chrono::milliseconds ttl) = 0;
  [[nodiscard]] virtual bool renew_lease(const std::string& org_id,
                                         std::chrono::milliseconds ttl) = 0;
  virtual void release_lease(const std::string& org_id) = 0;
  // Every school's current lease (expired ones included), for `rosterd status`.
  [[nodiscard]] virtual std::vector<Lease> leases() = 0;

  // Membership. `heartbeat` registers `name` or renews it until `ttl` from now on the store's
  // clock, and returns the live members (not expired), by name, itself included. `leave`
  // removes it at once (a daemon stopping: the others take its schools at their next
  // heartbeat). `daemons` reads the live members.
  [[nodiscard]] virtual std::vector<DaemonMember> heartbeat(const std::string& name,
                                                            std::chrono::milliseconds ttl) = 0;
  virtual void leave(const std::string& name) = 0;
  [[nodiscard]] virtual std::vector<DaemonMember> daemons() = 0;
  // A platform token's send budget, shared by every process of this store: reserves `count`
  // slots `interval` apart, starting at the token's next free slot or now, whichever is later.
  // `token` is the token's name ("default", or its name in platform.tokens), never its secret.
  [[nodiscard]] virtual SendSlots reserve_sends(const std::string& token, std::size_t count,
                                                std::chrono::microseconds interval) = 0;

  // What rosterd applied for this school (empty for a new school), with last good counts.
  [[nodiscard]] virtual AppliedState load(const std::string& org_id) = 0;
  // Replaces the stored rows of these chats (by key) and deletes the chats under
  // `removed_keys` (a rebind changes a key), in one transaction.
  virtual void save_chats(const std::string& org_id, std::span<const AppliedChat> chats,
                          std::span<const std::string> removed_keys) = 0;
  virtual void save_counts(const std::string& org_id, const SourceCounts& counts) = 0;

  // The action log. Intents are recorded before their calls (one transaction per batch);
  // outcomes after, together with the chats they changed (one transaction per batch).
  [[nodiscard]] virtual std::vector<std::int64_t> record_intents(
      const std::string& org_id, std::int64_t run_id, std::span<const Action> actions,
      std::span<const std::optional<ChatId>> chat_ids) = 0;
  virtual void record_outcomes(const std::string& org_id, std::span<const ActionRecord> outcomes,
                               std::span<const AppliedChat> changed_chats,
                               std::span<const std::string> removed_keys) = 0;
  // Intents without an outcome and unknown outcomes: what a crash or a timeout left open.
  [[nodiscard]] virtual std::vector<ActionRecord> unresolved(const std::string& org_id) = 0;
  // The platform chats any school of this store is bound to: a chat found after an unknown
  // outcome is never one of these (schools of a region share a token).
  [[nodiscard]] virtual std::set<ChatId> bound_chat_ids() = 0;
  // The writes of this school whose latest outcome (done or rejected) was a rejection, each
  // with how many of its latest attempts in a row were refused with that same error code.
  [[nodiscard]] virtual std::vector<Rejection> rejections(const std::string& org_id) = 0;

  // Held actions: the latest guard's held list replaces the stored one; approvals are what the
  // next guard honours, consumed once applied.
  virtual void save_held(const std::string& org_id, std::span<const Action> held) = 0;
  [[nodiscard]] virtual std::vector<Action> held(const std::string& org_id) = 0;
  [[nodiscard]] virtual std::set<std::string> approved(const std::string& org_id) = 0;
  virtual void consume_approvals(const std::string& org_id, std::span<const std::string> ids) = 0;
  // An administrator's decisions on held actions, by mapping::action_id (not fenced): each id
  // found among the stored held actions leaves that list, approved or rejected; both return
  // how many were found. A rejection is honoured by the plans (SchoolSettings::rejected) while
  // they keep proposing the action; the sync forgets it once they no longer do (fenced).
  virtual std::size_t approve_actions(const std::string& org_id,
                                      std::span<const std::string> ids) = 0;
  virtual std::size_t reject_actions(const std::string& org_id,
                                     std::span<const std::string> ids) = 0;
  [[nodiscard]] virtual std::set<std::string> rejected(const std::string& org_id) = 0;
  virtual void forget_rejections(const std::string& org_id, std::span<const std::string> ids) = 0;

  // The numbers of the school's last look at the platform (mapping/observe.h), for reports:
  // saving replaces the school's stored numbers (fenced like every write); nullopt: none yet.
  // Numbers with a day are also kept as the row of that day's week (WeekNumbers), replacing the
  // week's earlier ones: the weekly monitoring's history.
  virtual void save_numbers(const std::string& org_id, const SchoolNumbers& numbers) = 0;
  [[nodiscard]] virtual std::optional<SchoolNumbers> numbers(const std::string& org_id) = 0;
  // The school's weekly rows, the latest first, at most `limit`.
  [[nodiscard]] virtual std::vector<WeekNumbers> weeks(const std::string& org_id,
                                                       std::size_t limit) = 0;

  // The school's action log as `filter` says, oldest first (the latest `limit` entries).
  [[nodiscard]] virtual std::vector<ActionRecord> action_log(const std::string& org_id,
                                                             const ActionLogFilter& filter) = 0;

  // Invite hand-outs: recording replaces the school's row of each (chat, role) given and keeps
  // the others. Not fenced: the report is written beside the daemon that holds the lease.
  virtual void record_hand_outs(const std::string& org_id, std::span<const HandOut> hand_outs) = 0;
  // The school's latest hand-out of each (chat, role), by chat key then role.
  [[nodiscard]] virtual std::vector<HandOut> hand_outs(const std::string& org_id) = 0;

  // Journal marks. `mark` reads the school's (not set() when there is none, with the version to
  // save against); `save_mark` replaces it (fenced) unless it was cleared since `mark.version`
  // was read, and returns whether it saved; `clear_mark` removes it (not fenced: a command may
  // clear it beside the daemon). approve_actions and reject_actions clear it when they find ids.
  [[nodiscard]] virtual JournalMark mark(const std::string& org_id) = 0;
  virtual bool save_mark(const std::string& org_id, const JournalMark& mark) = 0;
  virtual void clear_mark(const std::string& org_id) = 0;

  // Source states: what a journal source keeps between processes, by the source's own key
  // (a OneRoster folder: the tables its deltas apply to, adapters/oneroster). Not per school
  // and not fenced: every process reading the folder keeps the same tables. A store that keeps
  // none (a test's) answers nothing and forgets what it is given.
  [[nodiscard]] virtual std::optional<std::string> source_state(const std::string& key) {
    (void)key;
    return std::nullopt;
  }
  virtual void save_source_state(const std::string& key, const std::string& state) {
    (void)key;
    (void)state;
  }
  // The school's store version: a counter that every change recorded for the school moves
  // (every fenced write above, an approval, a rejection), 0 before the first. A saved plan
  // (`rosterd plan --out`) keeps it and is applied only while it is still the same.
  [[nodiscard]] virtual std::int64_t version(const std::string& org_id) = 0;

  // The run log.
  [[nodiscard]] virtual std::int64_t begin_run(const std::string& org_id,
                                               const std::string& started_at) = 0;
  virtual void finish_run(const RunRecord& run) = 0;
  [[nodiscard]] virtual std::vector<RunRecord> runs(const std::string& org_id,
                                                    std::size_t limit) = 0;
};

[[nodiscard]] std::string_view name(ActionStatus status) noexcept;
[[nodiscard]] std::optional<ActionStatus> parse_action_status(std::string_view s) noexcept;

}  // namespace rosterd::mapping
