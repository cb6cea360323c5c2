#include "sim/platform/run.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/platform/server.h"

namespace rosterd::sim {
namespace {

// Enough workers that answers held back by --lost-ms do not starve the others.
constexpr std::size_t worker_threads = 16;

int bind(httplib::Server& server, int port) {
  if (port == 0) return server.bind_to_any_port("127.0.0.1");
  return server.bind_to_port("127.0.0.1", port) ? port : -1;
}

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

int serve(const SimOptions& options) {
  // Block the stop signals in every thread (the pool inherits the mask); one thread takes them
  // with sigwait, so no work happens in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that gave up on a held-back answer must not kill the simulator when it is written.
  std::signal(SIGPIPE, SIG_IGN);

  HttpFrontend frontend(options);
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(worker_threads); };
  frontend.install(server);
  const int port = bind(server, options.port);
  if (port < 0) {
    std::fprintf(stderr, "platform-sim: cannot listen on 127.0.0.1:%d\n", options.port);
    return 1;
  }
  std::printf("platform-sim: listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);

  std::thread watcher([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    frontend.stop();
    server.stop();
  });
  const bool clean = server.listen_after_bind();
  // Listening ended on its own (an accept failure): wake the watcher so it can be joined.
  if (!clean) pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  return clean ? 0 : 1;
}

}  // namespace rosterd::sim
