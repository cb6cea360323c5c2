#include "adapters/store/daemons.h"

#include "adapters/store/leases.h"
#include "adapters/store/row_codec.h"

namespace rosterd::adapters::store::detail {
namespace {

std::string now_us(Dialect dialect) {
  return dialect == Dialect::sqlite
             ? "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)"
             : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)";
}

}  // namespace

std::vector<mapping::DaemonMember> beat(SqlSession& session, const std::string& name,
                                        std::chrono::milliseconds ttl) {
  const auto now = now_ms(session.dialect());
  // A member that comes back after it expired keeps its `since`: it is the same process.
  session.exec("INSERT INTO daemons (name, since_ms, heartbeat_ms, expires_ms) VALUES ($1, " +
                   now + ", " + now + ", " + now +
                   " + $2) ON CONFLICT (name) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms, "
                   "expires_ms = excluded.expires_ms",
               {name, static_cast<std::int64_t>(ttl.count())});
  // Members dead for a day are of no use to anyone reading the table.
  session.exec("DELETE FROM daemons WHERE expires_ms < " + now + " - 86400000", {});
  return select_daemons(session);
}

void remove_daemon(SqlSession& session, const std::string& name) {
  session.exec("DELETE FROM daemons WHERE name = $1", {name});
}

std::vector<mapping::DaemonMember> select_daemons(SqlSession& session) {
  std::vector<mapping::DaemonMember> members;
  for (const auto& row : session.query(
           "SELECT name, since_ms, heartbeat_ms, expires_ms FROM daemons WHERE expires_ms > " +
               now_ms(session.dialect()) + " ORDER BY name",
           {})) {
    members.push_back({text_cell(row, 0), iso_from_unix_ms(int64_cell(row, 1)),
                       iso_from_unix_ms(int64_cell(row, 2)), iso_from_unix_ms(int64_cell(row, 3))});
  }
  return members;
}

mapping::SendSlots take_send_slots(SqlSession& session, const std::string& token,
                                   std::size_t count, std::chrono::microseconds interval) {
  const auto dialect = session.dialect();
  const std::string greatest = dialect == Dialect::sqlite ? "MAX" : "GREATEST";
  const auto span = static_cast<std::int64_t>(count) * static_cast<std::int64_t>(interval.count());
  session.exec("INSERT INTO token_budgets (name, next_us) VALUES ($1, 0) "
               "ON CONFLICT (name) DO NOTHING",
               {token});
  // The clock is read after the row is locked (PostgreSQL evaluates SET once it holds the
  // row), so a reservation that waited for another never starts in the past.
  const auto rows = session.query("UPDATE token_budgets SET next_us = " + greatest + "(next_us, " +
                                      now_us(dialect) + ") + $2 WHERE name = $1 RETURNING next_us, " +
                                      now_us(dialect),
                                  {token, span});
  const auto& row = rows.at(0);
  return {int64_cell(row, 0) - span, int64_cell(row, 1)};
}

}  // namespace rosterd::adapters::store::detail
