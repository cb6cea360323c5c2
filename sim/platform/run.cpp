#include "sim/platform/run.h"

#include <httplib.h>

#include <fstream>
#include <sstream>

#include "sim/common/serve.h"
#include "sim/platform/server.h"

namespace rosterd::sim {
namespace {

// Enough workers that answers held back by --lost-ms do not starve the others.
constexpr std::size_t worker_threads = 16;

}  // namespace

std::optional<std::string> read_token_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto token = text.str();
  const auto first = token.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  const auto last = token.find_last_not_of(" \t\r\n");
  return token.substr(first, last - first + 1);
}

nlohmann::json read_state_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw StateError("state file " + path + ": cannot be read");
  const auto state = nlohmann::json::parse(in, nullptr, false);
  if (state.is_discarded()) throw StateError("state file " + path + ": not JSON");
  try {
    const SimulatedPlatform check(1, 1, state);  // a platform that loads it or says why not
  } catch (const StateError& e) {
    throw StateError("state file " + path + ": " + e.what());
  }
  return state;
}

int serve(const SimOptions& options) {
  const sigset_t stop_signals = block_stop_signals();
  HttpFrontend frontend(options);
  httplib::Server server;
  frontend.install(server);
  return serve_until_stopped(server, stop_signals, "platform-sim", options.port, worker_threads,
                             [&] { frontend.stop(); });
}

}  // namespace rosterd::sim
