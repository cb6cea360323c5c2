#pragma once
// The process around the front end: load the data, bind, announce, serve until SIGTERM or
// SIGINT.

#include "sim/journal/options.h"

namespace rosterd::sim::journal {

// Serves until SIGTERM or SIGINT; 0 then, 1 when the port cannot be bound, 2 when the data or
// a token file cannot be read. Prints "journal-sim: listening on 127.0.0.1:PORT" on stdout
// once connections are accepted.
[[nodiscard]] int serve(const Options& options);

}  // namespace rosterd::sim::journal
