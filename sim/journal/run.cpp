#include "sim/journal/run.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "sim/journal/roster_json.h"
#include "sim/journal/server.h"

namespace rosterd::sim::journal {
namespace {

// Enough workers that answers held back by the "slow" fault do not starve the others.
constexpr std::size_t worker_threads = 16;

int bind(httplib::Server& server, int port) {
  if (port == 0) return server.bind_to_any_port("127.0.0.1");
  return server.bind_to_port("127.0.0.1", port) ? port : -1;
}

std::unique_ptr<Journal> load(const Options& options) {
  std::vector<mapping::Roster> rosters;
  for (const auto& folder : export_folders(options.data_dir)) {
    rosters.push_back(read_folder(folder));
  }
  return std::make_unique<Journal>(std::move(rosters), options.day, options.seed);
}

}  // namespace

int serve(const Options& options) {
  // Block the stop signals in every thread (the pool inherits the mask); one thread takes them
  // with sigwait, so no work happens in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that gave up on a slow answer must not kill the simulator when it is written.
  std::signal(SIGPIPE, SIG_IGN);

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
  server.new_task_queue = [] { return new httplib::ThreadPool(worker_threads); };
  frontend->install(server);
  const int port = bind(server, options.port);
  if (port < 0) {
    std::fprintf(stderr, "journal-sim: cannot listen on 127.0.0.1:%d\n", options.port);
    return 1;
  }
  std::printf("journal-sim: listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);

  std::thread watcher([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    frontend->stop();
    server.stop();
  });
  const bool clean = server.listen_after_bind();
  // Listening ended on its own (an accept failure): wake the watcher so it can be joined.
  if (!clean) pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  return clean ? 0 : 1;
}

}  // namespace rosterd::sim::journal
