#pragma once
// The process around the front end: bind, announce, serve until SIGTERM or SIGINT.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sim/platform/options.h"

namespace rosterd::sim {

// The token in a file, surrounding white space trimmed; nullopt when unreadable or empty.
[[nodiscard]] std::optional<std::string> read_token_file(const std::string& path);

// A state file (GET /sim/state's format), parsed and checked. Throws StateError naming the
// file and the bad key.
[[nodiscard]] nlohmann::json read_state_file(const std::string& path);

// Serves until SIGTERM or SIGINT; 0 then, 1 when the port cannot be bound.
// Prints "platform-sim: listening on 127.0.0.1:PORT" on stdout once connections are accepted.
[[nodiscard]] int serve(const SimOptions& options);

}  // namespace rosterd::sim
