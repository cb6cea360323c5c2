#pragma once
// Internal: mapping::StateStore written once over SqlSession; the SQLite and PostgreSQL
// factories wrap their session in it.

#include <chrono>
#include <map>
#include <memory>

#include "adapters/store/sql_session.h"
#include "mapping/ports.h"

namespace rosterd::adapters::store::detail {

class SqlStore final : public mapping::StateStore {
 public:
  // Applies pending migrations; throws StoreError (e.g. a database newer than this binary).
  explicit SqlStore(std::unique_ptr<SqlSession> session);

  [[nodiscard]] mapping::LeaseAttempt acquire_lease(const std::string& org_id,
                                                   const std::string& holder,
                                                   std::chrono::milliseconds ttl) override;
  [[nodiscard]] mapping::LeaseAttempt take_over_lease(const std::string& org_id,
                                                     const std::string& holder,
                                                     std::int64_t from_token,
                                                     std::chrono::milliseconds ttl) override;
  [[nodiscard]] bool renew_lease(const std::string& org_id,
                                 std::chrono::milliseconds ttl) override;
  void release_lease(const std::string& org_id) override;
  [[nodiscard]] std::vector<mapping::Lease> leases() override;

  [[nodiscard]] std::vector<mapping::DaemonMember> heartbeat(
      const std::string& name, std::chrono::milliseconds ttl) override;
  void leave(const std::string& name) override;
  [[nodiscard]] std::vector<mapping::DaemonMember> daemons() override;
  [[nodiscard]] mapping::SendSlots reserve_sends(const std::string& token, std::size_t count,
                                                 std::chrono::microseconds interval) override;

  [[nodiscard]] mapping::AppliedState load(const std::string& org_id) override;
  void save_chats(const std::string& org_id, std::span<const mapping::AppliedChat> chats,
                  std::span<const std::string> removed_keys) override;
  void save_counts(const std::string& org_id, const mapping::SourceCounts& counts) override;

  [[nodiscard]] std::vector<std::int64_t> record_intents(
      const std::string& org_id, std::int64_t run_id, std::span<const mapping::Action> actions,
      std::span<const std::optional<mapping::ChatId>> chat_ids) override;
  void record_outcomes(const std::string& org_id, std::span<const mapping::ActionRecord> outcomes,
                       std::span<const mapping::AppliedChat> changed_chats,
                       std::span<const std::string> removed_keys) override;
  [[nodiscard]] std::vector<mapping::ActionRecord> unresolved(const std::string& org_id) override;
  [[nodiscard]] std::set<mapping::ChatId> bound_chat_ids() override;
  [[nodiscard]] std::vector<mapping::Rejection> rejections(const std::string& org_id) override;

  void save_held(const std::string& org_id, std::span<const mapping::Action> held) override;
  [[nodiscard]] std::vector<mapping::Action> held(const std::string& org_id) override;
  void save_numbers(const std::string& org_id, const mapping::SchoolNumbers& numbers) override;
  [[nodiscard]] std::optional<mapping::SchoolNumbers> numbers(const std::string& org_id) override;
  [[nodiscard]] std::vector<mapping::WeekNumbers> weeks(const std::string& org_id,
                                                        std::size_t limit) override;
  [[nodiscard]] std::vector<mapping::ActionRecord> action_log(
      const std::string& org_id, const mapping::ActionLogFilter& filter) override;
  [[nodiscard]] std::set<std::string> approved(const std::string& org_id) override;
  void consume_approvals(const std::string& org_id, std::span<const std::string> ids) override;
  std::size_t approve_actions(const std::string& org_id,
                              std::span<const std::string> ids) override;
  std::size_t reject_actions(const std::string& org_id, std::span<const std::string> ids) override;
  [[nodiscard]] std::set<std::string> rejected(const std::string& org_id) override;
  void forget_rejections(const std::string& org_id, std::span<const std::string> ids) override;

  void record_hand_outs(const std::string& org_id,
                        std::span<const mapping::HandOut> hand_outs) override;
  [[nodiscard]] std::vector<mapping::HandOut> hand_outs(const std::string& org_id) override;

  [[nodiscard]] mapping::JournalMark mark(const std::string& org_id) override;
  bool save_mark(const std::string& org_id, const mapping::JournalMark& mark) override;
  void clear_mark(const std::string& org_id) override;

  [[nodiscard]] std::optional<std::string> source_state(const std::string& key) override;
  void save_source_state(const std::string& key, const std::string& state) override;
  [[nodiscard]] std::int64_t version(const std::string& org_id) override;

  [[nodiscard]] std::int64_t begin_run(const std::string& org_id,
                                       const std::string& started_at) override;
  void finish_run(const mapping::RunRecord& run) override;
  [[nodiscard]] std::vector<mapping::RunRecord> runs(const std::string& org_id,
                                                     std::size_t limit) override;

 private:
  [[nodiscard]] std::vector<mapping::Action> select_held(const std::string& org_id);
  void insert_held(const std::string& org_id, std::span<const mapping::Action> held);
  // Moves the held actions with these ids out of the held list, recording each with `record`
  // ($1 org, $2 action id, $3 time); returns how many were found.
  std::size_t decide_held(const std::string& org_id, std::span<const std::string> ids,
                          const std::string& record);
  // Remembers the token of a lease taken (or forgets the school's when it was not).
  mapping::LeaseAttempt keep(mapping::LeaseAttempt attempt);
  // Runs `body` in one write transaction after checking this object's lease on the school.
  template <class Body>
  decltype(auto) fenced(const std::string& org_id, Body&& body);

  std::unique_ptr<SqlSession> session_;
  std::map<std::string, std::int64_t> tokens_;  // the leases this object holds, by school
};

}  // namespace rosterd::adapters::store::detail
