#pragma once
// The simulator's settings, as the command line gives them.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace rosterd::sim {

struct SimOptions {
  int port = 0;          // 0: any free port
  int rps = 0;           // requests per second per token; 0: no limit
  double fail_rate = 0;  // probability of an injected fault per /method request
  int latency_ms = 0;    // added to every /method answer
  std::uint64_t seed = 1;
  int lost_ms = 3000;  // how late a lost response comes
  // Methods whose requests may be faulted (an execute when one of its calls is one); empty: all.
  std::set<std::string> fail_methods;
  std::int64_t owner_id = 100;
  std::optional<std::string> token;  // the only accepted token; any non-empty one when unset
  bool verbose = false;              // one line per request on stderr
  nlohmann::json initial_state;      // --state: where the platform starts (and /sim/reset returns)
};

}  // namespace rosterd::sim
