#include "adapters/store/leases.h"

#include <cstdio>
#include <ctime>

#include "adapters/store/row_codec.h"

namespace rosterd::adapters::store::detail {
std::string now_ms(Dialect dialect) {
  return dialect == Dialect::sqlite
             ? "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
             : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
}

namespace {

std::string lock_clause(Dialect dialect, const char* postgres_lock) {
  // SQLite's write transaction (BEGIN IMMEDIATE) already admits one writer at a time.
  return dialect == Dialect::sqlite ? std::string{} : std::string{" "} + postgres_lock;
}

std::int64_t ms(std::chrono::milliseconds ttl) { return static_cast<std::int64_t>(ttl.count()); }

}  // namespace

std::string iso_from_unix_ms(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(unix_ms % 1000));
  return std::string(text, length) + fraction;
}

namespace {

// Hands the lease to `holder` with the next token: the row is known to be free for it.
mapping::LeaseAttempt hand_over(SqlSession& session, const std::string& org_id,
                                const std::string& holder, std::chrono::milliseconds ttl,
                                const std::string& condition, SqlParams params) {
  const auto dialect = session.dialect();
  params.insert(params.begin(), {org_id, holder, ms(ttl)});
  const auto taken = session.query(
      "UPDATE leases SET holder = $2, token = token + 1, acquired_ms = " + now_ms(dialect) +
          ", expires_ms = " + now_ms(dialect) + " + $3 WHERE org_id = $1" + condition +
          " RETURNING token, expires_ms",
      params);
  if (taken.empty()) return {false, {}};
  const auto& got = taken.front();
  return {true, {org_id, holder, int64_cell(got, 0), iso_from_unix_ms(int64_cell(got, 1)), ttl}};
}

// The school's lease row (made if missing), locked for the rest of the transaction.
struct LeaseNow {
  std::string holder;
  std::int64_t token = 0;
  std::int64_t expires = 0;
  std::int64_t now = 0;
};
LeaseNow lock_lease(SqlSession& session, const std::string& org_id) {
  const auto dialect = session.dialect();
  session.exec(
      "INSERT INTO leases (org_id, holder, token, acquired_ms, expires_ms) "
      "VALUES ($1, '', 0, 0, 0) ON CONFLICT (org_id) DO NOTHING",
      {org_id});
  const auto rows = session.query("SELECT holder, token, expires_ms, " + now_ms(dialect) +
                                      " FROM leases WHERE org_id = $1" +
                                      lock_clause(dialect, "FOR UPDATE"),
                                  {org_id});
  const auto& row = rows.at(0);
  return {text_cell(row, 0), int64_cell(row, 1), int64_cell(row, 2), int64_cell(row, 3)};
}

mapping::LeaseAttempt held_by(const std::string& org_id, const LeaseNow& l) {
  return {false, {org_id, l.holder, l.token, iso_from_unix_ms(l.expires),
                  std::chrono::milliseconds(l.expires - l.now)}};
}

}  // namespace

mapping::LeaseAttempt take_lease(SqlSession& session, const std::string& org_id,
                                 const std::string& holder, std::chrono::milliseconds ttl) {
  const auto current = lock_lease(session, org_id);
  // Another holder's lease that has not expired stands. The same holder taking it again (a
  // second store object of one process) gets a new token, so the older object is fenced off.
  if (current.token > 0 && current.holder != holder && current.expires > current.now) {
    return held_by(org_id, current);
  }
  return hand_over(session, org_id, holder, ttl, "", {});
}

mapping::LeaseAttempt seize_lease(SqlSession& session, const std::string& org_id,
                                  const std::string& holder, std::int64_t from_token,
                                  std::chrono::milliseconds ttl) {
  const auto current = lock_lease(session, org_id);
  if (current.token != from_token) return held_by(org_id, current);
  return hand_over(session, org_id, holder, ttl, " AND token = $4", {from_token});
}

bool extend_lease(SqlSession& session, const std::string& org_id, std::int64_t token,
                  std::chrono::milliseconds ttl) {
  return session.exec("UPDATE leases SET expires_ms = " + now_ms(session.dialect()) +
                          " + $3 WHERE org_id = $1 AND token = $2",
                      {org_id, token, ms(ttl)}) == 1;
}

void end_lease(SqlSession& session, const std::string& org_id, std::int64_t token) {
  session.exec("UPDATE leases SET expires_ms = 0 WHERE org_id = $1 AND token = $2",
               {org_id, token});
}

void check_fence(SqlSession& session, const std::string& org_id, std::int64_t token) {
  const auto rows = session.query("SELECT token, holder FROM leases WHERE org_id = $1" +
                                      lock_clause(session.dialect(), "FOR SHARE"),
                                  {org_id});
  if (rows.empty()) {
    throw mapping::LeaseLost("school " + org_id + ": no lease was ever taken on it");
  }
  const auto current = int64_cell(rows.front(), 0);
  if (current != token) {
    throw mapping::LeaseLost("school " + org_id + ": its lease passed to " +
                             text_cell(rows.front(), 1) + " (token " + std::to_string(current) +
                             "); this process's token " + std::to_string(token) +
                             " may no longer write");
  }
}

std::vector<mapping::Lease> select_leases(SqlSession& session) {
  std::vector<mapping::Lease> leases;
  for (const auto& row : session.query(
           "SELECT org_id, holder, token, expires_ms FROM leases WHERE token > 0 ORDER BY org_id",
           {})) {
    leases.push_back({text_cell(row, 0), text_cell(row, 1), int64_cell(row, 2),
                      iso_from_unix_ms(int64_cell(row, 3)), {}});
  }
  return leases;
}

}  // namespace rosterd::adapters::store::detail
