#include "sim/journal/run.h"

#include <httplib.h>

#include <cstdio>
#include <memory>

#include "sim/common/serve.h"
#include "sim/journal/roster_json.h"
#include "sim/journal/server.h"

namespace rosterd::sim::journal {
namespace {

// Enough workers that answers held back by the "slow" fault do not starve the others.
constexpr std::size_t worker_threads = 16;

std::unique_ptr<Journal> load(const Options& options) {
  std::vector<mapping::Roster> rosters;
  for (const auto& folder : export_folders(options.data_dir)) {
    rosters.push_back(read_folder(folder));
  }
  return std::make_unique<Journal>(std::move(rosters), options.day, options.seed);
}

}  // namespace

int serve(const Options& options) {
  const sigset_t stop_signals = block_stop_signals();
  std::unique_ptr<Journal> journal;
  std::unique_ptr<HttpFrontend> frontend;
  try {
    journal = load(options);
    frontend = std::make_unique<HttpFrontend>(
        *journal, Tokens(options.token_file, options.regional_token_file), options.page_size,
        options.verbose);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "journal-sim: %s\n", error.what());
    return 2;
  }
  httplib::Server server;
  frontend->install(server);
  return serve_until_stopped(server, stop_signals, "journal-sim", options.port, worker_threads,
                             [&] { frontend->stop(); });
}

}  // namespace rosterd::sim::journal
