#pragma once
// In-memory ports for testing SchoolSync: a journal that answers a Roster the test built, a
// platform that records every write and answers as scripted, and a state store that implements
// the whole port, leases and fencing included, over a shared FakeDatabase (so that two store
// objects, as two processes, can compete for one school).

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mapping/ports.h"

namespace rosterd::daemon::testing {

class FakeJournal final : public mapping::JournalSource {
 public:
  explicit FakeJournal(mapping::Roster roster)
      : roster_(std::make_shared<mapping::Roster>(std::move(roster))) {}
  // Without an etag, a source that cannot answer "unchanged" (an export folder). With one, it
  // answers like the HTTP journal: the roster's version is `version`, bumped by set().
  mapping::JournalAnswer fetch() override {
    ++fetches;
    return {roster_, false, etag_()};
  }
  mapping::JournalAnswer fetch_if_changed(const std::string& etag) override {
    ++conditional_fetches;
    if (!etag.empty() && etag == etag_()) return {nullptr, true, etag};
    return {roster_, false, etag_()};
  }
  void set(mapping::Roster roster) {
    roster_ = std::make_shared<mapping::Roster>(std::move(roster));
    ++version;
  }
  bool has_etag = false;
  int version = 1;
  int fetches = 0;              // fetch() calls
  int conditional_fetches = 0;  // fetch_if_changed() calls
  [[nodiscard]] int requests() const { return fetches + conditional_fetches; }

 private:
  std::string etag_() const { return has_etag ? "\"v" + std::to_string(version) + "\"" : ""; }
  std::shared_ptr<const mapping::Roster> roster_;
};

class FakePlatform final : public mapping::Platform {
 public:
  // "create_chat 5А · Школа 1", "add_member 100 1001", "set_admin 100 9001", …
  std::vector<std::string> writes;
  std::size_t calls = 0;  // write() calls (batches)
  // Scripted answers by description ("add_member 100 1001"); used up one by one; a write with
  // no script left is done.
  std::map<std::string, std::deque<mapping::WriteResult>> script;
  std::function<void()> after_batch;  // runs after each write() call

  std::vector<mapping::WriteResult> write(std::span<const mapping::PlatformWrite> batch) override;
  std::vector<mapping::PlatformChat> list_chats() override;
  std::vector<mapping::PlatformMember> members(mapping::ChatId chat_id) override;
  std::vector<mapping::PlatformChat> list_org_chats(const std::string& org_id) override;
  std::vector<mapping::ChatMembers> read_members(std::span<const mapping::ChatId> ids) override;
  mapping::PlatformUserId self_id() override { return self; }
  std::size_t reads = 0;  // list_org_chats and read_members calls
  mapping::PlatformUserId self = 7000;

  bool refuse_token = false;  // every read throws PlatformAuthError (5): a revoked token

  struct Chat {
    std::string title;
    bool archived = false;
    std::map<mapping::PlatformUserId, bool> members;  // user → admin
    mapping::PlatformUserId created_by = 7000;         // 0: made by the platform itself
  };
  std::map<mapping::ChatId, Chat> chats;

 private:
  mapping::ChatId next_id_ = 100;
};

[[nodiscard]] std::string describe(const mapping::PlatformWrite& w);

// What one store shares with the others: the "database".
struct FakeDatabase {
  struct LeaseRow {
    std::string holder;
    std::int64_t token = 0;
    bool expired = false;
  };
  struct School {
    std::optional<LeaseRow> lease;
    std::map<std::string, mapping::AppliedChat> chats;
    std::optional<mapping::SourceCounts> counts;
    std::vector<mapping::ActionRecord> log;
    std::vector<mapping::Action> held;
    std::set<std::string> approved;
    std::set<std::string> rejected;
    std::vector<mapping::RunRecord> runs;
    std::optional<mapping::SchoolNumbers> numbers;
    std::map<std::pair<std::string, mapping::MemberRole>, mapping::HandOut> hand_outs;
    std::map<mapping::Date, mapping::SchoolNumbers> weeks;  // by Monday
    mapping::JournalMark mark;
    std::int64_t version = 0;  // the store version: every fenced write and decision moves it
  };
  std::map<std::string, School> schools;
  std::int64_t next_id = 1;
  // Membership: the live daemons by name (a test removes one to make it die); the shared
  // budgets' next free slot by token name, on the fake clock `now_us`.
  std::map<std::string, mapping::DaemonMember> daemons;
  std::map<std::string, std::int64_t> budgets;
  std::int64_t now_us = 0;
  // Another process takes the school over (its lease expired, or the holder died).
  void take_over(const std::string& org_id, const std::string& holder);
};

class FakeStore final : public mapping::StateStore {
 public:
  explicit FakeStore(FakeDatabase& db) : db_(db) {}

  mapping::LeaseAttempt acquire_lease(const std::string& org_id, const std::string& holder,
                                      std::chrono::milliseconds ttl) override;
  mapping::LeaseAttempt take_over_lease(const std::string& org_id, const std::string& holder,
                                        std::int64_t from_token,
                                        std::chrono::milliseconds ttl) override;
  bool renew_lease(const std::string& org_id, std::chrono::milliseconds ttl) override;
  void release_lease(const std::string& org_id) override;
  std::vector<mapping::Lease> leases() override;
  std::vector<mapping::DaemonMember> heartbeat(const std::string& name,
                                               std::chrono::milliseconds ttl) override;
  void leave(const std::string& name) override;
  std::vector<mapping::DaemonMember> daemons() override;
  mapping::SendSlots reserve_sends(const std::string& token, std::size_t count,
                                   std::chrono::microseconds interval) override;

  mapping::AppliedState load(const std::string& org_id) override;
  void save_chats(const std::string& org_id, std::span<const mapping::AppliedChat> chats,
                  std::span<const std::string> removed_keys) override;
  void save_counts(const std::string& org_id, const mapping::SourceCounts& counts) override;
  std::vector<std::int64_t> record_intents(
      const std::string& org_id, std::int64_t run_id, std::span<const mapping::Action> actions,
      std::span<const std::optional<mapping::ChatId>> chat_ids) override;
  void record_outcomes(const std::string& org_id, std::span<const mapping::ActionRecord> outcomes,
                       std::span<const mapping::AppliedChat> changed_chats,
                       std::span<const std::string> removed_keys) override;
  std::vector<mapping::ActionRecord> unresolved(const std::string& org_id) override;
  std::set<mapping::ChatId> bound_chat_ids() override;
  std::vector<mapping::Rejection> rejections(const std::string& org_id) override;
  void save_held(const std::string& org_id, std::span<const mapping::Action> held) override;
  std::vector<mapping::Action> held(const std::string& org_id) override;
  void save_numbers(const std::string& org_id, const mapping::SchoolNumbers& numbers) override;
  std::optional<mapping::SchoolNumbers> numbers(const std::string& org_id) override;
  std::vector<mapping::WeekNumbers> weeks(const std::string& org_id, std::size_t limit) override;
  std::vector<mapping::ActionRecord> action_log(const std::string& org_id,
                                                const mapping::ActionLogFilter& filter) override;
  std::set<std::string> approved(const std::string& org_id) override;
  void consume_approvals(const std::string& org_id, std::span<const std::string> ids) override;
  std::size_t approve_actions(const std::string& org_id,
                              std::span<const std::string> ids) override;
  std::size_t reject_actions(const std::string& org_id, std::span<const std::string> ids) override;
  std::set<std::string> rejected(const std::string& org_id) override;
  void forget_rejections(const std::string& org_id, std::span<const std::string> ids) override;
  void record_hand_outs(const std::string& org_id,
                        std::span<const mapping::HandOut> hand_outs) override;
  std::vector<mapping::HandOut> hand_outs(const std::string& org_id) override;
  mapping::JournalMark mark(const std::string& org_id) override;
  bool save_mark(const std::string& org_id, const mapping::JournalMark& mark) override;
  void clear_mark(const std::string& org_id) override;
  std::int64_t version(const std::string& org_id) override;
  std::int64_t begin_run(const std::string& org_id, const std::string& started_at) override;
  void finish_run(const mapping::RunRecord& run) override;
  std::vector<mapping::RunRecord> runs(const std::string& org_id, std::size_t limit) override;

 private:
  FakeDatabase::School& fenced(const std::string& org_id);
  FakeDatabase& db_;
  std::map<std::string, std::int64_t> tokens_;
};

// The school the sync tests share: 5А with its class teacher t1 (platform user 9001), students
// s1 (1001) and s2 (1002), and s3 (1003) whose last day was 2026-11-20 (withdrawn). With the
// default rules: a class chat "5А · Школа 1" and its parents' chat.
[[nodiscard]] mapping::Roster five_a();

}  // namespace rosterd::daemon::testing
