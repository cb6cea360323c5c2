#pragma once
// Internal: the region's daemons (membership with heartbeats) and each platform token's shared
// send budget. Times come from the database's own clock, as the leases' do, so daemons on
// machines whose clocks differ agree on who is alive and on when a slot is.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "adapters/store/sql_session.h"
#include "mapping/ports.h"

namespace rosterd::adapters::store::detail {

// Each runs inside the caller's transaction (a write one but for select_daemons).
[[nodiscard]] std::vector<mapping::DaemonMember> beat(SqlSession& session, const std::string& name,
                                                      std::chrono::milliseconds ttl);
void remove_daemon(SqlSession& session, const std::string& name);
[[nodiscard]] std::vector<mapping::DaemonMember> select_daemons(SqlSession& session);

[[nodiscard]] mapping::SendSlots take_send_slots(SqlSession& session, const std::string& token,
                                                 std::size_t count,
                                                 std::chrono::microseconds interval);

}  // namespace rosterd::adapters::store::detail
