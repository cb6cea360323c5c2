#pragma once
// `rosterd retry --school X`: asks the running daemon to run a school now, quarantined or
// waiting for its next retry. The daemon holds its schedule in memory, so the command asks it
// through its own status server on loopback (`POST /schools/<id>/retry`, which the server
// refuses from any other peer) at the config's observability address and port.

#include <optional>
#include <ostream>

#include "daemon/config.h"

namespace rosterd::daemon {

// `port` overrides observability.port (needed when the config says 0: a free port, logged by
// the daemon). Returns the exit code: 0 the school runs now, 1 otherwise (the reason on err).
[[nodiscard]] int retry_school(const Config& config, const std::string& school_id,
                               std::optional<int> port, std::ostream& out, std::ostream& err);

}  // namespace rosterd::daemon
