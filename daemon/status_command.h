#pragma once
// `rosterd status --config FILE [--format text|json]`: who holds what in a region of several
// daemons (docs/region.md), read from the state store: the live daemons (name, since, last
// heartbeat, how many schools each owns by the same hashing the daemons use) and each
// configured school's owner and lease (holder and expiry). Reads only; never writes.

#include <cstdint>
#include <ostream>

#include "daemon/config.h"

namespace rosterd::daemon {

enum class StatusFormat : std::uint8_t { text, json };

// Returns the exit code: 0, or 1 when the store cannot be read (the reason on err).
[[nodiscard]] int show_region_status(const Config& config, StatusFormat format, std::ostream& out,
                                     std::ostream& err);

}  // namespace rosterd::daemon
