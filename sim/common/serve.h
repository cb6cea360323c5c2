#pragma once
// What both simulators do around their HTTP front ends: take SIGTERM and SIGINT on one thread
// (no work in a signal handler), bind 127.0.0.1, announce the port, serve until stopped.
// Plain process code; each simulator keeps its own contract encoding and parsing.

#include <httplib.h>
#include <signal.h>

#include <functional>
#include <string_view>

namespace rosterd::sim {

// Blocks SIGTERM and SIGINT in this thread and every thread started after it (call first in
// main's thread), and ignores SIGPIPE: a client that gave up on a held-back answer must not
// kill the simulator when it is written. The blocked set, for serve_until_stopped.
[[nodiscard]] sigset_t block_stop_signals();

// Binds `port` on 127.0.0.1 (0: a free one), prints "<name>: listening on 127.0.0.1:PORT" on
// stdout and serves with a pool of `threads` until SIGTERM or SIGINT, calling `on_stop` first
// (to release held-back answers). 0 after a signal, 1 when the port cannot be bound or
// listening fails.
[[nodiscard]] int serve_until_stopped(httplib::Server& server, const sigset_t& stop_signals,
                                      std::string_view name, int port, std::size_t threads,
                                      const std::function<void()>& on_stop);

}  // namespace rosterd::sim
