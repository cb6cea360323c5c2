#pragma once
// Internal: the leases table. One lease row per school, never deleted; its fencing token only
// grows. Times are Unix milliseconds read from the database's own clock, so that processes on
// several machines agree on when a lease expires.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/store/sql_session.h"
#include "mapping/ports.h"

namespace rosterd::adapters::store::detail {

// Each runs inside the caller's write transaction.
[[nodiscard]] mapping::LeaseAttempt take_lease(SqlSession& session, const std::string& org_id,
                                               const std::string& holder,
                                               std::chrono::milliseconds ttl);
// Takes the lease from `from_token`'s holder, if that token is still current.
[[nodiscard]] mapping::LeaseAttempt seize_lease(SqlSession& session, const std::string& org_id,
                                                const std::string& holder, std::int64_t from_token,
                                                std::chrono::milliseconds ttl);
[[nodiscard]] bool extend_lease(SqlSession& session, const std::string& org_id,
                                std::int64_t token, std::chrono::milliseconds ttl);
void end_lease(SqlSession& session, const std::string& org_id, std::int64_t token);
// Throws mapping::LeaseLost unless `token` is still the school's current one. PostgreSQL locks
// the lease row for the rest of the transaction, so a takeover waits for the write it fences.
void check_fence(SqlSession& session, const std::string& org_id, std::int64_t token);

[[nodiscard]] std::vector<mapping::Lease> select_leases(SqlSession& session);

// SQL for the database's clock now, in Unix milliseconds (leases, daemons' heartbeats).
[[nodiscard]] std::string now_ms(Dialect dialect);

// "2026-11-30T21:05:00.123Z"
[[nodiscard]] std::string iso_from_unix_ms(std::int64_t ms);

}  // namespace rosterd::adapters::store::detail
