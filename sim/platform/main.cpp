// platform-sim: the platform contract on 127.0.0.1, with rate limits and injected faults.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "sim/platform/platform.h"
#include "sim/platform/run.h"

int main(int argc, char** argv) {
  rosterd::sim::SimOptions options;
  std::string token_file;
  std::string state_file;
  CLI::App app{"platform-sim: a simulated school messaging platform (VK API conventions)"};
  app.add_option("--port", options.port, "TCP port on 127.0.0.1; 0 picks a free one")
      ->required()
      ->check(CLI::Range(0, 65535));
  app.add_option("--rps", options.rps, "requests per second per token; 0: no limit")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--fail-rate", options.fail_rate, "probability of an injected fault")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--latency-ms", options.latency_ms, "delay added to every answer")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", options.seed, "seed of the fault and link generators");
  app.add_option("--lost-ms", options.lost_ms, "how late a lost response is answered")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--fail-methods", options.fail_methods,
                 "only requests calling these methods are faulted (an execute when one of its "
                 "calls is one); all when not given");
  app.add_option("--owner-id", options.owner_id, "user id of the token's own user")
      ->check(CLI::PositiveNumber);
  app.add_option("--token-file", token_file, "file holding the only accepted token");
  app.add_option("--state", state_file,
                 "start from this state (the format of GET /sim/state) instead of an empty one");
  app.add_flag("--verbose", options.verbose, "one line per request on stderr");
  CLI11_PARSE(app, argc, argv);

  if (!token_file.empty()) {
    options.token = rosterd::sim::read_token_file(token_file);
    if (!options.token) {
      std::fprintf(stderr, "platform-sim: no token in %s\n", token_file.c_str());
      return 2;
    }
  }
  if (!state_file.empty()) {
    try {
      options.initial_state = rosterd::sim::read_state_file(state_file);
    } catch (const rosterd::sim::StateError& e) {
      std::fprintf(stderr, "platform-sim: %s\n", e.what());
      return 2;
    }
  }
  return rosterd::sim::serve(options);
}
