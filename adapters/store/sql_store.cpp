#include "adapters/store/sql_store.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "adapters/store/applied_rows.h"
#include "adapters/store/clock.h"
#include "adapters/store/daemons.h"
#include "adapters/store/leases.h"
#include "adapters/store/mark_rows.h"
#include "adapters/store/numbers_rows.h"
#include "adapters/store/row_codec.h"
#include "adapters/store/schema.h"
#include "adapters/store/store.h"

namespace rosterd::adapters::store::detail {
namespace {

mapping::ActionRecord action_record_from_row(const SqlRow& row) {
  mapping::ActionRecord record;
  record.id = int64_cell(row, 0);
  record.org_id = text_cell(row, 1);
  record.run_id = int64_cell(row, 2);
  record.action = action_from_row(row, 3);
  constexpr std::size_t next = 3 + action_column_count;
  record.chat_id = opt_int64_cell(row, next);
  // The log keeps one chat id a record: an adopted chat's id is the record's.
  if (record.action.type == mapping::ActionType::adopt_chat) record.action.chat_id = record.chat_id;
  const auto status_text = text_cell(row, next + 1);
  const auto status = mapping::parse_action_status(status_text);
  if (!status) {
    throw StoreError("state store: action log entry " + std::to_string(record.id) +
                     " has an unknown status '" + status_text + "'");
  }
  record.status = *status;
  record.error_code = static_cast<int>(int64_cell(row, next + 2));
  record.message = text_cell(row, next + 3);
  if (row.cells.size() > next + 4) record.intended_at = text_cell(row, next + 4);
  if (row.cells.size() > next + 5) record.updated_at = text_cell(row, next + 5);
  return record;
}

std::int64_t clamp_limit(std::size_t limit) noexcept {
  constexpr auto most = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(std::min(limit, most));
}

mapping::RunRecord run_from_row(const SqlRow& row) {
  mapping::RunRecord run{int64_cell(row, 0), text_cell(row, 1), text_cell(row, 2),
                         text_cell(row, 3),  std::nullopt,      text_cell(row, 5)};
  const auto result_text = text_cell(row, 4);
  if (result_text.empty()) return run;  // begun and never finished
  run.result = mapping::parse_cycle_result(result_text);
  if (!run.result) {
    throw StoreError("state store: run " + std::to_string(run.id) + " of school " + run.org_id +
                     " has an unknown result '" + result_text + "'");
  }
  return run;
}

// Moves the school's store version; inside the caller's write transaction, so the change and
// the version move together.
void bump_version(SqlSession& session, const std::string& org_id) {
  session.exec(
      "INSERT INTO store_versions (org_id, version) VALUES ($1, 1) "
      "ON CONFLICT (org_id) DO UPDATE SET version = store_versions.version + 1",
      {org_id});
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<SqlSession> session) : session_(std::move(session)) {
  migrate(*session_);
}

template <class Body>
decltype(auto) SqlStore::fenced(const std::string& org_id, Body&& body) {
  const auto held = tokens_.find(org_id);
  if (held == tokens_.end()) {
    throw mapping::LeaseLost("school " + org_id + ": this process holds no lease on it");
  }
  const std::int64_t token = held->second;
  try {
    return in_transaction(*session_, TxMode::write, [&] {
      check_fence(*session_, org_id, token);
      bump_version(*session_, org_id);  // every fenced write is a change recorded for the school
      return body();
    });
  } catch (const mapping::LeaseLost&) {
    tokens_.erase(org_id);
    throw;
  }
}

mapping::LeaseAttempt SqlStore::acquire_lease(const std::string& org_id,
                                              const std::string& holder,
                                              std::chrono::milliseconds ttl) {
  return keep(in_transaction(*session_, TxMode::write,
                             [&] { return take_lease(*session_, org_id, holder, ttl); }));
}

mapping::LeaseAttempt SqlStore::take_over_lease(const std::string& org_id,
                                                const std::string& holder,
                                                std::int64_t from_token,
                                                std::chrono::milliseconds ttl) {
  return keep(in_transaction(*session_, TxMode::write, [&] {
    return seize_lease(*session_, org_id, holder, from_token, ttl);
  }));
}

mapping::LeaseAttempt SqlStore::keep(mapping::LeaseAttempt attempt) {
  if (attempt.acquired) {
    tokens_[attempt.lease.org_id] = attempt.lease.token;
  } else {
    tokens_.erase(attempt.lease.org_id);
  }
  return attempt;
}

bool SqlStore::renew_lease(const std::string& org_id, std::chrono::milliseconds ttl) {
  const auto held = tokens_.find(org_id);
  if (held == tokens_.end()) return false;
  const bool kept = in_transaction(*session_, TxMode::write,
                                   [&] { return extend_lease(*session_, org_id, held->second, ttl); });
  if (!kept) tokens_.erase(held);
  return kept;
}

void SqlStore::release_lease(const std::string& org_id) {
  const auto held = tokens_.find(org_id);
  if (held == tokens_.end()) return;
  const auto token = held->second;
  tokens_.erase(held);
  in_transaction(*session_, TxMode::write, [&] { end_lease(*session_, org_id, token); });
}

std::vector<mapping::Lease> SqlStore::leases() {
  return in_transaction(*session_, TxMode::read, [&] { return select_leases(*session_); });
}

std::vector<mapping::DaemonMember> SqlStore::heartbeat(const std::string& name,
                                                      std::chrono::milliseconds ttl) {
  return in_transaction(*session_, TxMode::write, [&] { return beat(*session_, name, ttl); });
}

void SqlStore::leave(const std::string& name) {
  in_transaction(*session_, TxMode::write, [&] { remove_daemon(*session_, name); });
}

std::vector<mapping::DaemonMember> SqlStore::daemons() {
  return in_transaction(*session_, TxMode::read, [&] { return select_daemons(*session_); });
}

mapping::SendSlots SqlStore::reserve_sends(const std::string& token, std::size_t count,
                                           std::chrono::microseconds interval) {
  return in_transaction(*session_, TxMode::write,
                        [&] { return take_send_slots(*session_, token, count, interval); });
}

mapping::AppliedState SqlStore::load(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] {
    return mapping::AppliedState{org_id, select_chats(*session_, org_id),
                                 select_counts(*session_, org_id)};
  });
}

void SqlStore::save_chats(const std::string& org_id, std::span<const mapping::AppliedChat> chats,
                          std::span<const std::string> removed_keys) {
  fenced(org_id, [&] { replace_chats(*session_, org_id, chats, removed_keys); });
}

void SqlStore::save_counts(const std::string& org_id, const mapping::SourceCounts& counts) {
  fenced(org_id, [&] { upsert_counts(*session_, org_id, counts); });
}

std::vector<std::int64_t> SqlStore::record_intents(
    const std::string& org_id, std::int64_t run_id, std::span<const mapping::Action> actions,
    std::span<const std::optional<mapping::ChatId>> chat_ids) {
  if (!chat_ids.empty() && chat_ids.size() != actions.size()) {
    throw std::invalid_argument("record_intents: " + std::to_string(chat_ids.size()) +
                                " chat ids for " + std::to_string(actions.size()) + " actions");
  }
  const std::string sql = "INSERT INTO action_log (org_id, run_id, " + std::string{action_columns} +
                          ", chat_id, status, error_code, message, intended_at, updated_at) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                          "$15, $16, $17) RETURNING id";
  const auto now = utc_now_iso();
  return fenced(org_id, [&] {
    std::vector<std::int64_t> ids;
    ids.reserve(actions.size());
    for (std::size_t i = 0; i < actions.size(); ++i) {
      SqlParams params{org_id, run_id};
      append_action_params(params, actions[i]);
      const auto chat_id = chat_ids.empty() ? std::nullopt : chat_ids[i];
      params.push_back(param(chat_id ? chat_id : actions[i].chat_id));
      params.emplace_back(std::string{mapping::name(mapping::ActionStatus::intended)});
      params.emplace_back(std::int64_t{0});
      params.emplace_back(std::string{});
      params.emplace_back(now);
      params.emplace_back(now);
      const auto rows = session_->query(sql, params);
      if (rows.size() != 1) throw StoreError("state store: INSERT … RETURNING id gave no id");
      ids.push_back(int64_cell(rows.front(), 0));
    }
    return ids;
  });
}

void SqlStore::record_outcomes(const std::string& org_id,
                               std::span<const mapping::ActionRecord> outcomes,
                               std::span<const mapping::AppliedChat> changed_chats,
                               std::span<const std::string> removed_keys) {
  const auto now = utc_now_iso();
  fenced(org_id, [&] {
    for (const auto& outcome : outcomes) {
      // A missing chat id keeps the one recorded with the intent.
      const auto changed = session_->exec(
          "UPDATE action_log SET chat_id = COALESCE($1, chat_id), status = $2, "
          "error_code = $3, message = $4, updated_at = $5 WHERE id = $6 AND org_id = $7",
          {param(outcome.chat_id), std::string{mapping::name(outcome.status)},
           std::int64_t{outcome.error_code}, outcome.message, now, outcome.id, org_id});
      if (changed != 1) {
        throw StoreError("state store " + session_->description() + ": no action log entry " +
                         std::to_string(outcome.id) + " for school " + org_id);
      }
    }
    replace_chats(*session_, org_id, changed_chats, removed_keys);
  });
}

std::vector<mapping::ActionRecord> SqlStore::unresolved(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] {
    std::vector<mapping::ActionRecord> records;
    for (const auto& row :
         session_->query("SELECT id, org_id, run_id, " + std::string{action_columns} +
                             ", chat_id, status, error_code, message, intended_at FROM action_log "
                             "WHERE org_id = $1 AND status IN ('intended', 'unknown') ORDER BY id",
                         {org_id})) {
      records.push_back(action_record_from_row(row));
    }
    return records;
  });
}

std::set<mapping::ChatId> SqlStore::bound_chat_ids() {
  return in_transaction(*session_, TxMode::read, [&] {
    std::set<mapping::ChatId> ids;
    for (const auto& row :
         session_->query("SELECT DISTINCT chat_id FROM chats WHERE chat_id IS NOT NULL", {})) {
      ids.insert(int64_cell(row, 0));
    }
    return ids;
  });
}

std::vector<mapping::Rejection> SqlStore::rejections(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] {
    // Folded newest first per action: the run of rejections with one code that ends the log.
    std::map<std::string, mapping::Rejection> latest;
    std::set<std::string> settled;  // actions whose run of equal refusals has ended
    for (const auto& row :
         session_->query("SELECT id, org_id, run_id, " + std::string{action_columns} +
                             ", chat_id, status, error_code, message FROM action_log "
                             "WHERE org_id = $1 AND status IN ('done', 'rejected') "
                             "ORDER BY id DESC",
                         {org_id})) {
      auto record = action_record_from_row(row);
      auto id = mapping::action_id(record.action);
      if (settled.contains(id)) continue;
      const auto it = latest.find(id);
      const bool refused = record.status == mapping::ActionStatus::rejected;
      if (it == latest.end()) {
        if (!refused) {
          settled.insert(std::move(id));
          continue;
        }
        latest.emplace(std::move(id),
                       mapping::Rejection{std::move(record.action), record.chat_id,
                                          record.error_code, std::move(record.message), 1});
      } else if (refused && record.error_code == it->second.error_code) {
        ++it->second.times;
      } else {
        settled.insert(std::move(id));
      }
    }
    std::vector<mapping::Rejection> out;
    for (auto& [id, rejection] : latest) out.push_back(std::move(rejection));
    return out;
  });
}

void SqlStore::save_held(const std::string& org_id, std::span<const mapping::Action> held) {
  fenced(org_id, [&] { insert_held(org_id, held); });
}

// Replaces the school's held list; inside the caller's transaction.
void SqlStore::insert_held(const std::string& org_id, std::span<const mapping::Action> held) {
  const std::string sql = "INSERT INTO held_actions (org_id, seq, " + std::string{action_columns} +
                          ", held_reason, chat_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                          "$10, $11, $12, $13)";
  session_->exec("DELETE FROM held_actions WHERE org_id = $1", {org_id});
  std::int64_t seq = 0;
  for (const auto& action : held) {
    SqlParams params{org_id, seq++};
    append_action_params(params, action);
    params.emplace_back(action.held_reason);
    params.push_back(param(action.chat_id));
    session_->exec(sql, params);
  }
}

std::vector<mapping::Action> SqlStore::select_held(const std::string& org_id) {
  std::vector<mapping::Action> actions;
  for (const auto& row :
       session_->query("SELECT " + std::string{action_columns} +
                           ", held_reason, chat_id FROM held_actions WHERE org_id = $1 "
                           "ORDER BY seq",
                       {org_id})) {
    auto action = action_from_row(row, 0);
    action.held = true;
    action.held_reason = text_cell(row, action_column_count);
    action.chat_id = opt_int64_cell(row, action_column_count + 1);
    actions.push_back(std::move(action));
  }
  return actions;
}

void SqlStore::save_numbers(const std::string& org_id, const mapping::SchoolNumbers& numbers) {
  fenced(org_id, [&] { replace_numbers(*session_, org_id, numbers); });
}

std::optional<mapping::SchoolNumbers> SqlStore::numbers(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] { return select_numbers(*session_, org_id); });
}

std::vector<mapping::WeekNumbers> SqlStore::weeks(const std::string& org_id, std::size_t limit) {
  return in_transaction(*session_, TxMode::read,
                        [&] { return select_weeks(*session_, org_id, limit); });
}

std::vector<mapping::ActionRecord> SqlStore::action_log(const std::string& org_id,
                                                        const mapping::ActionLogFilter& filter) {
  std::string sql = "SELECT id, org_id, run_id, " + std::string{action_columns} +
                    ", chat_id, status, error_code, message, intended_at, updated_at "
                    "FROM action_log WHERE org_id = $1";
  SqlParams params{org_id};
  if (!filter.person_id.empty()) {
    params.emplace_back(filter.person_id);
    sql += " AND person_id = $" + std::to_string(params.size());
  }
  if (!filter.chat_key.empty()) {
    params.emplace_back(filter.chat_key);
    sql += " AND chat_key = $" + std::to_string(params.size());
  }
  sql += " ORDER BY id DESC";
  if (filter.limit != 0) {
    params.emplace_back(clamp_limit(filter.limit));
    sql += " LIMIT $" + std::to_string(params.size());
  }
  return in_transaction(*session_, TxMode::read, [&] {
    std::vector<mapping::ActionRecord> records;
    for (const auto& row : session_->query(sql, params)) {
      records.push_back(action_record_from_row(row));
    }
    std::ranges::reverse(records);  // read the latest, shown oldest first
    return records;
  });
}

std::vector<mapping::Action> SqlStore::held(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] { return select_held(org_id); });
}

std::set<std::string> SqlStore::approved(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] {
    std::set<std::string> ids;
    for (const auto& row :
         session_->query("SELECT action_id FROM approvals WHERE org_id = $1", {org_id})) {
      ids.insert(text_cell(row, 0));
    }
    return ids;
  });
}

void SqlStore::consume_approvals(const std::string& org_id, std::span<const std::string> ids) {
  fenced(org_id, [&] {
    for (const auto& id : ids) {
      session_->exec("DELETE FROM approvals WHERE org_id = $1 AND action_id = $2", {org_id, id});
    }
  });
}

std::size_t SqlStore::decide_held(const std::string& org_id, std::span<const std::string> ids,
                                  const std::string& record) {
  const std::set<std::string> wanted(ids.begin(), ids.end());
  const auto now = utc_now_iso();
  return in_transaction(*session_, TxMode::write, [&] {
    std::vector<mapping::Action> kept;
    std::size_t found = 0;
    for (auto& action : select_held(org_id)) {
      const auto id = mapping::action_id(action);
      if (!wanted.contains(id)) {
        kept.push_back(std::move(action));
        continue;
      }
      session_->exec(record, {org_id, id, now});
      ++found;
    }
    if (found != 0) {
      bump_version(*session_, org_id);
      insert_held(org_id, kept);
      delete_mark(*session_, org_id);  // the next cycle plans: a decision changes the plan
    }
    return found;
  });
}

mapping::JournalMark SqlStore::mark(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] { return select_mark(*session_, org_id); });
}

bool SqlStore::save_mark(const std::string& org_id, const mapping::JournalMark& mark) {
  return fenced(org_id, [&] { return replace_mark(*session_, org_id, mark); });
}

void SqlStore::clear_mark(const std::string& org_id) {
  in_transaction(*session_, TxMode::write, [&] { delete_mark(*session_, org_id); });
}

std::optional<std::string> SqlStore::source_state(const std::string& key) {
  return in_transaction(*session_, TxMode::read, [&]() -> std::optional<std::string> {
    const auto rows = session_->query("SELECT state FROM source_states WHERE source_key = $1", {key});
    if (rows.empty()) return std::nullopt;
    return text_cell(rows.front(), 0);
  });
}

void SqlStore::save_source_state(const std::string& key, const std::string& state) {
  in_transaction(*session_, TxMode::write, [&] {
    session_->exec(
        "INSERT INTO source_states (source_key, state, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (source_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        {key, state, utc_now_iso()});
  });
}

std::size_t SqlStore::approve_actions(const std::string& org_id,
                                      std::span<const std::string> ids) {
  return decide_held(org_id, ids,
                     "INSERT INTO approvals (org_id, action_id, approved_at) VALUES ($1, $2, $3) "
                     "ON CONFLICT (org_id, action_id) DO NOTHING");
}

std::size_t SqlStore::reject_actions(const std::string& org_id, std::span<const std::string> ids) {
  return decide_held(org_id, ids,
                     "INSERT INTO rejected_actions (org_id, action_id, rejected_at) "
                     "VALUES ($1, $2, $3) ON CONFLICT (org_id, action_id) DO NOTHING");
}

std::set<std::string> SqlStore::rejected(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] {
    std::set<std::string> ids;
    for (const auto& row :
         session_->query("SELECT action_id FROM rejected_actions WHERE org_id = $1", {org_id})) {
      ids.insert(text_cell(row, 0));
    }
    return ids;
  });
}

void SqlStore::forget_rejections(const std::string& org_id, std::span<const std::string> ids) {
  fenced(org_id, [&] {
    for (const auto& id : ids) {
      session_->exec("DELETE FROM rejected_actions WHERE org_id = $1 AND action_id = $2",
                     {org_id, id});
    }
  });
}

void SqlStore::record_hand_outs(const std::string& org_id,
                                std::span<const mapping::HandOut> hand_outs) {
  in_transaction(*session_, TxMode::write, [&] {
    for (const auto& h : hand_outs) {
      session_->exec(
          "INSERT INTO invite_hand_outs (org_id, chat_key, role, link, handed_on) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, chat_key, role) DO UPDATE SET "
          "link = excluded.link, handed_on = excluded.handed_on",
          {org_id, h.chat_key, std::string{mapping::name(h.role)}, h.link, h.handed_on.iso()});
    }
  });
}

std::vector<mapping::HandOut> SqlStore::hand_outs(const std::string& org_id) {
  auto rows = in_transaction(*session_, TxMode::read, [&] {
    std::vector<mapping::HandOut> out;
    for (const auto& row : session_->query(
             "SELECT chat_key, role, link, handed_on FROM invite_hand_outs WHERE org_id = $1",
             {org_id})) {
      out.push_back({text_cell(row, 0), role_cell(row, 1), text_cell(row, 2), date_cell(row, 3)});
    }
    return out;
  });
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.chat_key, a.role) < std::tie(b.chat_key, b.role);
  });
  return rows;
}

std::int64_t SqlStore::version(const std::string& org_id) {
  return in_transaction(*session_, TxMode::read, [&] {
    const auto rows =
        session_->query("SELECT version FROM store_versions WHERE org_id = $1", {org_id});
    return rows.empty() ? std::int64_t{0} : int64_cell(rows.front(), 0);
  });
}

std::int64_t SqlStore::begin_run(const std::string& org_id, const std::string& started_at) {
  return fenced(org_id, [&] {
    const auto rows = session_->query(
        "INSERT INTO runs (org_id, started_at, finished_at, result, summary) "
        "VALUES ($1, $2, '', '', '') RETURNING id",
        {org_id, started_at});
    if (rows.size() != 1) throw StoreError("state store: INSERT … RETURNING id gave no id");
    return int64_cell(rows.front(), 0);
  });
}

void SqlStore::finish_run(const mapping::RunRecord& run) {
  fenced(run.org_id, [&] {
    const auto changed = session_->exec(
        "UPDATE runs SET finished_at = $1, result = $2, summary = $3 WHERE id = $4 AND org_id = $5",
        {run.finished_at, run.result ? std::string(mapping::name(*run.result)) : std::string{},
         run.summary, run.id, run.org_id});
    if (changed != 1) {
      throw StoreError("state store " + session_->description() + ": no run " +
                       std::to_string(run.id) + " for school " + run.org_id);
    }
  });
}

std::vector<mapping::RunRecord> SqlStore::runs(const std::string& org_id, std::size_t limit) {
  return in_transaction(*session_, TxMode::read, [&] {
    std::vector<mapping::RunRecord> records;
    for (const auto& row :
         session_->query("SELECT id, org_id, started_at, finished_at, result, summary FROM runs "
                         "WHERE org_id = $1 ORDER BY id DESC LIMIT $2",
                         {org_id, clamp_limit(limit)})) {
      records.push_back(run_from_row(row));
    }
    return records;
  });
}

}  // namespace rosterd::adapters::store::detail
